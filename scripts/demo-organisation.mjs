// The demo account's organisation (issue 11): at first start, scripts/start.mjs calls seedDemoOrganisation
// after the demo account exists. It does what the browser does, in Node, with the vault's own operations
// (src/lib/vault/operations.ts, loaded through Vite's module runner): prelogin, derive, log in, open the
// identity bundle, create and open an organisation, then seal and sign every write (prepareWrite), each
// statement following the last. The data is src/lib/catalogue/sample-catalogue.ts: suppliers first, then
// products with their sources and an opening stock count, at most 128 rows per request.
//
// As a command, on a running server (it always creates a new organisation for the demo account):
//   node scripts/demo-organisation.mjs --products 100000 --name "Large catalogue" http://localhost:3000
// Options: --products N (500), --suppliers N (products/25, within 20–500), --seed S, --name "…"; the base
// URL defaults to http://127.0.0.1:$PORT (3000).

import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The POST …/writes limit (src/lib/server/api/routes/catalogue.ts MAX_WRITE_ROWS). */
const MAX_WRITE_ROWS = 128;
export const DEMO_ORGANISATION_NAME = 'Demo Trading Co.';

/** @typedef {import('../src/lib/vault/operations').Operations} Operations */
/** @typedef {import('../src/lib/vault/catalogue-ops').Draft} Draft */
/** @typedef {typeof import('../src/lib/catalogue/sample-catalogue').sampleCatalogue} SampleCatalogue */
/** @typedef {(url: string, init?: RequestInit) => Promise<Response>} Fetch */
/**
 * @typedef {{
 *   status: 'created' | 'exists',
 *   name: string,
 *   tenantId: string,
 *   products: number,
 *   suppliers: number,
 *   sources: number,
 *   counts: number,
 *   writes: number,
 *   ms: number
 * }} SeedResult
 */

/**
 * The vault's operations, the crypto core's ready() and the sample catalogue, from their TypeScript
 * sources through Vite's module runner, in one module graph: the vault's `$crypto` must be the very
 * instance whose ready() resolved. `$crypto` and `$lib` are SvelteKit's aliases (svelte.config.js).
 * @returns {Promise<{ createOperations: () => Operations, sampleCatalogue: SampleCatalogue }>}
 */
export async function loadVault() {
	const { runnerImport } = await import('vite');
	const root = fileURLToPath(new URL('..', import.meta.url));
	const entry = 'virtual:stowage-demo-vault';
	const { module } = await runnerImport(entry, {
		configFile: false,
		logLevel: 'error',
		root,
		resolve: { alias: { $crypto: `${root}crypto`, $lib: `${root}src/lib` } },
		plugins: [
			{
				name: 'stowage-demo-vault',
				resolveId: (id) => (id === entry ? `\0${entry}` : undefined),
				load: (id) =>
					id === `\0${entry}`
						? [
								`export { ready } from '$crypto';`,
								`export { createOperations } from '$lib/vault/operations';`,
								`export { sampleCatalogue } from '$lib/catalogue/sample-catalogue';`
							].join('\n')
						: undefined
			}
		]
	});
	await module.ready();
	return module;
}

/** @param {number} n */
const plural = (n) => n.toLocaleString('en');

/**
 * Creates an organisation for the demo account on the server at `base` and fills it with a sample
 * catalogue, through the public API as the browser would. Unless `force`, it does nothing when the
 * account already has an organisation (or the marker file exists): `npm start` calls it on every first
 * start. Throws with the API's answer when a step fails.
 * @param {string} base e.g. http://127.0.0.1:3000
 * @param {{ email: string; password: string }} demo scripts/demo-account.json
 * @param {{
 *   products?: number,
 *   suppliers?: number,
 *   name?: string,
 *   seed?: number | string,
 *   force?: boolean,
 *   markerPath?: string,
 *   maxRows?: number,
 *   fetch?: Fetch,
 *   log?: (line: string) => void
 * }} [options] `fetch`: the HTTP layer (default: global fetch); `log`: progress lines (default: none);
 *   `maxRows`: rows per signed write (default and at most 128, the API's limit)
 * @returns {Promise<SeedResult>}
 */
