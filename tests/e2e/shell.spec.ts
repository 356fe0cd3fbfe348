// The shell as a phone, a desktop and a keyboard meet it: no page wider than the screen, the theme
// toggle (remembered, applied before paint), the phone menu from the keyboard, focus on the new page's
// heading after a client-side navigation, and the API reference with nothing from another origin.
// Screenshots of each page in both themes at both sizes go to /tmp/shell-shots (SHELL_SHOTS overrides).
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { newAccount, type Kdf } from '../helpers/account-client';

const SHOTS = process.env.SHELL_SHOTS || '/tmp/shell-shots';
const PASSWORD = 'correct horse battery staple';
// Argon2id runs in the browser on sign-in: seconds on a busy 2-core machine.
const SLOW = 30_000;
test.setTimeout(180_000);

const PHONES = [390, 320] as const;

async function createAccount(request: APIRequestContext) {
	const email = `shell-${randomUUID().slice(0, 8)}@example.com`;
	const pre = (await (await request.post('/api/auth/prelogin', { data: { email } })).json()) as { kdf: Kdf };
	const account = await newAccount(email, PASSWORD, { kdf: pre.kdf });
	const res = await request.post('/api/auth/signup', { data: account.signupBody });
	expect(res.status(), await res.text()).toBeLessThan(300);
	return email;
}

async function signIn(page: Page, email: string) {
	await page.goto('/sign-in');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page).toHaveURL(/\/app$/, { timeout: SLOW });
	await expect(page.getByTestId('vault-state')).toHaveText(/Vault unlocked/, { timeout: SLOW });
}

async function expectNoHorizontalScroll(page: Page, what: string) {
	const { scrollWidth, innerWidth } = await page.evaluate(() => ({
		scrollWidth: document.documentElement.scrollWidth,
		innerWidth: window.innerWidth
	}));
	expect(scrollWidth, `${what} at ${innerWidth} px is ${scrollWidth} px wide`).toBeLessThanOrEqual(
		innerWidth
	);
}

async function setTheme(page: Page, theme: 'light' | 'dark') {
	await page.evaluate((t) => {
		localStorage.setItem('stowage.theme', t);
		document.documentElement.dataset.theme = t;
	}, theme);
}

async function shoot(page: Page, name: string) {
	mkdirSync(SHOTS, { recursive: true });
	for (const theme of ['light', 'dark'] as const) {
		await setTheme(page, theme);
		await page.screenshot({ path: `${SHOTS}/${name}-${theme}.png`, fullPage: true });
	}
	await setTheme(page, 'light');
}

test('signed-out pages fit a phone and render in both themes', async ({ page }) => {
	for (const path of ['/', '/sign-in', '/sign-up']) {
		for (const width of [...PHONES, 1280]) {
			await page.setViewportSize({ width, height: width < 500 ? 844 : 900 });
			await page.goto(path);
			await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
			await expectNoHorizontalScroll(page, path);
			if (width !== 320) await shoot(page, `${path === '/' ? 'landing' : path.slice(1)}-${width}`);
		}
	}
});

test('the landing page leads with Create account', async ({ page }) => {
	await page.goto('/');
	const hero = page.locator('.hero');
	const primary = hero.getByRole('link', { name: 'Create account' });
	await expect(primary).toHaveAttribute('href', '/sign-up');
	await expect(primary).not.toHaveClass(/secondary/);
	await expect(hero.getByRole('link', { name: 'Sign in' })).toHaveClass(/secondary/);
	// The first button-styled action in the hero is the new visitor's.
	await expect(hero.locator('.actions a').first()).toHaveAttribute('href', '/sign-up');
});

