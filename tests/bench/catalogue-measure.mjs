// The catalogue in the browser, measured (issue 11): shared by the benchmark (scripts/bench-catalogue.mjs, 10k
// and 100k products) and its CI smoke (tests/e2e/catalogue-scale.spec.ts, a few hundred, no thresholds).
// Everything is timed inside the page, on its own clock (performance.now()), so that Playwright's round trips
// are not in the figures:
// - unlockToUsable: from the click on "Sign in" to the Products page reading "N products, N verified"
//   (every row fetched, verified and opened in the worker, and the table rendered), with the moment the app
//   bar says "Vault unlocked" and the catalogue's requests (Resource Timing) as the breakdown. The Products
//   link is clicked from inside the page the frame the vault is unlocked: a client-side navigation, as a
//   person would make (a page load would lock the vault).
// - searchLatency: per keystroke, from the input event on "Search products" to the table's rows updated in the
//   DOM (the macrotask after the event: Svelte flushes its effects in microtasks) and to the next frame
//   painted (requestAnimationFrame, then a macrotask: that frame's style, layout and paint are done).

/** @typedef {import('@playwright/test').Page} Page */
/**
 * @typedef {{
 *   path: string,
 *   table: string,
 *   startMs: number,
 *   responseEndMs: number,
 *   bytes: number
 * }} CatalogueRequest
 */
/**
 * @typedef {{
 *   products: number,
 *   totalMs: number,
 *   unlockMs: number,
 *   loadStartMs: number,
 *   loadMs: number,
 *   productsPageMs: number,
 *   tables: { table: string, requests: number, startMs: number, endMs: number }[],
 *   inFlightMs: number,
 *   requestMs: number,
 *   renderMs: number,
 *   bytes: number,
 *   summary: string
 * }} UnlockResult
 *   Every `…Ms` instant is from the click on "Sign in"; `loadMs` is the catalogue load, from its first
 *   request to the page reading "N products, N verified"; `inFlightMs` the part of it with at least one of its
 *   requests in flight (the union of their intervals, request start to response end: the server and the
 *   transfer), the rest being the browser's alone; `requestMs` the requests' times summed (several are in
 *   flight at once: the four tables and the statements load side by side, each fetching its next page while
 *   the worker opens the current one);
 *   `renderMs` from the last response to the page showing every row.
 */
/**
 * @typedef {{ value: string, domMs: number, frameMs: number, rows: number }} Keystroke
 *   `rows`: the rows the table then holds (its aria-rowcount less the header row).
 */

const PATH_TABLES = /** @type {const} */ ({
	writes: 'statements',
	products: 'products',
	'stock-movements': 'stock_movements',
	suppliers: 'suppliers',
	sources: 'product_sources'
});

/**
 * The length of the union of intervals.
 * @param {[number, number][]} intervals
 */
export function unionMs(intervals) {
	let total = 0;
	let end = -Infinity;
	for (const [a, b] of [...intervals].sort((x, y) => x[0] - y[0])) {
		if (b <= end) continue;
		total += b - Math.max(a, end);
		end = b;
	}
	return total;
}

/**
 * Signs in on a fresh page (a new browser context: nothing cached, the vault locked) and waits for the
 * Products page to show `products` products, every one verified.
 * @param {Page} page
 * @param {{ email: string, password: string, products: number, timeoutMs?: number }} options
 * @returns {Promise<UnlockResult>}
 */
