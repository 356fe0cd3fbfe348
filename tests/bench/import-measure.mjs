// The import in the browser, measured (issue 12 "Measure"), for the benchmark (scripts/bench-import.mjs).
// Everything is timed inside the page, on its own clock (performance.now() and events' timeStamps), so that
// Playwright's round trips are not in the figures:
// - installImportProbes (page.addInitScript, before the app loads): a PerformanceObserver of 'longtask'
//   entries (the page's main thread only; workers have none), and a wrapper of window.fetch that counts the
//   429s POST …/writes gets and their Retry-After (the app waits them out itself, src/lib/import/writes-api.ts).
// - importFile: from the file input's `change` event to every line stored (the page's performance mark
//   `stowage:import:stored`, made before it loads the catalogue again and shows "Imported N products."), the page
//   driven from inside itself (each button clicked in the animation frame it becomes usable, so no Playwright
//   latency sits between the steps): the preview read by the reading worker, "Check the file", "Import N rows",
//   the upload (sealed and signed in the crypto worker, POST …/writes), and after it the catalogue loaded
//   again (until the result is shown and focused). The writes' requests from Resource Timing.
// - exportFile: from the click on "Export products (TSV)" to the download saved.

import { median, unionMs } from './catalogue-measure.mjs';

/** @typedef {import('@playwright/test').Page} Page */
/** @typedef {{ start: number, duration: number }} LongTask */
/**
 * @typedef {{
 *   changeAt: number,
 *   previewAt: number,
 *   checkClickAt: number,
 *   checkedAt: number,
 *   importClickAt: number,
 *   resultAt: number,
 *   focusedAt: number,
 *   result: string,
 *   error: string
 * }} Milestones
 *   `resultAt`: every line stored (the page's mark `stowage:import:stored`).
 */
/**
 * @typedef {{
 *   ms: number,
 *   longest: number,
 *   over200: number,
 *   over50: number,
 *   busyMs: number
 * }} Phase
 *   `busyMs`: the long tasks' durations summed.
 */
/**
 * @typedef {{
 *   rows: number,
 *   milestones: Milestones,
 *   phases: { read: Phase, check: Phase, upload: Phase, reload: Phase, total: Phase },
 *   writes: {
 *     requests: number,
 *     statuses: Record<string, number>,
 *     serverMs: number,
 *     serverMedianMs: number,
 *     requestMs: number,
 *     inFlightMs: number,
 *     requestBytes: number,
 *     responseBytes: number,
 *     waits429: number,
 *     waitedMs: number
 *   },
 *   longTasks: LongTask[]
 * }} ImportResult
 *   `serverMs`: summed over the writes' requests, request start to response start (loopback: the server's
 *   time, request transfer included); `requestMs` the same to response end; `inFlightMs` the union of the
 *   requests' intervals.
 */

/**
 * Before the app loads: the long-task observer, the resource-timing buffer, and the 429 count.
 * @param {Page} page
 */
export async function installImportProbes(page) {
	await page.addInitScript(() => {
		const w = /** @type {any} */ (window);
		w.__importLongTasks = [];
		w.__import429 = { waits: 0, waitedMs: 0 };
		performance.setResourceTimingBufferSize(100_000);
		try {
			new PerformanceObserver((list) => {
				for (const e of list.getEntries())
					w.__importLongTasks.push({ start: e.startTime, duration: e.duration });
			}).observe({ type: 'longtask', buffered: true });
		} catch {
			w.__importLongTasks = null;
		}
		const original = window.fetch.bind(window);
		window.fetch = async (input, init) => {
			const res = await original(input, init);
			const url = input instanceof Request ? input.url : String(input);
			if (res.status === 429 && /\/api\/orgs\/[^/]+\/writes$/.test(new URL(url, location.href).pathname)) {
				const after = Number(res.headers.get('retry-after'));
				w.__import429.waits++;
				w.__import429.waitedMs += (Number.isFinite(after) && after > 0 ? after : 1) * 1000;
			}
			return res;
		};
	});
}

/**
 * Signs in and goes to the Import page by its link (a client-side navigation: a page load would lock the vault).
 * @param {Page} page
 * @param {{ email: string, password: string, timeoutMs?: number }} options
 */
export async function signInToImport(page, { email, password, timeoutMs = 120_000 }) {
	await page.goto('/sign-in');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await page.getByTestId('vault-state').filter({ hasText: 'Vault unlocked' }).waitFor({ timeout: timeoutMs });
	await page.locator('#side-nav').getByRole('link', { name: 'Import', exact: true }).click();
	await page.getByRole('heading', { level: 1, name: 'Import' }).waitFor({ timeout: timeoutMs });
	await page.getByLabel('Spreadsheet file (CSV, TSV or text)').waitFor({ timeout: timeoutMs });
}

