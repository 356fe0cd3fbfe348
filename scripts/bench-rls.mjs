// The RLS benchmarks (`npm run bench rls`), each a ratio of figures taken in one run:
// 1. HTTP: `GET /api/orgs/{tenantId}/products?limit=100` through our production build (as
//    scripts/bench-api.mjs runs it) against a bare node:http server that runs the same SELECT as the table
//    owner (no RLS, no claims, no transaction) and answers the same JSON; in between, the bare server running
//    those SELECTs in a transaction as the owner, and in the app's RLS transaction as the member. PostgreSQL,
//    then PGlite.
// 2. In the database (PostgreSQL): EXPLAIN (ANALYZE, BUFFERS) execution time of that page query as an
//    `authenticated` member under RLS against the owner's, at 10k and 1M products across 1,000 tenants
//    (tests/bench/rls-bench.mjs). BENCH_RLS_ROWS=10000,1000000 and BENCH_RLS_TENANTS=1000 set the sizes.
// Scratch databases are dropped afterwards. Returns the "## RLS" section of BENCHMARKS.md.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { freePort } from './bench-app.mjs';
import { join } from 'node:path';
import os from 'node:os';
import { PGlite } from '@electric-sql/pglite';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { runnerImport } from 'vite';
import {
	ENVELOPE_BYTES,
	PAGE,
	REQUEST_SETUP,
	load,
	measureHelperCalls,
	measureInDb,
	measureVariants,
	median
} from '../tests/bench/rls-bench.mjs';

// The route's own queries (src/lib/server/db/catalogue.ts), not copies of them.
const { module: routeQueries } = await runnerImport(
	new URL('../src/lib/server/db/catalogue.ts', import.meta.url).pathname,
	{ configFile: false, logLevel: 'silent' }
);
const PAGE_QUERY = routeQueries.pageQuery('products');
const WRITES_QUERY = routeQueries.pageWritesQuery('products');
const MORE_QUERY = routeQueries.moreQuery('products');

const CONNECTIONS = 20;
const SECONDS = Number(process.env.BENCH_SECONDS || 5);
const WARMUP_SECONDS = 2;
const ROUNDS = Number(process.env.BENCH_RLS_ROUNDS || 3);
const POOL = 10; // the app's pool (src/lib/server/db/postgres-driver.ts)
const ADMIN_URL = process.env.BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const TENANTS = Number(process.env.BENCH_RLS_TENANTS || 1000);
const SIZES = (process.env.BENCH_RLS_ROWS || '10000,1000000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RLS_RUNS || 21);
/** Products of the HTTP tenant: a full page and more, so `next` is set. */
const HTTP_ROWS = 250;

/** @typedef {{ label: string, rps: number[], cpuUs: number[], non2xx: number, errors: number }} Row */

/** @param {number | undefined} pid @returns {number | undefined} CPU seconds (user + system) so far */
function cpuSeconds(pid) {
	if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * One autocannon round (after a warm-up) into `row`.
 * @param {Row} row
 * @param {string} url
 * @param {Record<string, string>} headers
 * @param {number | undefined} pid
 */
async function measureInto(row, url, headers, pid) {
	await autocannon({ url, headers, connections: CONNECTIONS, duration: WARMUP_SECONDS });
	const before = cpuSeconds(pid);
	const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: SECONDS });
	const after = cpuSeconds(pid);
	const total = result.requests.total;
	row.rps.push(total / result.duration);
	if (before !== undefined && after !== undefined && total > 0)
		row.cpuUs.push(((after - before) * 1e6) / total);
	row.non2xx += result.non2xx;
	row.errors += result.errors + result.timeouts;
	console.log(`bench: ${row.label}: ${Math.round(total / result.duration)} req/s`);
}

/**
 * @param {string[]} args node arguments
 * @param {Record<string, string>} env
 * @param {string} readyUrl
 * @param {string} cwd
 */
