// Applies supabase/migrations/*.sql in order, recording each with its checksum; refuses to start when
// an applied file changed or disappeared, since the schema would no longer be what the code expects.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MigrationError } from './errors';
import type { Driver } from './types';

export type MigrationFile = { version: string; name: string; checksum: string; sql: string };

const FILE_NAME = /^(\d{14})_([a-z0-9_]+)\.sql$/;

export async function readMigrations(dir: string): Promise<MigrationFile[]> {
	const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
	const files: MigrationFile[] = [];
	for (const file of names) {
		const match = FILE_NAME.exec(file);
		if (!match) throw new MigrationError(`Migration file name ${file} is not YYYYMMDDHHMMSS_topic.sql`, file);
		const sql = await readFile(join(dir, file), 'utf8');
		const checksum = createHash('sha256').update(sql, 'utf8').digest('hex');
		files.push({ version: match[1]!, name: match[2]!, checksum, sql });
	}
	const versions = files.map((f) => f.version);
	const dupe = versions.find((v, i) => versions.indexOf(v) !== i);
	if (dupe) throw new MigrationError(`Two migrations share version ${dupe}`, dupe);
	return files;
}

const LEDGER = `
	create schema if not exists stowage_meta;
	revoke all on schema stowage_meta from public;
	create table if not exists stowage_meta.applied_migrations (
		version text primary key,
		name text not null,
		checksum text not null,
		applied_at timestamptz not null default now()
	);
	revoke all on stowage_meta.applied_migrations from public;
`;

/** A ledger row; `checksum` is null in the Supabase CLI's ledger, which keeps none. */
type Applied = { version: string; name: string; checksum: string | null };

/** Applies what is pending; returns the newest applied version. */
export async function migrate(driver: Driver, files: readonly MigrationFile[]): Promise<string> {
	for (const file of files) {
		await driver.transaction(async (tx) => {
			// One migrator at a time across processes (a no-op on single-user PGlite).
			await tx.query(`select pg_advisory_xact_lock(7247146351)`);
			await tx.exec(LEDGER);
			const applied = await tx.query<Applied>(
				`select version, name, checksum from stowage_meta.applied_migrations order by version`
			);
			verifyApplied(applied, files);
			if (applied.some((a) => a.version === file.version)) return;
			await tx.exec(file.sql);
			await tx.query(
				`insert into stowage_meta.applied_migrations (version, name, checksum) values ($1, $2, $3)`,
				[file.version, file.name, file.checksum]
			);
		});
	}
	return schemaVersion(driver, files);
}

/** The role through which a connection that owns nothing (the app's login role) reads the ledger. */
export const LEDGER_READER = 'stowage_auth';

/** Where a ledger lives: Stowage's own (with checksums), or the Supabase CLI's (`supabase db push`). */
type Ledger = { schema: string; table: string; select: string };

const STOWAGE_LEDGER: Ledger = {
	schema: 'stowage_meta',
	table: 'applied_migrations',
	select: 'select version, name, checksum from stowage_meta.applied_migrations order by version'
};
// The CLI records each file's version and name, but no checksum: an edited file cannot be detected there.
const SUPABASE_CLI_LEDGER: Ledger = {
	schema: 'supabase_migrations',
	table: 'schema_migrations',
	select: `select version, coalesce(name, '') as name, null as checksum
	           from supabase_migrations.schema_migrations order by version`
};

// From the catalogs, which every role can read: whether a ledger exists, and whether this connection
// can read it itself or by switching to the ledger reader (an owner can; the login role only switches).
const LEDGER_ACCESS = `
	select c.oid is not null as ledger,
	       coalesce(has_schema_privilege(n.oid, 'usage') and has_table_privilege(c.oid, 'select'), false) as direct,
	       coalesce(pg_has_role(r.oid, 'member')
	                and has_schema_privilege(r.oid, n.oid, 'usage')
	                and has_table_privilege(r.oid, c.oid, 'select'), false) as via_reader
	from (values (1)) as one (x)
	left join pg_namespace n on n.nspname = $2
	left join pg_class c on c.relnamespace = n.oid and c.relname = $3
	left join pg_roles r on r.rolname = $1`;

/**
 * Checks the ledger against the files without applying anything (for `STOWAGE_MIGRATE=off`). Stowage's
 * own ledger when there is one; otherwise the Supabase CLI's, for migrations deployed with `db push`.
 */
export async function schemaVersion(driver: Driver, files: readonly MigrationFile[]): Promise<string> {
	return driver.transaction(async (tx) => {
		const access = async (l: Ledger) =>
			(
				await tx.query<{ ledger: boolean; direct: boolean; via_reader: boolean }>(LEDGER_ACCESS, [
					LEDGER_READER,
					l.schema,
					l.table
				])
			)[0];
		let ledger = STOWAGE_LEDGER;
		let found = await access(ledger);
		if (!found?.ledger) {
			const cli = await access(SUPABASE_CLI_LEDGER);
			if (cli?.ledger) [ledger, found] = [SUPABASE_CLI_LEDGER, cli];
		}
		if (found?.ledger && !found.direct && !found.via_reader) {
			throw new MigrationError(
				`This connection's role can read the migration ledger neither itself nor as ${LEDGER_READER}: ` +
					`apply the migrations as the schema owner first (DATABASE_OWNER_URL)`,
				files.at(-1)?.version ?? 'none'
			);
		}
		if (found?.ledger && !found.direct) {
			await tx.query(`select set_config('role', $1, true)`, [LEDGER_READER]);
		}
		const applied = found?.ledger ? await tx.query<Applied>(ledger.select) : [];
		verifyApplied(applied, files);
		const pending = files.filter((f) => !applied.some((a) => a.version === f.version));
		if (pending.length > 0) {
			throw new MigrationError(`Migration ${pending[0]!.version} has not been applied`, pending[0]!.version);
		}
		return applied.at(-1)?.version ?? 'none';
	});
}

function verifyApplied(applied: readonly Applied[], files: readonly MigrationFile[]): void {
	for (const a of applied) {
		const file = files.find((f) => f.version === a.version);
		if (!file) {
			throw new MigrationError(
				`Migration ${a.version}_${a.name} was applied but is missing from the migrations folder; ` +
					`this code is older than the database`,
				a.version
			);
		}
		if (a.checksum !== null && file.checksum !== a.checksum) {
			throw new MigrationError(
				`Migration ${a.version}_${a.name}.sql changed after it was applied ` +
					`(checksum ${a.checksum.slice(0, 12)}… in the database, ${file.checksum.slice(0, 12)}… on disk); ` +
					`add a new migration instead of editing an applied one`,
				a.version
			);
		}
	}
}
