// The catalogue benchmark's CI smoke (issue 11): the very measuring functions `npm run bench catalogue` runs
// at 10k and 100k products (tests/bench/catalogue-measure.mjs), here at a few hundred seeded through
// seedDemoOrganisation for a fresh account of the shared e2e server. It asserts what must hold at any size
// (every row verified, a search finds a known product, sorted or not), never a timing.
import { expect, test } from '@playwright/test';
import { loadVault, seedDemoOrganisation } from '../../scripts/demo-organisation.mjs';
import { queriesFor, searchLatency, sortBy, unlockToUsable } from '../bench/catalogue-measure.mjs';
import { PASSWORD, tableRows } from './helpers/catalogue';
import { createAccount } from './helpers/settings';

const PRODUCTS = Number(process.env.CATALOGUE_SCALE_PRODUCTS || 300);
const SUPPLIERS = 20;
test.setTimeout(120_000);

test(`${PRODUCTS} seeded products: unlocked to usable with every row verified, and found by search`, async ({
	page,
	request,
	baseURL
}) => {
	const { email } = await createAccount(request, PASSWORD);
	const seeded = await seedDemoOrganisation(
		baseURL ?? '',
		{ email, password: PASSWORD },
		{ products: PRODUCTS, suppliers: SUPPLIERS, name: 'Scale Co', force: true }
	);
	expect(seeded.products).toBe(PRODUCTS);

	const r = await unlockToUsable(page, { email, password: PASSWORD, products: PRODUCTS });
	expect(r.summary).toBe(`${PRODUCTS.toLocaleString()} products, ${PRODUCTS.toLocaleString()} verified`);
	expect(r.tables.map((t) => t.table).sort()).toEqual(
		['product_sources', 'products', 'statements', 'stock_movements', 'suppliers'].sort()
	);
	await expect(page.getByTestId('unverified-summary')).toHaveCount(0);
	const shown = tableRows(page, 'Products');
	await expect(shown.first()).toBeVisible();
	for (const row of await shown.all()) await expect(row).toContainText('Verified');

	const { sampleCatalogue } = await loadVault();
	const { product, queries } = queriesFor(
		sampleCatalogue({ products: PRODUCTS, suppliers: SUPPLIERS, seed: 'demo' }).products
	);
	for (const sorted of [false, true]) {
		if (sorted) await sortBy(page, 'Price');
		const keys = await searchLatency(page, queries);
		const sku = keys.at(-1);
		expect(sku?.value).toBe(product.sku);
		expect(sku?.rows, `rows found for ${product.sku}`).toBeGreaterThanOrEqual(1);
		const name = keys.find((k) => k.value === queries[0]);
		expect(name?.rows, `rows found for “${queries[0]}”`).toBeGreaterThanOrEqual(1);
		// Each narrowing keystroke shows no more rows than the one before.
		for (let i = 1; i < keys.length; i++) {
			const [prev, cur] = [keys[i - 1]!, keys[i]!];
			if (cur.value.startsWith(prev.value)) expect(cur.rows).toBeLessThanOrEqual(prev.rows);
		}
	}
	// The box is empty again; the SKU typed as a person would finds the product's row.
	await page.getByLabel('Search products').fill(product.sku);
	await expect(shown.first()).toContainText(product.sku);
	await expect(shown.first()).toContainText(product.name);
});
