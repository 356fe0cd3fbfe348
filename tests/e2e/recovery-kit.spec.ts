// The recovery kit as a person meets it, in Chromium against the production build: sign-up from the
// keyboard alone through the kit (the confirm button stays in the Tab order and validates on submit),
// the PDF and text downloads, no overflow on a phone, a taken email refused before any kit is shown, and
// the same kit after "Create a new recovery key" in settings.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { expect, test, type Locator, type Page } from '@playwright/test';

const PASSWORD = 'Quiet-Lantern-Orbit-93';
const KEY_FORMAT = /^[0-9A-Z]{4}(-[0-9A-Z]{4}){13}$/;
const SLOW = 30_000;
const SHOTS = 'test-results/recovery-kit';
const LONGEST_EMAIL = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;

// Argon2id runs in the browser for every sign-up and sign-in: seconds on a busy 2-core machine.
test.setTimeout(120_000);
test.describe.configure({ mode: 'serial' });

/** The account the first test makes through the pages; later tests sign in to it. */
const account = { email: `kit-${randomUUID().slice(0, 8)}@example.com`, recoveryKey: '' };

const isFocused = (locator: Locator) => locator.evaluate((el) => el === document.activeElement);

/** Presses Tab until `target` has focus (it must be reachable within `max` presses). */
async function tabTo(page: Page, target: Locator, max = 25) {
	for (let i = 0; i < max; i++) {
		if (await isFocused(target)) return;
		await page.keyboard.press('Tab');
	}
	await expect(target).toBeFocused();
}

async function keyOnPage(page: Page): Promise<string> {
	return (await page.getByTestId('recovery-key').textContent())!.replace(/\s+/g, '');
}

test.beforeAll(() => mkdirSync(SHOTS, { recursive: true }));

test('sign-up from the keyboard alone through the kit, with the PDF and text downloads', async ({ page }) => {
	await page.goto('/sign-up');
	await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();

	// "Create account" is in the Tab order even before anything is typed, and says what is missing.
	const create = page.getByRole('button', { name: 'Create account' });
	await tabTo(page, create);
	await page.keyboard.press('Enter');
	const email = page.getByLabel('Email');
	await expect(email).toBeFocused();
	await expect(email).toHaveAttribute('aria-invalid', 'true');
	await expect(page.locator('#email-error')).toHaveText('Enter your email address.');
	await expect(email).toHaveAttribute('aria-describedby', 'email-error');

	await page.keyboard.type(account.email);
	await page.keyboard.press('Tab');
	await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
	await page.keyboard.type(PASSWORD);
	await expect(page.getByText('Strength:')).toContainText(/Strong|Very strong/);
	await tabTo(page, create);
	await page.keyboard.press('Enter');

	const kitHeading = page.getByRole('heading', { name: 'Save your recovery kit' });
	await expect(kitHeading).toBeFocused({ timeout: SLOW });
	const key = await keyOnPage(page);
	expect(key).toMatch(KEY_FORMAT);
	account.recoveryKey = key;
	await expect(page.getByTestId('kit-email')).toHaveText(account.email);

	// The PDF: made in the browser on Enter, a real PDF file.
	const pdfButton = page.getByRole('button', { name: 'Download PDF' });
	await tabTo(page, pdfButton);
	const [pdf] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
	expect(pdf.suggestedFilename()).toBe('stowage-recovery-kit.pdf');
	const pdfBytes = readFileSync((await pdf.path())!);
	expect(pdfBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
	writeFileSync(`${SHOTS}/kit.pdf`, pdfBytes);
	await expect(page.getByRole('status').filter({ hasText: 'downloaded as PDF' })).toBeVisible();

	// The text: the key alone on its line, the account, no line starting with a dash.
	const textButton = page.getByRole('button', { name: 'Download .txt' });
	await tabTo(page, textButton);
	const [txt] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
	expect(txt.suggestedFilename()).toBe('stowage-recovery-kit.txt');
	const text = readFileSync((await txt.path())!, 'utf8');
	expect(text.split('\n')).toContain(key);
	expect(text.split('\n')).toContain(account.email);
	expect(text).not.toMatch(/\r/);
	expect(text.split('\n').filter((l) => l.startsWith('-'))).toEqual([]);

	await expect(page.getByRole('button', { name: 'Copy' })).toBeVisible();
	await page.screenshot({ path: `${SHOTS}/kit-desktop.png`, fullPage: true });

	// Tab to the confirm button with the box unticked: an error tied to the box, and focus on it.
	const confirm = page.getByRole('button', { name: 'I saved it — create my account' });
	const box = page.getByRole('checkbox', { name: /I have saved my recovery kit/ });
	await tabTo(page, confirm);
	await expect(confirm).toBeEnabled();
	await page.keyboard.press('Enter');
	await expect(box).toBeFocused();
	await expect(box).toHaveAttribute('aria-invalid', 'true');
	const describedBy = (await box.getAttribute('aria-describedby'))!;
	await expect(page.locator(`#${describedBy}`)).toHaveText(/Tick this box once your recovery kit is saved/);
	await expect(page.locator(`#${describedBy}`)).toHaveAttribute('role', 'alert');
	await expect(page).toHaveURL(/\/sign-up$/);
	await page.screenshot({ path: `${SHOTS}/kit-unticked-error.png`, fullPage: true });

	// Tick it with Space: the error goes; then the button creates the account.
	await page.keyboard.press('Space');
	await expect(box).toBeChecked();
	await expect(box).not.toHaveAttribute('aria-invalid', 'true');
	await tabTo(page, confirm);
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/app$/, { timeout: SLOW });
	await expect(page.getByTestId('vault-state')).toHaveText(/Vault unlocked/, { timeout: SLOW });
});

