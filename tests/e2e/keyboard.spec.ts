// Keyboard only: sign up (through the recovery kit), sign out, sign in, lock and unlock with nothing but
// page.keyboard, and after each step the focus is where a keyboard user needs it. The settings actions
// have their own keyboard spec (settings-keyboard.spec.ts). Recovery, from the keyboard too, ends the file.
import { randomUUID } from 'node:crypto';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { deriveRecoveryKeys, encodeRecoveryKey } from '../../crypto/index';
import { b64, newAccount, type Kdf } from '../helpers/account-client';

const PASSWORD = 'quiet lantern orchard 47 pebble';
// Argon2id runs in the browser on sign-up, sign-in and unlock: seconds on a busy 2-core machine.
const SLOW = 45_000;
test.setTimeout(240_000);

/** Presses Tab (Shift+Tab with `back`) until `target` has focus; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, { max = 40, back = false } = {}) {
	const handle = await target.elementHandle();
	expect(handle, 'the element to Tab to is on the page').not.toBeNull();
	for (let i = 0; i < max; i++) {
		if (await handle!.evaluate((el) => el === document.activeElement)) return;
		await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
	}
	await expect(target, `reached within ${max} presses of Tab`).toBeFocused();
}

/** The focused element, described for a failure message. */
const focused = (page: Page) =>
	page.evaluate(() => {
		const el = document.activeElement;
		return el
			? `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${el.textContent?.trim().slice(0, 40)}"`
			: 'none';
	});

const mainHeading = (page: Page) => page.getByRole('main').getByRole('heading', { level: 1 });

test('sign up, sign out, sign in, lock and unlock from the keyboard alone', async ({ page }) => {
	const email = `keys-${randomUUID().slice(0, 8)}@example.com`;

	// Sign up. Keys pressed before the page hydrates would submit the form natively: wait for it.
	await page.goto('/sign-up', { waitUntil: 'networkidle' });

	// Submitting empty keeps the button in reach and puts focus on the field to fix.
	const createButton = page.getByRole('button', { name: 'Create account' });
	await tabTo(page, createButton);
	await page.keyboard.press('Enter');
	const emailField = page.getByLabel('Email');
	await expect(emailField).toBeFocused();
	await expect(emailField).toHaveAttribute('aria-invalid', 'true');

	await page.keyboard.type(email);
	const passwordField = page.getByLabel('Password', { exact: true });
	await tabTo(page, passwordField);
	await page.keyboard.type(PASSWORD);
	// The password toggle: Space presses it, its name stays, its state flips.
	const toggle = page.getByRole('button', { name: 'Show password' });
	await page.keyboard.press('Tab');
	await expect(toggle).toBeFocused();
	await page.keyboard.press('Space');
	await expect(toggle).toHaveAttribute('aria-pressed', 'true');
	await expect(passwordField).toHaveAttribute('type', 'text');
	await page.keyboard.press('Space');
	await expect(passwordField).toHaveAttribute('type', 'password');
	await expect(page.getByText('Strength:')).toContainText(/strong/i);
	await tabTo(page, createButton);
	await page.keyboard.press('Enter');

	// The recovery kit: its heading has focus.
	const kitHeading = page.getByRole('heading', { name: 'Save your recovery kit' });
	await expect(kitHeading).toBeFocused({ timeout: SLOW });
	const confirm = page.getByRole('button', { name: /I saved it/ });
	const saved = page.getByRole('checkbox', { name: /saved my recovery kit/ });
	// Not ticked yet: the button still answers, and sends focus to the box.
	await tabTo(page, confirm);
	await page.keyboard.press('Enter');
	await expect(saved, `focus is on ${await focused(page)}`).toBeFocused();
	await expect(saved).toHaveAttribute('aria-invalid', 'true');
	await page.keyboard.press('Space');
	await expect(saved).toBeChecked();
	await tabTo(page, confirm);
	await page.keyboard.press('Enter');

	// In the app, on its heading.
	await expect(page).toHaveURL(/\/app$/, { timeout: SLOW });
	await expect(page.getByTestId('vault-state')).toHaveText(/Vault unlocked/);
	await expect(mainHeading(page), `focus is on ${await focused(page)}`).toBeFocused();

	// Sign out through the account menu.
	const menuButton = page.getByRole('button', { name: /account menu/ });
	await tabTo(page, menuButton);
	await page.keyboard.press('Enter');
	await expect(menuButton).toHaveAttribute('aria-expanded', 'true');
	const signOut = page.locator('#user-menu').getByRole('button', { name: 'Sign out' });
	await tabTo(page, signOut);
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/sign-in$/, { timeout: SLOW });
	const signInHeading = page.getByRole('heading', { name: 'Sign in', level: 1 });
	await expect(signInHeading, `focus is on ${await focused(page)}`).toBeFocused();

	// Sign in: empty first (focus on the field in error), then a wrong password (focus back on it).
	const signInButton = page.getByRole('button', { name: 'Sign in', exact: true });
	await tabTo(page, signInButton);
	await page.keyboard.press('Enter');
	await expect(page.getByLabel('Email')).toBeFocused();
	await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByLabel('Email')).toHaveAccessibleDescription('Enter your email address.');
	await page.keyboard.type(email);
	await page.keyboard.press('Tab');
	const signInPassword = page.getByLabel('Password', { exact: true });
	await expect(signInPassword).toBeFocused();
	await page.keyboard.type('not the password at all');
	await page.keyboard.press('Enter');
	await expect(page.getByRole('alert')).toHaveText('The email or password is incorrect.', { timeout: SLOW });
	await expect(signInPassword).toBeFocused();
	await expect(signInPassword).toHaveAttribute('aria-invalid', 'true');
	await expect(signInPassword).toHaveAccessibleDescription('The email or password is incorrect.');
	await page.keyboard.type(PASSWORD);
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/app$/, { timeout: SLOW });
	await expect(page.getByTestId('vault-state')).toHaveText(/Vault unlocked/, { timeout: SLOW });
	await expect(mainHeading(page), `focus is on ${await focused(page)}`).toBeFocused();

	// Lock: the lock screen's password field has focus.
	const lock = page.getByRole('button', { name: 'Lock', exact: true });
	await tabTo(page, lock);
	await page.keyboard.press('Enter');
	const unlockField = page.getByTestId('lock-screen').getByLabel('Password');
	await expect(unlockField, `focus is on ${await focused(page)}`).toBeFocused();

	// Unlock with nothing typed: the error is tied to the field, which keeps focus.
	await page.keyboard.press('Enter');
	await expect(unlockField).toHaveAttribute('aria-invalid', 'true');
	await expect(unlockField).toHaveAttribute('aria-describedby', 'unlock-error');
	await expect(page.locator('#unlock-error')).toHaveText('Enter your password.');
	await expect(unlockField, `focus is on ${await focused(page)}`).toBeFocused();

	// Unlock: the page comes back with focus on its heading.
	await page.keyboard.type(PASSWORD);
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('vault-state')).toHaveText(/Vault unlocked/, { timeout: SLOW });
	await expect(mainHeading(page), `focus is on ${await focused(page)}`).toBeFocused();
});