async function startServer(args, env, readyUrl, cwd) {
	const child = spawn(process.execPath, args, {
		cwd,
		env: { ...process.env, ...env },
		stdio: ['ignore', openSync('/dev/null', 'w'), 'pipe']
	});
	let stderr = '';
	child.stderr?.on('data', (chunk) => (stderr += chunk));
	const deadline = Date.now() + 120_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${stderr}`);
		const ok = await fetch(readyUrl).then(
			(r) => r.status < 500,
			() => false
		);
		if (ok) return child;
		await new Promise((r) => setTimeout(r, 200));
	}
	child.kill('SIGKILL');
	throw new Error(`server did not start:\n${stderr}`);
}

/** @param {import('node:child_process').ChildProcess} child */
async function stopServer(child) {
	if (child.exitCode !== null) return;
	const exited = new Promise((r) => child.once('exit', r));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
	await exited;
	clearTimeout(timer);
}

/**
 * The comparison server: node:http, no framework, no middleware, no authentication. It answers
 * GET /api/orgs/{tenantId}/products?limit=n with exactly the JSON the API answers: the same SELECTs as the
 * route (db/catalogue.ts listPage: the page as PostgreSQL serialises it, its statements, and whether a row
 * follows a full page), spliced into the same envelope. BENCH_MODE=owner: the SELECTs on the table owner's
 * connection (a superuser: no RLS), no transaction. owner-tx: the same in a transaction. rls: in a
 * transaction as `authenticated` with the member's claims, set up the way withClaims does (pipelined with
 * the first SELECT, one round trip). BENCH_DB=pglite: the PGlite data directory BENCH_DATA_DIR, owner mode only.
 */
const BARE_SERVER = `
import { createServer } from 'node:http';
const query = process.env.BENCH_QUERY;
const writesQuery = process.env.BENCH_WRITES_QUERY;
const moreQuery = process.env.BENCH_MORE_QUERY;
const setup = process.env.BENCH_SETUP;
const claims = process.env.BENCH_CLAIMS;
// listPage's three SELECTs, on one executor.
const pageOn = async (exec, params) => {
	const [page] = await exec(query, params);
	const [w] = await exec(writesQuery, params);
	const more = page.n === params[2] && page.last !== null && (await exec(moreQuery, [params[0], page.last])).length > 0;
	return { rows: page.rows, writes: w.writes, next: more ? page.last : null };
};
let run;
if (process.env.BENCH_DB === 'pglite') {
	const { PGlite } = await import('@electric-sql/pglite');
	const db = await PGlite.create(process.env.BENCH_DATA_DIR);
	run = (params) => pageOn(async (text, p) => (await db.query(text, p)).rows, params);
} else {
	const { default: postgres } = await import('postgres');
	const sql = postgres(process.env.BENCH_URL, { max: ${POOL}, onnotice: () => {} });
	run =
		process.env.BENCH_MODE === 'owner'
			? (params) => pageOn((text, p) => sql.unsafe(text, p), params)
			: (params) =>
					sql.begin(async (tx) => {
						// rls: the set-up first, pipelined with the first SELECT (one round trip), as withClaims sends it.
						const first = process.env.BENCH_MODE === 'rls' ? tx.unsafe(setup, ['authenticated', claims]) : null;
						return pageOn(async (text, p) => {
							const [, r] = await Promise.all([first, tx.unsafe(text, p)]);
							return r;
						}, params);
					});
}
const path = /^\\/api\\/orgs\\/([0-9a-f]{64})\\/products$/;
createServer(async (req, res) => {
	const url = new URL(req.url ?? '/', 'http://x');
	const m = path.exec(url.pathname);
	if (!m) return res.writeHead(404).end();
	const n = Number(url.searchParams.get('limit') ?? 500);
	const page = await run([m[1], url.searchParams.get('after'), n]);
	const body = \`{"tenantId":\${JSON.stringify(m[1])},"rows":\${page.rows},"writes":\${page.writes},"next":\${JSON.stringify(page.next)}}\`;
	res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
	res.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

/** @param {string} root */
function buildApp(root) {
	const tmp = join(root, 'tests/.tmp/bench');
	const buildDir = join(tmp, 'app');
	if (!existsSync(join(root, '.svelte-kit/tsconfig.json'))) {
		spawnSync('npx', ['svelte-kit', 'sync'], { cwd: root, stdio: 'inherit' });
	}
	console.log('bench: building the app…');
	const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
		cwd: root,
		stdio: 'inherit',
		env: { ...process.env, STOWAGE_BUILD_DIR: buildDir, STOWAGE_KIT_DIR: join(tmp, 'kit') }
	});
	if (built.status !== 0) throw new Error('vite build failed');
	return buildDir;
}

/**
 * Starts our build; returns its base URL, process and a signed-up account's bearer token.
 * @param {string} root
 * @param {string} buildDir
 * @param {Record<string, string>} env
 */
async function startApp(root, buildDir, env) {
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	// BENCH_CPU_PROF=<dir>: the app writes a V8 CPU profile there when it stops (node --cpu-prof).
	const prof = process.env.BENCH_CPU_PROF;
	const child = await startServer(
		[...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : []), buildDir],
		{ HOST: '127.0.0.1', PORT: String(port), ORIGIN: base, LOG_LEVEL: 'info', REDIS_URL: '', ...env },
		`${base}/api/health`,
		root
	);
	return { base, child };
}

/**
 * A new account through the API (random key material: the server cannot tell, it stores what it gets).
 * @param {string} base
 * @returns {Promise<{ userId: string, token: string }>}
 */
async function signUp(base) {
	const email = `rls-bench-${randomBytes(4).toString('hex')}@example.com`;
	const post = async (/** @type {string} */ path, /** @type {unknown} */ body) => {
		const res = await fetch(`${base}${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: base },
			body: JSON.stringify(body)
		});
		const json = await res.json();
		if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
		return json;
	};
	const { kdf } = await post('/api/auth/prelogin', { email });
	const b = (/** @type {number} */ n) => randomBytes(n).toString('base64url');
	const userId = randomUUID();
	const grant = await post('/api/auth/signup', {
		userId,
		email,
		kdf,
		authKey: b(32),
		publicKeys: { x25519: b(32), ed25519: b(32) },
		masterBundle: b(120),
		recoveryBundle: b(120),
		recoveryAuthKey: b(32)
	});
	return { userId, token: String(grant.accessToken) };
}

/**
 * The HTTP tenant: an organisation whose owner is `userId`, with HTTP_ROWS products, written as the owner.
 * @param {(text: string, params?: (string | number | null)[]) => Promise<unknown>} exec
 * @param {string} userId
 */
