// Opens the configured database (PGlite or PostgreSQL), brings its schema up to date, and wraps the
// driver so that the only way in is a transaction as a request identity.
import { mkdir } from 'node:fs/promises';
import { DatabaseUnavailableError } from './errors';
import { migrate, readMigrations, schemaVersion } from './migrations';
import { openPgliteDriver } from './pglite-driver';
import { openPostgresDriver } from './postgres-driver';
import type { Claims, Database, Driver, SqlExecutor } from './types';

export type DatabaseOptions = {
	/** PostgreSQL when set; otherwise PGlite. */
	databaseUrl?: string | undefined;
	/** PGlite data directory; undefined = in memory. */
	dataDir?: string | undefined;
	migrationsDir: string;
	migrate?: boolean;
};

export async function openDriver(options: Omit<DatabaseOptions, 'migrationsDir'>): Promise<Driver> {
	try {
		if (options.databaseUrl) return await openPostgresDriver(options.databaseUrl);
		if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
		return await openPgliteDriver(options.dataDir);
	} catch (cause) {
		// The URL may carry a password: never echo it.
		const target = options.databaseUrl ? 'PostgreSQL at DATABASE_URL' : 'the embedded database';
		throw new DatabaseUnavailableError(`Could not open ${target}: ${(cause as Error).message}`, { cause });
	}
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
	const driver = await openDriver(options);
	try {
		const files = await readMigrations(options.migrationsDir);
		const version =
			options.migrate === false ? await schemaVersion(driver, files) : await migrate(driver, files);
		return asRequestDatabase(driver, version);
	} catch (error) {
		await driver.close();
		throw error;
	}
}

const DATABASE_ROLES: Record<Claims['role'], string> = {
	anon: 'anon',
	authenticated: 'authenticated',
	stowage_auth: 'stowage_auth'
};

/** The request path: every transaction drops to a non-bypassing role and sets claims for itself alone. */
export function asRequestDatabase(driver: Driver, version: string): Database {
	return {
		kind: driver.kind,
		schemaVersion: version,
		withClaims<T>(claims: Claims, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
			// A closed map, so the role name is never caller-supplied text.
			const role = DATABASE_ROLES[claims.role];
			return driver.transaction(async (tx) => {
				await tx.query(`set local role ${role}`);
				// `true` = local to this transaction: a pooled connection forgets it at commit/rollback.
				await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims)]);
				return fn({ query: (text, params) => tx.query(text, params) });
			});
		},
		close: () => driver.close()
	};
}
