// The catalogue in the browser (`npm run bench catalogue`, issue 11): for each size (10,000 and 100,000
// products; BENCH_CATALOGUE_SIZES=… or bench.mjs's `--rows=N` for others), our production build on a fresh
// embedded database of its own, the demo account (seedDemoAccount) and an organisation of N generated products
// with their sources and opening counts (seedDemoOrganisation, signed and sealed as the browser does), then in
// Chromium (tests/bench/catalogue-measure.mjs):
// 1. unlock to usable, 3 runs, each in a new browser context: from the click on "Sign in" to the Products page
//    reading "N products, N verified";
// 2. search latency per keystroke: a product-name fragment and then a SKU typed letter by letter, unsorted
//    and sorted by price.
// Returns the "## Catalogue in the browser" section of BENCHMARKS.md.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../tests/chromium.mjs';
import {
	median,
	queriesFor,
	searchLatency,
	sortBy,
	unlockToUsable
} from '../tests/bench/catalogue-measure.mjs';
import { buildApp, startApp, stopApp } from './bench-app.mjs';
import { seedDemoAccount } from './demo-account.mjs';
import { loadVault, seedDemoOrganisation } from './demo-organisation.mjs';

/** @typedef {import('../tests/bench/catalogue-measure.mjs').UnlockResult} UnlockResult */
/** @typedef {import('../tests/bench/catalogue-measure.mjs').Keystroke} Keystroke */
/**
 * @typedef {{
 *   products: number,
 *   suppliers: number,
 *   sources: number,
 *   rows: number,
 *   seedMs: number,
 *   waits429: number,
 *   waitedMs: number,
 *   runs: UnlockResult[],
 *   search?: { queries: string[], product: { name: string, sku: string }, plain: Keystroke[], sorted: Keystroke[] }
 * }} SizeResult
 */

const RUNS = Number(process.env.BENCH_CATALOGUE_RUNS || 3);
/** Search is measured at the last (largest) size only: its goal is stated at 100k. */
const DEFAULT_SIZES = [10_000, 100_000];

/**
 * fetch that waits out a 429 (its Retry-After, in seconds) and sends the request again: seedDemoOrganisation
 * fails on a 429, and 100k products are ~3,000 writes against a limit of 1,200 a minute.
 * @param {{ waits: number, waitedMs: number }} stats
 * @returns {(url: string, init?: RequestInit) => Promise<Response>}
 */
function patientFetch(stats) {
	return async (url, init) => {
		for (;;) {
			const res = await fetch(url, init);
			if (res.status !== 429) return res;
			const after = Number(res.headers.get('retry-after'));
			const ms = (Number.isFinite(after) && after > 0 ? after : 1) * 1000;
			await res.arrayBuffer();
			stats.waits++;
			stats.waitedMs += ms;
			await new Promise((r) => setTimeout(r, ms));
		}
	};
}

/**
 * One size: its own server and database, seeded, then measured in Chromium.
 * @param {string} root
 * @param {string} buildDir
 * @param {import('@playwright/test').Browser} browser
 * @param {number} products
 * @param {boolean} withSearch
 * @returns {Promise<SizeResult>}
 */
async function measureSize(root, buildDir, browser, products, withSearch) {
	const dataDir = join(root, `tests/.tmp/bench/catalogue-data-${process.pid}-${products}`);
	rmSync(dataDir, { recursive: true, force: true });
	mkdirSync(dataDir, { recursive: true });
	const app = await startApp(root, buildDir, { DATABASE_URL: '', STOWAGE_DATA_DIR: dataDir });
	try {
		const account = await seedDemoAccount(app.base);
		if (account.status !== 201) throw new Error(`demo account sign-up answered ${account.status}`);
		const demo = account.demo;
		const suppliers = Math.max(20, Math.min(500, Math.round(products / 25)));
		const stats = { waits: 0, waitedMs: 0 };
		console.log(`bench: seeding ${products.toLocaleString('en-US')} products…`);
		const seeded = await seedDemoOrganisation(app.base, demo, {
			products,
			suppliers,
			name: `Bench catalogue (${products.toLocaleString('en-US')} products)`,
			force: true,
			fetch: patientFetch(stats),
			log: (line) => console.log(`bench:   ${line.trim()}`)
		});
		console.log(
			`bench: seeded in ${(seeded.ms / 1000).toFixed(1)} s (${seeded.writes} writes, ${stats.waits} waits on 429, ${(stats.waitedMs / 1000).toFixed(0)} s waited)`
		);
		/** @type {SizeResult} */
		const result = {
			products: seeded.products,
			suppliers: seeded.suppliers,
			sources: seeded.sources,
			rows: seeded.products + seeded.counts + seeded.suppliers + seeded.sources,
			seedMs: seeded.ms,
			waits429: stats.waits,
			waitedMs: stats.waitedMs,
			runs: []
		};
		for (let i = 0; i < RUNS; i++) {
			const context = await browser.newContext({ baseURL: app.base, viewport: { width: 1280, height: 900 } });
			try {
				const page = await context.newPage();
				const r = await unlockToUsable(page, {
					email: demo.email,
					password: demo.password,
					products,
					timeoutMs: Math.max(120_000, products * 6)
				});
				result.runs.push(r);
				console.log(
					`bench: ${products} products, run ${i + 1}: ${Math.round(r.totalMs)} ms (unlocked at ${Math.round(r.unlockMs)}, load ${Math.round(r.loadMs)} ms, of it ${Math.round(r.inFlightMs)} ms with a request in flight, ${Math.round(r.renderMs)} ms after the last response)`
				);
				if (withSearch && i === RUNS - 1) {
					const { sampleCatalogue } = await loadVault();
					const sample = sampleCatalogue({ products, suppliers, seed: 'demo' });
					const { product, queries } = queriesFor(sample.products);
					const plain = await searchLatency(page, queries);
					await sortBy(page, 'Price');
					const sorted = await searchLatency(page, queries);
					const found = plain.at(-1)?.rows ?? 0;
					if (found < 1) throw new Error(`search for ${product.sku} found nothing`);
					result.search = { queries, product, plain, sorted };
					for (const [label, ks] of /** @type {const} */ ([
						['unsorted', plain],
						['by price', sorted]
					]))
						console.log(
							`bench: search ${label}: median ${median(ks.map((k) => k.domMs)).toFixed(1)} ms, max ${Math.max(...ks.map((k) => k.domMs)).toFixed(1)} ms (DOM); next frame median ${median(ks.map((k) => k.frameMs)).toFixed(1)}, max ${Math.max(...ks.map((k) => k.frameMs)).toFixed(1)} ms`
						);
				}
			} finally {
				await context.close();
			}
		}
		return result;
	} finally {
		await stopApp(app.child);
		rmSync(dataDir, { recursive: true, force: true });
	}
}

