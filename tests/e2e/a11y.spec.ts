// axe-core over every page and state, in light and dark, at desktop and phone size: no serious or
// critical WCAG 2.1 A/AA violation. The page list comes from src/routes (helpers/a11y.ts), so a new page is
// checked without anyone adding it here. At phone size every page must also fit the screen's width.
//
// Each size runs two tests: signed out (full page loads), and signed in, where one sign-in serves every
// state and pages change by client-side navigation (a reload locks the vault). Every finding is collected
// first and reported at the end, so one run lists them all.
import { randomUUID } from 'node:crypto';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { newAccount, type Kdf } from '../helpers/account-client';
import {
	axeFindings,
	navigateInApp,
	pagesFromRoutes,
	pageWidth,
	report,
	SERVER_PAGES,
	useTheme,
	type Finding
} from './helpers/a11y';

const PASSWORD = 'correct horse battery staple';
const STRONG = 'quiet lantern orchard 47 pebble';
// Argon2id runs in the browser on sign-up and sign-in: seconds on a busy 2-core machine.
const SLOW = 45_000;
test.setTimeout(300_000);

const PAGES = pagesFromRoutes();
/** A folder to save a screenshot of every state and theme in, to look at (A11Y_SHOTS=/tmp/a11y-shots). */
const SHOTS = process.env.A11Y_SHOTS;

const SIZES = [
	{ name: 'desktop', use: { viewport: { width: 1280, height: 800 } }, via: 'system' as const },
	{
		name: 'phone',
		use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
		// The app's own toggle (or its stored choice) here, against the opposite system theme.
		via: 'toggle' as const
	}
];

async function createAccount(request: APIRequestContext): Promise<string> {
	const email = `a11y-${randomUUID().slice(0, 8)}@example.com`;
	const pre = (await (await request.post('/api/auth/prelogin', { data: { email } })).json()) as { kdf: Kdf };
	const account = await newAccount(email, PASSWORD, { kdf: pre.kdf });
	const res = await request.post('/api/auth/signup', { data: account.signupBody });
	expect(res.status(), await res.text()).toBeLessThan(300);
	return email;
}

/** Checks the page as it stands in both themes, and (on a phone) its width. */
class Checker {
	findings: Finding[] = [];
	tooWide: string[] = [];
	states: string[] = [];

	constructor(
		private page: Page,
		private size: (typeof SIZES)[number]
	) {}

	async check(state: string, via = this.size.via) {
		this.states.push(state);
		for (const theme of ['light', 'dark'] as const) {
			await useTheme(this.page, theme, via);
			const label = `${state} [${this.size.name}, ${theme}${via === 'toggle' ? ' by toggle' : ''}]`;
			this.findings.push(...(await axeFindings(this.page, label)));
			if (SHOTS) {
				const name = `${this.size.name}-${state.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}-${theme}`;
				await this.page.screenshot({ path: `${SHOTS}/${name || 'root'}.png`, fullPage: true });
			}
		}
		if (this.size.name === 'phone') {
			const { scrollWidth, innerWidth } = await pageWidth(this.page);
			if (scrollWidth > innerWidth) this.tooWide.push(`${state}: ${scrollWidth} px wide at ${innerWidth} px`);
		}
	}

	expectClean() {
		expect
			.soft(this.tooWide.length, `Pages wider than the phone's screen:\n${this.tooWide.join('\n')}`)
			.toBe(0);
		expect(
			this.findings.length,
			`${this.findings.length} serious/critical axe finding(s) over ${this.states.length} states:\n${report(this.findings)}`
		).toBe(0);
	}
}

