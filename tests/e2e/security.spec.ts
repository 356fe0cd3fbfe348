// Security settings as a person uses them: two-factor enrolment then a sign-in with a code, a passkey
// with PRF on a virtual authenticator that signs in and unlocks the vault without the password, signing
// another device out, and a password change. Accounts are created through the API (the browser crypto
// core is the same code as tests/helpers/account-client.ts).
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import * as OTPAuth from 'otpauth';
import { b64, deriveFromPassword, newAccount, type Kdf } from '../helpers/account-client';

const SCREENSHOTS = 'test-results/security';

async function createAccount(request: APIRequestContext, password = 'correct horse battery staple') {
	const account = await newAccount(undefined, password);
	const res = await request.post('/api/auth/signup', { data: account.signupBody });
	expect(res.status(), await res.text()).toBeLessThan(300);
	// End the sign-up's own session: the browser's sign-ins are the only devices the tests count.
	const { accessToken } = (await res.json()) as { accessToken: string };
	const ended = await request.post('/api/auth/sessions/sign-out-everywhere', {
		headers: { authorization: `Bearer ${accessToken}` }
	});
	expect(ended.ok()).toBe(true);
	return account;
}

/** A bearer token obtained in Node (as another client would), for checking what the server stored. */
async function apiToken(request: APIRequestContext, email: string, password: string): Promise<string> {
	const { kdf } = (await (await request.post('/api/auth/prelogin', { data: { email } })).json()) as {
		kdf: Kdf;
	};
	const { authKey } = await deriveFromPassword(password, kdf);
	const res = await request.post('/api/auth/login', { data: { email, authKey: b64(authKey) } });
	expect(res.ok()).toBe(true);
	return ((await res.json()) as { accessToken: string }).accessToken;
}

async function signIn(page: Page, email: string, password: string) {
	await page.goto('/sign-in');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function expectUnlocked(page: Page) {
	await expect(page).toHaveURL(/\/app(\/|$)/, { timeout: 20_000 });
	await expect(page.getByTestId('vault-state')).toHaveText(/Vault unlocked/, { timeout: 20_000 });
}

async function signOut(page: Page) {
	await page.getByRole('button', { name: /account menu/ }).click();
	await page.locator('#user-menu').getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/sign-in/);
}

/** Client-side navigation: a reload would wipe the keys from the worker (the vault locks). */
async function openSettings(page: Page) {
	await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Settings' }).click();
	await expect(page).toHaveURL(/\/app\/settings$/);
	await expectUnlocked(page);
	await expect(page.getByRole('heading', { name: 'Security', level: 1 })).toBeVisible();
}

/** A platform authenticator in Chromium (CDP WebAuthn), with or without the PRF extension. */
async function virtualAuthenticator(page: Page, hasPrf: boolean) {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('WebAuthn.enable');
	const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
		options: {
			protocol: 'ctap2',
			transport: 'internal',
			hasResidentKey: true,
			hasUserVerification: true,
			isUserVerified: true,
			hasPrf
		}
	});
	return { cdp, authenticatorId };
}

const totpFor = (secret: string) =>
	new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
const stepNow = () => Math.floor(Date.now() / 30_000);

test.describe.configure({ mode: 'serial' });

test('two-factor: enrol from settings, then sign in with password and a code', async ({ page, request }) => {
	test.setTimeout(120_000);
	const account = await createAccount(request);
	await signIn(page, account.email, account.password);
	await expectUnlocked(page);
	await openSettings(page);

	const card = page.getByTestId('totp-card');
	await expect(card.getByTestId('totp-status')).toHaveText('Off');
	await card.getByRole('button', { name: 'Set up two-factor' }).click();
	await expect(card.getByRole('img', { name: /QR code/ })).toHaveAttribute('src', /^data:image\/png;base64,/);
	const secret = (await card.getByTestId('totp-secret').innerText()).replace(/\s+/g, '');
	expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
	const totp = totpFor(secret);
	await page.screenshot({ path: `${SCREENSHOTS}/totp-setup.png`, fullPage: true });

	// A wrong code is refused with a readable message.
	const wrong = String((Number(totp.generate()) + 1) % 1_000_000).padStart(6, '0');
	await card.getByLabel('6-digit code').fill(wrong);
	await card.getByRole('button', { name: 'Turn on' }).click();
	await expect(card.getByRole('alert')).toContainText('not right');

	const enabledStep = stepNow();
	await card.getByLabel('6-digit code').fill(totp.generate());
	await card.getByRole('button', { name: 'Turn on' }).click();
	const codes = card.getByTestId('backup-codes');
	await expect(codes).toBeVisible();
	await expect(codes.locator('li')).toHaveCount(10);
	await page.screenshot({ path: `${SCREENSHOTS}/totp-backup-codes.png`, fullPage: true });
	await card.getByRole('button', { name: 'I saved them' }).click();
	await expect(codes).toHaveCount(0);
	await expect(card.getByTestId('totp-status')).toHaveText('On');
	await expect(card.getByTestId('totp-secret')).toHaveCount(0);

	await signOut(page);
	await signIn(page, account.email, account.password);
	await expect(page.getByRole('heading', { name: 'Two-factor check' })).toBeVisible({ timeout: 20_000 });
	// Each code is accepted once: wait for the next 30-second step after the one used to enable.
	while (stepNow() <= enabledStep) await page.waitForTimeout(500);
	await page.getByLabel('Authentication code').fill(totp.generate());
	await page.getByRole('button', { name: 'Verify and unlock' }).click();
	await expectUnlocked(page);
	await openSettings(page);
	await expect(page.getByTestId('totp-card').getByTestId('totp-status')).toHaveText('On');
});