/**
 * @param {string} root the repository
 * @param {{ sizes?: number[] }} [options] sizes other than the default (a quick run)
 * @returns {Promise<string>} the "## Catalogue in the browser" section
 */
export async function runCatalogueBench(root, options = {}) {
	const sizes =
		options.sizes ??
		(process.env.BENCH_CATALOGUE_SIZES
			? process.env.BENCH_CATALOGUE_SIZES.split(',').map(Number)
			: DEFAULT_SIZES);
	const load0 = os.loadavg();
	const started = new Date();
	const buildDir = buildApp(root, 'catalogue');
	const browser = await chromium.launch(chromiumLaunchOptions());
	const version = browser.version();
	/** @type {SizeResult[]} */
	const results = [];
	try {
		for (const [i, n] of sizes.entries())
			results.push(await measureSize(root, buildDir, browser, n, i === sizes.length - 1));
	} finally {
		await browser.close();
	}
	const load1 = os.loadavg();
	return section({ results, load0, load1, started, chromium: version });
}

/** @param {number} x */
const k = (x) => Math.round(x).toLocaleString('en-US');
/** @param {number[]} xs */
const medRange = (xs) => `${k(median(xs))} [${k(Math.min(...xs))}–${k(Math.max(...xs))}]`;
/** @param {number} x */
const f1 = (x) => x.toFixed(1);

/**
 * @param {{ results: SizeResult[], load0: number[], load1: number[], started: Date, chromium: string }} r
 */