async function loadHttpTenant(exec, userId) {
	const tenant = randomBytes(32).toString('hex');
	const rnd = (/** @type {number} */ n) => `'\\x${randomBytes(n).toString('hex')}'::bytea`;
	await exec(`insert into app.organisations (tenant_id, display_name) values ($1, 'RLS bench')`, [tenant]);
	await exec(
		`insert into app.chain_links (tenant_id, seq, type, link, link_hash) values ($1, 1, 1, ${rnd(400)}, ${rnd(32)})`,
		[tenant]
	);
	await exec(
		`insert into app.members (tenant_id, user_id, role, x25519_public, ed25519_public, since_seq)
		 select $1, u.id, 1, u.x25519_public, u.ed25519_public, 1 from app.users u where u.id = $2`,
		[tenant, userId]
	);
	// One signed statement per 100 products, each with its 100 leaves (as an import writes them).
	const hash = (/** @type {string} */ block) => `sha256(($1 || '/' || ${block})::bytea)`;
	await exec(
		`insert into app.writes (tenant_id, hash, statement, leaves, author_id, counter, prev_hash, kind, cited_seq, cited_hash)
		 select $1, ${hash('b')}, ${rnd(448)}, decode(repeat(md5(random()::text), 200), 'hex'), $2, b,
		        case when b > 1 then ${hash('(b - 1)')} end, 1, 1, ${rnd(32)}
		   from generate_series(1, $3::int) b`,
		[tenant, userId, Math.ceil(HTTP_ROWS / 100)]
	);
	await exec(
		`insert into app.products (tenant_id, id, version, prev_leaf, leaf, catalog, sku_index, asin_index, epoch,
		                           reorder_point, archived, write_hash)
		 select $1, gen_random_uuid(), 1, null, sha256(('leaf' || i)::bytea),
		        decode(repeat(md5(random()::text), ${ENVELOPE_BYTES / 16}), 'hex'), substring(sha256(('sku' || i)::bytea) from 1 for 16),
		        case when i % 2 = 0 then substring(sha256(('asin' || i)::bytea) from 1 for 16) end, 1,
		        case when i % 3 = 0 then i % 50 end, false, ${hash('((i - 1) / 100 + 1)')}
		   from generate_series(1, $2::int) i`,
		[tenant, HTTP_ROWS]
	);
	await exec('analyze app.products');
	return tenant;
}

/**
 * An answer with its `writes` in hash order: the statements' query has no ORDER BY (a set, in whatever order
 * the plan yields it), so two servers may list the same statements differently.
 * @param {string} text
 */
function canonical(text) {
	const json = JSON.parse(text);
	json.writes?.sort((/** @type {{ hash: string }} */ p, /** @type {{ hash: string }} */ q) =>
		p.hash < q.hash ? -1 : p.hash > q.hash ? 1 : 0
	);
	return JSON.stringify(json);
}

/**
 * Checks that the comparison server answers what the API answers (same bytes, statements in any order).
 * @param {string} a @param {string} b @param {Record<string, string>} headers
 * @returns {Promise<number>} the answer's size in bytes
 */
async function sameAnswer(a, b, headers) {
	const [x = '', y = ''] = await Promise.all([a, b].map((u) => fetch(u, { headers }).then((r) => r.text())));
	const [cx, cy] = [canonical(x), canonical(y)];
	if (cx !== cy || x.length !== y.length) {
		let i = 0;
		while (i < Math.min(cx.length, cy.length) && cx[i] === cy[i]) i++;
		throw new Error(
			`the comparison server's answer differs from the API's at byte ${i}:\n${cx.slice(i - 200, i + 100)}\n${cy.slice(i - 200, i + 100)}`
		);
	}
	return Buffer.byteLength(x);
}

/**
 * Measures the servers in rounds (each round every server once), so load from elsewhere hits them alike.
 * @param {{ label: string, url: string, pid: number | undefined }[]} servers
 * @param {Record<string, string>} headers
 */
async function rounds(servers, headers) {
	/** @type {Row[]} */
	const rows = servers.map((s) => ({ label: s.label, rps: [], cpuUs: [], non2xx: 0, errors: 0 }));
	for (let r = 0; r < ROUNDS; r++) {
		for (const [i, s] of servers.entries())
			await measureInto(/** @type {Row} */ (rows[i]), s.url, headers, s.pid);
	}
	return rows;
}

/**
 * @param {string} root
 * @param {string} buildDir
 * @param {string} url the scratch database, as the owner
 */
async function httpPostgres(root, buildDir, url) {
	const app = await startApp(root, buildDir, {
		DATABASE_URL: url,
		STOWAGE_SECRET: randomBytes(32).toString('base64url')
	});
	/** @type {import('node:child_process').ChildProcess[]} */
	const bare = [];
	try {
		const { userId, token } = await signUp(app.base);
		const sql = postgres(url, { max: 1, onnotice: () => {} });
		let tenant;
		try {
			tenant = await loadHttpTenant((text, params) => sql.unsafe(text, params ?? []), userId);
		} finally {
			await sql.end({ timeout: 5 });
		}
		const path = `/api/orgs/${tenant}/products?limit=${PAGE}`;
		const claims = JSON.stringify({ role: 'authenticated', sub: userId });
		/** @type {{ label: string, url: string, pid: number | undefined }[]} */
		const servers = [
			{
				label: `our build: \`GET /api/orgs/{tenantId}/products?limit=${PAGE}\` (RLS), PostgreSQL`,
				url: `${app.base}${path}`,
				pid: app.child.pid
			}
		];
		for (const [mode, label] of [
			['owner', 'bare `node:http`: the same SELECT as the owner (no RLS, no transaction), PostgreSQL'],
			['owner-tx', 'bare `node:http`: the same SELECT as the owner in a transaction (no RLS), PostgreSQL'],
			['rls', 'bare `node:http`: the same SELECT in the RLS transaction as the member, PostgreSQL']
		]) {
			const port = await freePort();
			const child = await startServer(
				['--input-type=module', '-e', BARE_SERVER],
				{
					PORT: String(port),
					BENCH_URL: url,
					BENCH_MODE: String(mode),
					BENCH_QUERY: PAGE_QUERY,
					BENCH_WRITES_QUERY: WRITES_QUERY,
					BENCH_MORE_QUERY: MORE_QUERY,
					BENCH_SETUP: REQUEST_SETUP,
					BENCH_CLAIMS: claims
				},
				`http://127.0.0.1:${port}/`,
				root
			);
			bare.push(child);
			servers.push({ label: String(label), url: `http://127.0.0.1:${port}${path}`, pid: child.pid });
		}
		const headers = { authorization: `Bearer ${token}` };
		let bytes = 0;
		for (const s of servers.slice(1)) bytes = await sameAnswer(servers[0]?.url ?? '', s.url, headers);
		return { rows: await rounds(servers, headers), bytes };
	} finally {
		for (const c of bare) await stopServer(c);
		await stopServer(app.child);
	}
}

