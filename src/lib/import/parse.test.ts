import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseTable } from './parse';

describe('parseTable', () => {
	it('keeps quotes, delimiters, newlines and spaces inside cells; no typing or trimming', () => {
		const t = parseTable('sku,name,qty\r\nA1," Mug, ""Pro""\r\n2nd line ",007\r\nA2,  x  ,1e3\r\n');
		expect(t.delimiter).toBe(',');
		expect(t.header).toEqual(['sku', 'name', 'qty']);
		expect(t.rows).toEqual([
			{ line: 2, cells: ['A1', ' Mug, "Pro"\r\n2nd line ', '007'] },
			{ line: 4, cells: ['A2', '  x  ', '1e3'] }
		]);
		expect(t.problems).toEqual([]);
	});
	it('counts physical lines past quoted newlines and skipped empty lines (LF)', () => {
		const t = parseTable('a;b\n\n1;"x\ny\nz"\n;\n2;3\n\n\n4;"5"\n');
		expect(t.delimiter).toBe(';');
		expect(t.rows.map((r) => [r.line, r.cells[0]])).toEqual([
			[3, '1'],
			[7, '2'],
			[10, '4']
		]);
	});
	it('reports rows with the wrong number of cells, and keeps them', () => {
		const t = parseTable('a\tb\tc\n1\t2\n1\t2\t3\t4\n1\t2\t3\n');
		expect(t.delimiter).toBe('\t');
		expect(t.rows).toHaveLength(3);
		expect(t.problems).toEqual([
			{ line: 2, message: 'Line 2: 2 cells, but the header has 3 (are the cells separated by tabs?).' },
			{ line: 3, message: 'Line 3: 4 cells, but the header has 3 (are the cells separated by tabs?).' }
		]);
	});
	it('reports an unterminated quote with its line', () => {
		const t = parseTable('a,b\n1,2\n3,"open\n4,5\n');
		expect(t.problems.map((p) => p.line)).toContain(3);
		expect(t.problems.find((p) => p.line === 3)?.message).toMatch(/never closed/);
	});
	it('detects the delimiter, not fooled by decimal commas or commas in names; can be overridden', () => {
		expect(detectDelimiter('sku;price\nA;12,50\nB;1.234,5\n')).toBe(';');
		expect(detectDelimiter('sku\tname\nA\tMug, blue\nB\tCup, red\n')).toBe('\t');
		expect(detectDelimiter('sku,name\nA,"x;y"\n')).toBe(',');
		const t = parseTable('a;b,c\n1;2,3\n', { delimiter: ',' });
		expect(t.header).toEqual(['a;b', 'c']);
	});
	it('returns an empty table for an empty file', () => {
		expect(parseTable('')).toMatchObject({ header: [], rows: [], problems: [] });
	});
});

describe('parseTable line ends', () => {
	it('reads LF inside quoted cells of a CRLF file (as Excel writes them), and strips a stray BOM', () => {
		const t = parseTable('\uFEFFsku,notes\r\nA,"x\ny\nz"\r\nB,w\r\n');
		expect(t.header).toEqual(['sku', 'notes']);
		expect(t.rows).toEqual([
			{ line: 2, cells: ['A', 'x\ny\nz'] },
			{ line: 5, cells: ['B', 'w'] }
		]);
	});
	it('reads a CRLF file whose last line ends in LF alone (the shared fixtures do), quoted or not', () => {
		expect(parseTable('sku,n\r\nA,1\r\nB,21\n').rows.at(-1)).toEqual({ line: 3, cells: ['B', '21'] });
		const quoted = parseTable('sku,notes\r\nA,x\r\nB,"say ""hi"""\n');
		expect(quoted.problems).toEqual([]);
		expect(quoted.rows.at(-1)!.cells).toEqual(['B', 'say "hi"']);
		// Only the file's last line break: a quoted cell's own newline stays.
		expect(parseTable('a\r\n"x\n"\r\n').rows[0]!.cells).toEqual(['x\n']);
	});
	it('reads old Mac CR line ends', () => {
		expect(parseTable('a,b\r1,2\r3,4\r').rows.map((r) => r.line)).toEqual([2, 3]);
	});
});