test('recover from the keyboard: the missing two-factor code is asked for, then a new password', async ({
	page,
	request
}) => {
	const email = `keys-${randomUUID().slice(0, 8)}@example.com`;
	const pre = (await (await request.post('/api/auth/prelogin', { data: { email } })).json()) as { kdf: Kdf };
	const account = await newAccount(email, PASSWORD, { kdf: pre.kdf });
	// The stand-in's recovery auth key is random; the browser derives it from the key, as here.
	const recoveryKey = account.recoveryKey as Parameters<typeof deriveRecoveryKeys>[0];
	const signupBody = {
		...account.signupBody,
		recoveryAuthKey: b64(deriveRecoveryKeys(recoveryKey).recoveryAuthKey)
	};
	const res = await request.post('/api/auth/signup', { data: signupBody });
	expect(res.status(), await res.text()).toBeLessThan(300);

	// Two-factor on for more than a day cannot be set up from here (the server's clock decides what is
	// recent), so the first answer is the server's own for that case (tests/integration proves it is
	// given); the second, with the code, goes to the server.
	await page.route('**/api/auth/recovery', async (route) => {
		const body = route.request().postDataJSON() as Record<string, unknown>;
		if (body.code !== undefined || body.backupCode !== undefined) return route.continue();
		await route.fulfill({
			status: 401,
			contentType: 'application/problem+json',
			json: {
				type: 'about:blank',
				title: 'Code needed',
				status: 401,
				code: 'second_factor_required',
				detail: 'Enter the code from your authenticator app, or a backup code.'
			}
		});
	});

	await page.goto('/recover', { waitUntil: 'networkidle' });
	await tabTo(page, page.getByLabel('Email'));
	await page.keyboard.type(email);
	await page.keyboard.press('Tab');
	await expect(page.getByLabel('Recovery key')).toBeFocused();
	await page.keyboard.type(encodeRecoveryKey(recoveryKey));
	const continueButton = page.getByRole('button', { name: 'Continue' });
	await tabTo(page, continueButton);
	await page.keyboard.press('Enter');

	const code = page.getByLabel('Two-factor code');
	await expect(code, `focus is on ${await focused(page)}`).toBeFocused({ timeout: SLOW });
	await expect(code).toHaveAccessibleDescription(/recovery key is right.*authenticator app/i);
	await expect(page.getByText('The email, recovery key or code is not correct.')).toHaveCount(0);
	// Continue without it: focus stays on the field, which now says what is missing.
	await page.keyboard.press('Enter');
	await expect(code).toBeFocused();
	await expect(code).toHaveAttribute('aria-invalid', 'true');
	await expect(code).toHaveAccessibleDescription(/Enter the 6-digit code/);
	await page.keyboard.type('123456');
	await page.keyboard.press('Enter');

	await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeFocused({ timeout: SLOW });
	await page.keyboard.press('Tab');
	await expect(page.getByLabel('New password', { exact: true })).toBeFocused();
	await page.keyboard.type('another quiet orchard 83 lantern');
	await expect(page.getByText('Strength:')).toContainText(/strong/i);
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/app$/, { timeout: SLOW });
	await expect(page.getByTestId('vault-state')).toHaveText(/Vault unlocked/, { timeout: SLOW });
	await expect(mainHeading(page), `focus is on ${await focused(page)}`).toBeFocused();
});
