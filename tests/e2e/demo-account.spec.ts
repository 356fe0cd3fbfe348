// The demo account as `npm start` seeds it (scripts/demo-account.mjs, the same function): derived in Node
// from this install's prelogin salt, then signed into in the browser with the published password, which
// derives in the vault's worker. The two derivations must agree, or the demo could never sign in.
import { expect, test } from '@playwright/test';
import { seedDemoAccount } from '../../scripts/demo-account.mjs';

test('the seeded demo account signs in and unlocks in the browser, once seeded', async ({
	page,
	baseURL
}) => {
	const first = await seedDemoAccount(baseURL!);
	expect(first.status).toBe(201);
	expect((await seedDemoAccount(baseURL!)).status).toBe(409);

	await page.goto('/sign-in');
	await page.getByLabel('Email').fill(first.demo.email);
	await page.getByLabel('Password', { exact: true }).fill(first.demo.password);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page).toHaveURL(/\/app(\/|$)/, { timeout: 20_000 });
	await expect(page.getByTestId('vault-state')).toHaveText(/Vault unlocked/, { timeout: 20_000 });
});