test('passkey with PRF: added in settings, then signs in and unlocks without the password', async ({
	page,
	request
}) => {
	test.setTimeout(90_000);
	const { cdp, authenticatorId } = await virtualAuthenticator(page, true);

	const account = await createAccount(request);
	await signIn(page, account.email, account.password);
	await expectUnlocked(page);
	await openSettings(page);
	const fingerprint = (await page.getByTestId('settings-fingerprint').innerText()).trim();
	expect(fingerprint.length).toBeGreaterThan(8);

	const card = page.getByTestId('passkeys-card');
	await expect(card.getByText('No passkeys yet.')).toBeVisible();
	await card.getByRole('button', { name: 'Add a passkey' }).click();
	await card.getByLabel('Name this passkey').fill('Work laptop');
	await card.getByRole('button', { name: 'Create passkey' }).click();
	await expect(card.getByTestId('passkey-message')).toHaveText(
		'This passkey can sign you in and unlock your vault.'
	);
	await expect(card.getByTestId('passkey-row')).toHaveCount(1);
	await expect(card.getByTestId('passkey-row')).toContainText('Work laptop');
	await expect(card.getByTestId('passkey-prf')).toHaveText('Unlocks your vault');

	const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
	expect(credentials).toHaveLength(1);
	expect(credentials[0]!.isResidentCredential).toBe(true);

	// What the server stored: a passkey with a PRF-sealed bundle.
	const token = await apiToken(request, account.email, account.password);
	const listed = await request.get('/api/auth/passkeys', { headers: { authorization: `Bearer ${token}` } });
	const { passkeys } = (await listed.json()) as { passkeys: { name: string; prf: boolean }[] };
	expect(passkeys).toEqual([expect.objectContaining({ name: 'Work laptop', prf: true })]);

	await signOut(page);
	await expect(page.getByTestId('vault-state')).toHaveCount(0);
	await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
	await expectUnlocked(page);
	await openSettings(page);
	await expect(page.getByTestId('settings-fingerprint')).toHaveText(fingerprint);
	await expect(page.getByTestId('passkeys-card').getByTestId('passkey-row')).toContainText('Last used', {
		ignoreCase: true
	});

	// Remove it: it no longer signs in.
	await card.getByRole('button', { name: 'Remove passkey Work laptop' }).click();
	await card.getByRole('button', { name: 'Remove', exact: true }).click();
	await expect(card.getByText('No passkeys yet.')).toBeVisible();
});

test('passkey without PRF: it signs in, and the password unlocks the vault', async ({ page, request }) => {
	test.setTimeout(90_000);
	await virtualAuthenticator(page, false);

	const account = await createAccount(request);
	await signIn(page, account.email, account.password);
	await expectUnlocked(page);
	await openSettings(page);
	const fingerprint = (await page.getByTestId('settings-fingerprint').innerText()).trim();

	const card = page.getByTestId('passkeys-card');
	await card.getByRole('button', { name: 'Add a passkey' }).click();
	await card.getByLabel('Name this passkey').fill('Old security key');
	await card.getByRole('button', { name: 'Create passkey' }).click();
	await expect(card.getByTestId('passkey-message')).toHaveText(
		'This passkey signs you in; your password still unlocks the vault.'
	);
	await expect(card.getByTestId('passkey-prf')).toHaveCount(0);

	await signOut(page);
	await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
	// Signed in, but the keys are still sealed: the lock screen asks for the password.
	await expect(page).toHaveURL(/\/app(\/|$)/, { timeout: 20_000 });
	await expect(page.getByRole('heading', { name: 'Your vault is locked' })).toBeVisible({ timeout: 20_000 });
	await page.getByLabel('Password', { exact: true }).fill(account.password);
	await page.getByRole('button', { name: 'Unlock', exact: true }).click();
	await expectUnlocked(page);
	await openSettings(page);
	await expect(page.getByTestId('settings-fingerprint')).toHaveText(fingerprint);
});

