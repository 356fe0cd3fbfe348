// Parsed table + column mapping → catalogue records ready to seal, and every row error at once (with its
// line) for the preview. The forms' rules (forms.ts) apply unchanged, with their limits and messages; the
// import adds what only a file has: amounts with a chosen decimal mark, counts, duplicates within the file,
// and the extra columns. Values are stored exactly as typed (never trimmed, never evaluated: "=SUM(A1)" is
// a name like any other); spaces are ignored only to parse numbers and to decide whether a cell is empty.
// A row with any error is left out of `rows`; for duplicates, the first row stays and later ones are errors.
import {
	complete,
	CURRENCY,
	minorDigits,
	PRODUCT_FIELDS,
	type ProductFields,
	type SupplierFields
} from '../catalogue/records';
import { checkProduct, checkSource, checkSupplier, skuKey, type Errors } from '../catalogue/forms';
import { unneutralise } from './cells';
import {
	PRODUCT_TARGETS,
	SUPPLIER_TARGETS,
	type Mapping,
	type ProductTarget,
	type SupplierTarget
} from './formats';
import { parseCount, parseMoney, type Decimal } from './numbers';
import type { Table } from './parse';

export type RowError = { line: number; column?: string; message: string };
export type ImportSource = {
	supplierName: string;
	supplier_sku: string;
	unit_cost_minor: string;
	currency: string;
	moq: string;
};
export type ProductImportRow = {
	line: number;
	fields: ProductFields;
	reorderPoint: number | null;
	/** Opening stock on hand, when the file has a quantity. */
	quantity: number | null;
	source: ImportSource | null;
};
export type SupplierImportRow = { line: number; fields: SupplierFields };
export type ValidateOptions = { decimal: Decimal; currency: string };
export type Validated<R> = {
	rows: R[];
	errors: RowError[];
	/** Headers of columns with nowhere to go (suppliers have no extra map), for the preview to warn about. */
	ignored: string[];
};

/** Case-folded, trimmed, NFC: how SKUs (forms.skuKey) and supplier names are told apart. */
const nameKey = skuKey;

/** Each mapped field's column (first one wins, as in guessMapping) and the extra columns' JSON keys. */
function columns(table: Table, mapping: Mapping, targets: readonly string[]) {
	const field = new Map<string, { index: number; header: string }>();
	const extra: { index: number; key: string }[] = [];
	const used = new Set<string>();
	// Two columns with the same header (or none) would collide as JSON keys: number the later ones.
	const keyOf = (header: string, index: number) => {
		const base = header.trim() === '' ? `Column ${index + 1}` : header;
		let key = base;
		for (let n = 2; used.has(key); n++) key = `${base} (${n})`;
		used.add(key);
		return key;
	};
	const byColumn = new Map(mapping.map((m) => [m.column, m]));
	// Every column in file order, including ones the mapping lacks and cells past the header's end (the
	// table's problems list such rows): a column feeds its field, else it is extra.
	const widest = table.rows.reduce((w, r) => Math.max(w, r.cells.length), table.header.length);
	for (let i = 0; i < widest; i++) {
		const m = byColumn.get(i);
		const header = m?.header ?? unneutralise(table.header[i] ?? '');
		if (m && targets.includes(m.target) && !field.has(m.target)) field.set(m.target, { index: i, header });
		else extra.push({ index: i, key: keyOf(header, i) });
	}
	return { field, extra };
}

/** records.minorDigits builds an Intl.NumberFormat per call: once per currency per file is enough. */
function digitsCache() {
	const known = new Map<string, number>();
	return (currency: string) => {
		let d = known.get(currency);
		if (d === undefined) known.set(currency, (d = minorDigits(currency)));
		return d;
	};
}
const digitsOf = digitsCache();

const isBlank = (s: string) => !/[^\s\u00a0\u202f]/.test(s);

