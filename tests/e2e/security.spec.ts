// Security settings as a person uses them: two-factor enrolment then a sign-in with a code, a passkey
// with PRF on a virtual authenticator that signs in and unlocks the vault without the password, signing
// another device out, and a password change. Every credential change asks for the current password
// first (the re-authentication prompt); what was added in the last 24 hours can be removed in one click;
// the security log lists sign-ins. Accounts are created through the API (the browser crypto core is the
// same code as tests/helpers/account-client.ts).
import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { b64, deriveFromPassword, type Kdf } from '../helpers/account-client';
import { createAccount, totpFor, virtualAuthenticator } from './helpers/settings';

const SCREENSHOTS = 'test-results/security';

/** The password proof the API takes for a credential change, derived in Node as the vault would. */
async function passwordProof(request: APIRequestContext, email: string, password: string) {
	const { kdf } = (await (await request.post('/api/auth/prelogin', { data: { email } })).json()) as {
		kdf: Kdf;
	};
	return { authKey: b64((await deriveFromPassword(password, kdf, email)).authKey) };
}

/** Fills the re-authentication prompt inside `scope` and submits it with its button. */
async function confirmWithPassword(scope: Locator, password: string, button: string) {
	const prompt = scope.getByTestId('reauth-prompt');
	await expect(prompt).toBeVisible();
	await prompt.getByLabel('Current password').fill(password);
	await prompt.getByRole('button', { name: button, exact: true }).click();
}

