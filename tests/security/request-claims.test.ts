// withClaims is the request path's only door to the database. Attacks: read another user's rows,
// inherit the previous request's identity on a pooled connection, keep the owner's RLS bypass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asRequestDatabase } from '../../src/lib/server/db/database';
import { migrate, readMigrations } from '../../src/lib/server/db/migrations';
import { openPostgresDriver } from '../../src/lib/server/db/postgres-driver';
import type { Claims, Database } from '../../src/lib/server/db/types';
import {
	createScratchPostgres,
	databaseFactories,
	MIGRATIONS_DIR,
	type TestDatabase
} from '../helpers/databases';

const ALICE = '00000000-0000-4000-8000-00000000a11c';
const BOB = '00000000-0000-4000-8000-000000000b0b';
const alice: Claims = { role: 'authenticated', sub: ALICE };
const bob: Claims = { role: 'authenticated', sub: BOB };

// A table shaped like the real ones: RLS enabled and forced, one policy per operation.
const PROBE_SCHEMA = `
	create table app.probe (id serial primary key, owner uuid not null, note text not null);
	alter table app.probe enable row level security;
	alter table app.probe force row level security;
	revoke all on app.probe from public, anon, authenticated;
	grant select, insert on app.probe to authenticated;
	grant usage on sequence app.probe_id_seq to authenticated;
	create policy "Users read their own probes" on app.probe for select to authenticated
		using (owner = (select auth.uid()));
	create policy "Users add their own probes" on app.probe for insert to authenticated
		with check (owner = (select auth.uid()));
	insert into app.probe (owner, note) values ('${ALICE}', 'alice''s'), ('${BOB}', 'bob''s');
`;

type Identity = { who: string | null; role: string; claims: string | null };
const whoAmI = (db: Database, claims: Claims) =>
	db.withClaims(claims, async (tx) => {
		const [row] = await tx.query<Identity>(
			`select auth.uid()::text as who, current_user::text as role,
			        nullif(current_setting('request.jwt.claims', true), '') as claims`
		);
		return row!;
	});

describe.each(databaseFactories)('request transactions on $kind', (factory) => {
	let t: TestDatabase;

	beforeAll(async () => {
		t = await factory.create();
		await t.driver.transaction((tx) => tx.exec(PROBE_SCHEMA));
	});
	afterAll(() => t.drop());

	it('runs as `authenticated` with the claims set, and as `anon` without a subject', async () => {
		expect(await whoAmI(t.db, alice)).toMatchObject({ who: ALICE, role: 'authenticated' });
		expect(await whoAmI(t.db, { role: 'anon' })).toEqual({
			who: null,
			role: 'anon',
			claims: '{"role":"anon"}'
		});
	});

	it('enforces RLS: a user sees and writes only their own rows', async () => {
		const notes = await t.db.withClaims(alice, (tx) =>
			tx.query<{ note: string }>('select note from app.probe')
		);
		expect(notes.map((n) => n.note)).toEqual(["alice's"]);
		await expect(
			t.db.withClaims(alice, (tx) =>
				tx.query(`insert into app.probe (owner, note) values ($1, 'forged')`, [BOB])
			)
		).rejects.toThrow(/row-level security/);
		const anonymous = t.db.withClaims({ role: 'anon' }, (tx) => tx.query('select * from app.probe'));
		await expect(anonymous).rejects.toThrow(/permission denied/);
	});

	it('leaves no claims or role behind after a transaction, committed or failed', async () => {
		await whoAmI(t.db, alice);
		await expect(
			t.db.withClaims(bob, async (tx) => {
				await tx.query('select 1');
				throw new Error('request failed mid-way');
			})
		).rejects.toThrow('request failed mid-way');
		const after = await t.driver.transaction(async (tx) => {
			const [row] = await tx.query<Identity>(
				`select auth.uid()::text as who, current_user::text as role,
				        nullif(current_setting('request.jwt.claims', true), '') as claims`
			);
			return row!;
		});
		expect(after.who).toBeNull();
		expect(after.claims).toBeNull();
		expect(after.role).not.toMatch(/^(anon|authenticated)$/);
	});
});

describe.skipIf(!process.env.DATABASE_URL)('a pooled PostgreSQL connection', () => {
	it('never shows the next transaction a previous request’s claims or role', async () => {
		const scratch = await createScratchPostgres();
		// One connection in the pool: every transaction reuses the same server session.
		const pooled = await openPostgresDriver(scratch.url, { max: 1 });
		try {
			const db = asRequestDatabase(pooled, await migrate(pooled, await readMigrations(MIGRATIONS_DIR)));
			const sessions = new Set<number>();
			for (const claims of [alice, bob, { role: 'anon' } as const]) {
				const seen = await db.withClaims(claims, async (tx) => {
					const [row] = await tx.query<{ pid: number; who: string | null }>(
						'select pg_backend_pid() as pid, auth.uid()::text as who'
					);
					return row!;
				});
				expect(seen.who).toBe(claims.role === 'anon' ? null : claims.sub);
				// The next transaction on the same session sets nothing: it must inherit nothing.
				const next = await pooled.transaction(async (tx) => {
					const [row] = await tx.query<Identity & { pid: number }>(
						`select pg_backend_pid() as pid, auth.uid()::text as who, current_user::text as role,
						        nullif(current_setting('request.jwt.claims', true), '') as claims`
					);
					return row!;
				});
				sessions.add(seen.pid).add(next.pid);
				expect(next).toMatchObject({ who: null, claims: null });
				expect(next.role).not.toMatch(/^(anon|authenticated)$/);
			}
			expect(sessions.size, 'all transactions shared one server session').toBe(1);
		} finally {
			await pooled.close();
			await scratch.drop();
		}
	});
});