test('an email that already has an account is refused before any key is derived or kit shown', async ({
	page
}) => {
	const prelogins: string[] = [];
	page.on('request', (r) => {
		if (new URL(r.url()).pathname === '/api/auth/prelogin') prelogins.push(r.url());
	});
	await page.goto('/sign-up');
	await page.getByLabel('Email').fill(account.email.toUpperCase());
	await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
	await page.getByRole('button', { name: 'Create account' }).click();

	const email = page.getByLabel('Email');
	await expect(page.locator('#email-error')).toContainText('already exists', { timeout: SLOW });
	await expect(email).toBeFocused();
	await expect(email).toHaveAttribute('aria-invalid', 'true');
	await expect(email).toHaveAttribute('aria-describedby', 'email-error');
	await expect(page.locator('#email-error').getByRole('link', { name: 'Sign in' })).toHaveAttribute(
		'href',
		'/sign-in'
	);
	await expect(page.getByRole('heading', { name: 'Save your recovery kit' })).toHaveCount(0);
	await expect(page.getByTestId('recovery-key')).toHaveCount(0);
	expect(prelogins).toEqual([]);
	await page.screenshot({ path: `${SHOTS}/email-taken.png`, fullPage: true });
});

test('the kit fits a phone: nothing overflows its box or the page at 320 and 390 px', async ({ page }) => {
	// The longest email there can be, so the layout is tested at its worst; no account is made.
	await page.setViewportSize({ width: 320, height: 740 });
	await page.goto('/sign-up');
	await page.getByLabel('Email').fill(LONGEST_EMAIL);
	await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByRole('heading', { name: 'Save your recovery kit' })).toBeFocused({ timeout: SLOW });
	await expect(page.getByTestId('kit-email')).toHaveText(LONGEST_EMAIL);

	for (const width of [320, 390, 1280]) {
		await page.setViewportSize({ width, height: width < 500 ? 844 : 900 });
		const sizes = await page.getByTestId('recovery-kit').evaluate((kit) => {
			const box = kit.querySelector('section')!.getBoundingClientRect();
			const overflowing = [kit, ...kit.querySelectorAll('*')]
				.filter((el) => el.scrollWidth > el.clientWidth && getComputedStyle(el).display !== 'inline')
				.map((el) => `${el.tagName}.${el.className}: ${el.scrollWidth} > ${el.clientWidth}`);
			const outside = [...kit.querySelectorAll('section *')]
				.filter((el) => el.getBoundingClientRect().right > box.right + 0.5)
				.map((el) => el.tagName);
			return {
				overflowing,
				outside,
				page: document.documentElement.scrollWidth,
				inner: window.innerWidth
			};
		});
		expect(sizes.overflowing, `at ${width} px`).toEqual([]);
		expect(sizes.outside, `at ${width} px`).toEqual([]);
		expect(sizes.page, `at ${width} px`).toBeLessThanOrEqual(sizes.inner);
		// The key wraps by whole groups: every group is on one line.
		const groupHeights = await page
			.getByTestId('recovery-key')
			.locator('.group')
			.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height));
		expect(Math.max(...groupHeights)).toBeLessThan(40);
		if (width !== 320) await page.screenshot({ path: `${SHOTS}/kit-${width}.png`, fullPage: true });
	}

	// The kit's colours come from the theme tokens: in the dark theme it is dark too.
	await page.setViewportSize({ width: 390, height: 844 });
	await page.emulateMedia({ colorScheme: 'dark' });
	const [card, ink] = await page.getByTestId('recovery-kit').evaluate((kit) => {
		const section = kit.querySelector('section')!;
		return [getComputedStyle(section).backgroundColor, getComputedStyle(kit.querySelector('.key')!).color];
	});
	expect(card).not.toBe(ink);
	await page.screenshot({ path: `${SHOTS}/kit-390-dark.png`, fullPage: true });
});