/** A bearer token obtained in Node (as another client would), for checking what the server stored. */
async function apiToken(request: APIRequestContext, email: string, password: string): Promise<string> {
	const { kdf } = (await (await request.post('/api/auth/prelogin', { data: { email } })).json()) as {
		kdf: Kdf;
	};
	const { authKey } = await deriveFromPassword(password, kdf, email);
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

type SettingsSection = 'Account' | 'Security' | 'Devices' | 'Keys';

/**
 * Opens a settings section by client-side navigation (a reload would wipe the keys from the worker and
 * lock the vault): the shell's Settings link, then the section's entry on the index, or the section
 * links once inside settings.
 */
async function openSettings(page: Page, section: SettingsSection) {
	if (!/\/app\/settings/.test(new URL(page.url()).pathname)) {
		await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Settings' }).click();
		await expect(page).toHaveURL(/\/app\/settings$/);
	}
	if (/\/app\/settings$/.test(new URL(page.url()).pathname))
		await page.getByTestId(`settings-link-${section.toLowerCase()}`).click();
	else
		await page
			.getByRole('navigation', { name: 'Settings sections' })
			.getByRole('link', { name: section })
			.click();
	await expect(page).toHaveURL(new RegExp(`/app/settings/${section.toLowerCase()}$`));
	await expectUnlocked(page);
	await expect(page.getByRole('heading', { name: section, level: 1 })).toBeVisible();
}

const stepNow = () => Math.floor(Date.now() / 30_000);

test.describe.configure({ mode: 'serial' });

test('two-factor: enrol from settings, then sign in with password and a code', async ({ page, request }) => {
	test.setTimeout(120_000);
	const account = await createAccount(request);
	await signIn(page, account.email, account.password);
	await expectUnlocked(page);
	await openSettings(page, 'Security');

	const card = page.getByTestId('totp-card');
	await expect(card.getByTestId('totp-status')).toHaveText('Off');
	await card.getByRole('button', { name: 'Set up two-factor' }).click();
	// The password is asked once, for the whole set-up (the same proof confirms it).
	await confirmWithPassword(card, account.password, 'Continue');
	await expect(card.getByRole('img', { name: /QR code/ })).toHaveAttribute('src', /^data:image\/png;base64,/);
	await expect(card.getByRole('heading', { name: 'Set up your authenticator app' })).toBeFocused();
	const secret = (await card.getByTestId('totp-secret').innerText()).replace(/\s+/g, '');
	expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
	const totp = totpFor(secret);
	await page.screenshot({ path: `${SCREENSHOTS}/totp-setup.png`, fullPage: true });

	// A wrong code is refused with a readable message.
	const wrong = String((Number(totp.generate()) + 1) % 1_000_000).padStart(6, '0');
	await card.getByLabel('6-digit code').fill(wrong);
	await card.getByRole('button', { name: 'Turn on' }).click();
	await expect(card.getByRole('alert')).toContainText('not right');
	await expect(card.getByLabel('6-digit code')).toHaveAttribute('aria-invalid', 'true');

	const enabledStep = stepNow();
	await card.getByLabel('6-digit code').fill(totp.generate());
	await card.getByRole('button', { name: 'Turn on' }).click();
	const codes = card.getByTestId('backup-codes');
	await expect(codes).toBeVisible();
	await expect(codes.locator('li')).toHaveCount(10);
	const backupCodes = await codes.locator('li').allInnerTexts();
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
	await openSettings(page, 'Security');
	await expect(card.getByTestId('totp-status')).toHaveText('On');

	// Turning it off takes the password and a code (a backup code here); focus returns to the result.
	await card.getByRole('button', { name: 'Turn off' }).click();
	const prompt = card.getByTestId('reauth-prompt');
	await prompt.getByLabel('Code from your app, or a backup code').fill(backupCodes[0]!.trim());
	await confirmWithPassword(card, account.password, 'Turn off two-factor');
	await expect(card.getByRole('status')).toHaveText('Two-factor is off. Other devices were signed out.', {
		timeout: 20_000
	});
	await expect(card.getByRole('status')).toBeFocused();
	await expect(card.getByTestId('totp-status')).toHaveText('Off');
});

test('two-factor set-up asks for the password first, and a wrong one gets an error on that field', async ({
	page,
	request
}) => {
	test.setTimeout(90_000);
	const account = await createAccount(request);
	await signIn(page, account.email, account.password);
	await expectUnlocked(page);
	await openSettings(page, 'Security');

	const card = page.getByTestId('totp-card');
	const open = card.getByRole('button', { name: 'Set up two-factor' });
	await open.click();
	const prompt = card.getByTestId('reauth-prompt');
	await expect(prompt.getByRole('heading', { name: 'Confirm it’s you' })).toBeVisible();
	// Focus moves into the prompt; the field says why it is asked.
	const field = prompt.getByLabel('Current password');
	await expect(field).toBeFocused();
	await expect(field).toHaveAccessibleDescription(/Setting up two-factor needs your current password/);
	await page.screenshot({ path: `${SCREENSHOTS}/reauth-prompt.png`, fullPage: true });

	await field.fill('not my password at all');
	await prompt.getByRole('button', { name: 'Continue' }).click();
	await expect(field).toHaveAttribute('aria-invalid', 'true', { timeout: 20_000 });
	await expect(field).toHaveAccessibleDescription(/Your current password is not correct\./);
	await expect(prompt.getByRole('alert')).toHaveText('Your current password is not correct.');
	await expect(field).toBeFocused();
	await expect(field).toHaveValue('');
	// Nothing started: no secret was handed out.
	await expect(card.getByTestId('totp-secret')).toHaveCount(0);
	await page.screenshot({ path: `${SCREENSHOTS}/reauth-wrong-password.png`, fullPage: true });

	// The recovery key is offered instead; a typo in it is caught on its field too.
	await prompt.getByRole('button', { name: 'Use your recovery key instead' }).click();
	const keyField = prompt.getByLabel('Recovery key');
	await expect(keyField).toBeFocused();
	await keyField.fill('ABCD-EFGH');
	await prompt.getByRole('button', { name: 'Continue' }).click();
	await expect(keyField).toHaveAttribute('aria-invalid', 'true');
	await expect(keyField).toHaveAccessibleDescription(/typo/);

	// Cancel returns focus to the button that opened the prompt.
	await prompt.getByRole('button', { name: 'Cancel' }).click();
	await expect(prompt).toHaveCount(0);
	await expect(open).toBeFocused();
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
	await openSettings(page, 'Keys');
	const fingerprint = (await page.getByTestId('settings-fingerprint').innerText()).trim();
	expect(fingerprint.length).toBeGreaterThan(8);

	await openSettings(page, 'Security');
	const card = page.getByTestId('passkeys-card');
	await expect(card.getByText('No passkeys yet.')).toBeVisible();
	await card.getByRole('button', { name: 'Add a passkey' }).click();
	await card.getByLabel('Name this passkey').fill('Work laptop');
	await confirmWithPassword(card, account.password, 'Create passkey');
	await expect(card.getByTestId('passkey-message')).toHaveText(
		'This passkey can sign you in and unlock your vault.',
		{ timeout: 20_000 }
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
	await openSettings(page, 'Keys');
	await expect(page.getByTestId('settings-fingerprint')).toHaveText(fingerprint);
	await openSettings(page, 'Security');
	await expect(page.getByTestId('passkeys-card').getByTestId('passkey-row')).toContainText('Last used', {
		ignoreCase: true
	});

	// Remove it (with the password): it no longer signs in.
	await card.getByRole('button', { name: 'Remove passkey Work laptop' }).click();
	await expect(card.getByRole('heading', { name: 'Remove “Work laptop”?' })).toBeVisible();
	await confirmWithPassword(card, account.password, 'Remove passkey');
	await expect(card.getByText('No passkeys yet.')).toBeVisible({ timeout: 20_000 });
	await expect(card.getByTestId('passkey-message')).toContainText('“Work laptop” was removed');
});

test('passkey without PRF: it signs in, and the password unlocks the vault', async ({ page, request }) => {
	test.setTimeout(90_000);
	await virtualAuthenticator(page, false);

	const account = await createAccount(request);
	await signIn(page, account.email, account.password);
	await expectUnlocked(page);
	await openSettings(page, 'Keys');
	const fingerprint = (await page.getByTestId('settings-fingerprint').innerText()).trim();

	await openSettings(page, 'Security');
	const card = page.getByTestId('passkeys-card');
	await card.getByRole('button', { name: 'Add a passkey' }).click();
	await card.getByLabel('Name this passkey').fill('Old security key');
	await confirmWithPassword(card, account.password, 'Create passkey');
	await expect(card.getByTestId('passkey-message')).toHaveText(
		'This passkey signs you in; your password still unlocks the vault.',
		{ timeout: 20_000 }
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
	await openSettings(page, 'Keys');
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

	await openSettings(page, 'Devices');
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

	// Two-factor turned on just now, elsewhere (as a thief holding a session and the password might).
	const token = await apiToken(request, account.email, account.password);
	const reauth = await passwordProof(request, account.email, account.password);
	const auth = { authorization: `Bearer ${token}` };
	const setup = await request.post('/api/auth/totp/setup', { headers: auth, data: { reauth } });
	const { secret } = (await setup.json()) as { secret: string };
	const enabled = await request.post('/api/auth/totp/enable', {
		headers: auth,
		data: { reauth, code: totpFor(secret).generate() }
	});
	expect(enabled.ok(), await enabled.text()).toBe(true);

	// Sign out everywhere (with the password) ends this session too, but first lists what was just added.
	await card.getByRole('button', { name: 'Sign out everywhere' }).click();
	await confirmWithPassword(card, account.password, 'Yes, sign out everywhere');
	const recent = card.getByTestId('recent-additions');
	await expect(recent.getByRole('heading', { name: 'Added in the last 24 hours' })).toBeFocused({
		timeout: 20_000
	});
	await expect(recent.getByTestId('recent-totp')).toContainText('Two-factor authentication');
	await expect(card.getByTestId('signed-out-everywhere')).toContainText('this one included');
	await page.screenshot({ path: `${SCREENSHOTS}/sign-out-everywhere-recent.png`, fullPage: true });
	await recent.getByRole('button', { name: 'Remove these' }).click();
	await expect(recent.getByTestId('recent-removed')).toHaveText('Removed two-factor authentication.');
	await card.getByRole('button', { name: 'Continue to sign in' }).click();
	await expect(page).toHaveURL(/\/sign-in/);
	await page.goto('/app');
	await expect(page).toHaveURL(/\/sign-in/);
	// Two-factor is gone: the password alone signs in again.
	await signIn(page, account.email, account.password);
	await expectUnlocked(page);
});

test('password change: the new password signs in and unlocks the same vault', async ({ page, request }) => {
	test.setTimeout(90_000);
	const account = await createAccount(request);
	const newPassword = 'a much longer new passphrase';
	await signIn(page, account.email, account.password);
	await expectUnlocked(page);
	await openSettings(page, 'Keys');
	const fingerprint = (await page.getByTestId('settings-fingerprint').innerText()).trim();

	await openSettings(page, 'Account');
	const card = page.getByTestId('password-card');
	// The form is collapsed behind its button.
	await card.getByRole('button', { name: 'Change password' }).click();
	await card.getByLabel('Current password').fill('not my password at all');
	await card.getByLabel('New password', { exact: true }).fill(newPassword);
	await card.getByLabel('Confirm new password').fill(newPassword);
	await card.getByRole('button', { name: 'Save new password' }).click();
	await expect(card.getByRole('alert')).toContainText('current password is not correct');

	await card.getByLabel('Current password').fill(account.password);
	await card.getByLabel('New password', { exact: true }).fill('short');
	await card.getByLabel('Confirm new password').fill('short');
	await card.getByRole('button', { name: 'Save new password' }).click();
	await expect(card.getByRole('alert')).toContainText('at least 10 characters');

	await card.getByLabel('New password', { exact: true }).fill(newPassword);
	await card.getByLabel('Confirm new password').fill(newPassword);
	await card.getByRole('button', { name: 'Save new password' }).click();
	await expect(card.getByTestId('password-message')).toHaveText(
		'Password changed. Other devices were signed out.',
		{ timeout: 20_000 }
	);

	await openSettings(page, 'Security');
	// A new recovery key needs the (new) password and is shown once.
	const recovery = page.getByTestId('recovery-card');
	await recovery.getByRole('button', { name: 'Create a new recovery key' }).click();
	await confirmWithPassword(recovery, newPassword, 'Create new recovery key');
	await expect(recovery.getByTestId('new-recovery-key')).toBeVisible({ timeout: 20_000 });
	await page.screenshot({ path: `${SCREENSHOTS}/recovery-key.png`, fullPage: true });
	await recovery.getByRole('checkbox', { name: /I have saved my recovery kit/ }).check();
	await recovery.getByRole('button', { name: 'I saved it' }).click();
	await expect(recovery.getByTestId('new-recovery-key')).toHaveCount(0);
	await expect(recovery.getByRole('status')).toContainText('old one no longer works');

	await signOut(page);
	await signIn(page, account.email, account.password);
	await expect(page.getByRole('alert')).toBeVisible({ timeout: 20_000 });
	await signIn(page, account.email, newPassword);
	await expectUnlocked(page);
	await openSettings(page, 'Keys');
	await expect(page.getByTestId('settings-fingerprint')).toHaveText(fingerprint);
});

test('security log: a failed sign-in and a sign-in, as sentences with time, device and address', async ({
	page,
	request
}) => {
	test.setTimeout(90_000);
	const account = await createAccount(request);
	await signIn(page, account.email, 'not my password at all');
	await expect(page.getByRole('alert')).toHaveText('The email or password is incorrect.', {
		timeout: 20_000
	});
	await signIn(page, account.email, account.password);
	await expectUnlocked(page);
	await openSettings(page, 'Security');

	const log = page.getByTestId('security-log');
	const table = log.getByRole('table', { name: 'Security events, newest first' });
	await expect(table.getByRole('columnheader')).toHaveText(['Event', 'When', 'Device', 'IP address']);
	const rows = log.getByTestId('security-event');
	// Newest first: this sign-in, the failed one, then the sign-up's session and its sign-out-everywhere.
	await expect(rows.first()).toContainText('Signed in with your password');
	const failed = rows.filter({ hasText: 'Failed sign-in (wrong password)' });
	await expect(failed).toHaveCount(1);
	await expect(failed).toContainText('Failed');
	const signedIn = rows.first().getByRole('cell');
	await expect(signedIn.nth(1)).toHaveText(/Just now|minute/);
	await expect(signedIn.nth(2)).toHaveText('Chrome on Linux');
	await expect(signedIn.nth(3)).toHaveText(/\d|:/);
	await expect(failed.getByRole('cell').nth(2)).toHaveText('Chrome on Linux');
	await log.scrollIntoViewIfNeeded();
	await page.screenshot({ path: `${SCREENSHOTS}/security-log.png`, fullPage: true });

	// A change made here shows up at once.
	const recovery = page.getByTestId('recovery-card');
	await recovery.getByRole('button', { name: 'Create a new recovery key' }).click();
	await confirmWithPassword(recovery, account.password, 'Create new recovery key');
	await expect(recovery.getByTestId('new-recovery-key')).toBeVisible({ timeout: 20_000 });
	await expect(rows.first()).toContainText('New recovery key created');
});

test('after a password change, a passkey added that day is removed in one click', async ({
	page,
	request
}) => {
	test.setTimeout(120_000);
	const { cdp, authenticatorId } = await virtualAuthenticator(page, true);
	const account = await createAccount(request);
	await signIn(page, account.email, account.password);
	await expectUnlocked(page);
	await openSettings(page, 'Security');

	// A passkey added today (as someone holding a session and the password might have).
	const passkeys = page.getByTestId('passkeys-card');
	await passkeys.getByRole('button', { name: 'Add a passkey' }).click();
	await passkeys.getByLabel('Name this passkey').fill('Borrowed laptop');
	await confirmWithPassword(passkeys, account.password, 'Create passkey');
	await expect(passkeys.getByTestId('passkey-row')).toContainText('Borrowed laptop', { timeout: 20_000 });

	const newPassword = 'a much longer new passphrase';
	await openSettings(page, 'Account');
	const card = page.getByTestId('password-card');
	await card.getByRole('button', { name: 'Change password' }).click();
	await card.getByLabel('Current password').fill(account.password);
	await card.getByLabel('New password', { exact: true }).fill(newPassword);
	await card.getByLabel('Confirm new password').fill(newPassword);
	await card.getByRole('button', { name: 'Save new password' }).click();
	await expect(card.getByTestId('password-message')).toHaveText(
		'Password changed. Other devices were signed out.',
		{ timeout: 30_000 }
	);
	const recent = card.getByTestId('recent-additions');
	await expect(recent.getByRole('heading', { name: 'Added in the last 24 hours' })).toBeFocused();
	await expect(recent.getByTestId('recent-passkey')).toHaveCount(1);
	await expect(recent.getByTestId('recent-passkey')).toContainText('Passkey “Borrowed laptop”');
	await expect(recent.getByTestId('recent-passkey')).toContainText(/Added (just now|\d+ minutes? ago)/);
	await expect(recent.getByTestId('recent-totp')).toHaveCount(0);
	await page.screenshot({ path: `${SCREENSHOTS}/password-change-recent.png`, fullPage: true });

	await recent.getByRole('button', { name: 'Remove these' }).click();
	const removed = recent.getByTestId('recent-removed');
	await expect(removed).toHaveText('Removed passkey “Borrowed laptop”.');
	await expect(removed).toBeFocused();
	await expect(recent.getByRole('button', { name: 'Remove these' })).toHaveCount(0);
	// The other cards follow: the passkey list is empty, and the log says what happened.
	await openSettings(page, 'Security');
	await expect(passkeys.getByText('No passkeys yet.')).toBeVisible();
	await expect(page.getByTestId('security-event').first()).toContainText(
		'Removed what was added in the last 24 hours (1 passkey)'
	);
	await page.screenshot({ path: `${SCREENSHOTS}/password-change-removed.png`, fullPage: true });

	// On the server it is gone, and it no longer signs in.
	const token = await apiToken(request, account.email, newPassword);
	const listed = await request.get('/api/auth/passkeys', { headers: { authorization: `Bearer ${token}` } });
	expect(((await listed.json()) as { passkeys: unknown[] }).passkeys).toEqual([]);
	const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
	expect(credentials).toHaveLength(1);
	await signOut(page);
	await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
	await expect(page.getByRole('alert')).toContainText('could not be verified', { timeout: 20_000 });
});

test('no silent downgrade: weaker key settings than this device has seen are refused before sign-in', async ({
	page,
	request
}) => {
	const password = 'correct horse battery staple';
	const account = await createAccount(request, password);
	const kdf = account.signupBody.kdf as Kdf;
	const memory = `stowage.kdf.v1:${account.email}`;

	// A successful sign-in remembers the account's parameters on this device.
	await signIn(page, account.email, password);
	await expectUnlocked(page);
	const remembered = await page.evaluate((key) => localStorage.getItem(key), memory);
	expect(JSON.parse(remembered ?? 'null')).toEqual({
		opsLimit: kdf.opsLimit,
		memLimitBytes: kdf.memLimitBytes
	});
	await signOut(page);

	// This device once saw a stronger t for the account: the server's parameters are now a downgrade, so the
	// password is never derived under them and no login is attempted.
	await page.evaluate(({ key, seen }) => localStorage.setItem(key, seen), {
		key: memory,
		seen: JSON.stringify({ opsLimit: kdf.opsLimit + 1, memLimitBytes: kdf.memLimitBytes })
	});
	let logins = 0;
	page.on('request', (r) => {
		if (new URL(r.url()).pathname === '/api/auth/login') logins++;
	});
	await signIn(page, account.email, password);
	await expect(page.getByRole('alert')).toContainText('outside the safe range');
	await expect(page).toHaveURL(/\/sign-in/);
	expect(logins).toBe(0);
});
