// Organisations in the browser (issue 11): create one (keys made and the create link signed in the
// worker), see it in the switcher, reload and unlock → verified again from the checkpoint; a second one and
// switching; a tampered chain (intercepted GET …/chain with one byte flipped) → the verification error,
// and no key used. Screenshots of the page and the switcher at 390 and 1280 px, light and dark, go to
// /tmp/org-shots (ORG_SHOTS overrides).
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { createAccount } from './helpers/settings';

const SHOTS = process.env.ORG_SHOTS || '/tmp/org-shots';
const PASSWORD = 'correct horse battery staple';
const SLOW = 30_000;
test.setTimeout(240_000);

async function signIn(page: Page, email: string) {
	await page.goto('/sign-in');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page).toHaveURL(/\/app$/, { timeout: SLOW });
	await expect(page.getByTestId('vault-state')).toHaveText(/Vault unlocked/, { timeout: SLOW });
}

async function unlockAfterReload(page: Page) {
	await page.reload();
	const lock = page.getByTestId('lock-screen');
	await expect(lock).toBeVisible({ timeout: SLOW });
	await lock.getByLabel('Password', { exact: true }).fill(PASSWORD);
	await lock.getByRole('button', { name: 'Unlock', exact: true }).click();
	await expect(page.getByTestId('vault-state')).toHaveText(/Vault unlocked/, { timeout: SLOW });
}

/** A client-side navigation (a page load would lock the vault): through the sidebar or the phone menu. */
async function go(page: Page, name: 'Overview' | 'Organisations') {
	const side = page.locator('#side-nav');
	if (await side.isVisible()) {
		await side.getByRole('link', { name, exact: true }).click();
	} else {
		await page.getByRole('button', { name: 'Menu', exact: true }).click();
		await page.locator('#phone-nav').getByRole('link', { name, exact: true }).click();
	}
	await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
}

async function createOrg(page: Page, name: string) {
	await go(page, 'Organisations');
	await expect(page.getByRole('heading', { level: 1, name: 'Organisations' })).toBeVisible();
	await page.getByLabel('Organisation name').fill(name);
	await page.getByRole('button', { name: 'Create organisation' }).click();
	const created = page.getByTestId('org-created');
	await expect(created).toContainText(name, { timeout: SLOW });
	await expect(created).toBeFocused();
}

const sideSelect = (page: Page) => page.locator('#side-org-select');

async function shoot(page: Page, name: string) {
	mkdirSync(SHOTS, { recursive: true });
	for (const theme of ['light', 'dark'] as const) {
		await page.evaluate((t) => {
			localStorage.setItem('stowage.theme', t);
			document.documentElement.dataset.theme = t;
		}, theme);
		await page.screenshot({ path: `${SHOTS}/${name}-${theme}.png`, fullPage: true });
	}
	await page.evaluate(() => {
		localStorage.setItem('stowage.theme', 'light');
		document.documentElement.dataset.theme = 'light';
	});
}

