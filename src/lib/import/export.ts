// Catalogue → delimited text, in the generic templates or back in the marketplace report a product came
// from. RFC 4180 quoting, CRLF line ends, UTF-8 (withBom for Excel, which otherwise reads 1252). Text cells
// are guarded against running as formulas (cells.ts); numbers are written plain, with no thousands separator.
import {
	extraColumns,
	minorDigits,
	type ProductFields,
	type SourceFields,
	type SupplierFields
} from '../catalogue/records';
import { neutralise } from './cells';
import { FORMATS, normalise, type FormatId, type ProductTarget, type SupplierTarget } from './formats';
import { formatMoney, type Decimal } from './numbers';
import type { Delimiter } from './parse';

export type Cell = { text: string; kind: 'text' | 'number' };
export const text = (t: string): Cell => ({ text: t, kind: 'text' });
export const number = (t: string): Cell => ({ text: t, kind: 'number' });

function quote(value: string, delimiter: Delimiter): string {
	const needs =
		value.includes(delimiter) || value.includes('"') || /[\r\n]/.test(value) || /^\s|\s$/.test(value);
	return needs ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One line of cells, ended by CRLF; text cells guarded against running as formulas. */
function line(cells: readonly Cell[], delimiter: Delimiter): string {
	return (
		cells.map((c) => quote(c.kind === 'text' ? neutralise(c.text) : c.text, delimiter)).join(delimiter) +
		'\r\n'
	);
}

/** Header (text cells) and rows → the file's text, every line ended by CRLF. */
export function toDelimited(header: string[], rows: Cell[][], options: { delimiter: Delimiter }): string {
	return [header.map(text), ...rows].map((r) => line(r, options.delimiter)).join('');
}

/** Prefixes a byte order mark, which Excel needs to read UTF-8. */
export const withBom = (t: string) => (t.startsWith('\uFEFF') ? t : `\uFEFF${t}`);

export type ExportSource = {
	supplierName: string;
	supplier_sku: string;
	unit_cost_minor: string;
	currency: string;
	moq: string;
};
/** What the catalogue page has for a product (ProductView, plus its first source when the role reads it). */
export type ExportProduct = {
	fields: ProductFields;
	reorderPoint: number | null;
	onHand: number;
	source?: ExportSource | null;
};
/**
 * The catalogue's products as the export writes them: each with its first active source, named by its
 * supplier (the templates have one supplier column; a product's other sources are not in this file).
 */
export function exportableProducts(
	products: readonly (Omit<ExportProduct, 'source'> & { id: string })[],
	sources: readonly { productId: string; supplierId: string; archived: boolean; fields: SourceFields }[],
	suppliers: readonly { id: string; fields: { name: string } }[]
): ExportProduct[] {
	const names = new Map(suppliers.map((s) => [s.id, s.fields.name]));
	const first = new Map<string, ExportSource>();
	for (const s of sources) {
		const supplierName = names.get(s.supplierId);
		if (s.archived || supplierName === undefined || first.has(s.productId)) continue;
		const { supplier_sku, unit_cost_minor, currency, moq } = s.fields;
		first.set(s.productId, { supplierName, supplier_sku, unit_cost_minor, currency, moq });
	}
	return products.map((p) => ({
		fields: p.fields,
		reorderPoint: p.reorderPoint,
		onHand: p.onHand,
		source: first.get(p.id) ?? null
	}));
}

export type ExportOptions = { decimal?: Decimal; delimiter?: Delimiter };

/** Extra values that are plain numbers are written as numbers: no guard, as the report had them. */
const NUMERIC = /^-?\d+(?:[.,]\d+)?$/;

function productValue(p: ExportProduct, target: ProductTarget, decimal: Decimal): Cell {
	const f = p.fields;
	const s = p.source;
	const money = (minor: string, currency: string) =>
		number(formatMoney(minor, { decimal, digits: minorDigits(currency) }));
	switch (target) {
		case 'price':
			return money(f.price_minor, f.currency);
		case 'quantity':
			return number(String(p.onHand));
		case 'reorder_point':
			return number(p.reorderPoint === null ? '' : String(p.reorderPoint));
		case 'supplier':
			return text(s?.supplierName ?? '');
		case 'supplier_sku':
			return text(s?.supplier_sku ?? '');
		case 'unit_cost':
			return s ? money(s.unit_cost_minor, s.currency) : number('');
		case 'moq':
			return number(s?.moq ?? '');
		default:
			return text(f[target]);
	}
}

/**
 * Products in `format` (the products template, or a marketplace report): the format's columns in its
 * order, each from the field it maps to or else from the product's extra column of that name; then every
 * other extra column, in the order first seen. So a product imported from a report goes back under the
 * report's headers with the columns the catalogue does not model.
 *
 * In parts of `part` products (the first pass, reading every product's extra columns for the header, yields
 * empty parts), so that a page can build a 100k-row file without a long task: it pauses between parts.
 */
export function* exportProductParts(
	format: Exclude<FormatId, 'suppliers'>,
	products: readonly ExportProduct[],
	options: ExportOptions = {},
	part = 2000
): Generator<string> {
	const f = FORMATS[format];
	const decimal = options.decimal ?? '.';
	const delimiter = options.delimiter ?? f.delimiter;
	const known = new Set(f.header.map(normalise));
	const extras: Record<string, string>[] = [];
	const more: string[] = [];
	const seen = new Set<string>();
	for (const [i, p] of products.entries()) {
		const x = extraColumns(p.fields.extra);
		extras.push(x);
		for (const k of Object.keys(x))
			if (!known.has(normalise(k)) && !seen.has(k)) {
				seen.add(k);
				more.push(k);
			}
		if ((i + 1) % part === 0) yield '';
	}
	const header = [...f.header, ...more];
	const targets = header.map((h, col) =>
		col < f.header.length && Object.hasOwn(f.fields, h) ? (f.fields[h] as ProductTarget) : undefined
	);
	const names = header.map((h, col) => (col < f.header.length ? normalise(h) : h));
	let out = line(header.map(text), delimiter);
	for (const [i, p] of products.entries()) {
		const extra = extras[i] ?? {};
		const byName = new Map(Object.entries(extra).map(([k, v]) => [normalise(k), v]));
		const cells = header.map((h, col): Cell => {
			const target = targets[col];
			if (target) return productValue(p, target, decimal);
			const v = (col < f.header.length ? byName.get(names[col]!) : extra[h]) ?? '';
			return NUMERIC.test(v) ? number(v) : text(v);
		});
		out += line(cells, delimiter);
		if ((i + 1) % part === 0) {
			yield out;
			out = '';
		}
	}
	yield out;
}

/** The whole products file at once (exportProductParts joined). */
export const exportProducts = (
	format: Exclude<FormatId, 'suppliers'>,
	products: readonly ExportProduct[],
	options: ExportOptions = {}
): string => [...exportProductParts(format, products, options)].join('');

/**
 * Every active source, one line each, with its product's SKU and name and its supplier's name: the
 * products file carries one source a product, this one all of them.
 */
export function exportSources(
	products: readonly { id: string; fields: Pick<ProductFields, 'sku' | 'name'> }[],
	sources: readonly { productId: string; supplierId: string; archived: boolean; fields: SourceFields }[],
	suppliers: readonly { id: string; fields: { name: string } }[],
	options: { decimal?: Decimal } = {}
): string {
	const decimal = options.decimal ?? '.';
	const byId = new Map(products.map((p) => [p.id, p]));
	const names = new Map(suppliers.map((s) => [s.id, s.fields.name]));
	const header = ['sku', 'name', 'supplier', 'supplier_sku', 'unit_cost', 'currency', 'moq'];
	const rows: Cell[][] = [];
	for (const s of sources) {
		const p = byId.get(s.productId);
		const supplier = names.get(s.supplierId);
		if (s.archived || !p || supplier === undefined) continue;
		const f = s.fields;
		rows.push([
			text(p.fields.sku),
			text(p.fields.name),
			text(supplier),
			text(f.supplier_sku),
			number(formatMoney(f.unit_cost_minor, { decimal, digits: minorDigits(f.currency) })),
			text(f.currency),
			number(f.moq)
		]);
	}
	return toDelimited(header, rows, { delimiter: ',' });
}

/** Suppliers in the suppliers template. */
export function exportSuppliers(
	suppliers: readonly { fields: SupplierFields }[],
	options: { delimiter?: Delimiter } = {}
): string {
	const f = FORMATS.suppliers;
	const rows = suppliers.map((s) =>
		f.header.map((h): Cell => {
			const target = f.fields[h] as SupplierTarget;
			const v = s.fields[target];
			return target === 'lead_time_days' ? number(v) : text(v);
		})
	);
	return toDelimited([...f.header], rows, { delimiter: options.delimiter ?? f.delimiter });
}

/**
 * The format to offer by default for exporting these products: the marketplace report whose own columns
 * (the ones kept as extra) the products carry most, or the products template. Nothing records a product's
 * origin; its extra columns are the record.
 */
export function suggestExportFormat(
	products: readonly { fields: Pick<ProductFields, 'extra'> }[]
): Exclude<FormatId, 'suppliers'> {
	let best: Exclude<FormatId, 'suppliers'> = 'products';
	let bestShare = 0.5;
	const sample = products
		.slice(0, 200)
		.map((p) => new Set(Object.keys(extraColumns(p.fields.extra)).map(normalise)));
	if (!sample.length) return best;
	for (const id of ['fba-inventory', 'active-listings'] as const) {
		const own = FORMATS[id].header.filter((h) => !FORMATS[id].fields[h]).map(normalise);
		const share =
			sample.reduce((n, s) => n + own.filter((h) => s.has(h)).length / own.length, 0) / sample.length;
		if (share > bestShare) {
			best = id;
			bestShare = share;
		}
	}
	return best;
}
