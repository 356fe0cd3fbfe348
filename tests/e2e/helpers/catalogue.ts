// The catalogue pages driven as a seller would (shared by the catalogue specs): sign-in, client-side
// navigation, and creating an organisation, suppliers, products and sources through the UI.
import { expect, type Page } from '@playwright/test';

export const PASSWORD = 'correct horse battery staple';
export const SLOW = 30_000;

export async function signIn(page: Page, email: string) {
	await page.goto('/sign-in');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page).toHaveURL(/\/app$/, { timeout: SLOW });
	await expect(page.getByTestId('vault-state')).toHaveText(/Vault unlocked/, { timeout: SLOW });
}

/** A client-side navigation (a page load would lock the vault): through the sidebar or the phone menu. */
export async function go(page: Page, name: 'Overview' | 'Organisations' | 'Products' | 'Suppliers') {
	const side = page.locator('#side-nav');
	if (await side.isVisible()) {
		await side.getByRole('link', { name, exact: true }).click();
	} else {
		await page.getByRole('button', { name: 'Menu', exact: true }).click();
		await page.locator('#phone-nav').getByRole('link', { name, exact: true }).click();
	}
	await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

export async function createOrg(page: Page, name: string) {
	await go(page, 'Organisations');
	await page.getByLabel('Organisation name').fill(name);
	await page.getByRole('button', { name: 'Create organisation' }).click();
	await expect(page.getByTestId('org-created')).toContainText(name, { timeout: SLOW });
}

export async function addSupplier(page: Page, name: string, email: string) {
	await go(page, 'Suppliers');
	await page
		.getByRole('link', { name: /New supplier|Add a supplier/ })
		.first()
		.click();
	await expect(page.getByRole('heading', { level: 1, name: 'New supplier' })).toBeVisible();
	await page.getByLabel('Name', { exact: true }).fill(name);
	await page.getByLabel(/^Email/).fill(email);
	await page.getByLabel(/^Country code/).fill('pt');
	await page.getByRole('button', { name: 'Create supplier' }).click();
	await expect(page.getByTestId('supplier-saved')).toHaveText(/created and signed/, { timeout: SLOW });
	await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

export async function addProduct(
	page: Page,
	p: { name: string; sku: string; asin?: string; price?: string; opening?: string }
) {
	await go(page, 'Products');
	await page
		.getByRole('link', { name: /New product|Add a product/ })
		.first()
		.click();
	await expect(page.getByRole('heading', { level: 1, name: 'New product' })).toBeVisible();
	await page.getByLabel('Name', { exact: true }).fill(p.name);
	await page.getByLabel('SKU', { exact: true }).fill(p.sku);
	if (p.asin) await page.getByLabel(/^ASIN/).fill(p.asin);
	if (p.price) await page.getByLabel(/^Selling price/).fill(p.price);
	if (p.opening) await page.getByLabel(/^Opening stock/).fill(p.opening);
	await page.getByRole('button', { name: 'Create product' }).click();
	await expect(page.getByTestId('product-saved')).toHaveText(/created and signed/, { timeout: SLOW });
	await expect(page).toHaveURL(/\/app\/products\/[0-9a-f-]{36}$/);
}

export async function addSource(page: Page, supplier: string, cost: string, supplierSku?: string) {
	const sources = page.getByTestId('product-sources');
	await sources.getByLabel('Supplier', { exact: true }).selectOption({ label: supplier });
	if (supplierSku) await sources.getByLabel(/^Supplier’s SKU/).fill(supplierSku);
	await sources.getByLabel('Unit cost').fill(cost);
	await sources.getByRole('button', { name: 'Add source' }).click();
	await expect(sources.getByRole('status')).toHaveText(`${supplier} added as a source.`, { timeout: SLOW });
}

/** The products table's body rows, as their visible text. */
export const tableRows = (page: Page, label: string) =>
	page.getByRole('grid', { name: label }).locator('tbody tr[aria-rowindex]');

export async function unlockAfterReload(page: Page) {
	await page.reload();
	const lock = page.getByTestId('lock-screen');
	await expect(lock).toBeVisible({ timeout: SLOW });
	await lock.getByLabel('Password', { exact: true }).fill(PASSWORD);
	await lock.getByRole('button', { name: 'Unlock', exact: true }).click();
	await expect(page.getByTestId('vault-state')).toHaveText(/Vault unlocked/, { timeout: SLOW });
}
