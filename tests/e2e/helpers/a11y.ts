// Shared by the accessibility specs: the page list generated from src/routes, axe with the WCAG 2.1 A/AA
// rules (serious and critical only), the page-width check and the theme switch.
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const ROUTES_DIR = join(process.cwd(), 'src', 'routes');

/**
 * A sample value for each dynamic segment ([id], [...rest], [[optional]]), keyed by the route as written
 * under src/routes. A page with a dynamic segment and no entry here fails the spec: add one.
 */
export const SAMPLES: Record<string, string> = {
	// Ids of no row: the page as it meets an unknown id (or no organisation yet).
	'/app/products/[id]': '/app/products/00000000-0000-4000-8000-000000000000',
	'/app/suppliers/[id]': '/app/suppliers/00000000-0000-4000-8000-000000000000'
};

/** Pages not checked, with the reason. */
export const EXCLUDED: Record<string, string> = {};

/** Pages that are not SvelteKit routes but are linked from the site: the API reference (served by Hono). */
export const SERVER_PAGES = ['/api/docs'];

export type Route = { route: string; url: string; signedIn: boolean };

/** Every +page.svelte under src/routes, as a URL to visit (route groups dropped, samples filled in). */
export function pagesFromRoutes(dir = ROUTES_DIR): Route[] {
	const files: string[] = [];
	const walk = (at: string) => {
		for (const entry of readdirSync(at, { withFileTypes: true })) {
			const path = join(at, entry.name);
			if (entry.isDirectory()) walk(path);
			else if (entry.name === '+page.svelte') files.push(path);
		}
	};
	walk(dir);
	const routes: Route[] = [];
	const missing: string[] = [];
	for (const file of files.sort()) {
		const segments = relative(dir, file).split(sep).slice(0, -1);
		const route = '/' + segments.join('/');
		if (route in EXCLUDED) continue;
		let url: string;
		if (segments.some((s) => s.includes('['))) {
			const sample = SAMPLES[route];
			if (sample === undefined) {
				missing.push(route);
				continue;
			}
			url = sample;
		} else {
			// (group) folders shape layouts, not URLs.
			url = '/' + segments.filter((s) => !/^\(.*\)$/.test(s)).join('/');
		}
		routes.push({ route, url, signedIn: url === '/app' || url.startsWith('/app/') });
	}
	expect(missing, `No sample URL in tests/e2e/helpers/a11y.ts SAMPLES for: ${missing.join(', ')}`).toEqual(
		[]
	);
	return routes;
}

export type Theme = 'light' | 'dark';

/**
 * Puts the page in a theme. `via: 'system'` emulates prefers-color-scheme with no stored choice;
 * `via: 'toggle'` pins the opposite system theme and chooses this one with the app's own toggle when the
 * page shows it, or through its stored choice (what the toggle writes) when it sits in a closed menu.
 */
export async function useTheme(page: Page, theme: Theme, via: 'system' | 'toggle'): Promise<void> {
	const other: Theme = theme === 'light' ? 'dark' : 'light';
	await page.emulateMedia({ colorScheme: via === 'system' ? theme : other });
	const toggle = page.getByTestId('theme-toggle').filter({ visible: true }).first();
	const choice = via === 'system' ? 'System' : theme === 'light' ? 'Light' : 'Dark';
	if (await toggle.count()) {
		await toggle.getByRole('radio', { name: choice, exact: true }).check();
	} else {
		await page.evaluate(
			(t) => {
				const root = document.documentElement;
				if (t === 'system') root.removeAttribute('data-theme');
				else root.dataset.theme = t;
				try {
					if (t === 'system') localStorage.removeItem('stowage.theme');
					else localStorage.setItem('stowage.theme', t);
				} catch {
					// A sandboxed page (opaque origin, as the API reference) has no storage.
				}
			},
			via === 'system' ? 'system' : theme
		);
	}
	// The colours in use are the theme's: the body's background says which one applies.
	const shade = () =>
		page.evaluate(() => {
			const channels = (getComputedStyle(document.body).backgroundColor.match(/\d+/g) ?? []).map(Number);
			const sum = channels.slice(0, 3).reduce((a, b) => a + b, 0);
			return sum < 3 * 128 ? 'dark' : 'light';
		});
	let got = await shade();
	for (let i = 0; i < 20 && got !== theme; i++) {
		await page.waitForTimeout(50);
		got = await shade();
	}
	expect.soft(got, `${page.url()} should have a ${theme} background in the ${theme} theme`).toBe(theme);
	// Transitions would have axe measure colours half-way.
	await page.waitForTimeout(50);
}

export type Finding = { state: string; rule: string; impact: string; help: string; targets: string[] };

/** The serious and critical WCAG 2.1 A/AA violations on the page as it stands. */
export async function axeFindings(page: Page, state: string): Promise<Finding[]> {
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	return results.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => ({
			state,
			rule: v.id,
			impact: v.impact ?? '',
			help: v.help,
			targets: v.nodes.map((n) => {
				const target = n.target.map(String).join(' >> ');
				// Contrast findings say which colours: the summary is what one fixes.
				const why = n.failureSummary?.split('\n').slice(1).join(' ').trim();
				return why ? `${target} — ${why}` : target;
			})
		}));
}

/** One line per rule and state, with each element: readable in a failure message. */
export function report(findings: Finding[]): string {
	return findings
		.map(
			(f) =>
				`[${f.impact}] ${f.rule} on ${f.state}: ${f.help}\n` + f.targets.map((t) => `    ${t}`).join('\n')
		)
		.join('\n');
}

/** The page's width against the viewport's: wider means it scrolls sideways. */
export async function pageWidth(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
	return page.evaluate(() => ({
		scrollWidth: document.documentElement.scrollWidth,
		innerWidth: window.innerWidth
	}));
}

/**
 * A client-side navigation: SvelteKit handles clicks on any same-origin link in the app's root, so a
 * link added there moves without a reload (a reload would lock the vault).
 */
export async function navigateInApp(page: Page, url: string): Promise<void> {
	await page.evaluate((href) => {
		const link = document.createElement('a');
		link.href = href;
		link.textContent = 'go';
		link.dataset.testNav = '';
		(document.querySelector('.app-root') ?? document.body).append(link);
		link.click();
		link.remove();
	}, url);
	await page.waitForURL((u) => u.pathname + u.search + u.hash === url || u.pathname === url);
}
