// Import → export round trips in Chromium (issue 12), one per format, on the project's generated files
// (test-files.ts) with awkward cells injected, as sellers' files have them:
// - the products template, 2,000 rows, UTF-8 with a BOM, commas, CRLF, quoted newlines, an extra column;
// - a suppliers file, 2,000 rows, UTF-16BE, semicolons, CRLF;
// - an FBA Manage Inventory report, 2,000 rows, UTF-16LE, tabs, CRLF;
// - an Active Listings report, 2,000 rows, Windows-1252 without a BOM, tabs, CRLF: the encoding is a guess
//   the preview flags; utf-8 chosen shows broken accents, Windows-1252 chosen again reads them;
// - a European products file, semicolons, decimal commas (chosen in the preview), LF.
// Each export is compared with its input field by field, by column name. The one documented difference:
// export guards text cells that a spreadsheet would run as a formula (= + - @ tab CR first) with a leading
// apostrophe (cells.ts), which import removes again; a text cell that already had the guard is kept as it
// was. Numbers, and extra cells that are plain numbers, are written unguarded. The products template's and
// the listings' exports are then chosen again: with “Update them” every product is already as in the file.
import { readFileSync } from 'node:fs';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { FORMATS } from '../../src/lib/import/formats';
import { parseTable, type Delimiter, type Table } from '../../src/lib/import/parse';
import {
	encode,
	fbaSheet,
	joinLines,
	listingsSheet,
	productsSheet,
	random,
	suppliersSheet,
	type Sheet
} from '../../src/lib/import/test-files';
import { createOrg, go, PASSWORD, signIn, SLOW, tableRows } from './helpers/catalogue';
import { createAccount } from './helpers/settings';

test.setTimeout(300_000);
test.use({ viewport: { width: 1280, height: 800 } });

const IMPORT_TIMEOUT = 200_000;

async function start(page: Page, request: APIRequestContext, org: string) {
	const { email } = await createAccount(request, PASSWORD);
	await signIn(page, email);
	await createOrg(page, org);
	await goImport(page);
}

async function goImport(page: Page) {
	await page.locator('#side-nav').getByRole('link', { name: 'Import', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Import' })).toBeVisible();
	await expect(page.getByLabel('Spreadsheet file (CSV, TSV or text)')).toBeVisible({ timeout: SLOW });
}

async function choose(page: Page, name: string, bytes: Uint8Array) {
	await page
		.getByLabel('Spreadsheet file (CSV, TSV or text)')
		.setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(bytes) });
	await expect(
		page.getByTestId('import-preview').getByRole('heading', { name: `2. How to read ${name}` })
	).toBeFocused({ timeout: SLOW });
}

/** Checks the file, imports every row and waits for the catalogue to be loaded again. */
async function importAll(page: Page, rows: number, result: string) {
	const n = rows.toLocaleString('en-US');
	await page.getByRole('button', { name: 'Check the file' }).click();
	const checked = page.getByTestId('import-check');
	await expect(checked.getByTestId('import-counts')).toHaveText(new RegExp(`^${n} rows ready\\.`), {
		timeout: SLOW
	});
	await expect(checked.getByTestId('import-errors')).toHaveCount(0);
	await checked.getByRole('button', { name: `Import ${n} rows` }).click();
	await expect(page.getByTestId('import-result')).toHaveText(result, { timeout: IMPORT_TIMEOUT });
	// Focused once the catalogue is loaded and verified again, which the export reads.
	await expect(page.getByTestId('import-result')).toBeFocused({ timeout: SLOW });
}

async function exported(page: Page, button: string, file: RegExp, delimiter: Delimiter) {
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: button, exact: true }).click()
	]);
	expect(download.suggestedFilename()).toMatch(file);
	const raw = readFileSync((await download.path())!, 'utf-8');
	expect(raw.endsWith('\r\n'), 'export ends its lines with CRLF').toBe(true);
	const table = parseTable(raw.replace(/^\uFEFF/, ''), { delimiter });
	expect(table.problems).toEqual([]);
	return { raw, table };
}

/**
 * The exported file chosen again: with “Update them”, every product is already as in the file (export and
 * import are inverses, formula guard and extra columns included), so nothing is left to write.
 */
