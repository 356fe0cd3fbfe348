import { describe, expect, it } from 'vitest';
import { guessMapping } from './formats';
import { parseTable } from './parse';
import { validateRows } from './validate';

const opts = { decimal: '.', currency: 'EUR' } as const;
const products = (csv: string, options: { decimal: '.' | ','; currency: string } = opts) => {
	const t = parseTable(csv);
	return validateRows('products', t, guessMapping('products', t.header), options);
};

describe('validateRows (products)', () => {
	it('builds catalogue fields, source and counts, keeping values exactly as typed', () => {
		const v = products(
			'sku,name,price,supplier,supplier_sku,unit_cost,moq,quantity,reorder_point,colour\n' +
				' A-1 ,"  Mug, ""Pro""  ",12.5,Acme,AC-9,4.2,100, 7 ,3,red\n'
		);
		expect(v.errors).toEqual([]);
		expect(v.rows).toEqual([
			{
				line: 2,
				fields: {
					name: '  Mug, "Pro"  ',
					sku: ' A-1 ',
					asin: '',
					fnsku: '',
					barcode: '',
					price_minor: '1250',
					currency: 'EUR',
					notes: '',
					extra: '{"colour":"red"}'
				},
				reorderPoint: 3,
				quantity: 7,
				source: {
					supplierName: 'Acme',
					supplier_sku: 'AC-9',
					unit_cost_minor: '420',
					currency: 'EUR',
					moq: '100'
				}
			}
		]);
	});
	it('uses the row’s currency column for its digits', () => {
		const v = products('sku,name,price,currency\nA,Mug,1500,JPY\nB,Cup,15.5,JPY\n');
		expect(v.rows.map((r) => [r.fields.price_minor, r.fields.currency])).toEqual([['1500', 'JPY']]);
		expect(v.errors).toEqual([
			{ line: 3, column: 'price', message: 'Line 3: “price” 15.5 has decimals, but this currency has none.' }
		]);
	});
	it('reports bad numbers with line, column and value', () => {
		const v = products('sku,name,unit_cost,supplier,quantity\nA,Mug,"12,5x",Acme,-2\n', {
			decimal: ',',
			currency: 'EUR'
		});
		expect(v.rows).toEqual([]);
		expect(v.errors).toEqual([
			{ line: 2, column: 'unit_cost', message: 'Line 2: “unit_cost” 12,5x is not a number.' },
			{ line: 2, column: 'quantity', message: 'Line 2: “quantity” -2 is negative.' }
		]);
	});
	it('refuses negative prices', () => {
		expect(products('sku,name,price\nA,Mug,-1\n').errors[0]?.message).toBe('Line 2: “price” -1 is negative.');
	});
	it('reports a missing SKU, a missing name and a 300-character name', () => {
		const long = 'x'.repeat(300);
		const v = products(`sku,name\n  ,Mug\nB,\nC,${long}\nD,${'y'.repeat(200)}\n`);
		expect(v.errors).toEqual([
			{ line: 2, column: 'sku', message: 'Line 2: the SKU is empty. Every product needs one.' },
			{ line: 3, column: 'name', message: 'Line 3: the product name is empty.' },
			{ line: 4, column: 'name', message: 'Line 4: “name”: Use at most 200 characters.' }
		]);
		expect(v.rows.map((r) => r.fields.sku)).toEqual(['D']);
	});
	it('applies the forms’ other rules (ASIN, barcode, currency)', () => {
		const v = products('sku,name,asin,barcode,currency\nA,Mug,nope,123,EURO\n');
		expect(v.errors.map((e) => e.column)).toEqual(['asin', 'barcode', 'currency']);
		expect(v.errors[0]?.message).toBe('Line 2: “asin”: An ASIN is 10 letters and digits, e.g. B0C1234567.');
	});
	it('flags duplicate SKUs, naming the first line; also when equal ignoring case and spaces', () => {
		const v = products('sku,name\nAB-1,One\nAB-2,Two\nAB-1,Three\n ab-2,Four\n');
		expect(v.rows.map((r) => r.line)).toEqual([2, 3]);
		expect(v.errors).toEqual([
			{ line: 4, column: 'sku', message: 'Line 4: the SKU “AB-1” is already on line 2. SKUs are unique.' },
			{
				line: 5,
				column: 'sku',
				message:
					'Line 5: the SKU “ ab-2” is the same as “AB-2” on line 3 (SKUs ignore case and surrounding spaces). SKUs are unique.'
			}
		]);
	});
	it('gives the right line to a row after a quoted multi-line cell', () => {
		const v = products('sku,name,notes\nA,Mug,"line 1\nline 2\nline 3"\nB,Cup,x\nC,,y\n');
		expect(v.rows.map((r) => [r.line, r.fields.notes])).toEqual([
			[2, 'line 1\nline 2\nline 3'],
			[5, 'x']
		]);
		expect(v.errors).toEqual([{ line: 6, column: 'name', message: 'Line 6: the product name is empty.' }]);
	});
	it('needs a supplier for cost, supplier SKU or MOQ, and a cost for a supplier (as the form does)', () => {
		const v = products('sku,name,supplier,unit_cost\nA,Mug,,2.5\nB,Cup,Acme,\n');
		expect(v.errors).toEqual([
			{
				line: 2,
				column: 'unit_cost',
				message: 'Line 2: “unit_cost” is filled in but “supplier” is empty: it belongs to a supplier.'
			},
			{ line: 3, column: 'unit_cost', message: 'Line 3: “unit_cost”: Enter the unit cost.' }
		]);
	});
	it('keeps formula-looking cells as text, and undoes the export guard', () => {
		const v = products("sku,name,notes\n=SUM(A1),+1,'=HYPERLINK(x)\n");
		expect(v.errors).toEqual([]);
		expect(v.rows[0]?.fields).toMatchObject({ sku: '=SUM(A1)', name: '+1', notes: '=HYPERLINK(x)' });
	});
	it('keeps every unmapped column (and duplicate or blank headers, and cells past the header) in extra', () => {
		const t = parseTable('sku,name,colour,colour,,__proto__\nA,Mug,red,blue,x,p,overflow\n');
		const v = validateRows('products', t, guessMapping('products', t.header), opts);
		expect(JSON.parse(v.rows[0]?.fields.extra ?? '')).toEqual({
			colour: 'red',
			'colour (2)': 'blue',
			'Column 5': 'x',
			['__proto__']: 'p',
			'Column 7': 'overflow'
		});
		expect(Object.keys(JSON.parse(v.rows[0]?.fields.extra ?? ''))).toEqual([
			'colour',
			'colour (2)',
			'Column 5',
			'__proto__',
			'Column 7'
		]);
	});

	it('keeps columns a hand-edited mapping left out, or sent to another kind’s field, as extra in file order', () => {
		const t = parseTable('sku,name,colour,email\nA,Mug,red,x@y.example\n');
		const mapping = guessMapping('products', t.header).filter((m) => m.column !== 2);
		mapping.splice(2, 1, { column: 3, header: 'email', target: 'email' });
		const v = validateRows('products', t, mapping, opts);
		expect(v.rows[0]?.fields.extra).toBe('{"colour":"red","email":"x@y.example"}');
	});
});

