// The Import page in Chromium (issue 12): an Amazon FBA report generated here (awkward names included) is
// chosen, checked and imported in signed batches, seen on Products as every row verified, found by SKU, and
// exported back cell for cell. A products file with a bad number and a SKU the organisation has: the error
// names its line, the duplicate is skipped, only the valid new rows are imported. A SKU another tab stored
// after the check: the database refuses the batch, the error names the line, the file checked again skips
// it. The file step and the import button are reached by Tab. IMPORT_SHOTS=1 saves screenshots (1280 and
// 390 px, light and dark) to tests/.tmp/import-shots.
import { mkdirSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { parseTable } from '../../src/lib/import/parse';
import { encode, fbaSheet, joinLines } from '../../src/lib/import/test-files';
import { addProduct, createOrg, go, PASSWORD, signIn, SLOW, tableRows } from './helpers/catalogue';
import { axeFindings, report, useTheme, type Finding } from './helpers/a11y';
import { createAccount, tabTo } from './helpers/settings';

test.setTimeout(300_000);
const SHOTS = process.env.IMPORT_SHOTS ? 'tests/.tmp/import-shots' : null;

async function goImport(page: Page) {
	const side = page.locator('#side-nav');
	if (await side.isVisible()) {
		await side.getByRole('link', { name: 'Import', exact: true }).click();
	} else {
		await page.getByRole('button', { name: 'Menu', exact: true }).click();
		await page.locator('#phone-nav').getByRole('link', { name: 'Import', exact: true }).click();
	}
	await expect(page.getByRole('heading', { level: 1, name: 'Import' })).toBeVisible();
	await expect(page.getByLabel('Spreadsheet file (CSV, TSV or text)')).toBeVisible({ timeout: SLOW });
}

/** axe in both themes (and screenshots at 1280 and 390 px when asked). */
async function checkState(page: Page, name: string, findings: Finding[]) {
	for (const theme of ['light', 'dark'] as const) {
		await useTheme(page, theme, 'system');
		findings.push(...(await axeFindings(page, `${name} (${theme})`)));
		if (SHOTS) {
			mkdirSync(SHOTS, { recursive: true });
			await page.screenshot({ path: `${SHOTS}/desktop-${name}-${theme}.png`, fullPage: true });
			await page.setViewportSize({ width: 390, height: 844 });
			await page.screenshot({ path: `${SHOTS}/phone-${name}-${theme}.png`, fullPage: true });
			findings.push(...(await axeFindings(page, `${name} (${theme}, 390 px)`)));
			await page.setViewportSize({ width: 1280, height: 800 });
		}
	}
	await page.emulateMedia({ colorScheme: 'light' });
}

test.use({ viewport: { width: 1280, height: 800 } });

test('an FBA report is imported, verified, found and exported back cell for cell', async ({
	page,
	request
}) => {
	const findings: Finding[] = [];
	const { email } = await createAccount(request, PASSWORD);
	await signIn(page, email);
	await createOrg(page, 'Import Co');
	await goImport(page);
	await checkState(page, 'empty', findings);

	const sheet = fbaSheet(300);
	const awkward = '  The "Quoted", café, Ærøskøbing — 日本製 שלום עולם 🌿🚀  ';
	sheet.rows[0]![3] = awkward;
	const bytes = encode(joinLines([sheet.header, ...sheet.rows], '\t', '\r\n'), 'utf-8');

	// The file step by keyboard.
	const file = page.getByLabel('Spreadsheet file (CSV, TSV or text)');
	await tabTo(page, file);
	await file.setInputFiles({ name: 'fba-report.txt', mimeType: 'text/plain', buffer: Buffer.from(bytes) });
	const preview = page.getByTestId('import-preview');
	await expect(preview.getByRole('heading', { name: /How to read fba-report\.txt/ })).toBeFocused();
	await expect(page.getByLabel('Format', { exact: true })).toHaveValue('fba-inventory');
	await expect(page.getByLabel('Encoding')).toHaveValue('utf-8');
	await expect(page.getByLabel('Cells separated by')).toHaveValue('\t');
	await expect(page.getByLabel('Field for column product-name')).toHaveValue('name');
	await expect(page.getByLabel('Field for column sku')).toHaveValue('sku');
	await expect(page.getByLabel('Field for column condition')).toHaveValue('extra');
	await tabTo(page, page.getByRole('button', { name: 'Check the file' }));
	await page.keyboard.press('Enter');

	const checked = page.getByTestId('import-check');
	await expect(checked.getByTestId('import-counts')).toContainText('300 rows ready.');
	await expect(checked.getByTestId('import-errors')).toHaveCount(0);
	await checkState(page, 'checked', findings);
	const importButton = checked.getByRole('button', { name: 'Import 300 rows' });
	await tabTo(page, importButton);
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('import-result')).toHaveText('Imported 300 products.', { timeout: 120_000 });
	await expect(page.getByTestId('import-result')).toBeFocused();
	await checkState(page, 'done', findings);

	await go(page, 'Products');
	await expect(page.getByTestId('products-summary')).toHaveText('300 products, 300 verified', {
		timeout: SLOW
	});
	const sku = sheet.rows[42]![0]!;
	await page.getByLabel('Search products').fill(sku);
	await expect(tableRows(page, 'Products')).toHaveCount(1);
	await expect(tableRows(page, 'Products').first()).toContainText(sku);
	await page.getByLabel('Search products').fill(sheet.rows[0]![0]!);
	await expect(tableRows(page, 'Products').first()).toContainText('日本製 שלום עולם 🌿🚀');

	// Export: the suggested format is the report's own, and the file has the report's cells.
	await goImport(page);
	const exportButton = page.getByRole('button', { name: 'Export products (TSV)' });
	const [download] = await Promise.all([page.waitForEvent('download'), exportButton.click()]);
	expect(download.suggestedFilename()).toMatch(/^products-\d{4}-\d{2}-\d{2}\.tsv$/);
	const text = readFileSync((await download.path())!, 'utf-8').replace(/^\uFEFF/, '');
	const again = parseTable(text, { delimiter: '\t' });
	expect(again.problems).toEqual([]);
	expect(again.header).toEqual(sheet.header);
	expect(again.rows).toHaveLength(300);
	const original = new Map(sheet.rows.map((r) => [r[0], r]));
	for (const r of again.rows) expect(r.cells, r.cells[0]).toEqual(original.get(r.cells[0]));
	expect(again.rows.find((r) => r.cells[0] === sheet.rows[0]![0])!.cells[3]).toBe(awkward);

	expect(findings.length, report(findings)).toBe(0);
});