async function reimportUnchanged(page: Page, name: string, raw: string, rows: number) {
	const n = rows.toLocaleString('en-US');
	await choose(page, name, new TextEncoder().encode(raw));
	await page.getByRole('button', { name: 'Check the file' }).click();
	const checked = page.getByTestId('import-check');
	await expect(checked.getByTestId('import-counts')).toHaveText(new RegExp(`^${n} rows ready\\.\\s*$`), {
		timeout: SLOW
	});
	await expect(checked.getByTestId('import-errors')).toHaveCount(0);
	await expect(
		checked.getByRole('group', { name: new RegExp(`^Products already in the organisation: ${n} `) })
	).toBeVisible();
	await checked.getByLabel('Update them').check();
	await expect(checked.getByTestId('import-unchanged')).toHaveText(
		new RegExp(`^${n} products already as in the file \\(lines 2, .*\\):\\s+left as they are\\.$`)
	);
	await expect(checked.getByRole('button', { name: 'Import 0 rows' })).toBeDisabled();
}

/**
 * What export writes for a text cell imported as `v`: a formula-looking text gets one apostrophe in front;
 * one that already had it (import took it off) gets it back, so the cell reads as in the input.
 */
const asExported = (v: string) => (/^'+[=+\-@\t\r]/.test(v) ? v : /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

type Diff = { key: string; column: string; input: string; exported: string | undefined; expected: string };

/**
 * Every input row against the exported row with the same key, column by column: equal, or (text columns)
 * equal to asExported. Exported columns the input lacks must be `missing[column]` ('' by default).
 */
function compare(
	input: Sheet,
	out: Table,
	opts: {
		key: string;
		numeric: readonly string[];
		missing?: Record<string, string>;
		expected?: (column: string, value: string) => string | undefined;
	}
) {
	const col = new Map(out.header.map((h, i) => [h, i]));
	for (const h of input.header) expect(col.has(h), `exported header has ${h}`).toBe(true);
	const keyAt = col.get(opts.key)!;
	const byKey = new Map(out.rows.map((r) => [r.cells[keyAt]!, r.cells]));
	expect(byKey.size, 'exported keys are unique').toBe(out.rows.length);
	const diffs: Diff[] = [];
	let guards = 0;
	const inKey = input.header.indexOf(opts.key);
	for (const row of input.rows) {
		const key = row[inKey]!;
		const cells = byKey.get(asExported(key));
		if (!cells) {
			diffs.push({ key, column: opts.key, input: key, exported: undefined, expected: key });
			continue;
		}
		input.header.forEach((h, i) => {
			const v = row[i]!;
			const numeric = opts.numeric.includes(h) || (/^-?\d+(?:[.,]\d+)?$/.test(v) && !FIELDS.has(h));
			const expected = opts.expected?.(h, v) ?? (numeric ? v : asExported(v));
			if (expected !== v) guards++;
			const got = cells[col.get(h)!];
			if (got !== expected) diffs.push({ key, column: h, input: v, exported: got, expected });
		});
		for (const [h, i] of col)
			if (!input.header.includes(h)) {
				const expected = opts.missing?.[h] ?? '';
				if (cells[i] !== expected)
					diffs.push({ key, column: h, input: '(no column)', exported: cells[i], expected });
			}
	}
	return { diffs, guards };
}
/** Columns that feed a catalogue field in some format (extra columns are the rest). */
const FIELDS = new Set(Object.values(FORMATS).flatMap((f) => Object.keys(f.fields)));

// ---------------------------------------------------------------------------------------------------------

const AWKWARD_NAMES = [
	'  The "Quoted", café, Ærøskøbing — 日本製 שלום עולם مرحبا بالعالم 🌿🚀  ',
	'Two lines: "first"\nand second, with a comma',
	'Crème brûlée, naïve façade, Zürich, São Paulo, Łódź, Đà Nẵng',
	'中文产品名称 — 日本語の商品名 — 한국어 상품',
	'עברית: כוס קפה, 250 מ"ל',
	'عربي: كوب قهوة، ٢٥٠ مل',
	'Emoji 👩‍👩‍👧‍👦 🇵🇹 ✔︎ 🧋',
	'   leading spaces only',
	'trailing spaces only   ',
	'=1+1',
	'+SUM(A1)',
	'-2 for 1 deal',
	'@cmd',
	"'=already guarded",
	'\tTab first',
	'Cafe\u0301 decomposed (NFD), as macOS writes it',
	'\u00a0no-break spaces\u00a0'
];
const AWKWARD_SUPPLIER = '  Ærø "Nord"; 北京 שלום مرحبا 🚚, Lda.  ';
const COLOURS = [
	'Blue, "navy"',
	'Bleu marine',
	'深蓝色',
	'أزرق',
	'כחול',
	'🔵',
	'  spaced  ',
	'',
	'=RED',
	'-12'
];

test('the products template (2,000 rows, UTF-8 with BOM, CRLF) is exported back field by field', async ({
	page,
	request
}) => {
	const base = productsSheet(2000);
	const r = random(99);
	const header = [
		...base.header.slice(0, 4),
		'supplier_sku',
		'unit_cost',
		'moq',
		'price',
		'currency',
		'quantity',
		'reorder_point',
		'notes',
		'colour'
	];
	const rows = base.rows.map((b, i) => {
		const [sku, name, asin, supplier, unitCost, quantity, reorder] = b as [
			string,
			string,
			string,
			string,
			string,
			string,
			string
		];
		const currency = i % 50 === 7 ? 'JPY' : r.pick(['EUR', 'EUR', 'USD', 'GBP']);
		const digits = currency === 'JPY' ? 0 : 2;
		return [
			sku,
			name,
			asin,
			supplier,
			i % 4 ? `SUP-${i}` : '',
			digits ? unitCost : String(Math.round(Number(unitCost) * 100)),
			i % 3 ? '' : String(10 * (1 + (i % 7))),
			i % 10 === 3 ? '' : (5 + r.next() * 95).toFixed(digits),
			currency,
			quantity,
			reorder,
			i % 5 ? '' : r.pick(['Fragile', 'Ships in 2 days; "boxed"', 'Zweite Zeile:\nneu']),
			r.pick(COLOURS)
		];
	});
	// Awkward cells in rows spread over the file (and its last row).
	const at = (k: number) => Math.min(1999, k * 113);
	AWKWARD_NAMES.forEach((n, k) => (rows[at(k)]![1] = n));
	for (const k of [1, 500, 1999]) rows[k]![3] = AWKWARD_SUPPLIER;
	rows[2]![4] = '  SUP 02, "spaced"  ';
	rows[3]![11] = 'Notes with CRLF\r\ninside, and "quotes"';
	rows[4]![11] = '=HYPERLINK("http://example.com")';
	rows[5]![12] = 'Ünïcödé «colour» 🎨';
	rows[6]![0] = '  SKU-SPACED-6  ';
	const sheet: Sheet = { header, rows };
	const bytes = encode(joinLines([header, ...rows], ',', '\r\n'), 'utf-8-bom');

	await start(page, request, 'Template Co');
	await choose(page, 'products.csv', bytes);
	await expect(page.getByLabel('Format', { exact: true })).toHaveValue('products');
	await expect(page.getByLabel('Encoding')).toHaveValue('utf-8');
	await expect(page.getByLabel('Cells separated by')).toHaveValue(',');
	await expect(page.getByTestId('import-preview')).toContainText('2,000 rows and 13 columns.');
	await expect(page.getByLabel('Field for column colour')).toHaveValue('extra');
	await expect(page.getByLabel('Field for column supplier_sku')).toHaveValue('supplier_sku');
	await importAll(page, 2000, 'Imported 2,000 products (5 suppliers created).');

	const { raw, table } = await exported(
		page,
		'Export products (CSV)',
		/^products-\d{4}-\d{2}-\d{2}\.csv$/,
		','
	);
	expect(table.header).toEqual([...FORMATS.products.header, 'colour']);
	expect(table.rows).toHaveLength(2000);
	const { diffs, guards } = compare(sheet, table, {
		key: 'sku',
		numeric: ['unit_cost', 'moq', 'price', 'quantity', 'reorder_point']
	});
	expect(diffs.slice(0, 20), `${diffs.length} cells differ`).toEqual([]);
	// The formula-looking names and cells, written with the guard (the already guarded one as it was).
	const byName = new Map(table.rows.map((x) => [x.cells[0], x.cells[1]]));
	expect(byName.get(rows[at(9)]![0])).toBe("'=1+1");
	expect(byName.get(rows[at(10)]![0])).toBe("'+SUM(A1)");
	expect(byName.get(rows[at(13)]![0])).toBe("'=already guarded");
	expect(byName.get(rows[at(14)]![0])).toBe("'\tTab first");
	expect(guards).toBeGreaterThanOrEqual(5);
	// Every source on its own line too, by SKU: the supplier, its SKU and cost as in the file.
	const sources = await exported(page, 'Export sources (CSV)', /^sources-\d{4}-\d{2}-\d{2}\.csv$/, ',');
	expect(sources.table.header).toEqual([
		'sku',
		'name',
		'supplier',
		'supplier_sku',
		'unit_cost',
		'currency',
		'moq'
	]);
	expect(sources.table.rows).toHaveLength(2000);
	const source = new Map(sources.table.rows.map((x) => [x.cells[0], x.cells]));
	for (const row of rows) {
		const [sku, , , supplier, supplierSku, unitCost, moq, , currency] = row as string[];
		const got = source.get(asExported(sku!));
		expect(got?.slice(2), sku).toEqual([
			asExported(supplier!),
			asExported(supplierSku!),
			unitCost,
			currency,
			moq
		]);
	}
	await reimportUnchanged(page, 'products-export.csv', raw, 2000);

	// Stored as text, verified: the formula-looking name reads as typed on Products.
	await go(page, 'Products');
	await expect(page.getByTestId('products-summary')).toHaveText('2,000 products, 2,000 verified', {
		timeout: SLOW
	});
	await page.getByLabel('Search products').fill(rows[at(9)]![0]!);
	await expect(tableRows(page, 'Products')).toHaveCount(1);
	await expect(tableRows(page, 'Products').first()).toContainText('=1+1');
});

test('a suppliers file (2,000 rows, UTF-16BE, semicolons, CRLF) is exported back field by field', async ({
	page,
	request
}) => {
	const base = suppliersSheet(2000);
	const header = [...base.header, 'address', 'payment_terms', 'lead_time_days'];
	const rows = base.rows.map((b, i) => [
		...b,
		i % 4 ? '' : `Rua ${i}\n1000-001 Lisboa; PT`,
		i % 3 ? 'Net 30' : '30% deposit; "net 30" after',
		i % 5 ? String(7 + (i % 40)) : ''
	]);
	rows[0]![0] = AWKWARD_SUPPLIER;
	rows[1]![0] = 'Ünïcödé; "Lieferant" GmbH & Co. KG 🏭';
	rows[2]![0] = '深圳市光明贸易有限公司';
	rows[3]![0] = 'שלום סחר בע"מ';
	rows[4]![0] = 'شركة التجارة، ذ.م.م';
	rows[5]![1] = '  José Núñez  ';
	rows[6]![5] = 'Two lines\r\nof notes; "quoted"';
	rows[7]![7] = '=30 days';
	rows[8]![7] = '-2% early';
	const sheet: Sheet = { header, rows };
	const bytes = encode(joinLines([header, ...rows], ';', '\r\n'), 'utf-16be');

	await start(page, request, 'Suppliers Co');
	await choose(page, 'suppliers.csv', bytes);
	await expect(page.getByLabel('Format', { exact: true })).toHaveValue('suppliers');
	await expect(page.getByLabel('Encoding')).toHaveValue('utf-16be');
	await expect(page.getByLabel('Cells separated by')).toHaveValue(';');
	await expect(page.getByLabel('Field for column contact_name')).toHaveValue('contact');
	await importAll(page, 2000, 'Imported 2,000 suppliers.');

	const { table } = await exported(page, 'Export suppliers (CSV)', /^suppliers-\d{4}-\d{2}-\d{2}\.csv$/, ',');
	expect(table.header).toEqual([...FORMATS.suppliers.header]);
	expect(table.rows).toHaveLength(2000);
	const { diffs, guards } = compare(sheet, table, { key: 'name', numeric: ['lead_time_days'] });
	expect(diffs.slice(0, 20), `${diffs.length} cells differ`).toEqual([]);
	// Every phone (+86 …) and the two formula-looking terms.
	expect(guards).toBe(2000 + 2);
	const terms = new Map(table.rows.map((x) => [x.cells[0], x.cells[6]]));
	expect(terms.get(rows[7]![0])).toBe("'=30 days");
});

test('an FBA Manage Inventory report (2,000 rows, UTF-16LE, tabs, CRLF) is exported back field by field', async ({
	page,
	request
}) => {
	const sheet = fbaSheet(2000, 21);
	AWKWARD_NAMES.forEach((n, k) => (sheet.rows[k * 117 + 3]![3] = n));
	sheet.rows[1]![4] = '  Used – Like New  ';
	sheet.rows[2]![14] = '-0.5';
	const bytes = encode(joinLines([sheet.header, ...sheet.rows], '\t', '\r\n'), 'utf-16le');

	await start(page, request, 'FBA Co');
	await choose(page, 'Manage-FBA-Inventory.txt', bytes);
	await expect(page.getByLabel('Format', { exact: true })).toHaveValue('fba-inventory');
	await expect(page.getByLabel('Encoding')).toHaveValue('utf-16le');
	await expect(page.getByLabel('Cells separated by')).toHaveValue('\t');
	await importAll(page, 2000, 'Imported 2,000 products.');

	const { table } = await exported(page, 'Export products (TSV)', /^products-\d{4}-\d{2}-\d{2}\.tsv$/, '\t');
	expect(table.header).toEqual(sheet.header);
	expect(table.rows).toHaveLength(2000);
	const { diffs, guards } = compare(sheet, table, {
		key: 'sku',
		numeric: ['your-price', 'afn-fulfillable-quantity']
	});
	expect(diffs.slice(0, 20), `${diffs.length} cells differ`).toEqual([]);
	// The formula-looking names (the already guarded one reads as it was); '-0.5' is a number, unguarded.
	expect(guards).toBe(5);
});

/** Windows-1252 bytes (test-files' encode knows a few characters only). */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
function windows1252(text: string): Uint8Array {
	return Uint8Array.from([...text], (ch) => {
		const c = ch.codePointAt(0)!;
		if (c < 0x80 || (c >= 0xa0 && c <= 0xff)) return c;
		const b = CP1252_HIGH.indexOf(ch);
		if (b < 0) throw new Error(`no Windows-1252 byte for ${ch}`);
		return 0x80 + b;
	});
}

test('an Active Listings report in Windows-1252 (2,000 rows), chosen in the preview, is exported back field by field', async ({
	page,
	request
}) => {
	const base = listingsSheet(2000);
	// Windows-1252 has no CJK or emoji: the generator's names with them get Latin-1 ones instead.
	const rows = base.rows.map((row) => {
		const r = [...row];
		r[0] = r[0]!.replace(' 日本製', ' Ærø © ½').replace(' 🌿', ' – € 9,99');
		return r;
	});
	rows[0]![0] = '  Crème brûlée “Deluxe”, 12" – €9,99 ½ ¿Qué? Smørrebrød  ';
	rows[1]![1] = 'Straße — naïve; «Übergröße» ‰ Œuvre ™';
	rows[2]![10] = '=Note';
	rows[3]![0] = '+Plus Größe';
	rows[4]![1] = 'Two lines\r\nof description';
	const sheet: Sheet = { header: base.header, rows };
	const bytes = windows1252(joinLines([base.header, ...rows], '\t', '\r\n'));

	await start(page, request, 'Listings Co');
	await choose(page, 'Active+Listings+Report.txt', bytes);
	const preview = page.getByTestId('import-preview');
	await expect(page.getByLabel('Format', { exact: true })).toHaveValue('active-listings');
	await expect(page.getByLabel('Encoding')).toHaveValue('windows-1252');
	await expect(preview).toContainText('The encoding is a guess: check that accents read correctly below.');
	const nameSample = preview
		.locator('tr')
		.filter({ has: page.getByRole('rowheader', { name: 'item-name', exact: true }) })
		.locator('td')
		.first();
	await expect(nameSample).toContainText('Crème brûlée “Deluxe”');
	// The seller tries UTF-8: the accents break. Windows-1252 chosen again reads them.
	await page.getByLabel('Encoding').selectOption('utf-8');
	await expect(nameSample).toContainText('Cr\uFFFDme br\uFFFDl\uFFFDe');
	await expect(preview).not.toContainText('The encoding is a guess');
	await page.getByLabel('Encoding').selectOption('windows-1252');
	await expect(nameSample).toContainText('Crème brûlée “Deluxe”');
	await expect(page.getByLabel('Format', { exact: true })).toHaveValue('active-listings');
	await expect(page.getByLabel('Cells separated by')).toHaveValue('\t');
	await expect(page.getByLabel('Field for column seller-sku')).toHaveValue('sku');
	await expect(page.getByLabel('Field for column listing-id')).toHaveValue('extra');
	await importAll(page, 2000, 'Imported 2,000 products.');

	await expect(page.getByLabel('Products file format')).toHaveValue('');
	await expect(page.getByLabel('Products file format').locator('option').first()).toHaveText(
		'Suggested: Amazon Active Listings report'
	);
	const { raw, table } = await exported(
		page,
		'Export products (TSV)',
		/^products-\d{4}-\d{2}-\d{2}\.tsv$/,
		'\t'
	);
	expect(raw.startsWith('\uFEFF'), 'a TSV export has no BOM').toBe(false);
	expect(table.header).toEqual(base.header);
	expect(table.rows).toHaveLength(2000);
	const { diffs, guards } = compare(sheet, table, { key: 'seller-sku', numeric: ['price', 'quantity'] });
	expect(diffs.slice(0, 20), `${diffs.length} cells differ`).toEqual([]);
	expect(guards).toBe(2);
	await reimportUnchanged(page, 'listings-export.tsv', raw, 2000);
});

test('a European file (semicolons, decimal commas, LF) reads its prices with the comma chosen', async ({
	page,
	request
}) => {
	const header = ['sku', 'name', 'price', 'currency', 'supplier', 'unit_cost', 'quantity'];
	// [price as typed, as exported], [unit cost as typed, as exported].
	const amounts: [string, string, string, string][] = [
		['12,50', '12.50', '4,20', '4.20'],
		['1.234,56', '1234.56', '0,99', '0.99'],
		['1 234,50', '1234.50', '1.000,00', '1000.00'],
		['7', '7.00', '3,5', '3.50'],
		['0,05', '0.05', '12.345.678,90', '12345678.90']
	];
	const rows = Array.from({ length: 200 }, (_, i) => {
		const [price, , cost] = amounts[i % amounts.length]!;
		return [
			`EU-${String(i).padStart(4, '0')}`,
			i % 2 ? `Tasse, blau Nr. ${i}` : `Kaffeebecher „Große“ ${i}`,
			price,
			'EUR',
			'Müller & Söhne GmbH',
			cost,
			String(i % 17)
		];
	});
	const bytes = encode(joinLines([header, ...rows], ';', '\n'), 'utf-8');

	await start(page, request, 'Europa GmbH');
	await choose(page, 'artikel.csv', bytes);
	await expect(page.getByLabel('Cells separated by')).toHaveValue(';');
	await expect(page.getByLabel('Format', { exact: true })).toHaveValue('products');
	await expect(page.getByLabel('Decimal separator')).toHaveValue('.');
	// With the point as the decimal mark, the comma amounts are refused, each with its line.
	await page.getByRole('button', { name: 'Check the file' }).click();
	const checked = page.getByTestId('import-check');
	await expect(checked.getByTestId('import-counts')).toHaveText(/^0 rows ready, 200 with errors\./);
	await expect(checked.getByTestId('import-errors').getByRole('listitem').first()).toHaveText(
		/^Line 2: “price” 12,50 /
	);
	await page.getByLabel('Decimal separator').selectOption(',');
	await importAll(page, 200, 'Imported 200 products (1 supplier created).');

	const { table } = await exported(page, 'Export products (CSV)', /^products-\d{4}-\d{2}-\d{2}\.csv$/, ',');
	expect(table.rows).toHaveLength(200);
	const priceOf = new Map(amounts.map((a) => [a[0], a[1]]));
	const costOf = new Map(amounts.map((a) => [a[2], a[3]]));
	const { diffs } = compare({ header, rows }, table, {
		key: 'sku',
		numeric: ['price', 'unit_cost', 'quantity'],
		missing: { reorder_point: '' },
		expected: (h, v) => (h === 'price' ? priceOf.get(v) : h === 'unit_cost' ? costOf.get(v) : undefined)
	});
	expect(diffs.slice(0, 20), `${diffs.length} cells differ`).toEqual([]);

	// And on Products, in the browser's own number format.
	await go(page, 'Products');
	await page.getByLabel('Search products').fill('EU-0001');
	await expect(tableRows(page, 'Products')).toHaveCount(1);
	const shown = await page.evaluate(() =>
		new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR' }).format(1234.56)
	);
	await expect(tableRows(page, 'Products').first()).toContainText(shown);
});
