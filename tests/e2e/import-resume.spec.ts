// An import that survives its tab (issue 12 "resume after a reload or a crash of the tab"): a 2,000-row FBA
// report is importing when its tab dies right after the server stored the third batch, before the answer
// arrived. A second tab opened meanwhile says that another tab is importing and waits for it (the import's
// Web Lock). Once the first is gone, the new tab finds the job this device kept (IndexedDB): it sends the
// batch that was in flight again under its Idempotency-Key (the server answers with what it stored, nothing
// twice), says how far the import got, and the same file chosen again is read as before and continues with
// the rest (IMPORT_SHOTS=1 saves screenshots of the notice). Every line is then stored exactly once: 2,000 products, exported back with the file's quantities.
import { mkdirSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { MAX_WRITE_ROWS } from '../../src/lib/catalogue/limits';
import { parseTable } from '../../src/lib/import/parse';
import { encode, fbaSheet, joinLines } from '../../src/lib/import/test-files';
import { createOrg, go, PASSWORD, signIn, SLOW } from './helpers/catalogue';
import { axeFindings, report } from './helpers/a11y';
import { createAccount } from './helpers/settings';

test.setTimeout(300_000);
test.use({ viewport: { width: 1280, height: 800 } });

const WRITES = /\/api\/orgs\/[0-9a-f]{64}\/writes$/;

async function openImport(page: Page) {
	await page.locator('#side-nav').getByRole('link', { name: 'Import', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Import' })).toBeVisible();
}

test('a tab closed mid-import: the next one sends its last batch again and the same file completes it, every row once', async ({
	page,
	context,
	request
}) => {
	const { email } = await createAccount(request, PASSWORD);
	await signIn(page, email);
	await createOrg(page, 'Resume Co');
	await openImport(page);

	const sheet = fbaSheet(2000, 21);
	const file = {
		name: 'fba-inventory.txt',
		mimeType: 'text/plain',
		buffer: Buffer.from(encode(joinLines([sheet.header, ...sheet.rows], '\t', '\r\n'), 'utf-16le'))
	};
	await page.getByLabel('Spreadsheet file (CSV, TSV or text)').setInputFiles(file);
	// A choice the next tab must remember: the default currency.
	await page.getByLabel('Default currency').fill('GBP');
	await page.getByRole('button', { name: 'Check the file' }).click();

	// The third batch reaches the server and is stored; its answer never reaches the tab, which is closed
	// once a second tab has seen that an import is running (the import lock).
	let batches = 0;
	let letGo = () => {};
	const closing = new Promise<void>((resolve) => (letGo = resolve));
	const held = new Promise<void>((resolve) => {
		void page.route(WRITES, async (route) => {
			if (route.request().method() !== 'POST' || ++batches < 3) return route.continue();
			const stored = await route.fetch();
			expect(stored.status()).toBe(201);
			resolve();
			await closing;
			await page.close();
		});
	});
	await page.getByRole('button', { name: 'Import 2,000 rows' }).click();
	await held;

	// A new tab, unlocked while the first still runs: it waits for it. Once the first is gone, it finds the
	// job, sends the batch in flight again and is answered from the store.
	const tab = await context.newPage();
	const replays: string[] = [];
	tab.on('response', (r) => {
		if (WRITES.test(new URL(r.url()).pathname) && r.request().method() === 'POST')
			replays.push(r.headers()['idempotent-replayed'] ?? 'no');
	});
	await tab.goto('/app');
	const lock = tab.getByTestId('lock-screen');
	await expect(lock).toBeVisible({ timeout: SLOW });
	await lock.getByLabel('Password', { exact: true }).fill(PASSWORD);
	await lock.getByRole('button', { name: 'Unlock', exact: true }).click();
	await expect(tab.getByTestId('vault-state')).toHaveText(/Vault unlocked/, { timeout: SLOW });
	await openImport(tab);
	await expect(tab.getByTestId('import-elsewhere')).toContainText(
		'Another tab of this browser is importing into this organisation'
	);
	expect(replays).toEqual([]);
	letGo();
	await expect(tab.getByTestId('import-elsewhere')).toHaveCount(0, { timeout: SLOW });
	const notice = tab.getByTestId('import-interrupted');
	// Three batches of lines: a product and its opening count are two of a batch's MAX_WRITE_ROWS rows.
	const stored = 3 * (MAX_WRITE_ROWS / 2);
	await expect(notice).toContainText(
		`An import of fba-inventory.txt was interrupted: ${stored.toLocaleString('en-US')} of 2,000 rows stored. Choose the same file again`,
		{ timeout: SLOW }
	);
	expect(replays).toEqual(['true']);
	const findings = await axeFindings(tab, 'interrupted import');
	expect(findings.length, report(findings)).toBe(0);
	if (process.env.IMPORT_SHOTS) {
		mkdirSync('tests/.tmp/import-shots', { recursive: true });
		await tab.screenshot({ path: 'tests/.tmp/import-shots/desktop-interrupted.png', fullPage: true });
		await tab.setViewportSize({ width: 390, height: 844 });
		await tab.screenshot({ path: 'tests/.tmp/import-shots/phone-interrupted.png', fullPage: true });
		await tab.setViewportSize({ width: 1280, height: 800 });
	}

	// The same file: read as before (UTF-16, tabs, the currency chosen), checked at once, the rest imported.
	await tab.getByLabel('Spreadsheet file (CSV, TSV or text)').setInputFiles(file);
	const checked = tab.getByTestId('import-check');
	await expect(checked.getByTestId('import-counts')).toContainText('2,000 rows ready.', { timeout: SLOW });
	await expect(tab.getByLabel('Default currency')).toHaveValue('GBP');
	await expect(
		checked.getByRole('group', { name: new RegExp(`already in the organisation: ${stored} `) })
	).toBeVisible();
	const rest = (2000 - stored).toLocaleString('en-US');
	await checked.getByRole('button', { name: `Import ${rest} rows` }).click();
	await expect(tab.getByTestId('import-result')).toHaveText(`Imported ${rest} products.`, {
		timeout: 180_000
	});
	await expect(notice).toHaveCount(0);

	await go(tab, 'Products');
	await expect(tab.getByTestId('products-summary')).toHaveText('2,000 products, 2,000 verified', {
		timeout: SLOW
	});
	// One opening count each: exported, every quantity is the file's (a line stored twice would double it).
	await openImport(tab);
	const [download] = await Promise.all([
		tab.waitForEvent('download'),
		tab.getByRole('button', { name: 'Export products (TSV)' }).click()
	]);
	const again = parseTable(readFileSync((await download.path())!, 'utf-8'), { delimiter: '\t' });
	expect(again.rows).toHaveLength(2000);
	const original = new Map(sheet.rows.map((r) => [r[0], r]));
	for (const r of again.rows) expect(r.cells, r.cells[0]).toEqual(original.get(r.cells[0]));
});
