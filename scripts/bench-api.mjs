// The API path benchmark (`npm run bench`): autocannon (20 connections, loopback only) against bare
// node:http, Hono alone and our production build (`/api/health/live`, `/api/health` on PGlite and on a
// scratch PostgreSQL database), beside postgres.js's own rate for the same RLS transaction. One run, so
// that the ratios compare figures taken under the same load. Returns the "## API path" section.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { freePort } from './bench-app.mjs';
import { join } from 'node:path';
import os from 'node:os';
import autocannon from 'autocannon';
import postgres from 'postgres';

const CONNECTIONS = 20;
const SECONDS = Number(process.env.BENCH_SECONDS || 5);
const WARMUP_SECONDS = 2;
// The app's pool size (src/lib/server/db/postgres-driver.ts) and autocannon's concurrency.
const POOL = 10;
const ADMIN_URL = process.env.BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** What the app sends around every request's queries (src/lib/server/db/database.ts, REQUEST_SETUP). */
const REQUEST_SETUP = `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`;

/** @typedef {{ label: string, rps: number, cpuUsPerRequest: number | undefined, non2xx: number, errors: number }} Row */

/** @param {number | undefined} pid @returns {number | undefined} CPU seconds (user + system) so far */
function cpuSeconds(pid) {
	if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
	// Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
	return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
}

/**
 * @param {string} label
 * @param {string} url
 * @param {number | undefined} pid the server process, whose CPU time per request is reported
 * @returns {Promise<Row>}
 */
async function measure(label, url, pid) {
	await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_SECONDS });
	const before = cpuSeconds(pid);
	const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
	const after = cpuSeconds(pid);
	const total = result.requests.total;
	const row = {
		label,
		rps: total / result.duration,
		cpuUsPerRequest:
			before === undefined || after === undefined || total === 0
				? undefined
				: ((after - before) * 1e6) / total,
		non2xx: result.non2xx,
		errors: result.errors + result.timeouts
	};
	console.log(`bench: ${label}: ${Math.round(row.rps)} req/s`);
	return row;
}

/**
 * Starts a server process and waits until `readyUrl` answers 2xx.
 * @param {string[]} args node arguments
 * @param {Record<string, string>} env
 * @param {string} readyUrl
 */
async function startServer(args, env, readyUrl) {
	// Request logs go to /dev/null: written (the logging is on) but not to the console.
	const child = spawn(process.execPath, args, {
		env: { ...process.env, ...env },
		stdio: ['ignore', openSync('/dev/null', 'w'), 'pipe']
	});
	let stderr = '';
	child.stderr?.on('data', (chunk) => (stderr += chunk));
	const deadline = Date.now() + 120_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${stderr}`);
		const ok = await fetch(readyUrl).then(
			(r) => r.ok,
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
 * The API's headers on a small response, for bare node:http to send too (what headers alone cost).
 * @param {string} url
 */
async function apiHeaders(url) {
	const res = await fetch(url);
	await res.arrayBuffer();
	/** @type {Record<string, string>} */
	const headers = {};
	res.headers.forEach((value, name) => {
		if (!['date', 'connection', 'keep-alive', 'content-length', 'x-request-id'].includes(name))
			headers[name] = value;
	});
	headers['x-request-id'] = crypto.randomUUID();
	return headers;
}

const BARE_SERVER = `
import { createServer } from 'node:http';
const headers = JSON.parse(process.env.BENCH_HEADERS || '{"content-type":"application/json"}');
createServer((req, res) => {
	const body = JSON.stringify({ ok: true });
	res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(body) });
	res.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

const HONO_SERVER = `
import { createServer } from 'node:http';
import { Hono } from 'hono';
import { getRequestListener } from '@hono/node-server';
const app = new Hono().basePath('/api');
app.get('/health/live', (c) => c.json({ ok: true }));
createServer(getRequestListener(app.fetch)).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

/**
 * @param {string} label
 * @param {string} code an ES module run with `node --input-type=module`
 * @param {string} path
 * @param {Record<string, string>} [env]
 */
async function measureScript(label, code, path, env = {}) {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}${path}`;
	const child = await startServer(['--input-type=module', '-e', code], { ...env, PORT: String(port) }, url);
	try {
		return await measure(label, url, child.pid);
	} finally {
		await stopServer(child);
	}
}

