// The databases every database test runs against: PGlite always, PostgreSQL too when DATABASE_URL is
// set. Each PostgreSQL test database is created for the run and dropped after it.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { asRequestDatabase, openDriver } from '../../src/lib/server/db/database';
import { migrate, readMigrations } from '../../src/lib/server/db/migrations';
import type { Database, DatabaseKind, Driver } from '../../src/lib/server/db/types';

export const MIGRATIONS_DIR = 'supabase/migrations';

export type TestDatabase = {
	/** The owner's connection: set-up and assertions that must see past RLS. */
	driver: Driver;
	/** The request path, exactly as the API gets it. */
	db: Database;
	/** Set when PostgreSQL: the URL of this run's own database. */
	url?: string;
	drop(): Promise<void>;
};

export type TestDatabaseFactory = {
	kind: DatabaseKind;
	create(options?: { max?: number }): Promise<TestDatabase>;
};

export const postgresUrl = process.env.DATABASE_URL || undefined;

/** Creates an empty database of its own on the server in DATABASE_URL; returns its URL and a dropper. */
export async function createScratchPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
	if (!postgresUrl) throw new Error('DATABASE_URL is not set');
	const name = `stowage_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
	const admin = postgres(postgresUrl, { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`create database ${name}`);
	} catch (error) {
		await admin.end();
		throw new Error(
			`Cannot create a test database on DATABASE_URL (${(error as Error).message}). ` +
				'Start PostgreSQL 15+ or unset DATABASE_URL to run on PGlite only.',
			{ cause: error }
		);
	}
	const url = new URL(postgresUrl);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		async drop() {
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end();
		}
	};
}

async function withSchema(driver: Driver, drop: () => Promise<void>, url?: string): Promise<TestDatabase> {
	const version = await migrate(driver, await readMigrations(MIGRATIONS_DIR));
	const result: TestDatabase = {
		driver,
		db: asRequestDatabase(driver, version),
		async drop() {
			await driver.close();
			await drop();
		}
	};
	if (url) result.url = url;
	return result;
}

const pglite: TestDatabaseFactory = {
	kind: 'pglite',
	async create() {
		const driver = await openDriver({ dataDir: undefined });
		return withSchema(driver, async () => {});
	}
};

const postgresFactory: TestDatabaseFactory = {
	kind: 'postgres',
	async create() {
		const scratch = await createScratchPostgres();
		const driver = await openDriver({ databaseUrl: scratch.url });
		return withSchema(driver, scratch.drop, scratch.url);
	}
};

export const databaseFactories: TestDatabaseFactory[] = postgresUrl ? [pglite, postgresFactory] : [pglite];