export async function unlockToUsable(page, { email, password, products, timeoutMs = 300_000 }) {
	// A 100k catalogue is several hundred requests; the default buffer keeps 250 entries.
	await page.addInitScript(() => performance.setResourceTimingBufferSize(100_000));
	await page.goto('/sign-in');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(password);
	// The crypto worker and its libsodium load while a person types.
	await page.waitForLoadState('networkidle');
	await page.evaluate((expected) => {
		const m = {
			clickAt: 0,
			unlockedAt: 0,
			pageAt: 0,
			readyAt: 0,
			summary: '',
			error: ''
		};
		/** @type {any} */ (window).__catalogueBench = m;
		document.addEventListener(
			'click',
			(e) => {
				const button = e.target instanceof Element ? e.target.closest('button') : null;
				if (!m.clickAt && button?.textContent?.trim() === 'Sign in') m.clickAt = performance.now();
			},
			true
		);
		const digits = (/** @type {string} */ s) => Number(s.replace(/\D/g, ''));
		const frame = () => {
			const now = performance.now();
			if (!m.unlockedAt) {
				const state = document.querySelector('[data-testid="vault-state"]')?.textContent ?? '';
				if (/Vault unlocked/.test(state)) {
					m.unlockedAt = now;
					const link = [...document.querySelectorAll('#side-nav a')].find(
						(a) => a.textContent?.trim() === 'Products'
					);
					if (link instanceof HTMLElement) link.click();
					else m.error = 'no Products link in #side-nav';
				}
			} else if (!m.pageAt) {
				if (document.querySelector('h1')?.textContent?.trim() === 'Products') m.pageAt = now;
			}
			const summary = (document.querySelector('[data-testid="products-summary"]')?.textContent ?? '')
				.replace(/\s+/g, ' ')
				.trim();
			const match = /([\d,.\u00a0\u202f]+) products?, ([\d,.\u00a0\u202f]+) verified/.exec(summary);
			if (m.pageAt && match && digits(match[1] ?? '') === expected && digits(match[2] ?? '') === expected) {
				m.readyAt = now;
				m.summary = summary;
				return;
			}
			if (!m.error) requestAnimationFrame(frame);
		};
		requestAnimationFrame(frame);
	}, products);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await page.waitForFunction(
		() => {
			const m = /** @type {any} */ (window).__catalogueBench;
			return m.readyAt > 0 || m.error !== '';
		},
		null,
		{ timeout: timeoutMs, polling: 250 }
	);
	const raw = await page.evaluate(() => ({
		m: /** @type {any} */ (window).__catalogueBench,
		entries: performance
			.getEntriesByType('resource')
			.map((e) => /** @type {PerformanceResourceTiming} */ (e))
			.filter((e) => /\/api\/orgs\/[^/]+\/(products|stock-movements|suppliers|sources|writes)\?/.test(e.name))
			.map((e) => ({
				name: e.name,
				startTime: e.startTime,
				responseEnd: e.responseEnd,
				bytes: e.encodedBodySize
			}))
	}));
	if (raw.m.error) throw new Error(`catalogue bench: ${raw.m.error}`);
	const click = raw.m.clickAt;
	/** @type {CatalogueRequest[]} */
	const requests = raw.entries
		.filter((e) => e.startTime >= click)
		.map((e) => {
			const path = new URL(e.name).pathname;
			const last = /** @type {keyof typeof PATH_TABLES} */ (path.split('/').at(-1) ?? '');
			return {
				path,
				table: PATH_TABLES[last] ?? last,
				startMs: e.startTime - click,
				responseEndMs: e.responseEnd - click,
				bytes: e.bytes
			};
		})
		.sort((a, b) => a.startMs - b.startMs);
	const first = requests[0];
	const lastResponse = Math.max(...requests.map((r) => r.responseEndMs));
	const totalMs = raw.m.readyAt - click;
	/** @type {UnlockResult['tables']} */
	const tables = [];
	for (const r of requests) {
		const t = tables.find((x) => x.table === r.table);
		if (t) {
			t.requests++;
			t.endMs = Math.max(t.endMs, r.responseEndMs);
		} else tables.push({ table: r.table, requests: 1, startMs: r.startMs, endMs: r.responseEndMs });
	}
	return {
		products,
		totalMs,
		unlockMs: raw.m.unlockedAt - click,
		productsPageMs: raw.m.pageAt - click,
		loadStartMs: first ? first.startMs : NaN,
		loadMs: first ? totalMs - first.startMs : NaN,
		tables,
		inFlightMs: unionMs(requests.map((r) => [r.startMs, r.responseEndMs])),
		requestMs: requests.reduce((s, r) => s + (r.responseEndMs - r.startMs), 0),
		renderMs: totalMs - lastResponse,
		bytes: requests.reduce((s, r) => s + r.bytes, 0),
		summary: raw.m.summary
	};
}

/**
 * Types each query into "Search products" letter by letter, on the Products page as unlockToUsable leaves
 * it; the box is emptied (not timed) before each query and after the last.
 * @param {Page} page
 * @param {string[]} queries
 * @returns {Promise<Keystroke[]>}
 */
export async function searchLatency(page, queries) {
	await page.getByLabel('Search products').waitFor();
	return page.evaluate(async (qs) => {
		const input = /** @type {HTMLInputElement} */ (document.getElementById('product-search'));
		const grid = document.querySelector('[role="grid"][aria-label="Products"]');
		if (!input || !grid) throw new Error('no search box or Products grid');
		/** A macrotask: every microtask (Svelte's flush of the input's effects) has run before it. */
		const macrotask = () =>
			new Promise((resolve) => {
				const channel = new MessageChannel();
				channel.port1.onmessage = () => resolve(undefined);
				channel.port2.postMessage(null);
			});
		const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
		const set = (/** @type {string} */ value) => {
			input.value = value;
			input.dispatchEvent(new Event('input', { bubbles: true }));
		};
		/** @type {{ value: string, domMs: number, frameMs: number, rows: number }[]} */
		const out = [];
		for (const q of qs) {
			set('');
			await frame();
			await frame();
			for (let i = 1; i <= q.length; i++) {
				const value = q.slice(0, i);
				const t0 = performance.now();
				set(value);
				await macrotask();
				const t1 = performance.now();
				await frame();
				await macrotask();
				const t2 = performance.now();
				out.push({
					value,
					domMs: t1 - t0,
					frameMs: t2 - t0,
					rows: Number(grid.getAttribute('aria-rowcount')) - 1
				});
			}
		}
		set('');
		await frame();
		await frame();
		return out;
	}, queries);
}

/**
 * Sorts the table by a column (its header's sort button), ascending.
 * @param {Page} page
 * @param {string} column e.g. 'Price'
 */
export async function sortBy(page, column) {
	const header = page.getByRole('grid', { name: 'Products' }).getByRole('columnheader', { name: column });
	await header.getByRole('button').click();
	await page.waitForFunction(
		(name) =>
			[...document.querySelectorAll('[role="grid"][aria-label="Products"] th[aria-sort]')].some(
				(th) => th.textContent?.includes(name) && th.getAttribute('aria-sort') === 'ascending'
			),
		column
	);
}

/**
 * Realistic queries for a catalogue from sampleCatalogue: the first two words of a product's name, then its
 * SKU.
 * @param {{ fields: { name: string, sku: string } }[]} products
 * @returns {{ product: { name: string, sku: string }, queries: string[] }}
 */
export function queriesFor(products) {
	const p = products[Math.floor(products.length / 2)];
	if (!p) throw new Error('no products to search');
	const fragment = p.fields.name
		.split(/[\s,]+/)
		.slice(0, 2)
		.join(' ')
		.toLowerCase();
	return { product: p.fields, queries: [fragment, p.fields.sku] };
}

/** @param {number[]} xs */
export function median(xs) {
	const s = [...xs].sort((a, b) => a - b);
	const mid = Math.floor(s.length / 2);
	return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}
