// The app's PostgreSQL login role, PostgREST-style: NOINHERIT, owns nothing, and may only switch to
// anon, authenticated and stowage_auth. Attacks: a query that leaves its transaction's role (`reset
// role`, `set role`) to read accounts or the ledger, or to gain rights; start-up that hides a login
// role which can see past RLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, openDriver } from '../../src/lib/server/db/database';
import { loginRoleFindings } from '../../src/lib/server/db/login-role';
import { readMigrations } from '../../src/lib/server/db/migrations';
import type { Claims, Driver } from '../../src/lib/server/db/types';
import {
	APP_LOGIN_ROLE,
	asUser,
	createScratchPostgres,
	databaseFactories,
	ensureTestLoginRole,
	MIGRATIONS_DIR,
	postgresUrl,
	TEST_LOGIN_ROLE,
	type TestDatabase
} from '../helpers/databases';

const ALICE = '00000000-0000-4000-8000-00000000a11c';
const REQUEST_ROLES = ['anon', 'authenticated', 'stowage_auth'];
const identities: Claims[] = [
	{ role: 'anon' },
	{ role: 'stowage_auth' },
	{ role: 'authenticated', sub: ALICE }
];

describe.skipIf(!postgresUrl)('the app login role on PostgreSQL', () => {
	let t: TestDatabase;
	let app: Driver;

	beforeAll(async () => {
		t = await databaseFactories.find((f) => f.kind === 'postgres')!.create();
		app = await openDriver({ databaseUrl: t.appUrl, max: 1 });
		// A real account, so that "denied" is not "nothing there".
		await t.driver.transaction((tx) =>
			tx.query(
				`insert into app.users (id, email, kdf_salt, kdf_ops, kdf_mem, auth_hash, x25519_public, ed25519_public,
				   master_bundle, recovery_bundle, recovery_auth_hash)
				 values ($1, 'alice@example.com', $2, 3, 67108864, 'h', $3, $3, $4, $4, 'h')`,
				[ALICE, new Uint8Array(16), new Uint8Array(32), new Uint8Array(8)]
			)
		);
	});
	afterAll(async () => {
		await app?.close();
		await t?.drop();
	});

	it('the request path logs in as the test login role', async () => {
		const [row] = await t.db.withClaims({ role: 'anon' }, (tx) =>
			tx.query<{ login: string }>('select session_user::text as login')
		);
		expect(row!.login).toBe(TEST_LOGIN_ROLE);
	});

	it('after `reset role`, a request reads no account, no session and no ledger', async () => {
		for (const claims of identities) {
			for (const target of ['app.users', 'app.sessions', 'stowage_meta.applied_migrations']) {
				const attempt = t.db.withClaims(claims, async (tx) => {
					await tx.query('reset role');
					return tx.query(`select * from ${target}`);
				});
				await expect(attempt, `${claims.role}: ${target}`).rejects.toThrow(/permission denied/);
			}
		}
		// The same through a bare connection that never switched.
		await expect(app.transaction((tx) => tx.query('select email from app.users'))).rejects.toThrow(
			/permission denied/
		);
	});

	it('cannot switch to a role beyond the three, nor create, nor grant itself anything', async () => {
		const attacks = [
			'set role service_role',
			'set role postgres',
			`set role ${APP_LOGIN_ROLE}; set role service_role`,
			"select set_config('role', 'service_role', true)",
			'set session authorization postgres',
			'create table public.stolen (x int)',
			'create schema stolen',
			`alter role ${TEST_LOGIN_ROLE} bypassrls`,
			`grant service_role to ${TEST_LOGIN_ROLE}`,
			'alter table app.users disable row level security'
		];
		for (const attack of attacks) {
			await expect(
				app.transaction((tx) => tx.exec(attack)),
				attack
			).rejects.toThrow(/permission denied|must be owner|must be superuser|must have/);
		}
	});

	it('owns nothing, holds no rights of its own, and reaches exactly the request roles', async () => {
		expect(await loginRoleFindings(app)).toEqual([]);
		const [facts] = await app.transaction((tx) =>
			tx.query<{ roles: Record<string, unknown>[]; reachable: string[]; dependencies: number }>(
				`select
				   (select json_agg(json_build_object('name', rolname, 'super', rolsuper, 'inherit', rolinherit,
				           'bypassrls', rolbypassrls, 'createrole', rolcreaterole, 'createdb', rolcreatedb) order by rolname)
				      from pg_roles where rolname in ($1, $2)) as roles,
				   array(select r.rolname::text from pg_roles r
				          where r.rolname <> session_user and pg_has_role(session_user, r.oid, 'member')
				          order by 1) as reachable,
				   (select count(*)::int from pg_shdepend d join pg_roles r on r.oid = d.refobjid
				     where d.refclassid = 'pg_authid'::regclass and r.rolname in ($1, $2)) as dependencies`,
				[TEST_LOGIN_ROLE, APP_LOGIN_ROLE]
			)
		);
		const contained = { super: false, inherit: false, bypassrls: false, createrole: false, createdb: false };
		expect(facts!.roles).toEqual([
			{ name: APP_LOGIN_ROLE, ...contained },
			{ name: TEST_LOGIN_ROLE, ...contained }
		]);
		expect(facts!.reachable).toEqual([...REQUEST_ROLES, APP_LOGIN_ROLE].sort());
		// No object owned, no grant, no policy naming either role, in any database of the cluster.
		expect(facts!.dependencies).toBe(0);
	});

	it('start-up findings name what lets a login role see past RLS', async () => {
		expect(await loginRoleFindings(t.driver)).toContain('is a superuser');
		const leaky = `stowage_t_leaky_${process.pid}`;
		await t.driver.transaction((tx) =>
			tx.exec(`create role ${leaky} login noinherit; grant anon, service_role to ${leaky}`)
		);
		const driver = await openDriver({ databaseUrl: asUser(t.url!, leaky), max: 1 });
		try {
			expect(await loginRoleFindings(driver)).toEqual(['may switch to service_role']);
		} finally {
			await driver.close();
			await t.driver.transaction((tx) => tx.exec(`drop role ${leaky}`));
		}
	});
});

