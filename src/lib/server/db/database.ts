// Opens the configured database (PGlite or PostgreSQL), brings its schema up to date, and wraps the
// driver so that the only way in is a transaction as a request identity.
import { mkdir } from 'node:fs/promises';
import { DatabaseUnavailableError } from './errors';
import { loginRoleFindings } from './login-role';
import { migrate, readMigrations, schemaVersion } from './migrations';
import { openPgliteDriver } from './pglite-driver';
import { openPostgresDriver } from './postgres-driver';
import type { Claims, Database, Driver, SqlExecutor } from './types';

export type DatabaseOptions = {
	/** PostgreSQL when set: the app's own connection (the login role); otherwise PGlite. */
	databaseUrl?: string | undefined;
	/** The schema owner's connection, for migrations only; unset = migrate through `databaseUrl`. */
	ownerUrl?: string | undefined;
	/** PGlite data directory; undefined = in memory. */
	dataDir?: string | undefined;
	migrationsDir: string;
	migrate?: boolean;
	/** Told when the app's connection can see past RLS (e.g. it logs in as the owner). */
	onWarning?: (message: string, findings: string[]) => void;
};

type DriverTarget = Pick<DatabaseOptions, 'databaseUrl' | 'dataDir'> & { max?: number };

export async function openDriver(options: DriverTarget, label = 'DATABASE_URL'): Promise<Driver> {
	try {
		if (options.databaseUrl) {
			return await openPostgresDriver(options.databaseUrl, options.max ? { max: options.max } : {});
		}
		if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
		return await openPgliteDriver(options.dataDir);
	} catch (cause) {
		// The URL may carry a password: name the variable, never its value.
		const target = options.databaseUrl ? `PostgreSQL at ${label}` : 'the embedded database';
		throw new DatabaseUnavailableError(`Could not open ${target}: ${(cause as Error).message}`, { cause });
	}
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
	const files = await readMigrations(options.migrationsDir);
	const migrateAsOwner = options.migrate !== false && Boolean(options.databaseUrl && options.ownerUrl);
	if (migrateAsOwner) {
		// One connection, closed before the app's opens: the owner's rights never serve a request.
		const owner = await openDriver({ databaseUrl: options.ownerUrl, max: 1 }, 'DATABASE_OWNER_URL');
		try {
			await migrate(owner, files);
		} finally {
			await owner.close();
		}
	}
	const driver = await openDriver(options);
	try {
		// Through the app's own connection, so a URL pair that names two databases fails here.
		const version =
			options.migrate === false || migrateAsOwner
				? await schemaVersion(driver, files)
				: await migrate(driver, files);
		const findings = await loginRoleFindings(driver);
		if (findings.length > 0) {
			options.onWarning?.(
				'The app connection (DATABASE_URL) logs in as a role that can see past row-level security ' +
					'after `reset role`; connect as stowage_authenticator (README, "PostgreSQL roles")',
				findings
			);
		}
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

/**
 * Switches role and sets the claims in one statement, as PostgREST does. `set_config('role', …, true)`
 * is `SET LOCAL ROLE` (the same setting, the same membership check), and `true` = local to this
 * transaction: a pooled connection forgets both at commit or rollback.
 */
const REQUEST_SETUP = `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`;

/** The request path: every transaction drops to a non-bypassing role and sets claims for itself alone. */
export function asRequestDatabase(driver: Driver, version: string): Database {
	return {
		kind: driver.kind,
		schemaVersion: version,
		withClaims<T>(claims: Claims, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
			// A closed map, so the role name is never caller-supplied text.
			const role = DATABASE_ROLES[claims.role];
			// The driver sends the set-up ahead of fn's first query (pipelined on PostgreSQL).
			return driver.transaction((tx) => fn({ query: (text, params) => tx.query(text, params) }), {
				text: REQUEST_SETUP,
				params: [role, JSON.stringify(claims)]
			});
		},
		close: () => driver.close()
	};
}
