// The sealed catalogue in Chromium (issue 11): a seller creates an organisation, then suppliers and
// products with several sources each, edits, searches, archives and restores them, counts stock, and after
// a reload (everything fetched again, verified and opened in the worker) sees every row verified. Two
// browser contexts editing one product: the second save is a compare-and-swap conflict, nothing is
// overwritten, and "Load their version" shows the first one's edit. Screenshots at 390 and 1280 px, light and
// dark, go to /tmp/catalogue-shots (CATALOGUE_SHOTS overrides).
import { mkdirSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
	addProduct,
	addSource,
	addSupplier,
	createOrg,
	go,
	PASSWORD,
	signIn,
	SLOW,
	tableRows,
	unlockAfterReload
} from './helpers/catalogue';
import { axeFindings, pageWidth, report, useTheme, type Finding } from './helpers/a11y';
import { createAccount, tabTo } from './helpers/settings';

const SHOTS = process.env.CATALOGUE_SHOTS || '/tmp/catalogue-shots';
test.setTimeout(300_000);

/** Screenshots in both themes, and axe's serious/critical WCAG 2.1 A/AA findings in each (collected). */
async function shoot(page: Page, name: string, findings: Finding[]) {
	mkdirSync(SHOTS, { recursive: true });
	for (const theme of ['light', 'dark'] as const) {
		await useTheme(page, theme, 'system');
		await page.screenshot({ path: `${SHOTS}/${name}-${theme}.png`, fullPage: true });
		findings.push(...(await axeFindings(page, `${name} (${theme})`)));
	}
	if (name.startsWith('phone')) {
		const { scrollWidth, innerWidth } = await pageWidth(page);
		expect.soft(scrollWidth, `${name} is wider than the phone`).toBeLessThanOrEqual(innerWidth);
	}
}

