// Text → header and rows, with the physical line each record starts on (for error messages the seller can
// find in their spreadsheet). Papaparse does the RFC 4180 work (quotes, doubled quotes, quoted newlines,
// CRLF/LF); it reports where each record ends (meta.cursor), from which the start lines are counted here.
// No typing and no trimming: every cell is the exact text between the delimiters.
import Papa from 'papaparse';

export type Delimiter = ',' | ';' | '\t';
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

export type TableRow = { line: number; cells: string[] };
export type Problem = { line: number; message: string };
export type Table = { delimiter: Delimiter; header: string[]; rows: TableRow[]; problems: Problem[] };

const NAMES: Record<Delimiter, string> = { ',': 'commas', ';': 'semicolons', '\t': 'tabs' };

/** A blank line, or one with only delimiters: nothing to import (spreadsheets pad files with ",,,,"). */
const isEmpty = (cells: string[]) => cells.every((c) => c === '');

/**
 * The delimiter that splits the first records into the same number (> 1) of cells as the header; ties go to
 * the one giving more columns. Papaparse's own guess is not used: with decimal commas in a semicolon file
 * it can pick the comma.
 */
export function detectDelimiter(text: string): Delimiter {
	const sample = text.length > 65536 ? text.slice(0, 65536) : text;
	let best: { d: Delimiter; score: number; columns: number } = { d: ',', score: -1, columns: 0 };
	for (const d of DELIMITERS) {
		const data = Papa.parse<string[]>(sample, { delimiter: d, preview: 30 }).data.filter((r) => !isEmpty(r));
		// A cut sample may end inside a record.
		if (sample !== text && data.length > 2) data.pop();
		const columns = data[0]?.length ?? 0;
		const same = data.filter((r) => r.length === columns).length;
		const score = columns > 1 ? same / data.length : 0;
		if (score > best.score || (score === best.score && columns > best.columns)) best = { d, score, columns };
	}
	return best.d;
}

export function parseTable(input: string, options: { delimiter?: Delimiter } = {}): Table {
	// decodeBytes strips the BOM; text from elsewhere may still have one, which would stick to the 1st header.
	// The file's last line break is dropped: files whose lines end in CRLF but whose last ends in LF alone are
	// common, and papaparse, splitting on CRLF, would keep that LF in the last cell (or, after a quoted cell,
	// call the quote malformed).
	const text = (input.charCodeAt(0) === 0xfeff ? input.slice(1) : input).replace(/(?:\r\n|\n|\r)$/, '');
	const delimiter = options.delimiter ?? detectDelimiter(text);
	const records: TableRow[] = [];
	const problems: Problem[] = [];
	// Line counting is incremental: `counted` line breaks lie before offset `at`.
	let at = 0;
	let counted = 0;
	const lineAt = (offset: number) => {
		for (; at < offset; at++) {
			const c = text.charCodeAt(at);
			// \n, or a \r not followed by \n (CRLF counts once; a lone CR is an old Mac line end).
			if (c === 10 || (c === 13 && text.charCodeAt(at + 1) !== 10)) counted++;
		}
		return counted + 1;
	};
	let start = 0;
	Papa.parse<string[]>(text, {
		delimiter,
		skipEmptyLines: false,
		step: (result) => {
			const line = lineAt(start);
			start = result.meta.cursor;
			for (const e of result.errors)
				problems.push({
					line,
					message: `Line ${line}: ${e.code === 'MissingQuotes' ? 'a quoted cell is never closed, so the rest of the file is read as part of it.' : e.message}`
				});
			const cells = result.data;
			if (!isEmpty(cells)) records.push({ line, cells });
		}
	});
	const [first, ...rows] = records;
	const header = first?.cells ?? [];
	for (const r of rows)
		if (r.cells.length !== header.length)
			problems.push({
				line: r.line,
				message: `Line ${r.line}: ${r.cells.length} cells, but the header has ${header.length} (are the cells separated by ${NAMES[delimiter]}?).`
			});
	problems.sort((a, b) => a.line - b.line);
	return { delimiter, header, rows, problems };
}