test('the theme toggle is remembered across a reload and dark sets color-scheme', async ({ page }) => {
	await page.emulateMedia({ colorScheme: 'light' });
	await page.goto('/sign-in');
	const scheme = () => page.evaluate(() => getComputedStyle(document.documentElement).colorScheme);
	const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
	const lightBackground = await background();

	await page.getByRole('radio', { name: 'Dark' }).check();
	expect(await scheme()).toBe('dark');
	expect(await background()).not.toBe(lightBackground);

	await page.reload();
	// Applied by the inline script before the app runs: checked on the document as first delivered.
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
	expect(await scheme()).toBe('dark');
	await expect(page.getByRole('radio', { name: 'Dark' })).toBeChecked();
	// Printed (the recovery kit), the page uses the light tokens: dark ink on white paper.
	await page.emulateMedia({ media: 'print' });
	expect(await scheme()).toBe('light');
	await page.emulateMedia({ media: 'screen' });

	// 'System' follows the operating system.
	await page.getByRole('radio', { name: 'System' }).check();
	await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
	await page.emulateMedia({ colorScheme: 'dark' });
	expect(await background()).not.toBe(lightBackground);
	await page.emulateMedia({ colorScheme: 'light' });
	expect(await background()).toBe(lightBackground);
	await page.reload();
	await expect(page.getByRole('radio', { name: 'System' })).toBeChecked();
});

test('the dark theme is applied before first paint (no flash)', async ({ page }) => {
	await page.addInitScript(() => localStorage.setItem('stowage.theme', 'dark'));
	// Read at the first possible moment, before the app's modules have run.
	await page.addInitScript(() => {
		document.addEventListener('DOMContentLoaded', () => {
			(window as unknown as { schemeAtLoad: string }).schemeAtLoad = getComputedStyle(
				document.documentElement
			).colorScheme;
		});
	});
	await page.goto('/');
	expect(await page.evaluate(() => (window as unknown as { schemeAtLoad: string }).schemeAtLoad)).toBe(
		'dark'
	);
});

