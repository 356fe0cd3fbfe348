// The four known formats, end to end: generated file → detect → map → validate → export in the same format →
// parse again → the same value in every column, extra columns included.
import { describe, expect, it } from 'vitest';
import { unneutralise } from './cells';
import { decodeBytes } from './decode';
import { exportProducts, exportSuppliers, suggestExportFormat, type ExportProduct } from './export';
import { detectFormat, guessMapping, type FormatId } from './formats';
import { parseTable, type Table } from './parse';
import { fbaSheet, joinLines, listingsSheet, productsSheet, suppliersSheet, type Sheet } from './test-files';
import { validateRows, type ProductImportRow } from './validate';

const opts = { decimal: '.', currency: 'USD' } as const;

/** Amazon writes its reports as raw TSV with LF, no quoting. */
const rawTsv = (s: Sheet) => [s.header, ...s.rows].map((r) => r.join('\t')).join('\n') + '\n';

const toExport = (r: ProductImportRow): ExportProduct => ({
	fields: r.fields,
	reorderPoint: r.reorderPoint,
	onHand: r.quantity ?? 0,
	source: r.source
});

/** Each original column's values, read by header from a re-parsed table as import reads them (cells.ts). */
function column(t: Table, header: string) {
	const i = t.header.indexOf(header);
	expect(i, header).toBeGreaterThanOrEqual(0);
	return t.rows.map((r) => unneutralise(r.cells[i] ?? ''));
}

function roundTrip(file: string, expected: FormatId, sheet: Sheet) {
	const table = parseTable(decodeBytes(new TextEncoder().encode(file)).text);
	expect(table.problems).toEqual([]);
	const format = detectFormat(table.header);
	expect(format).toBe(expected);
	return { table, format, mapping: guessMapping(format, table.header), sheet };
}

describe('known formats round-trip', () => {
	it.each([
		['fba-inventory', () => fbaSheet(120), rawTsv],
		['active-listings', () => listingsSheet(120), rawTsv],
		['products', () => productsSheet(120), (s: Sheet) => joinLines([s.header, ...s.rows], ',', '\r\n')]
	] as const)('%s', (id, make, write) => {
		const sheet = make();
		const { table, format, mapping } = roundTrip(write(sheet), id, sheet);
		const v = validateRows('products', table, mapping, opts);
		expect(v.errors).toEqual([]);
		expect(v.rows).toHaveLength(sheet.rows.length);
		const products = v.rows.map(toExport);
		if (format !== 'suppliers') expect(suggestExportFormat(products)).toBe(format);
		const again = parseTable(exportProducts(format as Exclude<FormatId, 'suppliers'>, products));
		expect(again.problems).toEqual([]);
		expect(again.delimiter).toBe(id === 'products' ? ',' : '\t');
		// Marketplace reports come back in their own column order; the template adds its other columns.
		if (id !== 'products') expect(again.header).toEqual(sheet.header);
		else expect(again.header.slice(0, 3)).toEqual(['sku', 'name', 'asin']);
		sheet.header.forEach((h, i) => expect(column(again, h), h).toEqual(sheet.rows.map((r) => r[i])));
		// And imported again, the records are the same.
		const second = validateRows(
			'products',
			again,
			guessMapping(detectFormat(again.header), again.header),
			opts
		);
		expect(second.errors).toEqual([]);
		expect(
			second.rows.map((r) => ({
				...toExport(r),
				fields: { ...r.fields, extra: JSON.parse(r.fields.extra || '{}') }
			}))
		).toEqual(
			products.map((p) => ({ ...p, fields: { ...p.fields, extra: JSON.parse(p.fields.extra || '{}') } }))
		);
	});

	it('suppliers', () => {
		const sheet = suppliersSheet(60);
		const { table, mapping } = roundTrip(
			joinLines([sheet.header, ...sheet.rows], ',', '\r\n'),
			'suppliers',
			sheet
		);
		const v = validateRows('suppliers', table, mapping, opts);
		expect(v.errors).toEqual([]);
		expect(v.ignored).toEqual([]);
		const again = parseTable(exportSuppliers(v.rows));
		expect(detectFormat(again.header)).toBe('suppliers');
		sheet.header.forEach((h, i) => expect(column(again, h), h).toEqual(sheet.rows.map((r) => r[i])));
		// "+86 …" would run as a formula in a spreadsheet: written guarded, read back as it was.
		expect(again.rows[0]?.cells[3]).toBe("'+86 755 1000000");
		const second = validateRows('suppliers', again, guessMapping('suppliers', again.header), opts);
		expect(second.rows.map((r) => r.fields)).toEqual(v.rows.map((r) => r.fields));
	});
});

describe('guessMapping', () => {
	it('maps the FBA report’s columns and keeps the rest as extra', () => {
		const m = guessMapping('fba-inventory', fbaSheet(1).header);
		expect(m.filter((e) => e.target !== 'extra').map((e) => [e.header, e.target])).toEqual([
			['sku', 'sku'],
			['fnsku', 'fnsku'],
			['asin', 'asin'],
			['product-name', 'name'],
			['your-price', 'price'],
			['afn-fulfillable-quantity', 'quantity']
		]);
		expect(m.filter((e) => e.target === 'extra')).toHaveLength(12);
		expect(m.map((e) => e.column)).toEqual([...Array(18).keys()]);
	});
	it('maps Active Listings: one column per field (asin1, not product-id)', () => {
		const m = guessMapping('active-listings', listingsSheet(1).header);
		expect(m.filter((e) => e.target !== 'extra').map((e) => [e.header, e.target])).toEqual([
			['item-name', 'name'],
			['seller-sku', 'sku'],
			['price', 'price'],
			['quantity', 'quantity'],
			['asin1', 'asin']
		]);
	});
	it('compares headers ignoring case, spaces, underscores and hyphens; a field is fed once', () => {
		const m = guessMapping('products', [
			'SKU',
			'Product Name',
			'Unit-Cost',
			'REORDER point',
			'sku',
			'Colour'
		]);
		expect(m.map((e) => e.target)).toEqual(['sku', 'name', 'unit_cost', 'reorder_point', 'extra', 'extra']);
		expect(guessMapping('suppliers', ['Contact Name', 'Lead Time'])).toEqual([
			{ column: 0, header: 'Contact Name', target: 'contact' },
			{ column: 1, header: 'Lead Time', target: 'lead_time_days' }
		]);
		expect(guessMapping('products', ['constructor'])[0]?.target).toBe('extra');
	});
});

describe('detectFormat', () => {
	it('tells the formats apart by their headers', () => {
		expect(detectFormat(fbaSheet(1).header.map((h) => h.toUpperCase().replace(/-/g, ' ')))).toBe(
			'fba-inventory'
		);
		expect(detectFormat(listingsSheet(1).header)).toBe('active-listings');
		expect(detectFormat(['name', 'contact_name', 'email', 'phone', 'country', 'notes'])).toBe('suppliers');
		expect(detectFormat(['Seller SKU', 'Title', 'Price'])).toBe('products');
		expect(detectFormat(['\uFEFFsku', 'name'])).toBe('products');
	});
});
