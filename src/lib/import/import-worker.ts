// The import's reading and planning off the main thread: a file's bytes decoded, parsed, validated and
// planned into drafts here, so that a 100k-row file does not freeze the page. The worker holds the bytes, the
// text, the table, the validated rows and the plan; the page gets what it shows (header, first values,
// counts, the first problems) and, batch by batch, the drafts to hand to the crypto worker. No keys here:
// sealing and signing stay in the crypto worker. Browser-only; served through Comlink.
import * as Comlink from 'comlink';
import { decodeBytes, type Decoded } from './decode';
import { planProducts, planSuppliers, type DuplicatePolicy, type Existing, type Plan } from './drafts';
import { fileDigest } from './job-store';
import { detectFormat, type FormatId, type Kind, type Mapping } from './formats';
import { parseTable, type Delimiter, type Problem, type Table } from './parse';
import {
	validateRows,
	type ProductImportRow,
	type RowError,
	type SupplierImportRow,
	type ValidateOptions
} from './validate';

/** Problems and errors sent to the page: the page lists at most this many. */
const LISTED = 200;

export type FileSummary = {
	encoding: string;
	bom: boolean;
	guessed: boolean;
	delimiter: Delimiter;
	header: string[];
	rowCount: number;
	/** Per column, its first non-blank values joined (a sample for the mapping). */
	samples: string[];
	problems: Problem[];
	problemCount: number;
	format: FormatId;
	/** The file's SHA-256 (hex): a resumed import recognises the file by it. */
	digest: string;
	size: number;
};

export type Checked = {
	/** Valid rows, kept here for the plan. */
	rowCount: number;
	errors: RowError[];
	errorCount: number;
	/** Lines with at least one error. */
	errorLines: number;
	ignored: string[];
};

/** What the page shows of a plan (drafts.ts Plan without its drafts). */
export type PlanSummary = Omit<Plan, 'drafts' | 'lineOf'>;

let bytes: Uint8Array<ArrayBuffer> | null = null;
let digest = '';
let decoded: Decoded | null = null;
let table: Table | null = null;
let checked: { kind: Kind; rows: ProductImportRow[] | SupplierImportRow[] } | null = null;
let existing: { products: Existing['products'][number][]; suppliers: Existing['suppliers'][number][] } = {
	products: [],
	suppliers: []
};
let plan: Plan | null = null;
/** The line each draft handed out comes from, by row id: a refused batch's rows are named by their lines. */
let lineOfRow = new Map<string, number | null>();

function summary(): FileSummary {
	if (!decoded || !table) throw new Error('No file is open.');
	const samples = table.header.map((_, column) => {
		const values: string[] = [];
		for (const r of table!.rows) {
			const v = r.cells[column];
			if (v !== undefined && v.trim() !== '') values.push(v);
			if (values.length === 3) break;
		}
		return values.join(' · ');
	});
	return {
		encoding: decoded.encoding,
		bom: decoded.bom,
		guessed: decoded.guessed,
		delimiter: table.delimiter,
		header: table.header,
		rowCount: table.rows.length,
		samples,
		problems: table.problems.slice(0, LISTED),
		problemCount: table.problems.length,
		format: detectFormat(table.header),
		digest,
		size: bytes?.byteLength ?? 0
	};
}

/** A new reading of the file: what was checked and planned from the last one no longer holds. */
function reread() {
	checked = null;
	plan = null;
	lineOfRow = new Map();
}

const api = {
	/** A new file: its encoding and delimiter detected. */
	async open(file: Uint8Array<ArrayBuffer>): Promise<FileSummary> {
		reread();
		bytes = file;
		digest = await fileDigest(file);
		decoded = decodeBytes(bytes);
		table = parseTable(decoded.text);
		return summary();
	},
	/** The same file in another encoding (the delimiter detected again). */
	decode(encoding: string): FileSummary {
		if (!bytes) throw new Error('No file is open.');
		reread();
		decoded = decodeBytes(bytes, encoding);
		table = parseTable(decoded.text);
		return summary();
	},
	/** The same text split on another delimiter. */
	parse(delimiter: Delimiter): FileSummary {
		if (!decoded) throw new Error('No file is open.');
		reread();
		table = parseTable(decoded.text, { delimiter });
		return summary();
	},
	validate(kind: Kind, mapping: Mapping, options: ValidateOptions): Checked {
		if (!table) throw new Error('No file is open.');
		reread();
		const v =
			kind === 'products'
				? validateRows('products', table, mapping, options)
				: validateRows('suppliers', table, mapping, options);
		checked = { kind, rows: v.rows };
		return {
			rowCount: v.rows.length,
			errors: v.errors.slice(0, LISTED),
			errorCount: v.errors.length,
			errorLines: new Set(v.errors.map((e) => e.line)).size,
			ignored: v.ignored
		};
	},
	/**
	 * The catalogue an import meets, sent in parts (`first` starts over) so that no one message holds up the
	 * page: cloning 100k products at once would.
	 */
	existing(part: Existing, first: boolean): void {
		if (first) existing = { products: [], suppliers: [] };
		existing.products.push(...part.products);
		existing.suppliers.push(...part.suppliers);
	},
	/** The checked rows against the catalogue sent: what the import writes, skips and updates. */
	plan(policy: DuplicatePolicy): PlanSummary {
		if (!checked) throw new Error('The file is not checked.');
		plan =
			checked.kind === 'products'
				? planProducts(checked.rows as ProductImportRow[], existing, policy)
				: planSuppliers(checked.rows as SupplierImportRow[], existing);
		lineOfRow = new Map();
		const { drafts: _, lineOf: __, ...shown } = plan;
		return shown;
	},
	drafts(start: number, end: number) {
		if (!plan) throw new Error('Nothing is planned.');
		const units = plan.drafts(start, end);
		units.forEach((unit, i) => {
			const line = plan!.lineOf(start + i);
			for (const d of unit) lineOfRow.set(d.id, line);
		});
		return units;
	},
	/** The lines of these rows (as drafts handed them out); null where a row is no line's. */
	linesOf(ids: string[]): (number | null)[] {
		return ids.map((id) => lineOfRow.get(id) ?? null);
	},
	close(): void {
		bytes = decoded = table = null;
		digest = '';
		reread();
	}
};

export type ImportWorker = typeof api;

Comlink.expose(api);
