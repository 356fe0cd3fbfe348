import { describe, expect, it } from 'vitest';
import type { ProductFields } from '../catalogue/records';
import { neutralise, unneutralise } from './cells';
import {
	exportableProducts,
	exportProductParts,
	exportProducts,
	exportSources,
	number,
	text,
	toDelimited,
	withBom,
	type ExportProduct
} from './export';
import { guessMapping } from './formats';
import { parseTable } from './parse';
import { validateRows } from './validate';

const fields = (over: Partial<ProductFields>): ProductFields => ({
	name: '',
	sku: '',
	asin: '',
	fnsku: '',
	barcode: '',
	price_minor: '',
	currency: 'EUR',
	notes: '',
	extra: '',
	...over
});

describe('toDelimited', () => {
	it('quotes only when needed (delimiter, quote, CR, LF, surrounding space) and ends lines with CRLF', () => {
		const out = toDelimited(
			['a', 'b'],
			[
				[text('plain'), text('x,y')],
				[text('say "hi"'), text(' pad ')],
				[text('two\nlines'), text('cr\rx')],
				[text('semi;colon'), number('12.50')]
			],
			{ delimiter: ',' }
		);
		expect(out).toBe(
			'a,b\r\nplain,"x,y"\r\n"say ""hi"""," pad "\r\n"two\nlines","cr\rx"\r\nsemi;colon,12.50\r\n'
		);
		expect(toDelimited(['a'], [[text('x,y')], [text('x\ty')]], { delimiter: '\t' })).toBe(
			'a\r\nx,y\r\n"x\ty"\r\n'
		);
	});
	it('neutralises formula-looking text cells, never number cells', () => {
		const risky = ['=SUM(A1)', '+1', '-x', '@x', '\tx', '\rx'];
		const out = toDelimited(['v'], [...risky.map((r) => [text(r)]), [number('-5')]], { delimiter: ',' });
		expect(out).toBe(`v\r\n'=SUM(A1)\r\n'+1\r\n'-x\r\n'@x\r\n'\tx\r\n"'\rx"\r\n-5\r\n`);
		expect(parseTable(out).rows.map((r) => unneutralise(r.cells[0] ?? ''))).toEqual([...risky, '-5']);
	});
	it('guards already-guarded text once more, so every string round-trips', () => {
		for (const s of ["'=x", "''+1", "'plain", "it's", '=', "'", '', 'x=1'])
			expect(unneutralise(neutralise(s)), JSON.stringify(s)).toBe(s);
		expect(neutralise("'=x")).toBe("''=x");
		expect(neutralise("'plain")).toBe("'plain");
	});
	it('withBom adds one BOM', () => {
		expect(withBom('a')).toBe('\uFEFFa');
		expect(withBom(withBom('a'))).toBe('\uFEFFa');
	});
});

describe('exportProducts', () => {
	const p: ExportProduct = {
		fields: fields({
			name: '=SUM(A1)',
			sku: '-x',
			price_minor: '1250',
			notes: '@x',
			fnsku: '+1',
			extra: JSON.stringify({ colour: '\tx', delta: '-5', formula: '\rx' })
		}),
		reorderPoint: null,
		onHand: 3,
		source: { supplierName: 'Acme', supplier_sku: '', unit_cost_minor: '420', currency: 'EUR', moq: '' }
	};
	it('writes the template with money in plain decimals, counts, extra columns after', () => {
		const t = parseTable(exportProducts('products', [p], { decimal: ',', delimiter: ';' }));
		expect(t.header).toEqual([
			'sku',
			'name',
			'asin',
			'fnsku',
			'barcode',
			'price',
			'currency',
			'supplier',
			'supplier_sku',
			'unit_cost',
			'moq',
			'quantity',
			'reorder_point',
			'notes',
			'colour',
			'delta',
			'formula'
		]);
		expect(t.rows[0]?.cells).toEqual([
			"'-x",
			"'=SUM(A1)",
			'',
			"'+1",
			'',
			'12,50',
			'EUR',
			'Acme',
			'',
			'4,20',
			'',
			'3',
			'',
			"'@x",
			"'\tx",
			'-5',
			"'\rx"
		]);
	});
	it('re-imports to the original values', () => {
		const t = parseTable(exportProducts('products', [p]));
		const v = validateRows('products', t, guessMapping('products', t.header), {
			decimal: '.',
			currency: 'EUR'
		});
		expect(v.rows[0]?.fields).toMatchObject({
			name: '=SUM(A1)',
			sku: '-x',
			notes: '@x',
			fnsku: '+1',
			price_minor: '1250'
		});
		expect(JSON.parse(v.rows[0]?.fields.extra ?? '')).toEqual({ colour: '\tx', delta: '-5', formula: '\rx' });
	});
	it('puts extra columns back under a report’s own headers, in its order', () => {
		const fba: ExportProduct = {
			fields: fields({
				sku: 'A',
				name: 'Mug',
				price_minor: '999',
				extra: JSON.stringify({ colour: 'red', condition: 'New' })
			}),
			reorderPoint: 4,
			onHand: 12
		};
		const t = parseTable(exportProducts('fba-inventory', [fba]));
		expect(t.delimiter).toBe('\t');
		const cell = (h: string) => t.rows[0]?.cells[t.header.indexOf(h)];
		expect([cell('condition'), cell('your-price'), cell('afn-fulfillable-quantity'), cell('colour')]).toEqual(
			['New', '9.99', '12', 'red']
		);
		expect(t.header.at(-1)).toBe('colour');
		expect(t.header.indexOf('condition')).toBe(4);
	});
});