test('a bad number names its line, a SKU the organisation has is skipped, the valid rows are imported', async ({
	page,
	request
}) => {
	const { email } = await createAccount(request, PASSWORD);
	await signIn(page, email);
	await createOrg(page, 'Duplicate Co');
	await addProduct(page, { name: 'Blue mug', sku: 'MUG-BLUE', price: '12.50', opening: '5' });
	await goImport(page);

	const csv = joinLines(
		[
			['sku', 'name', 'price', 'quantity'],
			['NEW-001', 'Green mug', '9.50', '4'],
			['NEW-002', 'Broken mug', '12.3x', '1'],
			['MUG-BLUE', 'Blue mug again', '11.00', '2'],
			['NEW-003', 'Red mug', '7.25', '3']
		],
		',',
		'\r\n'
	);
	await page
		.getByLabel('Spreadsheet file (CSV, TSV or text)')
		.setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
	await expect(page.getByLabel('Format', { exact: true })).toHaveValue('products');
	await page.getByRole('button', { name: 'Check the file' }).click();
	const checked = page.getByTestId('import-check');
	await expect(checked.getByTestId('import-counts')).toContainText('3 rows ready, 1 with errors.');
	const errors = checked.getByRole('list', { name: /Rows with errors/ });
	await expect(errors.getByRole('listitem')).toHaveCount(1);
	await expect(errors.getByRole('listitem').first()).toHaveText(/^Line 3: “price” 12\.3x/);
	const policy = checked.getByRole('group', { name: /Products already in the organisation: 1 \(lines 4\)/ });
	await expect(policy).toBeVisible();
	await policy.getByLabel('Update them').check();
	await expect(checked.getByRole('button', { name: 'Import 3 rows' })).toBeVisible();
	await policy.getByLabel('Skip them').check();
	await checked.getByRole('button', { name: 'Import 2 rows' }).click();
	await expect(page.getByTestId('import-result')).toHaveText('Imported 2 products.', { timeout: SLOW });

	await go(page, 'Products');
	await expect(page.getByTestId('products-summary')).toHaveText('3 products, 3 verified', { timeout: SLOW });
	await expect(tableRows(page, 'Products').filter({ hasText: 'Blue mug again' })).toHaveCount(0);
	await expect(tableRows(page, 'Products').filter({ hasText: 'Broken mug' })).toHaveCount(0);
	await expect(tableRows(page, 'Products').filter({ hasText: 'NEW-003' })).toHaveCount(1);
});