/**
 * The long tasks that started in [from, to).
 * @param {LongTask[]} tasks
 * @param {number} from
 * @param {number} to
 * @returns {Phase}
 */
export function phase(tasks, from, to) {
	const inside = tasks.filter((t) => t.start >= from && t.start < to);
	return {
		ms: to - from,
		longest: Math.max(0, ...inside.map((t) => t.duration)),
		over200: inside.filter((t) => t.duration > 200).length,
		over50: inside.length,
		busyMs: inside.reduce((s, t) => s + t.duration, 0)
	};
}

/**
 * Chooses the file, checks it and imports it; resolves once the result is focused (the catalogue loaded
 * again after the upload).
 * @param {Page} page on the Import page (signInToImport), with installImportProbes
 * @param {{ name: string, bytes: Uint8Array, rows: number, timeoutMs?: number }} file
 * @returns {Promise<ImportResult>}
 */
export async function importFile(page, { name, bytes, rows, timeoutMs = 1_800_000 }) {
	/** @type {{ method: string, status: number }[]} */
	const statuses = [];
	let requestBytes = 0;
	const writesPath = /\/api\/orgs\/[^/]+\/writes$/;
	/** @param {import('@playwright/test').Request} r */
	const onRequest = (r) => {
		if (r.method() === 'POST' && writesPath.test(new URL(r.url()).pathname))
			requestBytes += r.postDataBuffer()?.length ?? 0;
	};
	/** @param {import('@playwright/test').Response} r */
	const onResponse = (r) => {
		if (r.request().method() === 'POST' && writesPath.test(new URL(r.url()).pathname))
			statuses.push({ method: 'POST', status: r.status() });
	};
	page.on('request', onRequest);
	page.on('response', onResponse);

	await page.evaluate((expected) => {
		const label = `Import ${expected.toLocaleString()} rows`;
		const resultText = `Imported ${expected.toLocaleString()} products.`;
		/** @type {Milestones} */
		const m = {
			changeAt: 0,
			previewAt: 0,
			checkClickAt: 0,
			checkedAt: 0,
			importClickAt: 0,
			resultAt: 0,
			focusedAt: 0,
			result: '',
			error: ''
		};
		/** @type {any} */ (window).__importBench = m;
		document.addEventListener(
			'change',
			(e) => {
				if (!m.changeAt && e.target instanceof HTMLInputElement && e.target.type === 'file')
					m.changeAt = e.timeStamp;
			},
			true
		);
		document.addEventListener(
			'click',
			(e) => {
				const b = e.target instanceof Element ? e.target.closest('button') : null;
				const text = b?.textContent?.trim() ?? '';
				if (!m.checkClickAt && text === 'Check the file') m.checkClickAt = e.timeStamp;
				if (!m.importClickAt && text === label) m.importClickAt = e.timeStamp;
			},
			true
		);
		const button = (/** @type {string} */ text) =>
			[...document.querySelectorAll('button')].find(
				(b) => b.textContent?.trim() === text && !b.disabled && b.getAttribute('aria-disabled') !== 'true'
			);
		const frame = () => {
			const now = performance.now();
			const error = document.querySelector('[data-testid="import-error"]')?.textContent?.trim();
			if (error) {
				m.error = error;
				return;
			}
			if (m.changeAt && !m.previewAt) {
				const check = button('Check the file');
				if (check && !document.querySelector('[data-testid="import-reading"]')) {
					m.previewAt = now;
					check.click();
				}
			} else if (m.previewAt && !m.checkedAt) {
				const go = button(label);
				if (go) {
					m.checkedAt = now;
					go.click();
				} else {
					const counts = document.querySelector('[data-testid="import-counts"]')?.textContent ?? '';
					if (/error/i.test(counts)) m.error = `the check found errors: ${counts.trim()}`;
				}
			} else if (m.checkedAt && !m.focusedAt) {
				const result = document.querySelector('[data-testid="import-result"]');
				if (result && document.activeElement === result) {
					m.result = result.textContent?.trim() ?? '';
					m.focusedAt = now;
					if (m.result !== resultText) m.error = `unexpected result: ${m.result}`;
					return;
				}
			}
			if (!m.error) requestAnimationFrame(frame);
		};
		requestAnimationFrame(frame);
	}, rows);

	await page
		.getByLabel('Spreadsheet file (CSV, TSV or text)')
		.setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(bytes) });
	await page.waitForFunction(
		() => {
			const m = /** @type {any} */ (window).__importBench;
			return m.focusedAt > 0 || m.error !== '';
		},
		null,
		{ timeout: timeoutMs, polling: 500 }
	);
	page.off('request', onRequest);
	page.off('response', onResponse);
	const raw = await page.evaluate(() => {
		const w = /** @type {any} */ (window);
		const m = /** @type {Milestones} */ (w.__importBench);
		// The page marks the instant every line is stored, before it loads the catalogue again (it shows the
		// result only after that): the upload's end.
		const stored = performance.getEntriesByName('stowage:import:stored')[0];
		if (!stored) m.error ||= 'the page made no stowage:import:stored mark';
		else m.resultAt = stored.startTime;
		return {
			m,
			longTasks: /** @type {LongTask[] | null} */ (w.__importLongTasks),
			waits: /** @type {{ waits: number, waitedMs: number }} */ (w.__import429),
			entries: performance
				.getEntriesByType('resource')
				.map((e) => /** @type {PerformanceResourceTiming} */ (e))
				.filter(
					(e) => /\/api\/orgs\/[^/]+\/writes$/.test(new URL(e.name).pathname) && e.initiatorType === 'fetch'
				)
				.map((e) => ({
					startTime: e.startTime,
					requestStart: e.requestStart,
					responseStart: e.responseStart,
					responseEnd: e.responseEnd,
					bytes: e.encodedBodySize
				}))
		};
	});
	if (raw.m.error) throw new Error(`import bench: ${raw.m.error}`);
	if (raw.longTasks === null) throw new Error('import bench: no longtask entries in this browser');
	const m = raw.m;
	const tasks = raw.longTasks;
	// Resource Timing has no method: the POSTs are the first of the upload's …/writes entries (the catalogue's
	// GET …/writes starts after the last answer, in the task that shows the result).
	const entries = raw.entries
		.filter((e) => e.startTime >= m.importClickAt && e.startTime <= m.resultAt)
		.sort((a, b) => a.startTime - b.startTime)
		.slice(0, statuses.length);
	/** @type {Record<string, number>} */
	const byStatus = {};
	for (const s of statuses) byStatus[s.status] = (byStatus[s.status] ?? 0) + 1;
	const server = entries.map((e) => e.responseStart - (e.requestStart || e.startTime));
	return {
		rows,
		milestones: m,
		phases: {
			read: phase(tasks, m.changeAt, m.previewAt),
			check: phase(tasks, m.checkClickAt, m.checkedAt),
			upload: phase(tasks, m.importClickAt, m.resultAt),
			reload: phase(tasks, m.resultAt, m.focusedAt),
			total: phase(tasks, m.changeAt, m.resultAt)
		},
		writes: {
			requests: entries.length,
			statuses: byStatus,
			serverMs: server.reduce((s, x) => s + x, 0),
			serverMedianMs: median(server),
			requestMs: entries.reduce((s, e) => s + (e.responseEnd - e.startTime), 0),
			inFlightMs: unionMs(entries.map((e) => [e.startTime, e.responseEnd])),
			requestBytes,
			responseBytes: entries.reduce((s, e) => s + e.bytes, 0),
			waits429: raw.waits.waits,
			waitedMs: raw.waits.waitedMs
		},
		longTasks: tasks
	};
}