test('sessions: another device is listed and can be signed out', async ({ page, browser, request }) => {
	test.setTimeout(90_000);
	const account = await createAccount(request);
	await signIn(page, account.email, account.password);
	await expectUnlocked(page);

	const other = await browser.newContext();
	const otherPage = await other.newPage();
	await signIn(otherPage, account.email, account.password);
	await expectUnlocked(otherPage);

	await openSettings(page);
	const card = page.getByTestId('sessions-card');
	const rows = card.getByTestId('session-row');
	await expect(rows).toHaveCount(2);
	await expect(card.locator('[data-current="true"]')).toContainText('This device');
	await expect(card.locator('[data-current="true"]')).toContainText('Chrome on Linux');
	await page.screenshot({ path: `${SCREENSHOTS}/settings.png`, fullPage: true });

	await card
		.locator('[data-current="false"]')
		.getByRole('button', { name: /^Sign out/ })
		.click();
	await expect(rows).toHaveCount(1);

	// The other browser's session is gone: its next load goes back to sign-in.
	await otherPage.goto('/app/settings');
	await expect(otherPage).toHaveURL(/\/sign-in/, { timeout: 20_000 });
	await other.close();

	// Sign out everywhere (with a confirm step) ends this session too.
	await card.getByRole('button', { name: 'Sign out everywhere' }).click();
	await card.getByRole('button', { name: 'Yes, sign out everywhere' }).click();
	await expect(page).toHaveURL(/\/sign-in/);
	await page.goto('/app');
	await expect(page).toHaveURL(/\/sign-in/);
});

test('password change: the new password signs in and unlocks the same vault', async ({ page, request }) => {
	test.setTimeout(90_000);
	const account = await createAccount(request);
	const newPassword = 'a much longer new passphrase';
	await signIn(page, account.email, account.password);
	await expectUnlocked(page);
	await openSettings(page);
	const fingerprint = (await page.getByTestId('settings-fingerprint').innerText()).trim();

	const card = page.getByTestId('password-card');
	await card.getByLabel('Current password').fill('not my password at all');
	await card.getByLabel('New password', { exact: true }).fill(newPassword);
	await card.getByLabel('Confirm new password').fill(newPassword);
	await card.getByRole('button', { name: 'Change password' }).click();
	await expect(card.getByRole('alert')).toContainText('current password is not correct');

	await card.getByLabel('Current password').fill(account.password);
	await card.getByLabel('New password', { exact: true }).fill('short');
	await card.getByLabel('Confirm new password').fill('short');
	await card.getByRole('button', { name: 'Change password' }).click();
	await expect(card.getByRole('alert')).toContainText('at least 10 characters');

	await card.getByLabel('New password', { exact: true }).fill(newPassword);
	await card.getByLabel('Confirm new password').fill(newPassword);
	await card.getByRole('button', { name: 'Change password' }).click();
	await expect(card.getByTestId('password-message')).toHaveText(
		'Password changed. Other devices were signed out.',
		{ timeout: 20_000 }
	);

	// A new recovery key needs the (new) password and is shown once.
	const recovery = page.getByTestId('recovery-card');
	await recovery.getByRole('button', { name: 'Create a new recovery key' }).click();
	await recovery.getByLabel('Password').fill(newPassword);
	await recovery.getByRole('button', { name: 'Create new recovery key' }).click();
	await expect(recovery.getByTestId('new-recovery-key')).toBeVisible({ timeout: 20_000 });
	await page.screenshot({ path: `${SCREENSHOTS}/recovery-key.png`, fullPage: true });
	await recovery.getByRole('button', { name: 'I saved it' }).click();
	await expect(recovery.getByTestId('new-recovery-key')).toHaveCount(0);
	await expect(recovery.getByRole('status')).toContainText('old one no longer works');

	await signOut(page);
	await signIn(page, account.email, account.password);
	await expect(page.getByRole('alert')).toBeVisible({ timeout: 20_000 });
	await signIn(page, account.email, newPassword);
	await expectUnlocked(page);
	await openSettings(page);
	await expect(page.getByTestId('settings-fingerprint')).toHaveText(fingerprint);
});