/**
 * PGlite admits one process at a time: the app, then the comparison server, on the same data directory,
 * alternately (each start costs a few seconds; PGLITE_ROUNDS rounds).
 * @param {string} root
 * @param {string} buildDir
 */
async function httpPglite(root, buildDir) {
	const dataDir = join(root, `tests/.tmp/bench/rls-data-${process.pid}`);
	mkdirSync(dataDir, { recursive: true });
	const secret = randomBytes(32).toString('base64url');
	const env = { DATABASE_URL: '', STOWAGE_DATA_DIR: dataDir, STOWAGE_SECRET: secret };
	try {
		let app = await startApp(root, buildDir, env);
		let account;
		try {
			account = await signUp(app.base);
		} finally {
			await stopServer(app.child);
		}
		const db = await PGlite.create(dataDir);
		let tenant;
		try {
			tenant = await loadHttpTenant(async (text, params) => db.query(text, params ?? []), account.userId);
		} finally {
			await db.close();
		}
		const path = `/api/orgs/${tenant}/products?limit=${PAGE}`;
		const headers = { authorization: `Bearer ${account.token}` };
		/** @type {Row[]} */
		const rows = [
			{
				label: `our build: \`GET /api/orgs/{tenantId}/products?limit=${PAGE}\` (RLS), PGlite`,
				rps: [],
				cpuUs: [],
				non2xx: 0,
				errors: 0
			},
			{
				label: 'bare `node:http`: the same SELECT as the owner (no RLS, no transaction), PGlite',
				rps: [],
				cpuUs: [],
				non2xx: 0,
				errors: 0
			}
		];
		let appAnswer = '';
		for (let r = 0; r < ROUNDS; r++) {
			app = await startApp(root, buildDir, env);
			try {
				if (!appAnswer) appAnswer = await fetch(`${app.base}${path}`, { headers }).then((x) => x.text());
				await measureInto(/** @type {Row} */ (rows[0]), `${app.base}${path}`, headers, app.child.pid);
			} finally {
				await stopServer(app.child);
			}
			const port = await freePort();
			const bare = await startServer(
				['--input-type=module', '-e', BARE_SERVER],
				{
					PORT: String(port),
					BENCH_DB: 'pglite',
					BENCH_DATA_DIR: dataDir,
					BENCH_QUERY: PAGE_QUERY,
					BENCH_WRITES_QUERY: WRITES_QUERY,
					BENCH_MORE_QUERY: MORE_QUERY
				},
				`http://127.0.0.1:${port}/`,
				root
			);
			try {
				const url = `http://127.0.0.1:${port}${path}`;
				if (r === 0) {
					const bareAnswer = await fetch(url).then((x) => x.text());
					if (canonical(bareAnswer) !== canonical(appAnswer))
						throw new Error('the PGlite comparison answer differs from the API’s');
				}
				await measureInto(/** @type {Row} */ (rows[1]), url, headers, bare.pid);
			} finally {
				await stopServer(bare);
			}
		}
		return rows;
	} finally {
		rmSync(dataDir, { recursive: true, force: true });
	}
}

/**
 * The schema exactly as the migrations create it, applied file by file (no ledger: nothing else opens it).
 * @param {import('postgres').Sql} sql
 * @param {string} root
 */
async function migrate(sql, root) {
	const dir = join(root, 'supabase/migrations');
	for (const file of readdirSync(dir)
		.filter((n) => n.endsWith('.sql'))
		.sort()) {
		const text = readFileSync(join(dir, file), 'utf8');
		await sql.begin((tx) => tx.unsafe(text));
	}
}

/**
 * @param {string} root
 * @param {string} url the scratch database, as the owner
 */
async function inDatabase(root, url) {
	const sql = postgres(url, { max: 1, onnotice: () => {} });
	/** @type {import('../tests/bench/rls-bench.mjs').Owner} */
	const owner = {
		transaction: (fn) =>
			/** @type {Promise<any>} */ (
				sql.begin((tx) =>
					fn({
						query: async (text, params) => [...(await tx.unsafe(text, /** @type {never[]} */ (params ?? [])))]
					})
				)
			)
	};
	try {
		await migrate(sql, root);
		const results = [];
		/** @type {{ tenants: number, perTenant: number, loaded?: number }} */
		const state = { tenants: TENANTS, perTenant: 0 };
		for (const total of SIZES) {
			state.perTenant = Math.max(1, Math.round(total / TENANTS));
			const loadMs = await load(owner, state);
			await sql.unsafe('vacuum analyze app.products');
			const [size] = await sql.unsafe(
				`select count(*)::int as n, pg_total_relation_size('app.products') as bytes from app.products`
			);
			console.log(`bench: loaded ${size?.n} products in ${Math.round(loadMs)} ms`);
			const r = await measureInDb(owner, {
				tenants: TENANTS,
				perTenant: state.perTenant,
				runs: RUNS,
				query: PAGE_QUERY
			});
			console.log(
				`bench: in-database, ${size?.n} rows: RLS ${r.rlsMedianMs.toFixed(3)} ms, owner ${r.ownerMedianMs.toFixed(3)} ms, ${r.ratio.toFixed(2)}×`
			);
			const variants =
				process.env.BENCH_RLS_VARIANTS === '0'
					? []
					: await measureVariants(owner, {
							tenants: TENANTS,
							perTenant: state.perTenant,
							runs: RUNS,
							query: PAGE_QUERY
						});
			for (const v of variants) console.log(`bench: variant "${v.label}": ${v.ratio.toFixed(2)}×`);
			results.push({ ...r, rowsTotal: Number(size?.n), tableBytes: Number(size?.bytes), loadMs, variants });
		}
		// A helper call costs the same at any size (it reads memberships only).
		const helpers =
			process.env.BENCH_RLS_VARIANTS === '0' ? [] : await measureHelperCalls(owner, { tenants: TENANTS });
		for (const h of helpers)
			console.log(
				`bench: ${h.helper}: ${h.plpgsqlUs.toFixed(1)} µs (plpgsql), ${h.sqlUs.toFixed(1)} µs (sql)`
			);
		return { sizes: results, helpers };
	} finally {
		await sql.end({ timeout: 5 });
	}
}

