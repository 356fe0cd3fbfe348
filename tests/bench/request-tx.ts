// Rate of a health-style RLS transaction (`anon`, one `select 1`) on PostgreSQL: withClaims (set-up
// pipelined) against the same driver with the set-up awaited as two statements (the code before), and
// postgres.js alone. Modes alternate in short rounds, and medians are reported, so that load from
// other processes on a shared machine hits every mode alike.
// Run: npx rolldown tests/bench/request-tx.ts -p node -f esm -e postgres -e @electric-sql/pglite -e zod \
//        -o node_modules/.cache/request-tx.mjs && node node_modules/.cache/request-tx.mjs
import postgres from 'postgres';
import { openDatabase, openDriver } from '../../src/lib/server/db/database';

const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const ROUND_MS = Number(process.env.ROUND_MS ?? 1500);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 20); // 20 = autocannon's connections
const POOL = 10; // the app's pool size

async function rate(run: () => Promise<unknown>): Promise<number> {
	let count = 0;
	const end = Date.now() + ROUND_MS;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (Date.now() < end) {
				await run();
				count++;
			}
		})
	);
	return count / ((performance.now() - started) / 1000);
}

const median = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);

const name = `stowage_bench_${process.pid}`;
const admin = postgres(base, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const url = new URL(base);
url.pathname = `/${name}`;
try {
	const db = await openDatabase({ databaseUrl: url.toString(), migrationsDir: 'supabase/migrations' });
	const driver = await openDriver({ databaseUrl: url.toString(), max: POOL });
	const sql = postgres(url.toString(), { max: POOL, onnotice: () => {} });
	const claims = JSON.stringify({ role: 'anon' });
	const modes: Record<string, () => Promise<unknown>> = {
		withClaims: () => db.withClaims({ role: 'anon' }, (tx) => tx.query('select 1')),
		// What withClaims did before: two set-up statements, each awaited.
		awaitedSetup: () =>
			driver.transaction(async (tx) => {
				await tx.query('set local role anon');
				await tx.query(`select set_config('request.jwt.claims', $1, true)`, [claims]);
				return tx.query('select 1');
			}),
		postgresAwaited: () =>
			sql.begin(async (tx) => {
				await tx.unsafe('set local role anon');
				await tx.unsafe(`select set_config('request.jwt.claims', $1, true)`, [claims]);
				return tx.unsafe('select 1');
			}),
		postgresPipelined: () =>
			sql.begin((tx) => [
				tx.unsafe(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [
					'anon',
					claims
				]),
				tx.unsafe('select 1')
			])
	};
	const samples: Record<string, number[]> = Object.fromEntries(Object.keys(modes).map((m) => [m, []]));
	for (const run of Object.values(modes)) await rate(run); // warm-up
	for (let round = 0; round < ROUNDS; round++) {
		for (const [mode, run] of Object.entries(modes)) samples[mode]!.push(await rate(run));
	}
	const txPerSecond = Object.fromEntries(Object.entries(samples).map(([m, xs]) => [m, median(xs)]));
	console.log(JSON.stringify({ concurrency: CONCURRENCY, pool: POOL, rounds: ROUNDS, txPerSecond }));
	await sql.end();
	await driver.close();
	await db.close();
} finally {
	await admin.unsafe(`drop database if exists ${name} with (force)`);
	await admin.end();
}