test('a cancelled import says what was stored, and the same file again with Skip completes it without duplicates', async ({
	page,
	request
}) => {
	const { email } = await createAccount(request, PASSWORD);
	await signIn(page, email);
	await createOrg(page, 'Cancel Co');
	await goImport(page);
	const sheet = fbaSheet(2000, 11);
	const bytes = encode(joinLines([sheet.header, ...sheet.rows], '\t', '\r\n'), 'utf-16le');
	await page
		.getByLabel('Spreadsheet file (CSV, TSV or text)')
		.setInputFiles({ name: 'big.txt', mimeType: 'text/plain', buffer: Buffer.from(bytes) });
	await expect(page.getByLabel('Encoding')).toHaveValue('utf-16le');
	await page.getByRole('button', { name: 'Check the file' }).click();
	await page.getByRole('button', { name: 'Import 2,000 rows' }).click();
	const bar = page.getByLabel('Importing…');
	await expect(bar).toHaveAttribute('aria-valuetext', /^[1-9][\d,]* of 2,000 rows$/, { timeout: SLOW });
	await page.getByRole('button', { name: 'Cancel', exact: true }).click();
	const cancelled = page.getByTestId('import-cancelled');
	await expect(cancelled).toContainText(/Import cancelled: [\d,]+ products of 2,000 stored\./, {
		timeout: SLOW
	});
	await expect(cancelled).toContainText('with “Skip them” continues without duplicates');
	const stored = Number((await cancelled.innerText()).match(/cancelled: ([\d,]+)/)![1]!.replace(/,/g, ''));
	expect(stored).toBeGreaterThan(0);
	expect(stored).toBeLessThan(2000);

	await page.getByRole('button', { name: 'Check the file again' }).click();
	const checked = page.getByTestId('import-check');
	await expect(
		checked.getByRole('group', {
			name: new RegExp(`already in the organisation: ${stored.toLocaleString('en-US')} `)
		})
	).toBeVisible();
	const left = (2000 - stored).toLocaleString('en-US');
	await checked.getByRole('button', { name: `Import ${left} rows` }).click();
	await expect(page.getByTestId('import-result')).toHaveText(`Imported ${left} products.`, {
		timeout: 120_000
	});
	await go(page, 'Products');
	await expect(page.getByTestId('products-summary')).toHaveText('2,000 products, 2,000 verified', {
		timeout: SLOW
	});
});

test('a SKU stored from another tab meanwhile: the batch is refused naming its line, and checked again it is skipped', async ({
	page,
	context,
	request
}) => {
	const { email } = await createAccount(request, PASSWORD);
	await signIn(page, email);
	await createOrg(page, 'Stale Co');
	await goImport(page);
	const csv = joinLines(
		[
			['sku', 'name', 'quantity'],
			['CUP-1', 'Red cup', '1'],
			['MUG-BLUE', 'Blue mug', '2'],
			['CUP-2', 'Green cup', '3']
		],
		',',
		'\r\n'
	);
	await page
		.getByLabel('Spreadsheet file (CSV, TSV or text)')
		.setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
	await page.getByRole('button', { name: 'Check the file' }).click();
	await expect(page.getByTestId('import-counts')).toContainText('3 rows ready.');

	// Meanwhile another tab creates MUG-BLUE: this page's catalogue does not have it.
	const other = await context.newPage();
	await other.goto('/app');
	const lock = other.getByTestId('lock-screen');
	await lock.getByLabel('Password', { exact: true }).fill(PASSWORD);
	await lock.getByRole('button', { name: 'Unlock', exact: true }).click();
	await expect(other.getByTestId('vault-state')).toHaveText(/Vault unlocked/, { timeout: SLOW });
	await addProduct(other, { name: 'Blue mug', sku: 'mug-blue' });
	await other.close();

	// The batch is refused as a whole (the database's unique SKU index), and the error says which line.
	await page.getByRole('button', { name: 'Import 3 rows' }).click();
	await expect(page.getByTestId('import-error')).toContainText(
		/Another product already has this SKU\..* Line 3\. 0 products of 3 were stored/,
		{ timeout: SLOW }
	);
	await page.getByRole('button', { name: 'Check the file again' }).click();
	const checked = page.getByTestId('import-check');
	await expect(
		checked.getByRole('group', { name: /already in the organisation: 1 \(lines 3\)/ })
	).toBeVisible();
	await checked.getByRole('button', { name: 'Import 2 rows' }).click();
	await expect(page.getByTestId('import-result')).toHaveText('Imported 2 products.', { timeout: SLOW });
	await go(page, 'Products');
	await expect(page.getByTestId('products-summary')).toHaveText('3 products, 3 verified', { timeout: SLOW });
});
