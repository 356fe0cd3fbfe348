// Settings from the keyboard only: every section is reached through its links (client-side, so the vault
// stays unlocked), and after every action (password change, two-factor on and off, a passkey added and
// removed, a new recovery key, one device signed out, every device signed out) focus is asserted: on
// the result, or back on the control that opened the step. Never on <body>. Then each section's width
// at phone sizes, with screenshots in both themes.
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import {
	createAccount,
	describeFocus,
	expectNoHorizontalScroll,
	retype,
	signInElsewhere,
	tabTo,
	totpFor,
	virtualAuthenticator
} from './helpers/settings';

const SHOTS = '/tmp/settings-shots';
const SLOW = 30_000;
const SECTIONS = ['Account', 'Security', 'Devices', 'Keys'] as const;

test.describe.configure({ mode: 'serial' });

async function signIn(page: Page, email: string, password: string) {
	await page.goto('/sign-in');
	await tabTo(page, page.getByLabel('Email'));
	await page.keyboard.type(email);
	await tabTo(page, page.getByLabel('Password', { exact: true }));
	await page.keyboard.type(password);
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/app$/, { timeout: SLOW });
	await expect(page.getByTestId('vault-state')).toHaveText(/Vault unlocked/, { timeout: SLOW });
}

async function expectNotOnBody(page: Page) {
	expect(await describeFocus(page)).not.toBe('<body>');
}

/** From anywhere in settings: back to the section links (they come before the heading) and follow one. */
async function openSection(page: Page, name: (typeof SECTIONS)[number]) {
	const link = page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name });
	await tabTo(page, link, { back: true, max: 120 });
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(new RegExp(`/app/settings/${name.toLowerCase()}$`));
	await expect(page.getByRole('heading', { level: 1, name })).toBeFocused();
	await expect(link).toHaveAttribute('aria-current', 'page');
	await expect(page.getByTestId('vault-state')).toHaveText(/Vault unlocked/);
}

