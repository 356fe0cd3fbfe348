// The request transaction's set-up (role and claims in one statement, pipelined on PostgreSQL).
// Attacks on it: a role switch that differs from SET LOCAL ROLE or outlives its transaction, a query of
// the handler that reaches the server before the switch, a failed switch that still commits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriverTransaction, Statement } from '../../src/lib/server/db/types';
import { databaseFactories, type TestDatabase } from '../helpers/databases';

// Everything SET ROLE changes that a query can observe.
const SNAPSHOT = `
	select current_user::text as current_user, session_user::text as session_user,
	       current_setting('role') as role, current_setting('is_superuser') as is_superuser,
	       has_table_privilege('app.users', 'select') as reads_users,
	       has_column_privilege('app.users', 'email', 'select') as reads_emails,
	       pg_has_role('stowage_auth', 'usage') as uses_stowage_auth`;
const snapshot = async (tx: { query: DriverTransaction['query'] }) => (await tx.query(SNAPSHOT))[0]!;

const switchTo = (role: string): Statement => ({
	text: `select set_config('role', $1, true)`,
	params: [role]
});

describe.each(databaseFactories)('the request set-up on $kind', (factory) => {
	let t: TestDatabase;

	beforeAll(async () => {
		t = await factory.create();
		await t.driver.transaction((tx) => tx.exec('create table app.setup_probe (n int)'));
	});
	afterAll(() => t.drop());

	it("set_config('role', …, true) is SET LOCAL ROLE: the same identity inside, nothing left after", async () => {
		const before = await t.driver.transaction(snapshot);
		for (const role of ['anon', 'authenticated', 'stowage_auth']) {
			const viaSet = await t.driver.transaction(async (tx) => {
				await tx.query(`set local role ${role}`);
				return snapshot(tx);
			});
			const viaConfig = await t.driver.transaction(snapshot, switchTo(role));
			expect(viaConfig).toEqual(viaSet);
			expect(viaConfig).toMatchObject({ current_user: role, role });
			expect(await t.driver.transaction(snapshot), 'after commit').toEqual(before);
			await expect(
				t.driver.transaction(async () => {
					throw new Error('handler failed');
				}, switchTo(role))
			).rejects.toThrow('handler failed');
			expect(await t.driver.transaction(snapshot), 'after rollback').toEqual(before);
		}
	});

	it('withClaims switches role and claims before the handler’s first query, even one sent at once', async () => {
		const seen = await t.db.withClaims({ role: 'anon' }, (tx) =>
			// Two queries issued in the handler's first tick, neither awaited before the other.
			Promise.all([
				tx.query<{ who: string }>('select current_user::text as who'),
				tx.query<{ claims: string }>(`select current_setting('request.jwt.claims', true) as claims`)
			])
		);
		expect(seen[0][0]!.who).toBe('anon');
		expect(seen[1][0]!.claims).toBe('{"role":"anon"}');
	});

	it('a failed set-up rolls the transaction back and rejects with its own error', async () => {
		const handlers: Record<string, (tx: DriverTransaction) => Promise<string>> = {
			'awaits a write': async (tx) => {
				await tx.query('insert into app.setup_probe values (1)');
				return 'committed';
			},
			'swallows its own failure': async (tx) => {
				await tx.query('insert into app.setup_probe values (2)').catch(() => {});
				return 'committed';
			},
			'sends nothing': async () => 'committed'
		};
		for (const [name, handler] of Object.entries(handlers)) {
			await expect(t.driver.transaction(handler, switchTo('no_such_role')), name).rejects.toThrow(
				/no_such_role/
			);
		}
		const [count] = await t.driver.transaction((tx) =>
			tx.query<{ n: number }>('select count(*)::int as n from app.setup_probe')
		);
		expect(count!.n).toBe(0);
	});
});

describe.skipIf(!process.env.DATABASE_URL)('the request set-up on PostgreSQL', () => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await databaseFactories.find((f) => f.kind === 'postgres')!.create();
	});
	afterAll(() => t.drop());

	it('is pipelined: the handler runs without waiting for the set-up’s answer', async () => {
		let handlerStarted = 0;
		let answered = 0;
		const rows = await t.driver.transaction(
			async (tx) => {
				handlerStarted = performance.now();
				const result = await tx.query<{ who: string }>('select current_user::text as who');
				answered = performance.now();
				return result;
			},
			// A set-up whose answer takes 300 ms: a handler that waited for it would start after it.
			{ text: `select pg_sleep(0.3), set_config('role', $1, true)`, params: ['anon'] }
		);
		expect(rows[0]!.who).toBe('anon');
		expect(answered - handlerStarted).toBeGreaterThan(250);
	});
});
