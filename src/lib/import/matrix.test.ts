// One generated products file per encoding × delimiter × line end, as spreadsheet programs write them
// (decimal comma with semicolons, as in continental Europe): each must decode, parse with its delimiter
// detected, map and validate to exactly the source values.
import { describe, expect, it } from 'vitest';
import { decodeBytes } from './decode';
import { detectFormat, guessMapping } from './formats';
import { formatMoney } from './numbers';
import type { Delimiter } from './parse';
import { parseTable } from './parse';
import { encode, joinLines } from './test-files';
import { validateRows } from './validate';

const ENCODINGS = ['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
const DELIMITERS: Delimiter[] = [',', ';', '\t'];
const EOLS = { CRLF: '\r\n', LF: '\n' };

/** Names that need quoting, or decoding right, or both. Windows-1252 gets the ones it can encode. */
function names(eol: string, cp1252: boolean) {
	const common = [
		'Mug, "Pro" Edition',
		'  spaced both sides  ',
		`Two${eol}lines`,
		'semi;colon',
		'Tab\there',
		'=1+1'
	];
	return cp1252
		? [...common, 'Café “Pro” – 5 €', 'Müller Küche']
		: [...common, 'Café crème für Küche', '日本製 急須', 'كوب قهوة', 'ספל קפה', 'Plant pot 🌿🎉'];
}

const cases = ENCODINGS.flatMap((enc) =>
	DELIMITERS.flatMap((d) => Object.entries(EOLS).map(([eolName, eol]) => ({ enc, d, eolName, eol })))
);

describe('encodings × delimiters × line ends', () => {
	it.each(cases)('$enc, delimiter $d, $eolName', ({ enc, d, eol }) => {
		const decimal = d === ';' ? ',' : '.';
		const list = names(eol, enc === 'windows-1252');
		const source = list.map((name, i) => ({
			sku: `SKU-${i}`,
			name,
			supplier: i % 2 ? 'Müller & Söhne, GmbH' : `Acme "${i}"`,
			costMinor: i % 2 ? '123450' : String(99 + i),
			quantity: i * 7,
			reorder: i % 3 ? null : i,
			colour: i % 2 ? ' blue ' : ''
		}));
		const header = ['sku', 'name', 'supplier', 'unit_cost', 'quantity', 'reorder_point', 'colour'];
		const rows = source.map((s) => [
			s.sku,
			s.name,
			s.supplier,
			// A thousands separator in the big one: "1,234.50" / "1.234,50".
			s.costMinor === '123450'
				? decimal === ','
					? '1.234,50'
					: '1,234.50'
				: formatMoney(s.costMinor, { decimal, digits: 2 }),
			String(s.quantity),
			s.reorder === null ? '' : String(s.reorder),
			s.colour
		]);
		const bytes = encode(joinLines([header, ...rows], d, eol), enc);

		const decoded = decodeBytes(bytes);
		expect(decoded.encoding).toBe(enc === 'utf-8-bom' ? 'utf-8' : enc);
		expect(decoded.guessed).toBe(enc === 'windows-1252');
		const table = parseTable(decoded.text);
		expect(table.delimiter).toBe(d);
		expect(table.problems).toEqual([]);
		expect(table.header).toEqual(header);
		const format = detectFormat(table.header);
		expect(format).toBe('products');
		const v = validateRows('products', table, guessMapping(format, table.header), {
			decimal,
			currency: 'EUR'
		});
		expect(v.errors).toEqual([]);
		expect(
			v.rows.map((r) => ({
				sku: r.fields.sku,
				name: r.fields.name,
				supplier: r.source?.supplierName,
				costMinor: r.source?.unit_cost_minor,
				quantity: r.quantity,
				reorder: r.reorderPoint,
				colour: JSON.parse(r.fields.extra).colour
			}))
		).toEqual(source.map(({ ...s }) => s));
		// The row after the two-line name starts one line further down.
		const two = list.findIndex((n) => n.startsWith('Two'));
		expect(v.rows.map((r) => r.line)).toEqual(list.map((_, i) => i + 2 + (i > two ? 1 : 0)));
	});
});