test('signed in: the app fits a phone, the menus work from the keyboard, focus follows navigation', async ({
	page,
	request
}) => {
	const violations: string[] = [];
	page.on('console', (msg) => {
		if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
	});
	const email = await createAccount(request);
	await page.setViewportSize({ width: 1280, height: 900 });
	await signIn(page, email);

	// Desktop: the sidebar links the pages that exist; a client-side navigation focuses the new h1.
	const sidebar = page.locator('aside');
	await expect(sidebar.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
	await sidebar.getByRole('link', { name: 'Settings' }).click();
	await expect(page).toHaveURL(/\/app\/settings$/);
	await expect(page.locator('#main h1')).toBeFocused();
	await shoot(page, 'settings-1280');
	// A settings section still marks Settings as the current page (and Overview as not).
	await page.getByTestId('settings-link-security').click();
	await expect(page).toHaveURL(/\/app\/settings\/security$/);
	await expect(sidebar.getByRole('link', { name: 'Settings' })).toHaveAttribute('aria-current', 'page');
	await expect(sidebar.getByRole('link', { name: 'Overview' })).not.toHaveAttribute('aria-current', 'page');
	await sidebar.getByRole('link', { name: 'Overview' }).click();
	await expect(page.getByTestId('greeting')).toBeFocused();
	await shoot(page, 'app-1280');

	// The account menu: Escape closes it and returns focus; Tab out of it closes it.
	const account = page.getByRole('button', { name: /account menu/ });
	await account.click();
	const userMenu = page.locator('#user-menu');
	await expect(userMenu).toBeVisible();
	await expect(
		userMenu.getByRole('radiogroup', { name: 'Theme' }).or(userMenu.getByRole('group', { name: 'Theme' }))
	).toBeVisible();
	await page.screenshot({ path: `${SHOTS}/app-menu-1280-light.png` });
	await page.keyboard.press('Escape');
	await expect(userMenu).toBeHidden();
	await expect(account).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(userMenu).toBeVisible();
	await userMenu.getByRole('button', { name: 'Sign out' }).focus();
	await page.keyboard.press('Tab');
	await expect(userMenu).toBeHidden();

	// Phone sizes: no horizontal scroll, Lock and the account menu on screen.
	for (const width of PHONES) {
		await page.setViewportSize({ width, height: 844 });
		for (const path of ['/app', '/app/settings']) {
			if (new URL(page.url()).pathname !== path) {
				await page.getByRole('button', { name: 'Menu', exact: true }).click();
				await page
					.locator('#phone-nav-panel')
					.getByRole('link', { name: path === '/app' ? 'Overview' : 'Settings' })
					.click();
				await expect(page).toHaveURL(new RegExp(`${path}$`));
			}
			await expect(page.locator('#main h1')).toBeVisible();
			await expectNoHorizontalScroll(page, path);
			await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeInViewport({ ratio: 1 });
			await expect(account).toBeInViewport({ ratio: 1 });
			if (width === 390) await shoot(page, `${path === '/app' ? 'app' : 'settings'}-390`);
		}
	}

	// The phone menu from the keyboard: Enter opens, Escape closes and focus returns to the button;
	// Tab past its last link closes it.
	await page.setViewportSize({ width: 390, height: 844 });
	const menuButton = page.getByRole('button', { name: 'Menu', exact: true });
	const panel = page.locator('#phone-nav-panel');
	await menuButton.focus();
	await page.keyboard.press('Enter');
	await expect(menuButton).toHaveAttribute('aria-expanded', 'true');
	await expect(panel).toBeVisible();
	await page.screenshot({ path: `${SHOTS}/app-phone-menu-390-light.png` });
	await page.keyboard.press('Tab');
	await expect(panel.getByRole('link').first()).toBeFocused();
	await page.keyboard.press('Escape');
	await expect(panel).toBeHidden();
	await expect(menuButton).toHaveAttribute('aria-expanded', 'false');
	await expect(menuButton).toBeFocused();

	await page.keyboard.press('Enter');
	await expect(panel).toBeVisible();
	await panel.getByRole('link').last().focus();
	await page.keyboard.press('Tab');
	await expect(panel).toBeHidden();

	// Choosing a page from the phone menu: the menu closes, focus goes to the new heading.
	await menuButton.click();
	await panel.getByRole('link', { name: 'Overview' }).click();
	await expect(page).toHaveURL(/\/app$/);
	await expect(panel).toBeHidden();
	await expect(page.getByTestId('greeting')).toBeFocused();

	// Locked, then reloaded: the lock screen has a title.
	await page.getByRole('button', { name: 'Lock', exact: true }).click();
	await expect(page.getByTestId('lock-screen')).toBeVisible();
	await page.reload();
	await expect(page.getByTestId('lock-screen')).toBeVisible();
	await expect(page).toHaveTitle(/\S/);
	await expectNoHorizontalScroll(page, 'the lock screen');
	await shoot(page, 'lock-390');

	// Unlocking puts focus on the page's heading, not on <body>.
	await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
	await page.getByRole('button', { name: 'Unlock', exact: true }).click();
	await expect(page.getByTestId('greeting')).toBeFocused({ timeout: SLOW });

	// Wide content inside a .scroll-region scrolls there; the page keeps the screen's width.
	await page.locator('#main').evaluate((main) => {
		const region = document.createElement('div');
		region.className = 'scroll-region';
		region.tabIndex = 0;
		region.setAttribute('role', 'region');
		region.setAttribute('aria-label', 'Wide table');
		region.innerHTML = `<table style="width: 1600px"><tr><td>wide</td></tr></table>`;
		main.append(region);
	});
	const region = page.getByRole('region', { name: 'Wide table' });
	expect(await region.evaluate((r) => r.scrollWidth > r.clientWidth)).toBe(true);
	await expectNoHorizontalScroll(page, 'the app with a wide table');
	expect(violations).toEqual([]);
});

test('a client-side navigation between signed-out pages focuses the new h1', async ({ page }) => {
	await page.goto('/');
	await page.locator('.hero').getByRole('link', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/sign-in$/);
	const h1 = page.getByRole('heading', { level: 1 });
	await expect(h1).toHaveText('Sign in');
	await expect(h1).toBeFocused();
});

test('/api/docs renders with nothing from another origin', async ({ page, baseURL }) => {
	const origin = new URL(baseURL!).origin;
	const foreign: string[] = [];
	await page.route('**/*', (route) => {
		if (new URL(route.request().url()).origin === origin) return route.continue();
		foreign.push(route.request().url());
		return route.abort();
	});
	await page.goto('/api/docs');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Stowage API');
	await expect(page.getByRole('heading', { name: 'GET /api/health', exact: true })).toBeVisible();
	for (const width of [390, 1280]) {
		await page.setViewportSize({ width, height: 900 });
		await expectNoHorizontalScroll(page, '/api/docs');
	}
	await page.screenshot({ path: `${SHOTS}/docs-1280.png` });
	expect(foreign).toEqual([]);
});
