// Rate of a health-style RLS transaction (`anon`, one `select 1`) through withClaims on PostgreSQL,
// beside what postgres.js alone does with the same statements awaited one by one and pipelined.
// Run: npx rolldown tests/bench/request-tx.ts -p node -f esm -o /tmp/request-tx.mjs && node /tmp/request-tx.mjs
import postgres from 'postgres';
import { openDatabase } from '../../src/lib/server/db/database';

const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.SECONDS ?? 5);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 20); // 20 = autocannon's connections
const POOL = 10; // the app's pool size

async function rate(run: () => Promise<unknown>): Promise<number> {
	const until = Date.now() + 500; // warm-up
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (Date.now() < until) await run();
		})
	);
	let count = 0;
	const end = Date.now() + SECONDS * 1000;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (Date.now() < end) {
				await run();
				count++;
			}
		})
	);
	return Math.round(count / ((performance.now() - started) / 1000));
}

const name = `stowage_bench_${process.pid}`;
const admin = postgres(base, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const url = new URL(base);
url.pathname = `/${name}`;
try {
	const db = await openDatabase({ databaseUrl: url.toString(), migrationsDir: 'supabase/migrations' });
	const sql = postgres(url.toString(), { max: POOL, onnotice: () => {} });
	const claims = JSON.stringify({ role: 'anon' });
	const results = {
		withClaims: await rate(() => db.withClaims({ role: 'anon' }, (tx) => tx.query('select 1'))),
		postgresAwaited: await rate(() =>
			sql.begin(async (tx) => {
				await tx.unsafe('set local role anon');
				await tx.unsafe(`select set_config('request.jwt.claims', $1, true)`, [claims]);
				return tx.unsafe('select 1');
			})
		),
		postgresPipelined: await rate(() =>
			sql.begin((tx) => [
				tx.unsafe(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [
					'anon',
					claims
				]),
				tx.unsafe('select 1')
			])
		)
	};
	console.log(
		JSON.stringify({ seconds: SECONDS, concurrency: CONCURRENCY, pool: POOL, txPerSecond: results })
	);
	await sql.end();
	await db.close();
} finally {
	await admin.unsafe(`drop database if exists ${name} with (force)`);
	await admin.end();
}