describe('validateRows (suppliers)', () => {
	const suppliers = (csv: string) => {
		const t = parseTable(csv);
		return validateRows('suppliers', t, guessMapping('suppliers', t.header), opts);
	};
	it('maps the template, checks with the form’s rules and reports ignored columns', () => {
		const v = suppliers(
			'name,contact_name,email,country,lead_time_days,rating\nAcme , Li Wei,a@b.example,CN,14,5\nBad,,not-mail,China,x,1\n'
		);
		expect(v.rows).toEqual([
			{
				line: 2,
				fields: {
					name: 'Acme ',
					contact: ' Li Wei',
					email: 'a@b.example',
					phone: '',
					address: '',
					country: 'CN',
					payment_terms: '',
					lead_time_days: '14',
					notes: ''
				}
			}
		]);
		expect(v.errors.map((e) => e.column)).toEqual(['lead_time_days', 'email', 'country']);
		expect(v.ignored).toEqual(['rating']);
	});
	it('flags a missing name and duplicate names', () => {
		const v = suppliers('name,email\nAcme,\n,x@y.example\nACME ,\n');
		expect(v.errors).toEqual([
			{ line: 3, column: 'name', message: 'Line 3: the supplier name is empty.' },
			{
				line: 4,
				column: 'name',
				message: 'Line 4: the supplier “ACME ” is already on line 2. Supplier names are unique in a file.'
			}
		]);
	});
});