for (const size of SIZES) {
	test.describe(`at ${size.name} size`, () => {
		test.use(size.use);

		test('signed out: every page, the sign-up, sign-in and recovery steps', async ({ page }) => {
			const checker = new Checker(page, size);
			for (const { url, signedIn } of PAGES) {
				await page.goto(url);
				// A signed-in page, visited signed out, sends the visitor to sign-in: check where it lands.
				if (signedIn) await expect(page).toHaveURL(/\/sign-in$/);
				await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
				await checker.check(`${url}${signedIn ? ' (signed out → sign-in)' : ''}`);
			}

			// The API reference is sandboxed (no script runs, axe included): the same page is checked with its
			// CSP header removed. It has no toggle and no storage (an opaque origin): it follows the system.
			for (const url of SERVER_PAGES) {
				await page.route(url, async (route) => {
					const response = await route.fetch();
					const headers = { ...response.headers() };
					delete headers['content-security-policy'];
					await route.fulfill({ response, headers });
				});
				await page.goto(url);
				await checker.check(url, 'system');
				await page.unroute(url);
			}

			await page.goto('/no-such-page');
			await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
			await checker.check('404');

			// Sign-up: refused, then filled, then the recovery kit (and its "not saved yet" error).
			await page.goto('/sign-up');
			await page.getByRole('button', { name: 'Create account' }).click();
			await expect(page.locator('#email-error')).toBeVisible();
			await checker.check('/sign-up with errors');
			await page.getByLabel('Email').fill(`a11y-${randomUUID().slice(0, 8)}@example.com`);
			await page.getByLabel('Password', { exact: true }).fill(STRONG);
			await expect(page.getByText('Strength:')).toContainText(/strong/i);
			await page.getByRole('button', { name: 'Show password' }).click();
			await checker.check('/sign-up filled, password shown');
			await page.getByRole('button', { name: 'Create account' }).click();
			await expect(page.getByRole('heading', { name: 'Save your recovery kit' })).toBeVisible({
				timeout: SLOW
			});
			const recoveryKey = (await page.getByTestId('recovery-key').innerText()).replace(/\s+/g, '');
			await checker.check('/sign-up recovery kit');
			await page.getByRole('button', { name: /saved it/i }).click();
			await expect(page.getByRole('checkbox')).toHaveAttribute('aria-invalid', 'true');
			await checker.check('/sign-up recovery kit, not ticked');

			// Sign-in: refused empty, then the two-factor step (the login answer is the server's shape for an
			// account with two-factor; no account is needed to reach it).
			await page.goto('/sign-in');
			await page.getByRole('button', { name: 'Sign in', exact: true }).click();
			await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
			await checker.check('/sign-in with errors');
			await page.route('**/api/auth/login', (route) =>
				route.fulfill({ json: { secondFactor: 'totp', mfaToken: 'x'.repeat(40) } })
			);
			await page.getByLabel('Email').fill(`a11y-${randomUUID().slice(0, 8)}@example.com`);
			await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
			await page.getByRole('button', { name: 'Sign in', exact: true }).click();
			await expect(page.getByRole('heading', { name: 'Two-factor check' })).toBeFocused({ timeout: SLOW });
			await checker.check('/sign-in two-factor step');
			await page.getByRole('button', { name: 'Verify and unlock' }).click();
			await expect(page.getByLabel('Authentication code')).toHaveAttribute('aria-invalid', 'true');
			await checker.check('/sign-in two-factor step with an error');
			await page.getByRole('button', { name: 'Start over' }).click();
			await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeFocused();
			await page.unroute('**/api/auth/login');

			// The page opened at an IP address: the server refuses its calls (not its ORIGIN), as the browser
			// would the passkey ceremony (an IP is no RP ID; unit-tested), and the page says why in words.
			// Once, on the desktop: the page is the same.
			if (size.name === 'desktop') {
				const ip = new URL(page.url()).origin.replace('localhost', '127.0.0.1');
				await page.goto(`${ip}/sign-in`);
				await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
				await expect(page.getByRole('alert')).toContainText('IP address (127.0.0.1)', { timeout: SLOW });
				await checker.check('/sign-in at an IP address, passkey refused');
			}

			// Recover: the right key on an account with two-factor asks for the code (the server's answer).
			await page.route('**/api/auth/recovery', (route) =>
				route.fulfill({
					status: 401,
					contentType: 'application/problem+json',
					json: {
						type: 'about:blank',
						title: 'Code needed',
						status: 401,
						code: 'second_factor_required',
						detail: 'Enter the code from your authenticator app, or a backup code.'
					}
				})
			);
			await page.goto('/recover');
			await page.getByRole('button', { name: 'Continue' }).click();
			await expect(page.getByRole('alert')).toBeVisible();
			await checker.check('/recover with an error');
			await page.getByLabel('Email').fill(`a11y-${randomUUID().slice(0, 8)}@example.com`);
			await page.getByLabel('Recovery key').fill(recoveryKey);
			await page.getByRole('button', { name: 'Continue' }).click();
			await expect(page.getByLabel('Two-factor code')).toBeFocused({ timeout: SLOW });
			await checker.check('/recover asking for the two-factor code');

			checker.expectClean();
		});

		test('signed in: the app, each settings section, menus and the lock screen', async ({
			page,
			request
		}) => {
			const email = await createAccount(request);
			const checker = new Checker(page, size);
			await page.goto('/sign-in');
			await page.getByLabel('Email').fill(email);
			await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
			await page.getByRole('button', { name: 'Sign in', exact: true }).click();
			await expect(page).toHaveURL(/\/app$/, { timeout: SLOW });
			await expect(page.getByTestId('vault-state')).toHaveText(/Vault unlocked/, { timeout: SLOW });

			// The app's pages first, then the public ones as a signed-in person meets them.
			const ordered = [...PAGES.filter((p) => p.signedIn), ...PAGES.filter((p) => !p.signedIn)];
			const seen = new Set<string>();
			const visit = async (url: string, state = url) => {
				seen.add(url);
				await navigateInApp(page, url);
				await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
				await checker.check(state);
			};
			for (const { url, signedIn } of ordered) {
				await visit(url, signedIn ? url : `${url} (signed in)`);
				// Settings sections, however they are reached: links to other section URLs (paths, queries or
				// hashes under /app/settings), or tabs on the page.
				if (url === '/app/settings') {
					const sectionLinks = await page
						.locator('a[href^="/app/settings"]')
						.evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
					for (const href of new Set(sectionLinks)) {
						if (seen.has(href) || PAGES.some((p) => p.url === href)) continue;
						await visit(href, `${href} (settings section)`);
					}
					await navigateInApp(page, '/app/settings');
					const tabs = page.getByRole('main').getByRole('tab');
					for (let i = 0; i < (await tabs.count()); i++) {
						const tab = tabs.nth(i);
						const name = (await tab.innerText()).trim();
						await tab.click();
						await checker.check(`/app/settings, tab "${name}"`);
					}
				}
			}
			expect(PAGES.length, 'the route list is generated, not empty').toBeGreaterThan(3);

			await navigateInApp(page, '/app');
			await expect(page.getByTestId('vault-state')).toHaveText(/Vault unlocked/);
			if (size.name === 'phone') {
				await page.getByRole('button', { name: 'Menu', exact: true }).click();
				await expect(page.locator('#phone-nav-panel')).toBeVisible();
				await checker.check('/app with the phone menu open');
				await page.keyboard.press('Escape');
				await expect(page.locator('#phone-nav-panel')).toBeHidden();
			}
			await page.getByRole('button', { name: /account menu/ }).click();
			await expect(page.locator('#user-menu')).toBeVisible();
			await checker.check('/app with the account menu open');
			await page.keyboard.press('Escape');
			await expect(page.locator('#user-menu')).toBeHidden();

			await page.getByRole('button', { name: 'Lock', exact: true }).click();
			await expect(page.getByTestId('lock-screen')).toBeVisible();
			await checker.check('/app lock screen');
			await page.getByTestId('lock-screen').getByRole('button', { name: 'Unlock', exact: true }).click();
			await expect(page.getByRole('alert')).toBeVisible();
			await checker.check('/app lock screen with an error');
			// After a reload the vault is locked and the lock screen comes from a full page load.
			await page.reload();
			await expect(page.getByTestId('lock-screen')).toBeVisible({ timeout: SLOW });
			await checker.check('/app lock screen after a reload');

			checker.expectClean();
		});
	});
}