/** @param {import('postgres').Sql} admin @param {string} name */
async function scratch(admin, name) {
	await admin.unsafe(`create database ${name}`);
	const url = new URL(ADMIN_URL);
	url.pathname = `/${name}`;
	return url.toString();
}

/** @param {string} root the repository */
export async function runRlsBench(root) {
	const load0 = os.loadavg();
	const started = new Date();
	const buildDir = buildApp(root);
	const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
	const [{ version: pgVersion } = { version: '?' }] = await admin.unsafe(
		`select current_setting('server_version') as version`
	);
	const httpName = `stowage_bench_rls_http_${process.pid}`;
	const dbName = `stowage_bench_rls_${process.pid}`;
	let http, inDb;
	try {
		try {
			http = await httpPostgres(root, buildDir, await scratch(admin, httpName));
		} finally {
			await admin.unsafe(`drop database if exists ${httpName} with (force)`);
		}
		try {
			inDb = await inDatabase(root, await scratch(admin, dbName));
		} finally {
			await admin.unsafe(`drop database if exists ${dbName} with (force)`);
		}
	} finally {
		await admin.end({ timeout: 5 });
	}
	const pglite = process.env.BENCH_RLS_PGLITE === '0' ? undefined : await httpPglite(root, buildDir);
	const load1 = os.loadavg();
	return section({ http, inDb, pglite, load0, load1, started, pgVersion: String(pgVersion) });
}

/** This benchmark's earlier runs (2026-12-01, same machine), each with the one-step page query. */
const BEFORE = [
	{
		what: 'before 20261201040000_rls_index_friendly.sql (two SQL helpers per policy)',
		http: '30 % on PostgreSQL, 54 % on PGlite',
		inDb: '6.47× at 10,000 rows, 19.31× at 1,000,000 rows (both: Limit → Sort → Index Scan using products_write_idx)'
	},
	{
		what: 'after it, listRows still in one step (`… where t.tenant_id = $1 and ($2::uuid is null or t.id > $2::uuid) order by t.id limit $3`)',
		http: '41 % on PostgreSQL, 68 % on PGlite',
		inDb: '2.17× at 10,000 rows (RLS 0.076 ms, owner 0.035 ms), 14.65× at 1,000,000 rows (RLS 1.084 ms, owner 0.074 ms; RLS: Limit → Sort → Index Scan using products_write_idx, owner: Limit → Index Scan using products_pkey)'
	}
];

/** @param {number} x */
const pct = (x) => `${Math.round(x * 100)} %`;
/** @param {number} x */
const k = (x) => Math.round(x).toLocaleString('en-US');
/** @param {number[]} xs */
const spread = (xs) => (xs.length > 1 ? ` [${k(Math.min(...xs))}–${k(Math.max(...xs))}]` : '');

/**
 * @param {{ http: { rows: Row[], bytes: number }, inDb: Awaited<ReturnType<typeof inDatabase>>, pglite: Row[] | undefined,
 *   load0: number[], load1: number[], started: Date, pgVersion: string }} r
 */