function rowReader(cells: string[], line: number, cols: ReturnType<typeof columns>, errors: RowError[]) {
	const get = (target: string) => {
		const c = cols.field.get(target);
		return c ? unneutralise(cells[c.index] ?? '') : '';
	};
	const header = (target: string) => cols.field.get(target)?.header ?? target;
	const fail = (target: string | undefined, message: string) => {
		errors.push({ line, ...(target ? { column: header(target) } : {}), message: `Line ${line}: ${message}` });
	};
	/** A forms.ts error, keyed by its form field, reported against the file's column. */
	const formErrors = (e: Errors, targets: Record<string, string>) => {
		for (const [key, message] of Object.entries(e)) {
			const target = targets[key] ?? key;
			fail(target, `“${header(target)}”: ${message}`);
		}
	};
	const count = (target: string): number | null | 'invalid' => {
		const text = get(target);
		if (isBlank(text)) return null;
		const r = parseCount(text);
		if (r.ok) return r.value;
		fail(target, `“${header(target)}” ${text.trim()} ${r.reason}.`);
		return 'invalid';
	};
	const money = (target: string, decimal: Decimal, currency: string): string | 'invalid' => {
		const text = get(target);
		if (isBlank(text)) return '';
		const r = parseMoney(text, { decimal, digits: digitsOf(currency) });
		if (r.ok && !r.minor.startsWith('-')) return r.minor;
		fail(target, `“${header(target)}” ${text.trim()} ${r.ok ? 'is negative' : r.reason}.`);
		return 'invalid';
	};
	return { get, header, fail, formErrors, count, money };
}

export function validateRows(
	kind: 'products',
	table: Table,
	mapping: Mapping,
	options: ValidateOptions
): Validated<ProductImportRow>;
export function validateRows(
	kind: 'suppliers',
	table: Table,
	mapping: Mapping,
	options: ValidateOptions
): Validated<SupplierImportRow>;
export function validateRows(
	kind: 'products' | 'suppliers',
	table: Table,
	mapping: Mapping,
	options: ValidateOptions
): Validated<ProductImportRow> | Validated<SupplierImportRow> {
	return kind === 'products'
		? validateProducts(table, mapping, options)
		: validateSuppliers(table, mapping, options);
}