test('settings: a new recovery key is shown in the same kit, confirmed the same way', async ({ page }) => {
	await page.goto('/sign-in');
	await page.getByLabel('Email').fill(account.email);
	await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page).toHaveURL(/\/app$/, { timeout: SLOW });
	await expect(page.getByTestId('vault-state')).toHaveText(/Vault unlocked/, { timeout: SLOW });

	// Client-side navigation: a reload would lock the vault.
	await page.locator('a[href="/app/settings"]').first().click();
	await expect(page).toHaveURL(/\/app\/settings$/);
	await page.getByTestId('settings-link-security').click();
	await expect(page).toHaveURL(/\/app\/settings\/security$/);
	const card = page.getByTestId('recovery-card');
	await card.getByRole('button', { name: 'Create a new recovery key' }).click();
	const prompt = card.getByTestId('reauth-prompt');
	await prompt.getByLabel('Current password').fill(PASSWORD);
	await prompt.getByRole('button', { name: 'Create new recovery key', exact: true }).click();

	const shown = card.getByTestId('new-recovery-key');
	await expect(shown).toBeVisible({ timeout: SLOW });
	const kit = shown.getByTestId('recovery-kit');
	await expect(kit).toBeVisible();
	const key = await keyOnPage(page);
	expect(key).toMatch(KEY_FORMAT);
	expect(key).not.toBe(account.recoveryKey);
	await expect(kit.getByTestId('kit-email')).toHaveText(account.email);
	for (const name of ['Download PDF', 'Download .txt', 'Copy'])
		await expect(kit.getByRole('button', { name, exact: true })).toBeVisible();

	const [txt] = await Promise.all([
		page.waitForEvent('download'),
		kit.getByRole('button', { name: 'Download .txt' }).click()
	]);
	const text = readFileSync((await txt.path())!, 'utf8');
	expect(text.split('\n')).toContain(key);
	expect(text).toContain('replaces any earlier recovery key');
	await page.screenshot({ path: `${SHOTS}/settings-kit.png`, fullPage: true });

	const confirm = kit.getByRole('button', { name: 'I saved it', exact: true });
	const box = kit.getByRole('checkbox', { name: /I have saved my recovery kit/ });
	await confirm.click();
	await expect(box).toBeFocused();
	await expect(box).toHaveAttribute('aria-invalid', 'true');
	await box.check();
	await confirm.click();
	await expect(shown).toHaveCount(0);
	const done = card.getByRole('status').filter({ hasText: 'Your new recovery key is active' });
	await expect(done).toBeFocused();
});