export async function seedDemoOrganisation(base, demo, options = {}) {
	const {
		products = 500,
		suppliers = 20,
		name = DEMO_ORGANISATION_NAME,
		seed = 'demo',
		force = false,
		markerPath,
		maxRows = MAX_WRITE_ROWS,
		fetch: doFetch = fetch,
		log = () => {}
	} = options;
	const t0 = performance.now();
	const perWrite = Math.max(1, Math.min(MAX_WRITE_ROWS, Math.floor(maxRows)));
	const none = { name, tenantId: '', products: 0, suppliers: 0, sources: 0, counts: 0, writes: 0 };
	if (!force && markerPath && existsSync(markerPath)) return { status: 'exists', ...none, ms: 0 };

	let token = '';
	/**
	 * @param {string} method @param {string} path @param {unknown} [body]
	 * @returns {Promise<{ status: number, json: any }>}
	 */
	const request = async (method, path, body) => {
		/** @type {Record<string, string>} */
		const headers = {};
		if (body !== undefined) headers['content-type'] = 'application/json';
		if (token) headers.authorization = `Bearer ${token}`;
		const res = await doFetch(`${base}${path}`, {
			method,
			headers,
			...(body === undefined ? {} : { body: JSON.stringify(body) })
		});
		const text = await res.text();
		let json = null;
		try {
			json = text ? JSON.parse(text) : null;
		} catch {
			json = { detail: text.slice(0, 200) };
		}
		return { status: res.status, json };
	};
	/** @param {string} what @param {{ status: number, json: any }} res @returns {never} */
	const fail = (what, res) => {
		const why = res.json?.code ? `${res.json.code}: ${res.json.detail ?? res.json.title}` : '';
		throw new Error(`${what} answered ${res.status}${why ? ` (${why})` : ''}`);
	};

	const { createOperations, sampleCatalogue } = await loadVault();
	const vault = createOperations();
	try {
		// Signing in exactly as the sign-in page does: prelogin's KDF parameters, derive, log in, open.
		const pre = await request('POST', '/api/auth/prelogin', { email: demo.email });
		if (pre.status !== 200) fail('prelogin', pre);
		const { authKey } = vault.deriveForLogin(demo.password, demo.email, pre.json.kdf);
		const logIn = async () => {
			token = '';
			const res = await request('POST', '/api/auth/login', { email: demo.email, authKey });
			if (res.status === 200 && res.json?.secondFactor)
				throw new Error('the demo account asks for a second factor: it cannot be seeded');
			if (res.status !== 200 || !res.json?.accessToken) fail('login', res);
			token = res.json.accessToken;
			return res.json.account;
		};
		const account = await logIn();
		vault.openWithMaster(account.id, account.masterBundle);

		const orgs = await request('GET', '/api/orgs');
		if (orgs.status !== 200) fail('GET /api/orgs', orgs);
		const existing = orgs.json.organisations ?? [];
		if (!force && existing.length > 0) {
			if (markerPath) writeFileSync(markerPath, `${new Date().toISOString()} (there already)\n`);
			const first = existing[0];
			return { status: 'exists', ...none, name: first.displayName, tenantId: first.tenantId, ms: 0 };
		}

		// Create, then open it as a member would: the chain from seq 1 and this member's key wraps.
		const created = vault.createOrganisation(name);
		const made = await request('POST', '/api/orgs', created.body);
		if (made.status !== 201 && made.status !== 200) fail('POST /api/orgs', made);
		const tenantId = created.tenantId;
		/** @type {string[]} */
		const links = [];
		for (let more = true; more;) {
			const page = await request('GET', `/api/orgs/${tenantId}/chain?after=${links.length}`);
			if (page.status !== 200) fail('GET …/chain', page);
			for (const l of page.json.links) links.push(l.link);
			more = page.json.more === true && page.json.links.length > 0;
		}
		const keys = await request('GET', `/api/orgs/${tenantId}/keys`);
		if (keys.status !== 200) fail('GET …/keys', keys);
		const opened = vault.openOrganisation(tenantId, links, keys.json.wraps, null);
		if (!opened.verified) throw new Error('the new organisation’s chain does not verify');
		const last = await request('GET', `/api/orgs/${tenantId}/my-writes/last`);
		if (last.status !== 200) fail('GET …/my-writes/last', last);
		/** @type {{ hash: string, counter: number } | null} */
		let prev = last.json.last;

		const sample = sampleCatalogue({ products, suppliers, seed });
		const supplierIds = sample.suppliers.map(() => randomUUID());
		const occurredAt = Date.now() * 1000;
		/**
		 * The rows, made as they are sent (a large catalogue's drafts need not all be held at once): each
		 * supplier, then each product with its sources and opening count, which go in one request.
		 * @returns {Generator<Draft[]>}
		 */
		function* groups() {
			for (const [i, s] of sample.suppliers.entries())
				yield [
					{
						table: 'suppliers',
						id: supplierIds[i] ?? '',
						version: 1,
						prevLeaf: null,
						fields: s.fields,
						archived: false
					}
				];
			for (const p of sample.products) {
				const id = randomUUID();
				/** @type {Draft[]} */
				const group = [
					{
						table: 'products',
						id,
						version: 1,
						prevLeaf: null,
						fields: p.fields,
						reorderPoint: p.reorderPoint,
						archived: false
					}
				];
				for (const s of p.sources)
					group.push({
						table: 'product_sources',
						id: randomUUID(),
						version: 1,
						prevLeaf: null,
						productId: id,
						supplierId: supplierIds[s.supplier] ?? '',
						fields: s.fields,
						archived: false
					});
				group.push({
					table: 'stock_movements',
					id: randomUUID(),
					productId: id,
					delta: p.openingCount,
					reason: 'count',
					occurredAt
				});
				yield group;
			}
		}
		const sources = sample.products.reduce((n, p) => n + p.sources.length, 0);
		const rows = sample.suppliers.length + 2 * sample.products.length + sources;
		log(
			`Seeding “${name}”: ${plural(sample.suppliers.length)} suppliers, ${plural(products)} products, ` +
				`${plural(sources)} sources, ${plural(products)} opening counts (${plural(rows)} rows)…`
		);

		let writes = 0;
		let written = 0;
		let nextReport = rows / 10;
		/**
		 * One signed statement of these groups after `prev`. Too large a body (413) is split in two; an
		 * expired access token is renewed by logging in again; a counter another write took is re-read.
		 * @param {Draft[][]} batch
		 * @param {boolean} [retried]
		 * @returns {Promise<void>}
		 */
		const send = async (batch, retried = false) => {
			const drafts = batch.flat();
			const w = vault.prepareWrite(tenantId, drafts, prev);
			const res = await request('POST', `/api/orgs/${tenantId}/writes`, w.body);
			if (res.status === 201 || res.status === 200) {
				prev = { hash: w.hash, counter: w.counter };
				writes++;
				written += drafts.length;
				if (rows > 50 * perWrite && written >= nextReport && written < rows) {
					log(`  ${plural(written)} / ${plural(rows)} rows`);
					nextReport += rows / 10;
				}
				return;
			}
			if (res.status === 413 && batch.length > 1) {
				const half = Math.ceil(batch.length / 2);
				await send(batch.slice(0, half));
				return send(batch.slice(half));
			}
			if (!retried && res.status === 401) {
				await logIn();
				return send(batch, true);
			}
			if (!retried && res.status === 409 && res.json?.code === 'stale_counter') {
				const again = await request('GET', `/api/orgs/${tenantId}/my-writes/last`);
				if (again.status !== 200) fail('GET …/my-writes/last', again);
				prev = again.json.last;
				return send(batch, true);
			}
			fail(`POST …/writes (${writes + 1})`, res);
		};
		/** @type {Draft[][]} */
		let batch = [];
		let size = 0;
		for (const g of groups()) {
			// Suppliers are written before any product, so every source's supplier exists already.
			const kindChanges = batch.length > 0 && batch[0]?.[0]?.table !== g[0]?.table;
			if ((size > 0 && size + g.length > perWrite) || kindChanges) {
				await send(batch);
				batch = [];
				size = 0;
			}
			batch.push(g);
			size += g.length;
		}
		if (batch.length) await send(batch);

		if (markerPath) writeFileSync(markerPath, `${new Date().toISOString()} ${tenantId}\n`);
		return {
			status: 'created',
			name,
			tenantId,
			products: sample.products.length,
			suppliers: sample.suppliers.length,
			sources,
			counts: sample.products.length,
			writes,
			ms: performance.now() - t0
		};
	} finally {
		vault.lock();
	}
}

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {{ base: string, products: number, suppliers?: number, name: string, seed?: string }} */
	const out = { base: '', products: 500, name: '' };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i] ?? '';
		const value = () => {
			const v = argv[++i];
			if (v === undefined) throw new Error(`${a} needs a value`);
			return v;
		};
		const count = () => {
			const n = Number(value());
			if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${a} takes a whole number`);
			return n;
		};
		if (a === '--products') out.products = count();
		else if (a === '--suppliers') out.suppliers = count();
		else if (a === '--name') out.name = value();
		else if (a === '--seed') out.seed = value();
		else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
		else out.base = a.replace(/\/+$/, '');
	}
	return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	try {
		const args = parseArgs(process.argv.slice(2));
		const base = args.base || `http://127.0.0.1:${process.env.PORT || 3000}`;
		const demo = JSON.parse(readFileSync(new URL('./demo-account.json', import.meta.url), 'utf8'));
		const suppliers = args.suppliers ?? Math.max(20, Math.min(500, Math.round(args.products / 25)));
		const name = args.name || `${DEMO_ORGANISATION_NAME} (${plural(args.products)} products)`;
		const r = await seedDemoOrganisation(base, demo, {
			products: args.products,
			suppliers,
			name,
			...(args.seed === undefined ? {} : { seed: args.seed }),
			force: true,
			log: (line) => console.log(line)
		});
		console.log(
			`Created “${r.name}” for ${demo.email}: ${plural(r.products)} products, ${plural(r.suppliers)} suppliers, ` +
				`${plural(r.sources)} sources in ${plural(r.writes)} signed writes (${(r.ms / 1000).toFixed(1)} s)`
		);
	} catch (error) {
		console.error(`demo-organisation: ${error instanceof Error ? error.message : String(error)}`);
		process.exitCode = 1;
	}
}