function section(r) {
	const la = (/** @type {number[]} */ l) => l.map((x) => x.toFixed(1)).join(' / ');
	const machine = `${os.type()} ${os.release()}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), Node ${process.versions.node}, Chromium ${r.chromium} headless`;
	const unlockTable = [
		'| products (rows fetched) | unlock to usable, ms: median [min–max] | of it: signed in and unlocked | catalogue load | of the load: a request in flight | of the load: the browser alone | of that: after the last response | requests summed | products/s (rows/s) of the load | runs, ms |',
		'| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
		...r.results.map((x) => {
			const load = median(x.runs.map((u) => u.loadMs));
			const m = (/** @type {(u: UnlockResult) => number} */ f) => medRange(x.runs.map(f));
			return `| ${k(x.products)} (${k(x.rows)}) | **${m((u) => u.totalMs)}** | ${m((u) => u.unlockMs)} | ${m((u) => u.loadMs)} | ${m((u) => u.inFlightMs)} | ${m((u) => u.loadMs - u.inFlightMs)} | ${m((u) => u.renderMs)} | ${m((u) => u.requestMs)} | ${k((x.products * 1000) / load)} (${k((x.rows * 1000) / load)}) | ${x.runs.map((u) => k(u.totalMs)).join(', ')} |`;
		})
	].join('\n');
	const tableRows = r.results.map((x) => {
		const last = x.runs.at(-1);
		const parts = (last?.tables ?? []).map(
			(t) => `${t.table} ${k(t.endMs - t.startMs)} ms (${t.requests} requests)`
		);
		return `- ${k(x.products)} products, the last run's load by table (its first request to its last response; the tables side by side): ${parts.join(', ')}; ${k((last?.bytes ?? 0) / 1024)} KiB of JSON.`;
	});
	const seeds = r.results.map(
		(x) =>
			`${k(x.products)} products, ${k(x.suppliers)} suppliers, ${k(x.sources)} sources and ${k(x.products)} opening counts in ${f1(x.seedMs / 1000)} s${x.waits429 ? ` (${x.waits429} answers of 429 waited out, ${k(x.waitedMs / 1000)} s)` : ''}`
	);
	const s = r.results.find((x) => x.search);
	const keyRow = (/** @type {string} */ label, /** @type {Keystroke[]} */ ks) =>
		`| ${label} | ${ks.length} | **${f1(median(ks.map((x) => x.domMs)))}** | **${f1(Math.max(...ks.map((x) => x.domMs)))}** | ${f1(median(ks.map((x) => x.frameMs)))} | ${f1(Math.max(...ks.map((x) => x.frameMs)))} |`;
	const searchPart = s?.search
		? `### Search, per keystroke, at ${k(s.products)} products

Typed letter by letter into "Search products" (a product-name fragment, then, from an empty box, a SKU:
${s.search.queries.map((q) => `\`${q}\``).join(' and ')}, for "${s.search.product.name}", ${s.search.product.sku}), inside the page: the
input's value set and an \`input\` event dispatched, then timed to the next macrotask (Svelte has flushed the
search, filter, sort and the table's rows into the DOM) and to the next frame painted
(\`requestAnimationFrame\`, then a macrotask). "By price": the same after a click on the Price header (ascending). Goal: each keystroke ≤ 50 ms.

| table | keystrokes | DOM updated, median ms | DOM updated, max ms | next frame, median ms | next frame, max ms |
| --- | ---: | ---: | ---: | ---: | ---: |
${keyRow('unsorted', s.search.plain)}
${keyRow('sorted by price', s.search.sorted)}

Per keystroke (DOM updated, ms; rows then shown), unsorted: ${s.search.plain.map((x) => `\`${x.value}\` ${f1(x.domMs)} (${k(x.rows)})`).join(', ')}.
By price: ${s.search.sorted.map((x) => `\`${x.value}\` ${f1(x.domMs)}`).join(', ')}.
`
		: '';
	return `## Catalogue in the browser

Measured by \`npm run bench catalogue\` (scripts/bench-catalogue.mjs, tests/bench/catalogue-measure.mjs) on ${r.started.toISOString().slice(0, 10)}, all in one run.

- Machine: ${machine}; the server, the seeder and Chromium share its cores.
- Load average (1 / 5 / 15 min): ${la(r.load0)} at the start, ${la(r.load1)} at the end (the machine is shared with other work).
- Per size, our production build (\`node <build>\`, PGlite on a fresh data directory, rate limits in memory) with
  the demo account (\`seedDemoAccount\`) and one organisation seeded by \`seedDemoOrganisation\` (sealed and signed
  as the browser does, 128 rows per write): ${seeds.join('; ')}.
- Unlock to usable: a new browser context per run (nothing cached; the crypto worker loaded while the
  password is typed), 1280 × 900. From the click on "Sign in" to the Products page reading "N products, N
  verified": prelogin, Argon2id, login, the identity bundle, the organisation's chain and keys, then the
  catalogue load: every write statement (\`GET …/writes\`, verified in the worker) while the first pages of
  products, stock movements, suppliers and sources download (pages of 1,000 served without statements; the four
  tables side by side, each fetching its next page while the worker verifies and opens the current one, none
  opened before every statement is verified), then the lists, the search index and the virtualised table. The
  Products link is clicked from inside the page in the frame the app bar says "Vault unlocked" (the catalogue's
  load starts then anyway, in the app's layout). Timed in the page (\`performance.now()\`, polled every
  animation frame); the requests from Resource Timing: "a request in flight" is the part of the load with at
  least one of them between its start and its response's end (the server and the transfer), "the browser
  alone" the rest (the worker verifying and opening, parsing, building the lists and the table); "requests
  summed" adds their times up (they overlap). Medians and ranges over the runs, ms.
  Rows/s: the products, and all rows fetched, over the catalogue load (its first request to every row shown).
  Goal: ≤ 1 s at 10k.

${unlockTable}

${tableRows.join('\n')}

Where the load's time goes: a request is in flight for ${r.results.map((x) => `${Math.round((100 * median(x.runs.map((u) => u.inFlightMs))) / median(x.runs.map((u) => u.loadMs)))} % of it at ${k(x.products)}`).join(', ')}.
On one machine the server (PGlite, single-threaded: each page is its query, which PostgreSQL also serialises to
JSON), the page's main thread (parsing the JSON) and the crypto worker (for each row: the leaf recomputed from the
served columns and looked up in its verified statement, the envelope opened) share two cores, so they
slow each other; a CPU profile of the same load in Node (tests/integration, 10k products) gives the worker's part
as about 27 µs a row and the server's as about 35 ms a page of 1,000 products. After the last response,
building the lists, the index and the table is the small part.

${searchPart}`;
}
