// Sanity, not a benchmark: 100,000 rows (~10 MB) parse and validate, with every row accounted for.
import { expect, it } from 'vitest';
import { guessMapping } from './formats';
import { parseTable } from './parse';
import { joinLines, productsSheet } from './test-files';
import { validateRows } from './validate';

it('parses and validates 100,000 products', () => {
	const sheet = productsSheet(100_000);
	// Padding to a realistic ~100 bytes a row, with a quoted multi-line note every 1000 rows.
	const rows = sheet.rows.map((r, i) => [...r, i % 1000 ? 'Keep dry, store below 25 °C' : 'Two\nlines']);
	const text = joinLines([[...sheet.header, 'notes'], ...rows], ',', '\r\n');
	expect(text.length).toBeGreaterThan(8_000_000);
	const table = parseTable(text);
	expect(table.rows).toHaveLength(100_000);
	expect(table.problems).toEqual([]);
	const v = validateRows('products', table, guessMapping('products', table.header), {
		decimal: '.',
		currency: 'EUR'
	});
	expect(v.errors).toEqual([]);
	expect(v.rows).toHaveLength(100_000);
	// 100 two-line notes before the last row push it 100 lines down (the header is line 1).
	expect(v.rows.at(-1)?.line).toBe(100_001 + 100);
});