function section(r) {
	const [app, owner, ownerTx, rlsTx] = r.http.rows;
	if (!app || !owner || !ownerTx || !rlsTx) throw new Error('HTTP rows missing');
	const rps = (/** @type {Row} */ x) => median(x.rps);
	const cpu = (/** @type {Row} */ x) => (x.cpuUs.length ? median(x.cpuUs).toFixed(0) : '–');
	const httpRows = [...r.http.rows, ...(r.pglite ?? [])];
	const failures = httpRows.filter((x) => x.non2xx > 0 || x.errors > 0);
	const httpTable = [
		'| measurement | req/s, median [min–max] | server CPU, µs per request |',
		'| --- | ---: | ---: |',
		...httpRows.map((x) => `| ${x.label} | ${k(rps(x))}${spread(x.rps)} | ${cpu(x)} |`)
	].join('\n');
	const [pgApp, pgBare] = r.pglite ?? [];
	const sizes = r.inDb.sizes;
	const small = sizes[0];
	const large = sizes.at(-1);
	if (!small || !large) throw new Error('in-database sizes missing');
	const httpRatio = rps(app) / rps(owner);
	const inDbMet = sizes.every((x) => x.ratio <= 1.2);
	// The whole tenant read (and sorted) rather than the page: a scan of products returning far more than it.
	// (A merge join reads one row past the page.)
	const overRead = large.rls.scans.find((s) => s.actual > PAGE + 2);
	const largeReadsTenant = overRead !== undefined;
	const scansText = (/** @type {{ scans: { node: string, estimated: number, actual: number }[] }} */ e) =>
		e.scans
			.map((s) => `${s.node.replace(/ on products$/, '')}: estimated ${k(s.estimated)}, read ${k(s.actual)}`)
			.join('; ');
	const reading = r.inDb.helpers.find((h) => h.helper === 'my_tenants_reading');
	// The former one-step query, both sides, measured in the same run (a what-if).
	const oneStep = (/** @type {typeof large} */ x) => x.variants.find((v) => v.label.includes('one-step'));
	const largeOne = oneStep(large);
	const us = (/** @type {number} */ x) => x.toFixed(1);
	const helperTable = [
		'| helper | plpgsql (as migrated), µs per call | restated in SQL, µs per call |',
		'| --- | ---: | ---: |',
		...r.inDb.helpers.map((h) => `| \`private.${h.helper}\` | ${us(h.plpgsqlUs)} | ${us(h.sqlUs)} |`)
	].join('\n');
	const ms = (/** @type {number} */ x) => x.toFixed(3);
	const inDbTable = [
		'| products (tenants × per tenant) | rows in the page | RLS: execution ms, median [min–max] | owner: execution ms, median [min–max] | ratio | RLS planning ms | owner planning ms | buffers hit (RLS / owner) | plan (RLS) | plan (owner) |',
		'| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
		...sizes.map(
			(x) =>
				`| ${k(x.rowsTotal)} (${k(x.tenants)} × ${k(x.perTenant)}) | ${x.rls.rows} | ${ms(x.rlsMedianMs)} [${ms(Math.min(...x.rlsMs))}–${ms(Math.max(...x.rlsMs))}] | ${ms(x.ownerMedianMs)} [${ms(Math.min(...x.ownerMs))}–${ms(Math.max(...x.ownerMs))}] | **${x.ratio.toFixed(2)}×** | ${ms(x.rls.planningMs)} | ${ms(x.owner.planningMs)} | ${x.rls.sharedHit} / ${x.owner.sharedHit} | ${x.rls.nodes.join(' → ')} | ${x.owner.nodes.join(' → ')} |`
		)
	].join('\n');
	const indexes = (/** @type {'rls' | 'owner'} */ side) =>
		[
			...new Set(
				sizes.flatMap((x) =>
					x[side].nodes.filter((n) => n.includes(' using ')).map((n) => n.split(' using ')[1]?.split(' ')[0])
				)
			)
		]
			.map((n) => `\`${n}\``)
			.join(', ');
	const indexNote = sizes.every(
		(x) => x.rls.indexUsed && x.owner.indexUsed && !x.rls.seqScan && !x.owner.seqScan
	)
		? `Both sides read products through an index at every size, never a sequential scan (RLS: ${indexes('rls')}; owner: ${indexes('owner')}).`
		: '**A plan did not use an index of products**: see the plan columns.';
	const variantRows = sizes.flatMap((x) => [
		`| ${k(x.rowsTotal)} | as the migrations create it (the table above) | ${ms(x.rlsMedianMs)} | ${ms(x.ownerMedianMs)} | ${x.ratio.toFixed(2)}× | ${x.rls.nodes.join(' → ')} |`,
		...x.variants.map(
			(v) =>
				`| ${k(x.rowsTotal)} | ${v.label} | ${ms(v.rlsMedianMs)} | ${ms(v.ownerMedianMs)} | ${v.ratio.toFixed(2)}× | ${v.rls.nodes.join(' → ')} |`
		)
	]);
	const variantTable = [
		'| products | policy and helpers | RLS: execution ms, median | owner: execution ms, median | ratio | plan (RLS) |',
		'| --- | --- | ---: | ---: | ---: | --- |',
		...variantRows
	].join('\n');
	const machine = `${os.type()} ${os.release()}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), Node ${process.versions.node}, PostgreSQL ${r.pgVersion}, PGlite ${PGLITE_VERSION}`;
	const la = (/** @type {number[]} */ l) => l.map((x) => x.toFixed(1)).join(' / ');
	return `## RLS

Measured by \`npm run bench rls\` (scripts/bench-rls.mjs, tests/bench/rls-bench.mjs) on ${r.started.toISOString().slice(0, 10)}, all in one run.

- Machine: ${machine}; the servers, PostgreSQL and autocannon share its cores.
- Load average (1 / 5 / 15 min): ${la(r.load0)} at the start, ${la(r.load1)} at the end.
${failures.length ? `- **Non-2xx answers or errors** in: ${failures.map((x) => x.label).join('; ')}.\n` : ''}
- A ${PAGE}-row page over HTTP with RLS ÷ the same query without RLS (goal ≥ 65 %, ${httpRatio >= 0.65 ? 'met' : 'not met'}): **${pct(httpRatio)}** on PostgreSQL${pgApp && pgBare ? `, **${pct(rps(pgApp) / rps(pgBare))}** on PGlite` : ''}; bare servers ÷ bare without a transaction: as the owner in a transaction ${pct(rps(ownerTx) / rps(owner))}, in the RLS transaction as the member ${pct(rps(rlsTx) / rps(owner))}.
- In-database execution time, RLS ÷ owner (goal ≤ 1.2×, ${inDbMet ? 'met' : 'not met'}): ${sizes.map((x) => `**${x.ratio.toFixed(2)}×** at ${k(x.rowsTotal)} rows`).join(', ')}. ${indexNote}
- This benchmark's earlier runs (2026-12-01, same machine): ${BEFORE.map((b) => `${b.what}: ${b.http} over HTTP; ${b.inDb} in the database`).join('; ')}.

### Over HTTP

autocannon, ${CONNECTIONS} connections over loopback, ${ROUNDS} rounds of ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per server, the servers taking turns
within a round; medians of the rounds. Every server answers the same ${k(r.http.bytes)}-byte JSON (checked before
measuring; the statements compared as a set, their query has no order): ${PAGE} products of a tenant of ${HTTP_ROWS},
${ENVELOPE_BYTES}-byte catalog envelopes, the page's statements (one per 100 products, each with its 100 leaves), and \`next\`.

- **Our build** (\`node <build>\`, as in "API path": request log on, rate limits in memory, the app's pool of ${POOL})
  does, per request: Hono routing and the five middleware (request log line, security headers, same-origin,
  body limit, JSON-only), zod validation of the path and query, the bearer token's HS256 check, a
  \`stowage_auth\` transaction that looks the session up (\`begin\`, role and claims set-up, one select, \`commit\`),
  then the request's transaction as \`authenticated\` with the member's claims (\`begin\`, set-up, the membership
  query \`ownMembership\`, the page SELECT under the products policy, the page's statements under the writes
  policy, \`commit\`), and the JSON of the page.
- **Bare, owner**: \`node:http\` with no framework or middleware and no authentication; postgres.js (pool of
  ${POOL}) on the owner's connection (\`postgres\`, a superuser: RLS does not apply) sends the same two SELECTs
  (the page, then its statements) with the same parameters, outside any transaction, and maps the rows to the
  same JSON.
- **Bare, owner in a transaction**: the same, inside \`begin\` … \`commit\`: what the transaction alone costs.
- **Bare, RLS transaction**: the same, in a transaction as \`authenticated\` with the member's claims, the set-up
  pipelined with the first SELECT as withClaims does, without the session lookup and membership query: what
  the transaction and RLS cost, without the rest of the app.
- PostgreSQL: a scratch database of its own (the account, one tenant, its products), dropped afterwards.
  PGlite admits one process: the app and the bare server take turns on one data directory, restarted each round.

${httpTable}

Of our build's ${cpu(app)} µs of server CPU per request, the bare server in the RLS transaction spends ${cpu(rlsTx)}
(most of it postgres.js parsing ${PAGE} rows and the ${k(r.http.bytes / 1024)} KiB of JSON and base64url every server builds); what RLS
itself adds is the gap between the two transactional bare rows. The rest is the app around the same two
SELECTs: a V8 profile of our build under this benchmark (\`BENCH_CPU_PROF=<dir>\`, an earlier run) put its busy time
at about 28 % postgres.js (two transactions and seven statements per request, against one and two), 16 % garbage
collection, 17 % the route's own code (mostly \`rowJson\`: base64url and camel-casing every cell's column name),
10 % Hono and @hono/node-server, 9 % jose's HS256 check (WebCrypto, asynchronous), 5 % pino and the rest Node.
${
	httpRatio >= 0.65
		? ''
		: `
The HTTP goal is not met on PostgreSQL. Step by step from the bare owner: a transaction keeps ${pct(rps(ownerTx) / rps(owner))} of its
rate, the RLS transaction (withClaims' set-up statement, the policies' helper calls: two in the page query, one in the statements') ${pct(rps(rlsTx) / rps(ownerTx))} of that, and
our build ${pct(rps(app) / rps(rlsTx))} of the bare RLS server's. The migration below cuts the policies' cost inside PostgreSQL; the
set-up statement and the request path around it (two transactions and seven statements per request, the
per-cell work of \`rowJson\`) are outside the policies.
`
}

### In the database (PostgreSQL)

${k(TENANTS)} tenants, each with an owner (\`app.users\`, create link, membership) and its products, loaded with
\`generate_series\` as the owner (superuser) with every check, foreign key, policy and index exactly as the
migrations create them (pseudo-random ${ENVELOPE_BYTES}-byte envelopes, one signed-write row per 100 products), then
\`vacuum analyze\`. The measured member owns one tenant and is viewer and auditor of two more (three memberships).
The query is the route's page query (src/lib/server/db/catalogue.ts pageQuery), in two steps: the page's ids
(\`select p.id from app.products p where p.tenant_id = $1 and ($2::uuid is null or p.id > $2::uuid) order by p.id
limit $3\`) as an array, then those rows (\`… where t.tenant_id = $1 and t.id = any (array(…))\`) serialised by
PostgreSQL (\`json_agg\`), first page, limit ${PAGE} as the route asks, under \`explain (analyze, buffers, format json)\`:
**RLS** in a transaction after withClaims' set-up (\`set_config('role', 'authenticated', true)\`, the claims
\`{"role":"authenticated","sub":…}\`), so the products policy applies; **owner** the same statement on the
superuser connection (no RLS). ${RUNS} runs each, alternating, after 3 warm-up runs each; the medians'
ratio. Execution time includes the policy's InitPlan (\`array(select private.my_tenants_reading('catalog'))\`)
once for each of the query's two references to products (one of them inside the ids' InitPlan): ${large.rls.initPlans} top-level InitPlans per query.

### What the two-step page query changed

- The page query (src/lib/server/db/catalogue.ts listPage), for every catalogue table, asks for the page's ids first (in id
  order, stopping at the limit) and then for those rows, where it asked for the rows in one step. The same rows
  in the same order and the same columns; the route, the bare servers over HTTP and both sides here send it.
- Under the policy PostgreSQL still underestimates the tenant's rows (the policy's \`tenant_id = ANY ($0)\` is an
  array it cannot see when planning, and its selectivity is multiplied with the query's \`tenant_id = $1\`). In one
  step that made it fetch the whole tenant through the smaller \`products_write_idx\` and sort it; asked for ids
  only, an index-only walk of \`products_pkey\` (tenant_id, id) in id order costs it no more than that, so it walks
  and stops at the limit. At ${k(large.rowsTotal)} rows the RLS plan is ${large.rls.nodes.join(' → ')}
  (${scansText(large.rls)})${largeReadsTenant ? ': **the rows are still read for the whole tenant**, not for the page only' : ': the rows are read for the page only'}; at ${k(small.rowsTotal)}, where a tenant has fewer rows than the page,
  ${small.rls.nodes.join(' → ')}.${
		largeOne
			? `
- The same run measured the one-step query too (the what-ifs below): at ${k(large.rowsTotal)} rows RLS ${ms(largeOne.rlsMedianMs)} ms (${largeOne.rls.nodes.join(' → ')}),
  owner ${ms(largeOne.ownerMedianMs)} ms (${largeOne.owner.nodes.join(' → ')}), ${largeOne.ratio.toFixed(2)}×; the two-step query RLS ${ms(large.rlsMedianMs)} ms, owner
  ${ms(large.ownerMedianMs)} ms (${large.owner.nodes.join(' → ')}). The owner's estimate was right and its one-step plan
  already stopped at the page, so the two-step form ${large.ownerMedianMs > largeOne.ownerMedianMs ? `costs the owner ${ms(large.ownerMedianMs - largeOne.ownerMedianMs)} ms more` : 'costs the owner nothing'}: RLS in two steps ÷ the owner in one step
  is **${(large.rlsMedianMs / largeOne.ownerMedianMs).toFixed(2)}×**.`
			: ''
	}
- The price: products appears twice in the query and the policy applies to each, so the helper runs twice per
  page (two InitPlans) where it ran once. The index-only walk is as cheap as the table's visibility map is
  current (autovacuum; here \`vacuum analyze\` after loading).

${inDbTable}

### What the migration changed

- The four catalogue select policies keep their names; each now reads
  \`tenant_id = any (array(select private.my_tenants_reading('<domain>')))\`: one helper call per query where there were two
  (\`my_tenants()\` and \`my_read_scopes()\`), and no clause on the expression \`tenant_id || '/<domain>'\`. The same
  rows: \`my_read_scopes()\` yielded \`tenant/domain\` only for the caller's own tenants and a tenant id (64 hex
  digits) has no \`/\`, so the membership clause was implied; \`my_tenants_reading(domain)\` returns exactly those
  tenants, from the same role → domain table. The policy matrix (tests/security/policy-matrix.test.ts) checks it.
  \`my_read_scopes()\` is dropped (nothing else called it); \`my_key_scopes()\` stays for the key wraps' policy.
- The helpers are plpgsql: the new \`my_tenants_reading\`, and \`my_tenants\` and \`my_owned_tenants\` restated with
  the same queries (app.writes' select policy, every owner insert and update policy, the organisation tables). A
  SQL function that cannot be inlined (\`SECURITY DEFINER\` and \`SET search_path\` both forbid it) plans its body
  on every call; plpgsql keeps the plan for the connection, and the app's pool keeps its connections. One call as
  the member (2,000 calls of \`array(select …)\` in a DO loop in the RLS transaction, best of 5 rounds; "SQL" is
  each helper restated in SQL in the same database, then put back and checked):

${helperTable}

### ${inDbMet ? 'The in-database goal' : 'Why the in-database ratio still misses the goal'}

${
	inDbMet
		? 'Met at every size measured.'
		: `- **Two helper calls per query are a fixed cost.** At ${k(small.perTenant)} rows per tenant RLS adds ${ms(small.rlsMedianMs - small.ownerMedianMs)} ms to the
  owner's ${ms(small.ownerMedianMs)} ms; one call is about ${us(reading?.plpgsqlUs ?? NaN)} µs (the \`SECURITY DEFINER\` … \`SET\` switch of role and
  \`search_path\`, the plpgsql call, its cached query) and the two-step query makes two, the rest the InitPlans,
  their arrays and the extra index conditions. Within 1.2× all of it would have to fit in ${ms(small.ownerMedianMs * 0.2)} ms; no policy that calls a function gets there
  at this size, and one that calls none cannot know the caller's tenants.
${
	largeReadsTenant
		? `- **At ${k(large.rowsTotal)} rows the plan still reads the whole tenant.** PostgreSQL multiplies the
  selectivities of the query's \`tenant_id = $1\` and the policy's \`tenant_id = ANY ($0)\` (an array it cannot see
  when planning, assumed to hold 10 tenants) as if they were independent: it estimates ${k(overRead?.estimated ?? NaN)} row${overRead?.estimated === 1 ? '' : 's'}
  where the tenant has ${k(large.perTenant)}. Expecting few rows, it reads them through ${overRead?.node ?? '?'} (all ${k(overRead?.actual ?? NaN)})
  and sorts them rather than walking \`products_pkey\` in id order and stopping at the page. The policy's clause is an index condition as DESIGN.md wants; the estimate is what it costs.`
		: large.ratio <= 1.2
			? `- **At ${k(large.rowsTotal)} rows the goal is met** (${large.ratio.toFixed(2)}×): the RLS plan stops at the page (${large.rls.nodes.join(' → ')}),
  and the owner's plan for the same two-step query is no shorter (${large.owner.nodes.join(' → ')}).${
		largeOne
			? ` Against the owner's
  one-step query (${ms(largeOne.ownerMedianMs)} ms, above) RLS is ${(large.rlsMedianMs / largeOne.ownerMedianMs).toFixed(2)}×: the two helper calls, and the page's rows fetched by a join.`
			: ''
	}`
			: `- **At ${k(large.rowsTotal)} rows the plan stops at the page** (${large.rls.nodes.join(' → ')}); what is left is the same fixed
  cost: RLS adds ${ms(large.rlsMedianMs - large.ownerMedianMs)} ms to the owner's ${ms(large.ownerMedianMs)} ms, within 1.2× it would have to fit in ${ms(large.ownerMedianMs * 0.2)} ms.`
}`
}

What-if variants, measured in the same scratch database right after the figures above (then put back exactly as
the migrations made them, checked against the catalog); each returns the same rows to the same member:

${variantTable}

- **The helper in SQL**: the same policy with the helpers planned on every call; the gap is what plpgsql saves.
- **\`coalesce(…, false)\`** turns the policy's NULL (not visible) into false (not visible): the same rows. The planner
  has no estimate for it (one half), so the estimate stays near the query's own and, once that exceeds the page,
  the pkey walk wins. Not applied: a query without its own \`tenant_id\` filter would no longer get the policy as
  an index condition, which is what DESIGN.md's index-friendly form is for.
- **The former one-step query** (both sides): listRows before this change, for comparison in the same run.
`;
}

const PGLITE_VERSION = JSON.parse(
	readFileSync(join(import.meta.dirname, '../node_modules/@electric-sql/pglite/package.json'), 'utf8')
).version;
