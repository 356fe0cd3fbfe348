// The databases every database test runs against: PGlite always, PostgreSQL too when DATABASE_URL is
// set. Each is a clone of a template migrated once per test run. On PostgreSQL the request path
// connects as a NOINHERIT login role, as the app does in production; the owner's connection is
// kept for set-up and assertions. PGlite has one user, a superuser, so there both are the same.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { asRequestDatabase, openDriver } from '../../src/lib/server/db/database';
import { migrate, readMigrations, schemaVersion } from '../../src/lib/server/db/migrations';
import { pgliteDriver } from '../../src/lib/server/db/pglite-driver';
import type { Database, DatabaseKind, Driver } from '../../src/lib/server/db/types';
import { oncePerRun, testRun } from './run-once';

export const MIGRATIONS_DIR = 'supabase/migrations';

/** The cluster-wide login role the tests' request path connects as (trust auth: no password). */
export const TEST_LOGIN_ROLE = 'stowage_test_login';
/** The role the migrations create for the app to log in as; the test login role is its member. */
export const APP_LOGIN_ROLE = 'stowage_authenticator';

export type TestDatabase = {
	/** The owner's connection: set-up and assertions that must see past RLS. */
	driver: Driver;
	/** The request path, exactly as the API gets it (on PostgreSQL, through the login role). */
	db: Database;
	/** Set when PostgreSQL: this database's URL as the owner. */
	url?: string;
	/** Set when PostgreSQL: this database's URL as the test login role. */
	appUrl?: string;
	drop(): Promise<void>;
};

export type TestDatabaseFactory = {
	kind: DatabaseKind;
	create(options?: { max?: number }): Promise<TestDatabase>;
};

export const postgresUrl = process.env.DATABASE_URL || undefined;

/** `url` with another user and no password (the test server trusts local connections). */
export function asUser(url: string, user: string): string {
	const u = new URL(url);
	u.username = user;
	u.password = '';
	return u.toString();
}

function withDatabase(url: string, name: string): string {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

/** Lower-case letters, digits and `_`, prefixed by the run id so the global teardown finds leftovers. */
const databaseName = (tag: string) => `stowage_t_${testRun().id}_${tag}`;

async function adminQuery(sqlText: string): Promise<void> {
	if (!postgresUrl) throw new Error('DATABASE_URL is not set');
	const admin = postgres(postgresUrl, { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(sqlText);
	} catch (error) {
		throw new Error(
			`PostgreSQL at DATABASE_URL refused the test set-up (${(error as Error).message}). ` +
				'Start PostgreSQL 15+ (tests need a role that creates databases and roles) or unset DATABASE_URL.',
			{ cause: error }
		);
	} finally {
		await admin.end();
	}
}

const dropDatabase = (name: string) => adminQuery(`drop database if exists ${name} with (force)`);

/** Creates an empty database of its own on the server in DATABASE_URL; returns its URL and a dropper. */
export async function createScratchPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
	const name = databaseName(randomBytes(4).toString('hex'));
	await adminQuery(`create database ${name}`);
	return { url: withDatabase(postgresUrl!, name), drop: () => dropDatabase(name) };
}

// Roles are cluster-wide, and other runs may create them at the same moment: hence the handlers.
const TEST_LOGIN_SETUP = `
	do $$
	begin
		begin create role ${TEST_LOGIN_ROLE} login noinherit; exception when duplicate_object then null; end;
		if exists (select from pg_roles where rolname = '${TEST_LOGIN_ROLE}' and (rolinherit or not rolcanlogin)) then
			alter role ${TEST_LOGIN_ROLE} login noinherit;
		end if;
		if not pg_has_role('${TEST_LOGIN_ROLE}', '${APP_LOGIN_ROLE}', 'member') then
			begin grant ${APP_LOGIN_ROLE} to ${TEST_LOGIN_ROLE}; exception when unique_violation then null; end;
		end if;
	end
	$$;
`;

/** The run's migrated PostgreSQL template (built by the first process that needs it). */
async function postgresTemplate(): Promise<string> {
	const path = await oncePerRun('postgres-template', async (tmp) => {
		const name = databaseName('template');
		await adminQuery(`create database ${name}`);
		const owner = await openDriver({ databaseUrl: withDatabase(postgresUrl!, name), max: 1 });
		try {
			await migrate(owner, await readMigrations(MIGRATIONS_DIR));
			await owner.transaction((tx) => tx.exec(TEST_LOGIN_SETUP));
		} finally {
			// `create database … template` needs the template without connections.
			await owner.close();
		}
		await writeFile(tmp, name);
	});
	return readFile(path, 'utf8');
}

/** Makes sure the cluster-wide test login role exists (it is set up with the run's template). */
export async function ensureTestLoginRole(): Promise<void> {
	await postgresTemplate();
}

const pgliteDumps = new Map<string, Promise<Blob>>();

/** A PGlite data directory built once per run, as an uncompressed tarball (it loads ~3× faster). */
function pgliteDump(name: string, prepare: (driver: Driver) => Promise<unknown>): Promise<Blob> {
	let dump = pgliteDumps.get(name);
	if (!dump) {
		dump = (async () => {
			const path = await oncePerRun(name, async (tmp) => {
				const db = new PGlite();
				const driver = await pgliteDriver(db);
				try {
					await prepare(driver);
					const tarball = await db.dumpDataDir('none');
					await writeFile(tmp, new Uint8Array(await tarball.arrayBuffer()));
				} finally {
					await driver.close();
				}
			});
			return new Blob([await readFile(path)]);
		})();
		pgliteDumps.set(name, dump);
	}
	return dump;
}

/** The run's migrated PGlite (built by the first process that needs it). */
const pgliteTemplate = () =>
	pgliteDump('pglite-template.tar', async (driver) => migrate(driver, await readMigrations(MIGRATIONS_DIR)));

/** An empty PGlite, cloned rather than initialised (initdb is most of a fresh PGlite's start-up). */
export async function createEmptyPglite(): Promise<Driver> {
	return pgliteDriver(new PGlite({ loadDataDir: await pgliteDump('pglite-empty.tar', async () => {}) }));
}

const pglite: TestDatabaseFactory = {
	kind: 'pglite',
	async create() {
		const driver = await pgliteDriver(new PGlite({ loadDataDir: await pgliteTemplate() }));
		const version = await schemaVersion(driver, await readMigrations(MIGRATIONS_DIR));
		return { driver, db: asRequestDatabase(driver, version), drop: () => driver.close() };
	}
};

const postgresFactory: TestDatabaseFactory = {
	kind: 'postgres',
	async create(options = {}) {
		const template = await postgresTemplate();
		const name = databaseName(randomBytes(4).toString('hex'));
		await adminQuery(`create database ${name} template ${template}`);
		const url = withDatabase(postgresUrl!, name);
		const appUrl = asUser(url, TEST_LOGIN_ROLE);
		const driver = await openDriver({ databaseUrl: url, max: 2 });
		const app = await openDriver({ databaseUrl: appUrl, ...options }, 'the test login role');
		// Read through the login role, as the app does when the owner migrates through another URL.
		const version = await schemaVersion(app, await readMigrations(MIGRATIONS_DIR));
		return {
			driver,
			db: asRequestDatabase(app, version),
			url,
			appUrl,
			async drop() {
				await app.close();
				await driver.close();
				await dropDatabase(name);
			}
		};
	}
};

export const databaseFactories: TestDatabaseFactory[] = postgresUrl ? [pglite, postgresFactory] : [pglite];
