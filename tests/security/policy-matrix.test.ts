// The policy matrix, generated from the database catalog (issue 11, "RLS, proved from the catalog"):
// every table in schema `app` must have RLS enabled and forced, and a policy for every operation unless
// ALLOW_LIST below says why not. Each tenant table (one with a tenant_id column) is then attacked, as SQL,
// each case in its own transaction that is rolled back: select / insert / update (in place, moving a row to
// another tenant, moving one in) / delete × {anonymous, a member of another organisation, each role the
// DESIGN.md table denies}. A case passes when it is refused (SQLSTATE 42501) or changes and shows nothing
// it must not. A new table without policies, or a tenant table without a rule in RULES, fails the suite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriverTransaction } from '../../src/lib/server/db/types';
import { testApi } from '../helpers/api';
import { databaseFactories, type TestDatabase } from '../helpers/databases';
import { seedCatalogue } from '../helpers/catalogue';
import { newOrganisation, signedUp, type SignedUp } from '../helpers/organisations';

type Op = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
const OPS: Op[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

/** Operations deliberately without a policy (hence denied to every role), and why. */
const ALLOW_LIST: Record<string, Partial<Record<Op, string>>> = {
	security_events: {
		UPDATE: 'append-only security log: nobody edits an event',
		DELETE: 'append-only security log: events go only with the account, by cascade'
	},
	used_step_tokens: { UPDATE: 'a used step token is recorded once and never changed' },
	organisations: {
		UPDATE: 'renaming comes with settings (a later issue); nothing else changes',
		DELETE: 'account closure and tenant deletion are a later issue (crypto-shredding)'
	},
	chain_links: {
		UPDATE: 'the team chain is append-only',
		DELETE: 'the team chain is append-only'
	},
	members: {
		UPDATE: 'members change only through role/remove links (teams issue), each through its own function',
		DELETE: 'members leave only through remove links (teams issue), each through its own function'
	},
	domain_key_wraps: {
		UPDATE: 'a wrap is never changed; a rekey adds new ones (teams issue)',
		DELETE: 'wraps are deleted by the remove link (teams issue) and at account closure'
	},
	writes: {
		UPDATE: 'a signed write statement is stored once, as signed, and never changed',
		DELETE: 'statements are the rows’ proof of authorship: they go only with the tenant (later issue)'
	},
	products: {
		DELETE: 'archiving is a signed flag; signed delete statements (tombstones) come with their first use'
	},
	suppliers: {
		DELETE: 'archiving is a signed flag; signed delete statements (tombstones) come with their first use'
	},
	product_sources: {
		DELETE: 'archiving is a signed flag; signed delete statements (tombstones) come with their first use'
	},
	stock_movements: {
		UPDATE: 'stock movements are immutable: a correction is another signed movement',
		DELETE: 'stock movements are immutable: quantity on hand is their sum'
	}
};

/** SPEC.md §16.4 role codes of the roles a test member can have besides owner. */
const ROLE_CODES = { viewer: 2, distributor: 3, three_pl: 4, auditor: 5 } as const;
type TestRole = keyof typeof ROLE_CODES;
const ROLE_DOMAINS: Record<TestRole, string[]> = {
	viewer: ['catalog', 'sourcing', 'logistics'],
	distributor: ['catalog'],
	three_pl: ['catalog', 'logistics'],
	auditor: []
};

/**
 * DESIGN.md "Who may read and write what", per tenant table. `read`: SQL over the table's row (alias `t`)
 * saying which rows of its own organisation a member with `role` (user id `$me`) may see. `write`: which roles
 * may insert, update or delete rows directly as `authenticated` (none of the chain tables: they are written
 * only through private.create_organisation, and later link functions).
 */
type Rule = { read: (role: TestRole) => string; write: TestRole[] };
const RULES: Record<string, Rule> = {
	organisations: { read: () => 'true', write: [] },
	chain_links: { read: () => 'true', write: [] },
	members: { read: () => 'true', write: [] },
	domain_key_wraps: {
		read: (role) =>
			`t.user_id = $me and t.domain = any(array[${ROLE_DOMAINS[role].map((d) => `'${d}'`).join(',')}]::text[])`,
		write: []
	},
	// The catalogue (20261201030000_catalogue.sql): a role receives a table's rows only if it decrypts the
	// table's domain, or is the auditor (ciphertext, to check signatures); stock movements are gated as
	// logistics. Statements hold hashes only: every member reads them. Only owners write (SPEC.md §17.7;
	// three_pl's stock movements come with locations), and owners are not among the attacked roles.
	writes: { read: () => 'true', write: [] },
	products: { read: (role) => String(readsDomain(role, 'catalog')), write: [] },
	suppliers: { read: (role) => String(readsDomain(role, 'sourcing')), write: [] },
	product_sources: { read: (role) => String(readsDomain(role, 'sourcing')), write: [] },
	stock_movements: { read: (role) => String(readsDomain(role, 'logistics')), write: [] }
};

/** Whether a role receives a domain's rows: it decrypts the domain, or it is the auditor (ciphertext only). */
function readsDomain(role: TestRole, domain: string): boolean {
	return role === 'auditor' || ROLE_DOMAINS[role].includes(domain);
}

type Table = { name: string; rls: boolean; forced: boolean; tenant: boolean };
type Actor = { label: string; claims: Record<string, string>; role?: TestRole; userId?: string };

const ROLLBACK = Symbol('rollback');

describe.each(databaseFactories)('the policy matrix on $kind', (factory) => {
	let t: TestDatabase;
	let alice: SignedUp;
	let bob: SignedUp;
	let tenantA: string;
	let tenantB: string;
	let tables: Table[];
	let policies: { table: string; cmd: string; name: string }[];
	const roleUsers = {} as Record<TestRole, string>;

	/** Runs `fn` as the owner in a transaction that is always rolled back; returns what fn returned. */
	async function rolledBack<T>(fn: (tx: DriverTransaction) => Promise<T>): Promise<T> {
		let out: T;
		try {
			await t.driver.transaction(async (tx) => {
				out = await fn(tx);
				throw ROLLBACK;
			});
		} catch (error) {
			if (error !== ROLLBACK) throw error;
		}
		return out!;
	}

	/** Runs one statement as `actor` inside tx (savepoint: the role and any error end with it). */
	async function as(
		tx: DriverTransaction,
		actor: Actor,
		sql: string,
		params: unknown[] = []
	): Promise<{ rows: Record<string, unknown>[] } | { code: string; message: string }> {
		await tx.query('savepoint attack');
		try {
			await tx.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [
				actor.claims.role === 'anon' ? 'anon' : 'authenticated',
				JSON.stringify(actor.claims)
			]);
			const rows = await tx.query(sql, params as never);
			await tx.query('release savepoint attack');
			await tx.query('reset role');
			return { rows };
		} catch (error) {
			await tx.query('rollback to savepoint attack');
			await tx.query('reset role');
			const e = error as { code?: string; message?: string };
			return { code: e.code ?? '?', message: e.message ?? String(error) };
		}
	}

	/** Every row version of a table, ctid included, so even an update to the same values shows. */
	const fingerprint = async (tx: DriverTransaction, table: string) => {
		const [row] = await tx.query<{ f: string | null }>(
			`select string_agg(ctid::text || ' ' || t::text, E'\\n' order by ctid) as f from app.${table} t`
		);
		return row!.f ?? '';
	};

	const denied = (r: Awaited<ReturnType<typeof as>>) => 'code' in r;

	beforeAll(async () => {
		t = await factory.create();
		const api = testApi(t.db);
		[alice, bob] = await Promise.all([signedUp(api.app), signedUp(api.app)]);
		const orgA = await newOrganisation(api.app, alice, 'Victim Ltd');
		tenantA = orgA.tenantId;
		// A row in every catalogue table, written as the browser does (one signed statement), so that every
		// case below has a victim row.
		expect((await seedCatalogue(api.app, alice, orgA)).status).toBe(201);
		tenantB = (await newOrganisation(api.app, bob, 'Outsider Ltd')).tenantId;
		// Members with the other roles, made directly as the owner for now (teams will add them for real),
		// each with a wrap of every domain so that RLS, not the absence of rows, is what hides them.
		await t.driver.transaction(async (tx) => {
			for (const role of Object.keys(ROLE_CODES) as TestRole[]) {
				const [{ id } = { id: '' }] = await tx.query<{ id: string }>('select gen_random_uuid()::text as id');
				roleUsers[role] = id;
				const key = new Uint8Array(32).fill(ROLE_CODES[role]);
				await tx.query(
					`insert into app.users (id, email, kdf_salt, kdf_ops, kdf_mem, auth_hash, x25519_public, ed25519_public,
					   master_bundle, recovery_bundle, recovery_auth_hash)
					 values ($1, $2, $3, 3, 67108864, 'h', $4, $4, $5, $5, 'h')`,
					[id, `${role}-${id.slice(0, 8)}@example.com`, new Uint8Array(16), key, new Uint8Array(8)]
				);
				await tx.query(
					`insert into app.members (tenant_id, user_id, role, x25519_public, ed25519_public, since_seq)
					 values ($1, $2, $3, $4, $4, 1)`,
					[tenantA, id, ROLE_CODES[role], key]
				);
				for (const domain of ['catalog', 'sourcing', 'logistics']) {
					await tx.query(
						`insert into app.domain_key_wraps (tenant_id, domain, epoch, user_id, wrap, statement)
						 values ($1, $2, 1, $3, $4, $5)`,
						[tenantA, domain, id, new Uint8Array(97).fill(1), new Uint8Array(80)]
					);
				}
			}
		});
		tables = (
			await t.driver.transaction((tx) =>
				tx.query<{ name: string; rls: boolean; forced: boolean; tenant: boolean }>(
					`select c.relname::text as name, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
					        exists (select from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id'
					                 and not a.attisdropped) as tenant
					   from pg_class c join pg_namespace n on n.oid = c.relnamespace
					  where n.nspname = 'app' and c.relkind in ('r', 'p')
					  order by 1`
				)
			)
		).map((r) => ({ ...r }));
		policies = await t.driver.transaction((tx) =>
			tx.query<{ table: string; cmd: string; name: string }>(
				`select tablename::text as table, cmd::text as cmd, policyname::text as name
				   from pg_policies where schemaname = 'app'`
			)
		);
	});
	afterAll(() => t.drop());

	const actors = (): Actor[] => [
		{ label: 'anonymous', claims: { role: 'anon' } },
		{
			label: 'a member (owner) of another organisation',
			claims: { role: 'authenticated', sub: bob.userId },
			userId: bob.userId
		},
		...(Object.keys(ROLE_CODES) as TestRole[]).map((role) => ({
			label: `the organisation's ${role}`,
			claims: { role: 'authenticated', sub: roleUsers[role] },
			role,
			userId: roleUsers[role]
		}))
	];

	it('finds the tables, tenant tables among them', () => {
		const names = tables.map((x) => x.name);
		expect(names).toEqual(expect.arrayContaining(['users', 'sessions', 'organisations', 'domain_key_wraps']));
		expect(tables.filter((x) => x.tenant).map((x) => x.name)).toEqual(
			expect.arrayContaining(['organisations', 'chain_links', 'members', 'domain_key_wraps'])
		);
	});

	it('has RLS enabled and forced on every table in schema app', () => {
		const off = tables.filter((x) => !x.rls || !x.forced).map((x) => x.name);
		expect(off, `RLS disabled or not forced on: ${off.join(', ')}`).toEqual([]);
	});

	it('has a policy, or a documented reason, for every operation of every table, and sentences for names', () => {
		const missing: string[] = [];
		for (const { name } of tables) {
			for (const op of OPS) {
				const has = policies.some((p) => p.table === name && (p.cmd === op || p.cmd === 'ALL'));
				const reason = ALLOW_LIST[name]?.[op];
				if (!has && !reason) missing.push(`${name} ${op}`);
				if (has && reason) missing.push(`${name} ${op} has a policy now: remove it from ALLOW_LIST`);
			}
		}
		for (const name of Object.keys(ALLOW_LIST)) {
			if (!tables.some((x) => x.name === name))
				missing.push(`ALLOW_LIST names a table that is gone: ${name}`);
		}
		expect(missing, missing.join('\n')).toEqual([]);
		const unnamed = policies.filter((p) => !/^[A-Z][\w'’-]*( [\w'’/-]+){2,}$/.test(p.name));
		expect(unnamed.map((p) => `${p.table}: ${p.name}`)).toEqual([]);
	});

	it('has a DESIGN.md rule for every tenant table, keys and foreign keys that include tenant_id, and the tenant id as SPEC §16.6 says', async () => {
		const tenantTables = tables.filter((x) => x.tenant).map((x) => x.name);
		const unruled = tenantTables.filter((n) => !RULES[n]);
		expect(unruled, `add a RULES entry (DESIGN.md read/write table) for: ${unruled.join(', ')}`).toEqual([]);
		const rows = await t.driver.transaction((tx) =>
			tx.query<{ table: string; constraint: string }>(
				`select c.relname::text as table, k.conname::text as constraint
				   from pg_constraint k join pg_class c on c.oid = k.conrelid
				   join pg_namespace n on n.oid = c.relnamespace
				  where n.nspname = 'app' and k.contype in ('p', 'u', 'f')
				    and c.relname = any($1::text[])
				    and not exists (select from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id'
				                     and a.attnum = any(k.conkey))
				    -- the one foreign key to a global table: members → users
				    and not (k.contype = 'f' and k.confrelid = 'app.users'::regclass)`,
				[`{${tenantTables.join(',')}}`]
			)
		);
		expect(rows, 'keys without tenant_id').toEqual([]);
		const columns = await t.driver.transaction((tx) =>
			tx.query<{ table: string; type: string; collation: string | null; checked: boolean }>(
				`select c.relname::text as table, format_type(a.atttypid, a.atttypmod) as type,
				        (select collname::text from pg_collation where oid = a.attcollation) as collation,
				        exists (select from pg_constraint k where k.conrelid = c.oid and k.contype = 'c'
				                 and a.attnum = any(k.conkey)
				                 and pg_get_constraintdef(k.oid) like '%^[0-9a-f]{64}$%') as checked
				   from pg_attribute a join pg_class c on c.oid = a.attrelid
				   join pg_namespace n on n.oid = c.relnamespace
				  where n.nspname = 'app' and a.attname = 'tenant_id' and c.relkind in ('r', 'p')`
			)
		);
		for (const col of columns) {
			expect(col, col.table).toMatchObject({ type: 'text', collation: 'C', checked: true });
		}
	});

	it('sets up what the matrix needs: two organisations and every role in the first', async () => {
		const counts = await rolledBack((tx) =>
			tx.query<{ role: number; n: number }>(
				'select role, count(*)::int as n from app.members where tenant_id = $1 group by role order by role',
				[tenantA]
			)
		);
		expect(counts).toEqual([1, 2, 3, 4, 5].map((role) => ({ role, n: 1 })));
	});

	/** The tenant tables' cases, built from the catalog at run time (after set-up): what went wrong. */
	async function tenantMatrix(): Promise<string[]> {
		const failures: string[] = [];
		const tenantTables = tables.filter((x) => x.tenant && RULES[x.name]);
		expect(tenantTables.length).toBeGreaterThanOrEqual(4);
		let cases = 0;
		for (const { name } of tenantTables) {
			const rule = RULES[name]!;
			const columns = await t.driver.transaction((tx) =>
				tx.query<{ name: string }>(
					`select a.attname::text as name from pg_attribute a
					  where a.attrelid = ('app.' || $1)::regclass and a.attnum > 0 and not a.attisdropped
					    and a.attgenerated = '' and a.attidentity <> 'a' order by a.attnum`,
					[name]
				)
			);
			const cols = columns.map((c) => `"${c.name}"`).join(', ');
			const someColumn = columns.find((c) => c.name !== 'tenant_id')!.name;
			for (const actor of actors()) {
				const fail = (what: string, detail: string) =>
					failures.push(`${name} ${what} as ${actor.label}: ${detail}`);
				const writer = actor.role !== undefined && rule.write.includes(actor.role);

				// SELECT: exactly the rows its rule allows (none for anonymous and outsiders).
				cases++;
				await rolledBack(async (tx) => {
					const allowed = actor.role
						? rule.read(actor.role).replaceAll('$me', `'${actor.userId}'::uuid`)
						: 'false';
					const [{ n: expected } = { n: -1 }] = await tx.query<{ n: number }>(
						`select count(*)::int as n from app.${name} t where t.tenant_id = $1 and (${allowed})`,
						[tenantA]
					);
					const r = await as(tx, actor, `select count(*)::int as n from app.${name} where tenant_id = $1`, [
						tenantA
					]);
					if ('code' in r) {
						if (r.code !== '42501') fail('select', `unexpected error ${r.code} ${r.message}`);
						else if (expected > 0) fail('select', `denied, but DESIGN.md lets it read ${expected} rows`);
					} else if ((r.rows[0] as { n: number }).n !== expected) {
						fail('select', `saw ${(r.rows[0] as { n: number }).n} rows, DESIGN.md allows ${expected}`);
					}
				});
				if (writer) continue;

				const writes: { what: string; run: (tx: DriverTransaction) => Promise<string> }[] = [
					{
						what: 'insert',
						// A victim row, taken out first (foreign keys off, as the owner) so that only RLS and
						// grants can refuse its copy.
						run: async (tx) => {
							await tx.query(`set local session_replication_role = replica`);
							const [victim] = await tx.query<{ row: unknown }>(
								`select row_to_json(t)::text as row from app.${name} t where tenant_id = $1 order by ctid limit 1`,
								[tenantA]
							);
							await tx.query(
								`delete from app.${name} t where t.ctid = (
								select ctid from app.${name} where tenant_id = $1 order by ctid limit 1)`,
								[tenantA]
							);
							return `insert into app.${name} (${cols}) select ${cols} from json_populate_record(null::app.${name}, '${String(victim!.row).replaceAll("'", "''")}'::json)`;
						}
					},
					{
						what: 'update in place',
						run: async () =>
							`update app.${name} set "${someColumn}" = "${someColumn}" where tenant_id = '${tenantA}'`
					},
					{
						what: 'update moving a row to another tenant',
						run: async (tx) => {
							await tx.query(`set local session_replication_role = replica`);
							return `update app.${name} set tenant_id = '${tenantB}' where tenant_id = '${tenantA}'`;
						}
					},
					{
						what: 'update moving a row in from another tenant',
						run: async (tx) => {
							await tx.query(`set local session_replication_role = replica`);
							return `update app.${name} set tenant_id = '${tenantA}' where tenant_id = '${tenantB}'`;
						}
					},
					{ what: 'delete', run: async () => `delete from app.${name} where tenant_id = '${tenantA}'` }
				];
				for (const w of writes) {
					cases++;
					await rolledBack(async (tx) => {
						const sql = await w.run(tx);
						const before = await fingerprint(tx, name);
						const r = await as(tx, actor, sql);
						const after = await fingerprint(tx, name);
						if ('code' in r && r.code !== '42501') fail(w.what, `unexpected error ${r.code} ${r.message}`);
						if (!denied(r) && after !== before) fail(w.what, 'changed rows');
					});
				}
			}
		}
		expect(cases).toBeGreaterThanOrEqual(tenantTables.length * actors().length * 6);
		return failures;
	}

	it('denies every tenant-table operation that DESIGN.md denies, for every actor', async () => {
		const failures = await tenantMatrix();
		expect(failures, failures.join('\n')).toEqual([]);
	});

	it('would catch a leak: a permissive update policy on members fails the matrix', async () => {
		await t.driver.transaction((tx) =>
			tx.exec(`grant update on app.members to authenticated;
				create policy "Everyone updates every member (a deliberate leak)" on app.members
				  for update to authenticated using (true) with check (true);`)
		);
		try {
			const failures = await tenantMatrix();
			// The roles inside the organisation rewrite its members. (Moving a row out is still refused: the
			// new row must also pass the SELECT policy, and nobody here is a member of the other tenant.)
			expect(failures.sort()).toEqual(
				(Object.keys(ROLE_CODES) as TestRole[])
					.map((role) => `members update in place as the organisation's ${role}: changed rows`)
					.sort()
			);
		} finally {
			await t.driver.transaction((tx) =>
				tx.exec(`drop policy "Everyone updates every member (a deliberate leak)" on app.members;
					revoke update on app.members from authenticated;`)
			);
		}
	});

	it('denies anonymous reads and writes on every other table, and shows no one else’s rows', async () => {
		const failures: string[] = [];
		const others = tables.filter((x) => !x.tenant);
		expect(others.length).toBeGreaterThanOrEqual(8);
		for (const { name } of others) {
			const columns = await t.driver.transaction((tx) =>
				tx.query<{ name: string }>(
					`select a.attname::text as name from pg_attribute a
					  where a.attrelid = ('app.' || $1)::regclass and a.attnum > 0 and not a.attisdropped
					    and a.attgenerated = '' and a.attidentity = '' order by a.attnum`,
					[name]
				)
			);
			const first = columns[0]!.name;
			const anon: Actor = { label: 'anonymous', claims: { role: 'anon' } };
			await rolledBack(async (tx) => {
				const r = await as(tx, anon, `select count(*)::int as n from app.${name}`);
				if ('code' in r ? r.code !== '42501' : (r.rows[0] as { n: number }).n !== 0) {
					failures.push(`${name} select as anonymous: ${JSON.stringify(r)}`);
				}
			});
			for (const sql of [
				`insert into app.${name} default values`,
				`update app.${name} set "${first}" = "${first}"`,
				`delete from app.${name}`
			]) {
				await rolledBack(async (tx) => {
					const before = await fingerprint(tx, name);
					const r = await as(tx, anon, sql);
					const after = await fingerprint(tx, name);
					if ('code' in r ? r.code !== '42501' : after !== before) {
						failures.push(`${sql} as anonymous: ${JSON.stringify(r).slice(0, 300)}`);
					}
				});
			}
			// Another signed-in user sees none of Alice's rows.
			const owner = columns.some((c) => c.name === 'user_id') ? 'user_id' : name === 'users' ? 'id' : null;
			if (owner) {
				await rolledBack(async (tx) => {
					const r = await as(
						tx,
						{ label: 'bob', claims: { role: 'authenticated', sub: bob.userId } },
						`select count(*)::int as n from app.${name} where ${owner} = $1`,
						[alice.userId]
					);
					if ('code' in r ? r.code !== '42501' : (r.rows[0] as { n: number }).n !== 0) {
						failures.push(`${name} select of alice's rows as bob: ${JSON.stringify(r)}`);
					}
				});
			}
		}
		expect(failures, failures.join('\n')).toEqual([]);
	});
});