/**
 * @param {string} buildDir
 * @param {Record<string, string>} env
 * @param {(base: string, pid: number | undefined) => Promise<Row[]>} run
 */
async function withApp(buildDir, env, run) {
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const child = await startServer(
		[buildDir],
		{
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: base,
			LOG_LEVEL: 'info',
			REDIS_URL: '',
			...env
		},
		`${base}/api/health`
	);
	try {
		return await run(base, child.pid);
	} finally {
		await stopServer(child);
	}
}

/**
 * postgres.js alone: the app's transaction (set-up, then `select 1`), awaited statement by statement and
 * pipelined (`sql.begin(sql => [...])`), from 20 concurrent callers on a pool of 10.
 * @param {string} url
 */
async function driverRates(url) {
	const sql = postgres(url, { max: POOL, onnotice: () => {} });
	const claims = JSON.stringify({ role: 'anon' });
	/** @param {() => Promise<unknown>} tx */
	const rate = async (tx) => {
		/** @param {number} ms */
		const loop = async (ms) => {
			let count = 0;
			const until = Date.now() + ms;
			await Promise.all(
				Array.from({ length: CONNECTIONS }, async () => {
					while (Date.now() < until) {
						await tx();
						count++;
					}
				})
			);
			return count;
		};
		await loop(WARMUP_SECONDS * 1000);
		const started = performance.now();
		const count = await loop(SECONDS * 1000);
		return count / ((performance.now() - started) / 1000);
	};
	try {
		const awaited = await rate(() =>
			sql.begin(async (tx) => {
				await tx.unsafe(REQUEST_SETUP, ['anon', claims]);
				return tx.unsafe('select 1');
			})
		);
		console.log(`bench: postgres.js awaited: ${Math.round(awaited)} tx/s`);
		const pipelined = await rate(() =>
			sql.begin((tx) => [tx.unsafe(REQUEST_SETUP, ['anon', claims]), tx.unsafe('select 1')])
		);
		console.log(`bench: postgres.js pipelined: ${Math.round(pipelined)} tx/s`);
		/** @type {(label: string, rps: number) => Row} */
		const row = (label, rps) => ({ label, rps, cpuUsPerRequest: undefined, non2xx: 0, errors: 0 });
		return {
			awaited: row('postgres.js alone: the same transaction, statements awaited one by one (tx/s)', awaited),
			pipelined: row('postgres.js alone: the same transaction, pipelined (tx/s)', pipelined)
		};
	} finally {
		await sql.end({ timeout: 5 });
	}
}