test('a seller keeps suppliers and products with several sources, finds, edits and archives them, all verified', async ({
	page,
	request
}) => {
	const { email } = await createAccount(request, PASSWORD);
	await signIn(page, email);
	await go(page, 'Products');
	await expect(page.getByTestId('catalogue-no-org')).toBeVisible();
	await createOrg(page, 'Catalogue Co');

	await go(page, 'Suppliers');
	await expect(page.getByTestId('suppliers-empty')).toBeVisible({ timeout: SLOW });
	await addSupplier(page, 'Ceramics Co', 'sales@ceramics.example');
	await addSupplier(page, 'Glassworks Ltd', 'orders@glass.example');

	await go(page, 'Products');
	await expect(page.getByTestId('products-empty')).toBeVisible();
	await addProduct(page, {
		name: 'Blue mug',
		sku: 'MUG-BLUE',
		asin: 'B000000001',
		price: '12.50',
		opening: '40'
	});
	await expect(page.getByTestId('on-hand')).toHaveText('40');
	await addSource(page, 'Ceramics Co', '4.50');
	await addSource(page, 'Glassworks Ltd', '5.10');
	await expect(page.getByTestId('source-row')).toHaveCount(2);
	await expect(page.getByTestId('source-row').first()).toContainText('€4.50');

	// A count writes the one movement that makes the sum what was counted.
	await page.getByLabel('Units counted').fill('38');
	await page.getByRole('button', { name: 'Record count' }).click();
	await expect(page.getByTestId('on-hand')).toHaveText('38', { timeout: SLOW });

	// Edit: a new version, compare-and-swap on the one shown.
	await page.getByLabel('Name', { exact: true }).fill('Blue mug, large');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByTestId('product-saved')).toHaveText(/saved and signed/, { timeout: SLOW });
	await expect(page.getByRole('heading', { level: 1, name: 'Blue mug, large' })).toBeVisible();

	// A second product; its SKU may not repeat another's (checked here, and by the blind index on the server).
	await addProduct(page, { name: 'Red mug', sku: 'MUG-RED', asin: 'B000000001' });
	await page.getByLabel('SKU', { exact: true }).fill(' mug-blue ');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.locator('#product-sku-error')).toContainText('already has this SKU');
	await expect(page.getByLabel('SKU', { exact: true })).toBeFocused();
	await page.getByLabel('SKU', { exact: true }).fill('MUG-RED');
	// One ASIN under two SKUs is flagged, not refused.
	await expect(page.getByTestId('asin-shared')).toContainText('MUG-BLUE');

	// Search over the decrypted rows.
	await go(page, 'Products');
	await expect(page.getByTestId('products-summary')).toHaveText('2 products, 2 verified');
	await expect(tableRows(page, 'Products')).toHaveCount(2);
	const search = page.getByLabel('Search products');
	await search.fill('large');
	await expect(tableRows(page, 'Products')).toHaveCount(1);
	await expect(tableRows(page, 'Products').first()).toContainText('MUG-BLUE');
	await search.fill('mugred');
	await expect(tableRows(page, 'Products')).toHaveCount(1);
	await expect(tableRows(page, 'Products').first()).toContainText('Red mug');
	await search.fill('nothing like this');
	await expect(page.getByText('No products match.')).toBeVisible();
	await search.fill('');

	// From the keyboard: one Tab stop into the grid, a row down, Enter opens it.
	const grid = page.getByRole('grid', { name: 'Products' });
	await expect(grid).toHaveAttribute('aria-rowcount', '3');
	await search.focus();
	await tabTo(page, grid.locator('td[tabindex="0"]'));
	const second = await tableRows(page, 'Products').nth(1).locator('td').first().innerText();
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('Enter');
	await expect(page.getByLabel('SKU', { exact: true })).toHaveValue(second);
	await go(page, 'Products');

	// Archive, find it under "Archived", restore.
	await tableRows(page, 'Products').filter({ hasText: 'Red mug' }).click();
	await page.getByRole('button', { name: 'Archive product' }).click();
	await expect(page.getByTestId('product-saved')).toHaveText(/archived/, { timeout: SLOW });
	await go(page, 'Products');
	await expect(tableRows(page, 'Products')).toHaveCount(1);
	await page.getByLabel('Show').selectOption('archived');
	await expect(tableRows(page, 'Products')).toHaveCount(1);
	await expect(tableRows(page, 'Products').first()).toContainText('Red mug');
	await tableRows(page, 'Products').first().click();
	await page.getByRole('button', { name: 'Restore product' }).click();
	await expect(page.getByTestId('product-saved')).toHaveText('Product restored.', { timeout: SLOW });

	// Suppliers: search, edit, archive.
	await go(page, 'Suppliers');
	await expect(tableRows(page, 'Suppliers')).toHaveCount(2);
	await page.getByLabel('Search suppliers').fill('glass');
	await expect(tableRows(page, 'Suppliers')).toHaveCount(1);
	await tableRows(page, 'Suppliers').first().click();
	await expect(page.getByRole('heading', { level: 1, name: 'Glassworks Ltd' })).toBeVisible();
	await page.getByLabel(/^Payment terms/).fill('Net 30');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByTestId('supplier-saved')).toHaveText(/saved and signed/, { timeout: SLOW });
	await page.getByRole('button', { name: 'Archive supplier' }).click();
	await expect(page.getByTestId('supplier-saved')).toHaveText(/archived/, { timeout: SLOW });

	// After a reload nothing comes from this tab's memory: fetched, verified and opened again.
	await unlockAfterReload(page);
	await go(page, 'Products');
	await expect(page.getByTestId('products-summary')).toHaveText('2 products, 2 verified', { timeout: SLOW });
	await expect(page.getByTestId('unverified-summary')).toHaveCount(0);
	await expect(tableRows(page, 'Products').filter({ hasText: 'Unverified' })).toHaveCount(0);
	await tableRows(page, 'Products').filter({ hasText: 'MUG-BLUE' }).click();
	await expect(page.getByTestId('on-hand')).toHaveText('38');
	await expect(page.getByTestId('source-row')).toHaveCount(2);
	await expect(page.getByRole('heading', { level: 1, name: 'Blue mug, large' })).toBeVisible();

	// The pages with rows in them, which the route walk of a11y.spec.ts (no organisation) never sees.
	const findings: Finding[] = [];
	for (const size of [
		{ name: 'desktop', width: 1280, height: 900 },
		{ name: 'phone', width: 390, height: 844 }
	]) {
		await page.setViewportSize(size);
		await shoot(page, `${size.name}-product`, findings);
		await go(page, 'Products');
		await shoot(page, `${size.name}-products`, findings);
		await go(page, 'Suppliers');
		await page.getByLabel('Show').selectOption('all');
		await shoot(page, `${size.name}-suppliers`, findings);
		await tableRows(page, 'Suppliers').first().click();
		await shoot(page, `${size.name}-supplier`, findings);
		await go(page, 'Products');
		await tableRows(page, 'Products').filter({ hasText: 'MUG-BLUE' }).click();
	}
	expect(findings, report(findings)).toEqual([]);
});