/**
 * Exports the products (the catalogue as the page holds it) and waits for the download to be saved.
 * `handlerMs`: the click's synchronous part (the page builds the file's text and its Blob, and starts the
 * download); `ms`: to the download saved (Playwright's download.path(), plus one round trip to read the
 * page's clock).
 * @param {Page} page on the Import page, the catalogue loaded
 * @returns {Promise<{ ms: number, handlerMs: number, bytes: number, phase: Phase, path: string }>}
 */
export async function exportFile(page, timeoutMs = 600_000) {
	await page.getByRole('button', { name: 'Export products (TSV)' }).waitFor({ timeout: timeoutMs });
	const downloading = page.waitForEvent('download', { timeout: timeoutMs });
	const { clickAt, returnedAt } = await page.evaluate(() => {
		const b = [...document.querySelectorAll('button')].find(
			(x) => x.textContent?.trim() === 'Export products (TSV)'
		);
		if (!b) throw new Error('no export button');
		const t = performance.now();
		b.click();
		return { clickAt: t, returnedAt: performance.now() };
	});
	const download = await downloading;
	const path = await download.path();
	const doneAt = await page.evaluate(() => performance.now());
	const tasks = /** @type {LongTask[]} */ (
		await page.evaluate(() => /** @type {any} */ (window).__importLongTasks)
	);
	const { statSync } = await import('node:fs');
	return {
		ms: doneAt - clickAt,
		handlerMs: returnedAt - clickAt,
		bytes: statSync(path).size,
		phase: phase(tasks, clickAt - 5, doneAt),
		path
	};
}