describe.skipIf(!postgresUrl)('opening the database with an owner URL and an app URL', () => {
	beforeAll(() => ensureTestLoginRole());

	it('migrates as the owner, serves as the login role, and warns only about an owner app URL', async () => {
		const scratch = await createScratchPostgres();
		const warnings: string[][] = [];
		const onWarning = (_: string, findings: string[]) => warnings.push(findings);
		try {
			const db = await openDatabase({
				databaseUrl: asUser(scratch.url, TEST_LOGIN_ROLE),
				ownerUrl: scratch.url,
				migrationsDir: MIGRATIONS_DIR,
				onWarning
			});
			const files = await readMigrations(MIGRATIONS_DIR);
			expect(db.schemaVersion).toBe(files.at(-1)!.version);
			const [row] = await db.withClaims({ role: 'anon' }, (tx) =>
				tx.query<{ login: string; role: string }>(
					'select session_user::text as login, current_user::text as role'
				)
			);
			expect(row).toEqual({ login: TEST_LOGIN_ROLE, role: 'anon' });
			await db.close();
			expect(warnings).toEqual([]);

			// Migrations off: the login role verifies the ledger (as stowage_auth) and applies nothing.
			const verified = await openDatabase({
				databaseUrl: asUser(scratch.url, TEST_LOGIN_ROLE),
				migrationsDir: MIGRATIONS_DIR,
				migrate: false,
				onWarning
			});
			expect(verified.schemaVersion).toBe(db.schemaVersion);
			await verified.close();
			expect(warnings).toEqual([]);

			// One URL, the owner's: it works, and says the app can see past RLS.
			await (
				await openDatabase({ databaseUrl: scratch.url, migrationsDir: MIGRATIONS_DIR, onWarning })
			).close();
			expect(warnings).toHaveLength(1);
			expect(warnings[0]).toContain('is a superuser');
		} finally {
			await scratch.drop();
		}
	});

	it('refuses an app URL whose database the owner did not migrate', async () => {
		const migrated = await createScratchPostgres();
		const other = await createScratchPostgres();
		try {
			await expect(
				openDatabase({
					databaseUrl: asUser(other.url, TEST_LOGIN_ROLE),
					ownerUrl: migrated.url,
					migrationsDir: MIGRATIONS_DIR
				})
			).rejects.toThrow(/has not been applied/);
		} finally {
			await migrated.drop();
			await other.drop();
		}
	});

	it('names the variable, never the URL, when the owner connection fails', async () => {
		const attempt = openDatabase({
			databaseUrl: postgresUrl!,
			ownerUrl: 'postgres://owner:hunter2-s3cret@127.0.0.1:1/stowage',
			migrationsDir: MIGRATIONS_DIR
		});
		await expect(attempt).rejects.toThrow(/PostgreSQL at DATABASE_OWNER_URL/);
		await expect(attempt).rejects.not.toThrow(/hunter2/);
	});
});