describe('exportProductParts', () => {
	it('is the whole file in parts: empty ones while reading extras, then lines, together the same text', () => {
		const products: ExportProduct[] = Array.from({ length: 7 }, (_, i) => ({
			fields: fields({ sku: `S-${i}`, name: `N ${i}`, extra: i === 5 ? '{"colour":"red"}' : '' }),
			reorderPoint: null,
			onHand: i
		}));
		const parts = [...exportProductParts('products', products, {}, 3)];
		expect(parts.slice(0, 2)).toEqual(['', '']);
		expect(parts.join('')).toBe(exportProducts('products', products));
		// The column only the sixth product has is in the header before any line.
		expect(parts[2]!.split('\r\n')[0]).toMatch(/,colour$/);
		expect(parts.slice(2).map((p) => p.split('\r\n').length - 1)).toEqual([4, 3, 1]);
	});
});

describe('exportableProducts', () => {
	it('gives each product its first active source, named by its supplier', () => {
		const p = (id: string) => ({ id, fields: fields({ sku: id }), reorderPoint: null, onHand: 0 });
		const src = (productId: string, supplierId: string, archived = false, cost = '100') => ({
			productId,
			supplierId,
			archived,
			fields: { supplier_sku: `${productId}-${supplierId}`, unit_cost_minor: cost, currency: 'EUR', moq: '' }
		});
		const out = exportableProducts(
			[p('a'), p('b'), p('c')],
			[src('a', 's1', true), src('a', 's2'), src('a', 's1'), src('b', 'gone')],
			[
				{ id: 's1', fields: { name: 'One' } },
				{ id: 's2', fields: { name: 'Two' } }
			]
		);
		expect(out.map((x) => x.source?.supplierName ?? null)).toEqual(['Two', null, null]);
		expect(out[0]!.source).toEqual({
			supplierName: 'Two',
			supplier_sku: 'a-s2',
			unit_cost_minor: '100',
			currency: 'EUR',
			moq: ''
		});
	});
});

describe('exportSources', () => {
	it('writes every active source of every product, with its SKU, name and supplier', () => {
		const products = [
			{ id: 'a', fields: { sku: 'MUG-1', name: 'Mug, "blue"' } },
			{ id: 'b', fields: { sku: 'POT-1', name: 'Teapot' } }
		];
		const src = (
			productId: string,
			supplierId: string,
			cost: string,
			currency = 'EUR',
			archived = false
		) => ({
			productId,
			supplierId,
			archived,
			fields: { supplier_sku: `${productId}@${supplierId}`, unit_cost_minor: cost, currency, moq: '10' }
		});
		const out = exportSources(
			products,
			[src('a', 's1', '250'), src('a', 's2', '199', 'JPY'), src('b', 's1', '1000', 'EUR', true)],
			[
				{ id: 's1', fields: { name: 'Acme, Ltd' } },
				{ id: 's2', fields: { name: 'Nippon' } }
			]
		);
		expect(out).toBe(
			'sku,name,supplier,supplier_sku,unit_cost,currency,moq\r\n' +
				'MUG-1,"Mug, ""blue""","Acme, Ltd",a@s1,2.50,EUR,10\r\n' +
				'MUG-1,"Mug, ""blue""",Nippon,a@s2,199,JPY,10\r\n'
		);
	});
});
