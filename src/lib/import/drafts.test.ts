// The import's planner (drafts.ts): which drafts each imported line becomes, and which suppliers it creates.
import { describe, expect, it } from 'vitest';
import { PRODUCT_FIELDS, SUPPLIER_FIELDS, type ProductFields } from '$lib/catalogue/records';
import { planProducts, planSuppliers, type Existing } from './drafts';
import type { ProductImportRow } from './validate';

const fields = (f: Partial<ProductFields>): ProductFields =>
	({ ...Object.fromEntries(PRODUCT_FIELDS.map((n) => [n, ''])), currency: 'EUR', ...f }) as ProductFields;
const line = (n: number, sku: string, o: Partial<ProductImportRow> = {}): ProductImportRow => ({
	line: n,
	fields: fields({ sku, name: `Item ${sku}` }),
	reorderPoint: null,
	quantity: null,
	source: null,
	...o
});
const source = (supplierName: string) => ({
	supplierName,
	supplier_sku: '',
	unit_cost_minor: '250',
	currency: 'EUR',
	moq: ''
});
const ids = () => {
	let n = 0;
	return { newId: () => `id-${++n}`, nowMicros: () => 1 };
};
const none: Existing = { products: [], suppliers: [] };

describe('planProducts', () => {
	it('creates each supplier a products file names once, before the lines, and points the sources at it', () => {
		const existing: Existing = { products: [], suppliers: [{ id: 'acme', fields: { name: 'Acme Ltd' } }] };
		const plan = planProducts(
			[
				line(2, 'A-1', { source: source('Nordic Home AB'), quantity: 5 }),
				line(3, 'A-2', { source: source(' nordic home ab') }),
				line(4, 'A-3', { source: source('ACME LTD') })
			],
			existing,
			'skip',
			ids()
		);
		expect(plan.newSuppliers).toEqual(['Nordic Home AB']);
		expect(plan.count).toBe(4);
		const units = plan.drafts(0, plan.count);
		expect(units[0]).toEqual([
			expect.objectContaining({ table: 'suppliers', id: 'id-1', fields: { name: 'Nordic Home AB' } })
		]);
		const sources = units.flat().filter((d) => d.table === 'product_sources');
		expect(sources.map((s) => (s as { supplierId: string }).supplierId)).toEqual(['id-1', 'id-1', 'acme']);
		// A count only where the file has a quantity.
		const counts = units.flat().filter((d) => d.table === 'stock_movements');
		expect(counts).toEqual([expect.objectContaining({ delta: 5, reason: 'count' })]);
		// A created supplier is no line's; the lines' units know theirs.
		expect([0, 1, 2, 3].map((u) => plan.lineOf(u))).toEqual([null, 2, 3, 4]);
		// A unit's product, source and count travel together.
		expect(units[1]!.map((d) => d.table)).toEqual(['products', 'product_sources', 'stock_movements']);
	});

	it('keeps new suppliers’ ids across calls (sources in later batches point at them) and gives lines new ones', () => {
		const plan = planProducts([line(2, 'B-1', { source: source('New Co') })], none, 'skip');
		const [a, b] = [plan.drafts(0, 2), plan.drafts(0, 2)];
		expect(a[0]![0]!.id).toBe(b[0]![0]!.id);
		expect(a[1]![0]!.id).not.toBe(b[1]![0]!.id);
	});

	it('updates a known SKU to its next version over the stored fields, counting stock to the file’s quantity', () => {
		const stored = {
			id: 'p1',
			version: 3,
			leaf: 'leaf3',
			fields: fields({ sku: 'C-1', name: 'Old', asin: 'B000000001', extra: '{"colour":"red"}' }),
			reorderPoint: 4,
			archived: false,
			onHand: 7
		};
		const existing: Existing = { products: [stored], suppliers: [] };
		const row = line(2, 'c-1', { quantity: 10 });
		row.fields.extra = '{"size":"L"}';
		expect(planProducts([row], existing, 'skip').skipped).toEqual([2]);
		const plan = planProducts([row], existing, 'update', ids());
		expect(plan.updated).toEqual([2]);
		const [unit] = plan.drafts(0, 1);
		expect(unit![0]).toMatchObject({
			table: 'products',
			id: 'p1',
			version: 4,
			prevLeaf: 'leaf3',
			reorderPoint: 4
		});
		const product = unit![0]!;
		if (product.table !== 'products') throw new Error('the unit starts with its product');
		const f = product.fields;
		expect(f.name).toBe('Item c-1');
		expect(f.asin).toBe('B000000001');
		expect(JSON.parse(f.extra ?? '')).toEqual({ colour: 'red', size: 'L' });
		expect(unit![1]).toMatchObject({ table: 'stock_movements', productId: 'p1', delta: 3 });
	});

	it('writes nothing for a line the organisation already holds as the file says (a resumed import)', () => {
		const row = line(2, 'D-1', { quantity: 6, reorderPoint: 2 });
		row.fields.extra = '{"colour":"red"}';
		const stored = {
			id: 'p2',
			version: 1,
			leaf: 'leaf1',
			fields: { ...row.fields, asin: 'B000000002' },
			reorderPoint: 2,
			archived: false,
			onHand: 6
		};
		const existing: Existing = { products: [stored], suppliers: [] };
		// The file's empty ASIN keeps the stored one: nothing differs.
		const same = planProducts([row], existing, 'update');
		expect(same).toMatchObject({ count: 0, updated: [], unchanged: [2] });
		// Any difference is an update: the quantity, the reorder point, a field, an extra column.
		for (const changed of [
			{ ...row, quantity: 7 },
			{ ...row, reorderPoint: 3 },
			{ ...row, fields: { ...row.fields, name: 'Renamed' } },
			{ ...row, fields: { ...row.fields, extra: '{"colour":"blue"}' } }
		])
			expect(planProducts([changed], existing, 'update')).toMatchObject({ count: 1, updated: [2] });
	});
});

describe('planSuppliers', () => {
	it('creates the suppliers the organisation lacks, by name, and skips the others', () => {
		const f = (name: string) => ({
			...(Object.fromEntries(SUPPLIER_FIELDS.map((n) => [n, ''])) as Record<
				(typeof SUPPLIER_FIELDS)[number],
				string
			>),
			name
		});
		const existing: Existing = { products: [], suppliers: [{ id: 's1', fields: { name: 'Acme Ltd' } }] };
		const plan = planSuppliers(
			[
				{ line: 2, fields: f('acme ltd') },
				{ line: 3, fields: f('Nordic Home AB') }
			],
			existing,
			ids()
		);
		expect(plan.skipped).toEqual([2]);
		expect(plan.count).toBe(1);
		expect(plan.drafts(0, 1)).toEqual([[expect.objectContaining({ table: 'suppliers', id: 'id-1' })]]);
		expect(plan.drafts(0, 1)[0]![0]!.id).toBe('id-1');
	});
});