async function signedInContext(browser: Browser, email: string) {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, email);
	return { context, page };
}

test('two browsers edit one product: the second save is a conflict that overwrites nothing', async ({
	browser,
	request
}) => {
	const { email } = await createAccount(request, PASSWORD);
	const a = await signedInContext(browser, email);
	await createOrg(a.page, 'Conflict Co');
	await addProduct(a.page, { name: 'Teapot', sku: 'TEA-1' });
	const url = new URL(a.page.url()).pathname;

	const b = await signedInContext(browser, email);
	await go(b.page, 'Products');
	await tableRows(b.page, 'Products').filter({ hasText: 'TEA-1' }).click();
	await expect(b.page).toHaveURL(new RegExp(`${url}$`));

	await a.page.getByLabel('Name', { exact: true }).fill('Teapot, blue');
	await a.page.getByRole('button', { name: 'Save changes' }).click();
	await expect(a.page.getByTestId('product-saved')).toHaveText(/saved and signed/, { timeout: SLOW });

	await b.page.getByLabel('Name', { exact: true }).fill('Teapot, green');
	await b.page.getByRole('button', { name: 'Save changes' }).click();
	const conflict = b.page.getByTestId('product-conflict');
	await expect(conflict).toContainText('Someone changed this product since you opened it', { timeout: SLOW });
	await expect(conflict).toBeFocused();
	await expect(b.page.getByTestId('product-saved')).toHaveCount(0);
	await conflict.getByRole('button', { name: 'Load their version' }).click();
	await expect(b.page.getByLabel('Name', { exact: true })).toHaveValue('Teapot, blue', { timeout: SLOW });
	// Now B edits the current version: it saves.
	await b.page.getByLabel('Name', { exact: true }).fill('Teapot, green');
	await b.page.getByRole('button', { name: 'Save changes' }).click();
	await expect(b.page.getByTestId('product-saved')).toHaveText(/saved and signed/, { timeout: SLOW });
	await a.context.close();
	await b.context.close();
});

test('a role without the sourcing and logistics keys sees products, and no supplier, cost or stock', async ({
	page,
	request
}) => {
	const { email } = await createAccount(request, PASSWORD);
	await signIn(page, email);
	await createOrg(page, 'Distributor view Co');
	await addSupplier(page, 'Hidden Supplier', 'hidden@supplier.example');
	await addProduct(page, { name: 'Shown product', sku: 'SHOWN-1', opening: '7' });
	await addSource(page, 'Hidden Supplier', '3.00');

	// A distributor is wrapped only the catalog key (teams assigns the role): serve only that wrap.
	await page.route('**/api/orgs/*/keys', async (route) => {
		const res = await route.fetch();
		const body = (await res.json()) as { wraps: { domain: string }[] };
		await route.fulfill({
			response: res,
			json: { ...body, wraps: body.wraps.filter((w) => w.domain === 'catalog') }
		});
	});
	const fetched: string[] = [];
	page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
	await unlockAfterReload(page);
	await go(page, 'Products');
	await expect(page.getByTestId('products-summary')).toHaveText('1 product, 1 verified');
	const grid = page.getByRole('grid', { name: 'Products' });
	await expect(grid.getByRole('columnheader', { name: /Sources/ })).toHaveCount(0);
	await expect(grid.getByRole('columnheader', { name: /On hand/ })).toHaveCount(0);
	await expect(page.locator('#side-nav').getByRole('link', { name: 'Suppliers' })).toHaveCount(0);
	await tableRows(page, 'Products').first().click();
	await expect(page.getByRole('heading', { level: 1, name: 'Shown product' })).toBeVisible();
	await expect(page.getByTestId('product-sources')).toHaveCount(0);
	await expect(page.getByTestId('on-hand')).toHaveCount(0);
	// Nothing of those domains was even asked for.
	expect(fetched.filter((p) => /\/(suppliers|sources|stock-movements)$/.test(p))).toEqual([]);
});