test('every settings action from the keyboard, with focus on the result after each', async ({
	page,
	request
}) => {
	test.setTimeout(240_000);
	mkdirSync(SHOTS, { recursive: true });
	const shoot = (name: string) => page.screenshot({ path: `${SHOTS}/state-${name}.png`, fullPage: true });
	await page.setViewportSize({ width: 1280, height: 900 });
	await virtualAuthenticator(page, true);
	const account = await createAccount(request);
	let password = account.password;
	await signIn(page, account.email, password);

	// The shell's Settings link opens the index; its entries open the sections.
	await tabTo(page, page.locator('#side-nav').getByRole('link', { name: 'Settings' }));
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/app\/settings$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeFocused();
	await tabTo(page, page.getByTestId('settings-link-account'));
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/app\/settings\/account$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Account' })).toBeFocused();
	await expect(page.getByTestId('account-email')).toHaveText(account.email);

	// --- Password: collapsed, opened, cancelled, validated field by field, changed.
	const pwCard = page.getByTestId('password-card');
	const toggle = pwCard.getByRole('button', { name: 'Change password' });
	const current = pwCard.getByLabel('Current password');
	const next = pwCard.getByLabel('New password', { exact: true });
	const confirm = pwCard.getByLabel('Confirm new password');
	await expect(toggle).toHaveAttribute('aria-expanded', 'false');
	await expect(current).toBeHidden();
	await tabTo(page, toggle);
	await page.keyboard.press('Enter');
	await expect(toggle).toHaveAttribute('aria-expanded', 'true');
	await expect(current).toBeFocused();
	// The hint is small print, not body text.
	const hint = pwCard.locator('#pw-new-rules');
	expect(await hint.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeLessThanOrEqual(14.5);
	await tabTo(page, pwCard.getByRole('button', { name: 'Cancel' }));
	await page.keyboard.press('Enter');
	await expect(toggle).toBeFocused();
	await expect(toggle).toHaveAttribute('aria-expanded', 'false');
	await expect(current).toBeHidden();

	await page.keyboard.press('Space');
	await expect(current).toBeFocused();
	// Submitting empty: the button is enabled, the error is on the field and read with it.
	await page.keyboard.press('Enter');
	await expect(current).toHaveAttribute('aria-invalid', 'true');
	await expect(current).toHaveAccessibleDescription('Enter your current password.');
	await expect(current).toBeFocused();
	await page.keyboard.type(password);
	await tabTo(page, next);
	await page.keyboard.type('short');
	await page.keyboard.press('Enter');
	await expect(next).toBeFocused();
	await expect(next).toHaveAttribute('aria-invalid', 'true');
	await expect(next).toHaveAccessibleDescription(/needs at least 10 characters/);
	await shoot('password-error');
	const newPassword = 'a much longer new passphrase';
	await retype(page, newPassword);
	await tabTo(page, confirm);
	await page.keyboard.type('a much longer new passphrasf');
	await page.keyboard.press('Enter');
	await expect(confirm).toBeFocused();
	await expect(confirm).toHaveAttribute('aria-invalid', 'true');
	await expect(confirm).toHaveAccessibleDescription('The two new passwords do not match.');
	await retype(page, newPassword);
	await page.keyboard.press('Enter');
	const pwMessage = pwCard.getByTestId('password-message');
	await expect(pwMessage).toHaveText('Password changed. Other devices were signed out.', { timeout: SLOW });
	await expect(pwMessage).toBeFocused();
	await shoot('password-changed');
	await expect(toggle).toHaveAttribute('aria-expanded', 'false');
	password = newPassword;

	// --- Two-factor: the prompt opens and cancels, then set-up, enable, and disable with a backup code.
	await openSection(page, 'Security');
	const totp = page.getByTestId('totp-card');
	const setUp = totp.getByRole('button', { name: 'Set up two-factor' });
	await tabTo(page, setUp);
	await page.keyboard.press('Enter');
	const totpPrompt = totp.getByTestId('reauth-prompt');
	await expect(totpPrompt.getByLabel('Current password')).toBeFocused();
	await tabTo(page, totpPrompt.getByRole('button', { name: 'Cancel' }));
	await page.keyboard.press('Enter');
	await expect(setUp).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(totpPrompt.getByLabel('Current password')).toBeFocused();
	await page.keyboard.type(password);
	await page.keyboard.press('Enter');
	await expect(totp.getByRole('heading', { name: 'Set up your authenticator app' })).toBeFocused({
		timeout: SLOW
	});
	const secret = (await totp.getByTestId('totp-secret').innerText()).replace(/\s+/g, '');
	await shoot('totp-setup');
	const codeField = totp.getByLabel('6-digit code');
	await tabTo(page, codeField);
	await page.keyboard.type(totpFor(secret).generate());
	await page.keyboard.press('Enter');
	const codes = totp.getByTestId('backup-codes');
	await expect(codes.getByText('Save your backup codes now.')).toBeVisible({ timeout: SLOW });
	await expect(codes.locator('p[tabindex="-1"]')).toBeFocused();
	const backupCode = (await codes.locator('li').first().innerText()).trim();
	await shoot('totp-codes');
	await tabTo(page, codes.getByRole('button', { name: 'I saved them' }));
	await page.keyboard.press('Enter');
	const totpStatus = totp.getByRole('status');
	await expect(totpStatus).toHaveText(/Two-factor is on/);
	await expect(totpStatus).toBeFocused();
	await expect(totp.getByTestId('totp-status')).toHaveText('On');

	await tabTo(page, totp.getByRole('button', { name: 'Turn off' }), { back: true });
	await page.keyboard.press('Enter');
	await expect(totpPrompt.getByLabel('Current password')).toBeFocused();
	await page.keyboard.type(password);
	await tabTo(page, totpPrompt.getByLabel('Code from your app, or a backup code'));
	await page.keyboard.type(backupCode);
	await page.keyboard.press('Enter');
	await expect(totp.getByTestId('totp-status')).toHaveText('Off', { timeout: SLOW });
	await expect(totpStatus).toHaveText('Two-factor is off. Other devices were signed out.');
	await expect(totpStatus).toBeFocused();

	// --- A passkey (PRF) on the virtual authenticator, then removed; its prompt also cancels.
	const passkeys = page.getByTestId('passkeys-card');
	const add = passkeys.getByRole('button', { name: 'Add a passkey' });
	await tabTo(page, add);
	await page.keyboard.press('Enter');
	const name = passkeys.getByLabel('Name this passkey');
	await expect(name).toBeFocused();
	await tabTo(page, passkeys.getByRole('button', { name: 'Cancel' }));
	await page.keyboard.press('Enter');
	await expect(add).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(name).toBeFocused();
	await retype(page, 'Keyboard laptop');
	await tabTo(page, passkeys.getByLabel('Current password'));
	await page.keyboard.type(password);
	await page.keyboard.press('Enter');
	const passkeyMessage = passkeys.getByTestId('passkey-message');
	await expect(passkeyMessage).toHaveText('This passkey can sign you in and unlock your vault.', {
		timeout: SLOW
	});
	await expect(passkeyMessage).toBeFocused();
	await expect(passkeys.getByTestId('passkey-row')).toContainText('Keyboard laptop');
	await shoot('passkey-added');

	const remove = passkeys.getByRole('button', { name: 'Remove passkey Keyboard laptop' });
	await tabTo(page, remove);
	await page.keyboard.press('Enter');
	const removePrompt = passkeys.getByTestId('reauth-prompt');
	await expect(removePrompt.getByLabel('Current password')).toBeFocused();
	await tabTo(page, removePrompt.getByRole('button', { name: 'Cancel' }));
	await page.keyboard.press('Enter');
	await expect(remove).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(removePrompt.getByLabel('Current password')).toBeFocused();
	await shoot('passkey-remove-prompt');
	await page.keyboard.type(password);
	await page.keyboard.press('Enter');
	await expect(passkeyMessage).toHaveText(/“Keyboard laptop” was removed/, { timeout: SLOW });
	await expect(passkeyMessage).toBeFocused();
	await expect(passkeys.getByText('No passkeys yet.')).toBeVisible();

	// --- A new recovery key: shown in the kit, "saved" ticked with Space.
	const recovery = page.getByTestId('recovery-card');
	await tabTo(page, recovery.getByRole('button', { name: 'Create a new recovery key' }));
	await page.keyboard.press('Enter');
	await expect(recovery.getByLabel('Current password')).toBeFocused();
	await page.keyboard.type(password);
	await page.keyboard.press('Enter');
	const shown = recovery.getByTestId('new-recovery-key');
	await expect(shown.locator('> p[tabindex="-1"]')).toBeFocused({ timeout: SLOW });
	const saved = shown.getByRole('checkbox', { name: /I have saved my recovery kit/ });
	await shoot('recovery-kit');
	await tabTo(page, saved);
	await page.keyboard.press('Space');
	await expect(saved).toBeChecked();
	await tabTo(page, shown.getByRole('button', { name: 'I saved it', exact: true }));
	await page.keyboard.press('Enter');
	await expect(shown).toHaveCount(0);
	const recoveryStatus = recovery.getByRole('status');
	await expect(recoveryStatus).toContainText('Your new recovery key is active');
	await expect(recoveryStatus).toBeFocused();

	// --- Keys: the fingerprint.
	await openSection(page, 'Keys');
	await expect(page.getByTestId('settings-fingerprint')).toHaveText(/\S/);

	// --- Devices: another device signed out, then every device (its prompt cancels first).
	await signInElsewhere(request, account.email, password);
	await openSection(page, 'Devices');
	const sessions = page.getByTestId('sessions-card');
	await expect(sessions.getByTestId('session-row')).toHaveCount(2);
	await tabTo(page, sessions.locator('[data-current="false"]').getByRole('button', { name: /^Sign out/ }));
	await page.keyboard.press('Enter');
	const sessionMessage = sessions.getByTestId('session-message');
	await expect(sessionMessage).toHaveText(/was signed out\./);
	await expect(sessionMessage).toBeFocused();
	await expect(sessions.getByTestId('session-row')).toHaveCount(1);
	await shoot('session-signed-out');

	const everywhere = sessions.getByRole('button', { name: 'Sign out everywhere' });
	await tabTo(page, everywhere);
	await page.keyboard.press('Enter');
	const everywherePrompt = sessions.getByTestId('reauth-prompt');
	await expect(everywherePrompt.getByLabel('Current password')).toBeFocused();
	await tabTo(page, everywherePrompt.getByRole('button', { name: 'Cancel' }));
	await page.keyboard.press('Enter');
	await expect(everywhere).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(everywherePrompt.getByLabel('Current password')).toBeFocused();
	await page.keyboard.type(password);
	await page.keyboard.press('Enter');
	// Nothing added in the last 24 hours is left (the passkey and two-factor are gone), so straight to
	// sign-in, where focus starts at the page's heading.
	await expect(page).toHaveURL(/\/sign-in/, { timeout: SLOW });
	await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeFocused();
	await expectNotOnBody(page);
});

test('no settings section is wider than a phone; screenshots in both themes', async ({ page, request }) => {
	test.setTimeout(120_000);
	mkdirSync(SHOTS, { recursive: true });
	const account = await createAccount(request);
	await page.setViewportSize({ width: 1280, height: 900 });
	await signIn(page, account.email, account.password);
	await tabTo(page, page.locator('#side-nav').getByRole('link', { name: 'Settings' }));
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeFocused();

	// Sections are routes: the browser's back button returns to the last one, still unlocked.
	await tabTo(page, page.getByTestId('settings-link-security'));
	await page.keyboard.press('Enter');
	await openSection(page, 'Keys');
	await page.goBack();
	await expect(page).toHaveURL(/\/app\/settings\/security$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Security' })).toBeFocused();
	await expect(page.getByTestId('vault-state')).toHaveText(/Vault unlocked/);
	await page.goBack();
	await expect(page).toHaveURL(/\/app\/settings$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeFocused();

	for (const scheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme: scheme });
		for (const width of [1280, 390, 320]) {
			await page.setViewportSize({ width, height: width === 1280 ? 900 : 844 });
			await expectNoHorizontalScroll(page, `index at ${width}px`);
			if (width !== 320)
				await page.screenshot({ path: `${SHOTS}/index-${width}-${scheme}.png`, fullPage: true });
			await tabTo(page, page.getByTestId('settings-link-account'));
			await page.keyboard.press('Enter');
			await expect(page.getByRole('heading', { level: 1, name: 'Account' })).toBeFocused();
			for (const name of SECTIONS) {
				await openSection(page, name);
				await expectNoHorizontalScroll(page, `${name} at ${width}px`);
				for (const card of await page.locator('#main .st-card').all()) {
					const box = await card.boundingBox();
					expect(
						box && box.x + box.width,
						`${name}: a card runs off a ${width}px screen`
					).toBeLessThanOrEqual(width);
				}
				if (width !== 320)
					await page.screenshot({
						path: `${SHOTS}/${name.toLowerCase()}-${width}-${scheme}.png`,
						fullPage: true
					});
			}
			// The password form open, the widest part of Account.
			await openSection(page, 'Account');
			const toggle = page.getByRole('button', { name: 'Change password' });
			await tabTo(page, toggle);
			await page.keyboard.press('Enter');
			await expect(page.getByTestId('password-card').getByLabel('Current password')).toBeFocused();
			await expectNoHorizontalScroll(page, `password form at ${width}px`);
			if (width !== 320)
				await page.screenshot({ path: `${SHOTS}/password-open-${width}-${scheme}.png`, fullPage: true });
			await tabTo(page, page.getByTestId('password-card').getByRole('button', { name: 'Cancel' }));
			await page.keyboard.press('Enter');
			await expect(toggle).toBeFocused();
			// Back to the index through the section links' "Settings".
			await tabTo(
				page,
				page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Settings' }),
				{ back: true }
			);
			await page.keyboard.press('Enter');
			await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeFocused();
		}
	}
});