test('create, verify again after reload from the checkpoint, a second organisation and switching', async ({
	page,
	request
}) => {
	await page.setViewportSize({ width: 1280, height: 900 });
	const account = await createAccount(request);
	await signIn(page, account.email);

	// No organisation yet: the overview says what to do.
	const empty = page.getByTestId('org-empty-state');
	await expect(empty.getByRole('heading', { name: 'Create your organisation' })).toBeVisible({
		timeout: SLOW
	});

	// An empty name is refused at the field.
	await go(page, 'Organisations');
	await page.getByRole('button', { name: 'Create organisation' }).click();
	const field = page.getByLabel('Organisation name');
	await expect(field).toHaveAttribute('aria-invalid', 'true');
	await expect(field).toHaveAttribute('aria-describedby', 'org-name-error');
	await expect(page.locator('#org-name-error')).toHaveText('Enter a name for the organisation.');
	await expect(field).toBeFocused();

	await createOrg(page, 'Acme Trading');
	await expect(sideSelect(page).locator('option:checked')).toHaveText('Acme Trading');
	await expect(page.getByTestId('org-list')).toContainText('Your role: Owner');
	const checkpoints = await page.evaluate(() =>
		Object.entries(localStorage).filter(([k]) => k.startsWith('stowage.checkpoints.v1:'))
	);
	expect(checkpoints).toHaveLength(1);
	await shoot(page, 'organisations-1280');

	// Reload: the vault is locked; unlocking verifies the chain again, from this device's checkpoint.
	const chainCalls: string[] = [];
	page.on('request', (r) => {
		if (/\/api\/orgs\/[0-9a-f]{64}\/chain/.test(r.url())) chainCalls.push(r.url());
	});
	await unlockAfterReload(page);
	await go(page, 'Overview');
	await expect(page.getByTestId('overview-org')).toContainText('Acme Trading', { timeout: SLOW });
	await expect(page.getByTestId('overview-org')).toContainText('verified up to entry 1');
	expect(chainCalls.length).toBeGreaterThan(0);

	// A second organisation, then switching back through the sidebar.
	await createOrg(page, 'Bravo Goods');
	await expect(sideSelect(page).locator('option:checked')).toHaveText('Bravo Goods');
	await sideSelect(page).selectOption({ label: 'Acme Trading' });
	await go(page, 'Overview');
	await expect(page.getByTestId('overview-org')).toContainText('Acme Trading', { timeout: SLOW });
	// The choice is remembered across a reload.
	await unlockAfterReload(page);
	await expect(page.getByTestId('overview-org')).toContainText('Acme Trading', { timeout: SLOW });

	// The phone menu carries the switcher too.
	await page.setViewportSize({ width: 390, height: 844 });
	await go(page, 'Organisations');
	await expect(page.getByRole('heading', { level: 1, name: 'Organisations' })).toBeVisible();
	await shoot(page, 'organisations-390');
	await page.getByRole('button', { name: 'Menu', exact: true }).click();
	await expect(page.locator('#phone-org-select')).toBeVisible();
	await expect(page.locator('#phone-org-select option:checked')).toHaveText('Acme Trading');
	await shoot(page, 'switcher-390');
	await page.locator('#phone-org-select').selectOption({ label: 'Bravo Goods' });
	await expect(page.getByTestId('org-list').locator('li', { hasText: 'Bravo Goods' })).toContainText(
		'Current',
		{
			timeout: SLOW
		}
	);
});

test('a tampered chain is refused: the verification error, and no key held', async ({ page, request }) => {
	await page.setViewportSize({ width: 1280, height: 900 });
	const account = await createAccount(request);
	await signIn(page, account.email);
	await createOrg(page, 'Tamper Test Ltd');

	const before = await page.evaluate(() =>
		Object.entries(localStorage).find(([k]) => k.startsWith('stowage.checkpoints.v1:'))
	);
	expect(before).toBeTruthy();

	// The server (here: the network) flips one byte inside the create link's body.
	await page.route(/\/api\/orgs\/[0-9a-f]{64}\/chain/, async (route) => {
		const res = await route.fetch();
		const json = (await res.json()) as { links: { seq: number; link: string }[] };
		const bytes = Buffer.from(json.links[0]!.link, 'base64url');
		bytes[bytes.length - 100]! ^= 0x01;
		json.links[0]!.link = bytes.toString('base64url');
		await route.fulfill({ response: res, json });
	});
	let keyCalls = 0;
	page.on('request', (r) => {
		if (/\/api\/orgs\/[0-9a-f]{64}\/(products|suppliers|sources)/.test(r.url())) keyCalls++;
	});
	await unlockAfterReload(page);
	const failure = page.getByTestId('org-failure');
	await expect(failure).toBeVisible({ timeout: SLOW });
	await expect(failure.getByRole('heading').first()).toHaveText('This organisation could not be verified');
	await expect(failure).toContainText('Tamper Test Ltd');
	await expect(failure).toContainText('has not opened any of its keys');
	await shoot(page, 'tampered-1280');
	expect(keyCalls).toBe(0);
	// The checkpoint this device kept is unchanged.
	const after = await page.evaluate(() =>
		Object.entries(localStorage).find(([k]) => k.startsWith('stowage.checkpoints.v1:'))
	);
	expect(after).toEqual(before);

	// A rollback: this device verified up to entry 3, the server shows a chain that stops at entry 1. The
	// page names both positions.
	await page.unroute(/\/api\/orgs\/[0-9a-f]{64}\/chain/);
	await page.evaluate((entry) => {
		const [key, value] = entry!;
		const map = JSON.parse(value) as Record<string, { seq: number; hash: string }>;
		for (const t of Object.keys(map)) map[t] = { seq: 3, hash: map[t]!.hash };
		localStorage.setItem(key, JSON.stringify(map));
	}, before);
	await unlockAfterReload(page);
	await expect(failure.getByRole('heading').first()).toHaveText(
		"This organisation's history does not match",
		{ timeout: SLOW }
	);
	await expect(failure).toContainText(
		"This organisation's history does not match what this device saw before"
	);
	await expect(page.getByTestId('org-failure-positions')).toContainText('entry 3');
	await expect(page.getByTestId('org-failure-positions')).toContainText('entry 1');
	await shoot(page, 'rollback-1280');
});