function validateProducts(
	table: Table,
	mapping: Mapping,
	options: ValidateOptions
): Validated<ProductImportRow> {
	const cols = columns(table, mapping, PRODUCT_TARGETS);
	const errors: RowError[] = [];
	const rows: ProductImportRow[] = [];
	const seen = new Map<string, { line: number; sku: string }>();
	for (const { line, cells } of table.rows) {
		const before = errors.length;
		const r = rowReader(cells, line, cols, errors);
		const g = (t: ProductTarget) => r.get(t);
		const sku = g('sku');
		const currency = isBlank(g('currency')) ? options.currency : g('currency').trim();
		const validCurrency = CURRENCY.test(currency);
		if (isBlank(sku)) r.fail('sku', 'the SKU is empty. Every product needs one.');
		if (isBlank(g('name'))) r.fail('name', 'the product name is empty.');
		const price = validCurrency ? r.money('price', options.decimal, currency) : '';
		const unitCost = validCurrency ? r.money('unit_cost', options.decimal, currency) : '';
		const reorderPoint = r.count('reorder_point');
		const quantity = r.count('quantity');
		const moq = r.count('moq');
		// The forms' remaining rules (lengths, ASIN, barcode, currency). Amounts and counts are checked above
		// (the forms' parser knows no thousands separators), so they are passed empty: that also spares a
		// costly Intl.NumberFormat per row in records.minorDigits.
		const e = checkProduct(
			{
				name: g('name'),
				sku,
				asin: g('asin'),
				fnsku: g('fnsku'),
				barcode: g('barcode'),
				price: '',
				currency,
				reorderPoint: '',
				notes: g('notes'),
				openingStock: ''
			},
			new Map()
		);
		if (isBlank(sku)) delete e.sku;
		if (isBlank(g('name'))) delete e.name;
		r.formErrors(e, { reorderPoint: 'reorder_point', openingStock: 'quantity', price: 'price' });
		const supplierName = g('supplier');
		let source: ImportSource | null = null;
		if (!isBlank(supplierName)) {
			const s = checkSource({
				supplierId: 'named',
				supplierSku: g('supplier_sku'),
				unitCost: '',
				currency,
				moq: ''
			});
			delete s.currency; // already reported by checkProduct
			// The form's "Enter the unit cost." only when the cell is empty (a bad one is reported above).
			if (!isBlank(g('unit_cost'))) delete s.unitCost;
			const n = checkSupplier({
				name: supplierName,
				contact: '',
				email: '',
				phone: '',
				address: '',
				country: '',
				paymentTerms: '',
				leadTimeDays: '',
				notes: ''
			});
			r.formErrors(
				{ ...s, ...(n.name ? { supplier: n.name } : {}) },
				{ supplierSku: 'supplier_sku', unitCost: 'unit_cost' }
			);
			source = {
				supplierName,
				supplier_sku: g('supplier_sku'),
				unit_cost_minor: unitCost === 'invalid' ? '' : unitCost,
				currency,
				moq: typeof moq === 'number' ? String(moq) : ''
			};
		} else
			for (const t of ['supplier_sku', 'unit_cost', 'moq'] as const)
				if (!isBlank(g(t)))
					r.fail(
						t,
						`“${r.header(t)}” is filled in but “${r.header('supplier')}” is empty: it belongs to a supplier.`
					);
		if (!isBlank(sku)) {
			const key = skuKey(sku);
			const first = seen.get(key);
			if (!first) seen.set(key, { line, sku });
			else if (first.sku === sku)
				r.fail('sku', `the SKU “${sku}” is already on line ${first.line}. SKUs are unique.`);
			else
				r.fail(
					'sku',
					`the SKU “${sku}” is the same as “${first.sku}” on line ${first.line} (SKUs ignore case and surrounding spaces). SKUs are unique.`
				);
		}
		if (errors.length > before) continue;
		// fromEntries defines own properties, so even a column named "__proto__" is kept as data.
		const extra = Object.fromEntries(cols.extra.map((x) => [x.key, unneutralise(cells[x.index] ?? '')]));
		const fields = complete(PRODUCT_FIELDS, {
			name: g('name'),
			sku,
			asin: g('asin'),
			fnsku: g('fnsku'),
			barcode: g('barcode'),
			price_minor: price,
			currency,
			notes: g('notes'),
			extra: cols.extra.length ? JSON.stringify(extra) : ''
		});
		rows.push({
			line,
			fields,
			reorderPoint: reorderPoint as number | null,
			quantity: quantity as number | null,
			source
		});
	}
	return { rows, errors, ignored: [] };
}

function validateSuppliers(
	table: Table,
	mapping: Mapping,
	_options: ValidateOptions
): Validated<SupplierImportRow> {
	const cols = columns(table, mapping, SUPPLIER_TARGETS);
	const errors: RowError[] = [];
	const rows: SupplierImportRow[] = [];
	const seen = new Map<string, { line: number; name: string }>();
	for (const { line, cells } of table.rows) {
		const before = errors.length;
		const r = rowReader(cells, line, cols, errors);
		const g = (t: SupplierTarget) => r.get(t);
		const name = g('name');
		if (isBlank(name)) r.fail('name', 'the supplier name is empty.');
		const lead = r.count('lead_time_days');
		const e = checkSupplier({
			name,
			contact: g('contact'),
			email: g('email'),
			phone: g('phone'),
			address: g('address'),
			country: g('country'),
			paymentTerms: g('payment_terms'),
			leadTimeDays: '',
			notes: g('notes')
		});
		if (isBlank(name)) delete e.name;
		r.formErrors(e, { paymentTerms: 'payment_terms', leadTimeDays: 'lead_time_days' });
		if (!isBlank(name)) {
			const key = nameKey(name);
			const first = seen.get(key);
			if (!first) seen.set(key, { line, name });
			else
				r.fail(
					'name',
					`the supplier “${name}” is already on line ${first.line}. Supplier names are unique in a file.`
				);
		}
		if (errors.length > before) continue;
		rows.push({
			line,
			fields: {
				name,
				contact: g('contact'),
				email: g('email'),
				phone: g('phone'),
				address: g('address'),
				country: g('country'),
				payment_terms: g('payment_terms'),
				lead_time_days: typeof lead === 'number' ? String(lead) : '',
				notes: g('notes')
			}
		});
	}
	return { rows, errors, ignored: cols.extra.map((x) => x.key) };
}
