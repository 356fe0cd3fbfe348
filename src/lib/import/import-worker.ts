// The import's reading off the main thread: a file's bytes decoded, parsed and validated here, so that a
// 100k-row file does not freeze the page. The worker holds the bytes, the text and the table; the page gets
// what it shows (header, first values, counts, the first problems) and the validated rows to plan and upload.
// No keys here: sealing and signing stay in the crypto worker. Browser-only; served through Comlink.
import * as Comlink from 'comlink';
import { decodeBytes, type Decoded } from './decode';
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
};

export type Checked = {
	rows: ProductImportRow[] | SupplierImportRow[];
	errors: RowError[];
	errorCount: number;
	/** Lines with at least one error. */
	errorLines: number;
	ignored: string[];
};

let bytes: Uint8Array | null = null;
let decoded: Decoded | null = null;
let table: Table | null = null;

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
		format: detectFormat(table.header)
	};
}

const api = {
	/** A new file: its encoding and delimiter detected. */
	open(file: Uint8Array): FileSummary {
		bytes = file;
		decoded = decodeBytes(bytes);
		table = parseTable(decoded.text);
		return summary();
	},
	/** The same file in another encoding (the delimiter detected again). */
	decode(encoding: string): FileSummary {
		if (!bytes) throw new Error('No file is open.');
		decoded = decodeBytes(bytes, encoding);
		table = parseTable(decoded.text);
		return summary();
	},
	/** The same text split on another delimiter. */
	parse(delimiter: Delimiter): FileSummary {
		if (!decoded) throw new Error('No file is open.');
		table = parseTable(decoded.text, { delimiter });
		return summary();
	},
	validate(kind: Kind, mapping: Mapping, options: ValidateOptions): Checked {
		if (!table) throw new Error('No file is open.');
		const v =
			kind === 'products'
				? validateRows('products', table, mapping, options)
				: validateRows('suppliers', table, mapping, options);
		return {
			rows: v.rows,
			errors: v.errors.slice(0, LISTED),
			errorCount: v.errors.length,
			errorLines: new Set(v.errors.map((e) => e.line)).size,
			ignored: v.ignored
		};
	},
	close(): void {
		bytes = decoded = table = null;
	}
};

export type ImportWorker = typeof api;

Comlink.expose(api);