/** @param {string} root the repository */
export async function runApiBench(root) {
	const tmp = join(root, 'tests/.tmp/bench');
	const buildDir = join(tmp, 'app');
	const load0 = os.loadavg()[0] ?? 0;
	console.log('bench: building the app…');
	// tsconfig.json extends the default kit directory's tsconfig, which a fresh clone does not have yet.
	if (!existsSync(join(root, '.svelte-kit/tsconfig.json'))) {
		spawnSync('npx', ['svelte-kit', 'sync'], { cwd: root, stdio: 'inherit' });
	}
	const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
		cwd: root,
		stdio: 'inherit',
		env: { ...process.env, STOWAGE_BUILD_DIR: buildDir, STOWAGE_KIT_DIR: join(tmp, 'kit') }
	});
	if (built.status !== 0) throw new Error('vite build failed');

	const dataDir = join(tmp, `data-${process.pid}`);
	mkdirSync(dataDir, { recursive: true });
	/** @type {Row[]} */
	const rows = [];
	let headers = {};
	try {
		rows.push(
			...(await withApp(buildDir, { DATABASE_URL: '', STOWAGE_DATA_DIR: dataDir }, async (base, pid) => {
				headers = await apiHeaders(`${base}/api/health/live`);
				return [
					await measure(
						'our build: `GET /api/health/live` (no database), request log on',
						`${base}/api/health/live`,
						pid
					),
					await measure(
						'our build: `GET /api/health` (one RLS transaction), PGlite',
						`${base}/api/health`,
						pid
					)
				];
			}))
		);
		// The same trivial route without request lines: what the log costs.
		const quietEnv = { DATABASE_URL: '', STOWAGE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
		rows.push(
			...(await withApp(buildDir, quietEnv, async (base, pid) => [
				await measure(
					'our build: `GET /api/health/live`, request log off (`LOG_LEVEL=warn`)',
					`${base}/api/health/live`,
					pid
				)
			]))
		);
	} finally {
		rmSync(dataDir, { recursive: true, force: true });
	}
	const bare = await measureScript('bare `node:http`, trivial JSON', BARE_SERVER, '/');
	const bareHeaders = await measureScript(
		'bare `node:http`, the same JSON with the API’s response headers',
		BARE_SERVER,
		'/',
		{ BENCH_HEADERS: JSON.stringify(headers) }
	);
	const hono = await measureScript(
		'Hono alone (`@hono/node-server`), one route, no middleware',
		HONO_SERVER,
		'/api/health/live'
	);

	let postgresRow, driver;
	const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
	const name = `stowage_bench_${process.pid}`;
	try {
		await admin.unsafe(`create database ${name}`);
		const url = new URL(ADMIN_URL);
		url.pathname = `/${name}`;
		try {
			[postgresRow] = await withApp(
				buildDir,
				{ DATABASE_URL: url.toString(), STOWAGE_SECRET: randomBytes(32).toString('base64url') },
				async (base, pid) => [
					await measure(
						'our build: `GET /api/health` (one RLS transaction), PostgreSQL',
						`${base}/api/health`,
						pid
					)
				]
			);
			driver = await driverRates(url.toString());
		} finally {
			await admin.unsafe(`drop database if exists ${name} with (force)`);
		}
	} catch (error) {
		console.warn(`bench: PostgreSQL part skipped: ${/** @type {Error} */ (error).message}`);
	} finally {
		await admin.end({ timeout: 5 });
	}

	const [live, pglite, quiet] = rows;
	if (!live || !pglite || !quiet) throw new Error('the app rows are missing');
	const all = [
		bare,
		bareHeaders,
		hono,
		live,
		quiet,
		pglite,
		postgresRow,
		driver?.awaited,
		driver?.pipelined
	].filter((r) => r !== undefined);
	const pct = (/** @type {number} */ x) => `${Math.round(x * 100)} %`;
	const ratios = [
		`- Trivial route ÷ bare \`node:http\` (goal ≥ 70 %): **${pct(live.rps / bare.rps)}**; ` +
			`bare with the API's headers ÷ bare: ${pct(bareHeaders.rps / bare.rps)}; ` +
			`with the request log off: ${pct(quiet.rps / bare.rps)}; ` +
			`Hono alone ÷ bare: ${pct(hono.rps / bare.rps)}.`,
		postgresRow && driver
			? `- \`/api/health\` on PostgreSQL ÷ postgres.js pipelined (goal ≥ 70 %): **${pct(postgresRow.rps / driver.pipelined.rps)}**; ` +
				`÷ postgres.js awaited: ${pct(postgresRow.rps / driver.awaited.rps)}.`
			: '- PostgreSQL was not reachable: no database ratio in this run.'
	];
	const us = (/** @type {Row} */ r) => r.cpuUsPerRequest ?? NaN;
	const µs = (/** @type {number} */ x) => (Number.isFinite(x) ? `${x.toFixed(0)} µs` : '–');
	const where = [
		`Of the trivial route's ${µs(us(live))} of server CPU per request, against bare \`node:http\`'s ${µs(us(bare))}:`,
		`the API's ${Object.keys(headers).length} response headers (security headers, request id) cost ${µs(us(bareHeaders) - us(bare))}`,
		`(bare \`node:http\` sending them), the request log line ${µs(us(live) - us(quiet))} (log on − log off),`,
		`and Hono with our middleware the remaining ${µs(us(quiet) - us(bareHeaders))}.`
	].join(' ');
	const failures = all.filter((r) => r.non2xx > 0 || r.errors > 0);
	const k = (/** @type {number} */ x) => Math.round(x).toLocaleString('en-US');
	const table = [
		'| measurement | req/s | server CPU, µs per request |',
		'| --- | ---: | ---: |',
		...all.map(
			(r) =>
				`| ${r.label} | ${k(r.rps)} | ${r.cpuUsPerRequest === undefined ? '–' : r.cpuUsPerRequest.toFixed(0)} |`
		)
	].join('\n');
	const machine = `${os.type()} ${os.release()}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), Node ${process.versions.node}`;
	return `## API path

Measured by \`npm run bench\` (scripts/bench-api.mjs) on ${new Date().toISOString().slice(0, 10)}, all in one run.

- Machine: ${machine}; autocannon and the servers share its cores.
- Load: shared with other work (1-minute load average ${load0.toFixed(1)} at the start and
  ${(os.loadavg()[0] ?? 0).toFixed(1)} at the end); expect ±20 % between runs, less in the CPU column.
- autocannon: ${CONNECTIONS} connections over loopback, ${WARMUP_SECONDS} s warm-up then ${SECONDS} s per row. "Server CPU" is
  the server process's user + system time divided by the requests it answered.
- Our build is \`node <build>\` (server/index.js: /api straight to Hono), with the request log on (pino, written
  to /dev/null) and rate limits in memory. PostgreSQL: a scratch database on the machine's server, dropped
  afterwards, the app's pool of ${POOL}; postgres.js alone runs in the bench process with ${CONNECTIONS} callers.
${failures.length ? `- **Non-2xx answers or errors** in: ${failures.map((r) => r.label).join('; ')}.\n` : ''}
${ratios.join('\n')}

${table}

### Where the time goes

${where}

Profiles (\`node --cpu-prof\`, \`perf\`) of the trivial route found these costs, all removed: Node's own
Request/Response left in place (@hono/node-server's lightweight ones, \`overrideGlobalObjects\`, cut a trivial
Hono route's CPU to a third); \`c.header()\` after the handler, which turns the lightweight Response into a
full one; the security headers and request id set on a Fetch \`Headers\` object per response (now set on the
Node response when the Node server serves the API, a route's own values still winning); the body checks
reading \`c.req.raw.body\` on GET, which builds a full Request with its AbortSignal; and the redaction pass on
request lines (fixed fields, none of them redactable). What remains has no single hotspot. With the log off, about a quarter of the
profile's self time is garbage collection, a fifth Node's own header handling (\`setHeader\`, \`_storeHeader\`,
\`writeHead\`; the API's headers go out on every response), and the rest Hono's dispatch, our five middleware
functions and @hono/node-server; merging the three request checks into one Hono layer measured no gain. The
request line costs more in the server than in a tight loop (about 3 µs there): mostly pino's serialisation.
Its synchronous \`write\` cost about 3 µs more; the log now goes to an asynchronous pino destination, which
writes what accumulated while the previous write was in flight (never held back in quiet periods; flushed on
exit, so only a killed process loses its last lines). Even with the log off the route reaches only the share
shown above: the request line alone costs about what bare \`node:http\` spends on a whole request, so on these
two shared cores the 70 % goal is out of reach with a line per request, and would also need lighter
middleware than these five.

\`/api/health\` runs one transaction (\`begin\`, the role and claims set-up, \`select 1\`, \`commit\`): in the
server it costs ${µs(postgresRow ? us(postgresRow) - us(live) : NaN)} of CPU beyond the trivial route on PostgreSQL, most
of it, in a profile, postgres.js's protocol handling and the garbage collection it brings (src/lib/server/db,
not changed here). The Node
server, PostgreSQL and autocannon share the cores, so the database rows depend on the load more than the others.
`;
}
