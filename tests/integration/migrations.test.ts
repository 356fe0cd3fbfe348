// The migration runner: applies in order, records checksums, is idempotent, and refuses a database
// whose applied migrations no longer match the files.
import { mkdtemp, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, openDriver } from '../../src/lib/server/db/database';
import { MigrationError } from '../../src/lib/server/db/errors';
import { migrate, readMigrations, schemaVersion } from '../../src/lib/server/db/migrations';
import type { Driver } from '../../src/lib/server/db/types';
import {
	createEmptyPglite,
	createScratchPostgres,
	databaseFactories,
	MIGRATIONS_DIR,
	postgresUrl
} from '../helpers/databases';

const BOOTSTRAP = '20261122000000_bootstrap.sql';

async function scratchDriver(
	kind: 'pglite' | 'postgres'
): Promise<{ driver: Driver; drop: () => Promise<void> }> {
	if (kind === 'pglite') {
		const driver = await createEmptyPglite();
		return { driver, drop: () => driver.close() };
	}
	const scratch = await createScratchPostgres();
	const driver = await openDriver({ databaseUrl: scratch.url });
	return {
		driver,
		drop: async () => {
			await driver.close();
			await scratch.drop();
		}
	};
}

describe.each(databaseFactories.map((f) => f.kind))('migrations on %s', (kind) => {
	let dir: string;
	let db: Awaited<ReturnType<typeof scratchDriver>>;

	beforeEach(async () => {
		dir = await mkdtemp(join(tmpdir(), 'stowage-migrations-'));
		await copyFile(join(MIGRATIONS_DIR, BOOTSTRAP), join(dir, BOOTSTRAP));
		db = await scratchDriver(kind);
	});

	afterEach(async () => {
		await db.drop();
		await rm(dir, { recursive: true, force: true });
	});

	const addMigration = (name: string, sql: string) => writeFile(join(dir, name), sql);

	it('applies pending files in order, records them, and is idempotent', async () => {
		await addMigration('20261122000200_second.sql', 'create table app.second (id int primary key);');
		await addMigration('20261122000100_first.sql', 'create table app.first (id int primary key);');

		expect(await migrate(db.driver, await readMigrations(dir))).toBe('20261122000200');
		expect(await migrate(db.driver, await readMigrations(dir))).toBe('20261122000200');

		const rows = await db.driver.transaction((tx) =>
			tx.query<{ version: string; name: string; checksum: string }>(
				'select version, name, checksum from stowage_meta.applied_migrations order by version'
			)
		);
		expect(rows.map((r) => r.version)).toEqual(['20261122000000', '20261122000100', '20261122000200']);
		expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
	});

	it('refuses to start when an applied migration changed', async () => {
		await addMigration('20261122000100_first.sql', 'create table app.first (id int primary key);');
		await migrate(db.driver, await readMigrations(dir));

		await addMigration('20261122000100_first.sql', 'create table app.first (id bigint primary key);');
		const error = await migrate(db.driver, await readMigrations(dir)).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(MigrationError);
		expect((error as MigrationError).message).toMatch(
			/20261122000100_first\.sql changed after it was applied/
		);
		expect((error as MigrationError).version).toBe('20261122000100');
	});

	it('refuses a database that applied a migration this code does not have', async () => {
		await addMigration('20261122000100_first.sql', 'create table app.first (id int primary key);');
		await migrate(db.driver, await readMigrations(dir));
		await rm(join(dir, '20261122000100_first.sql'));
		await expect(migrate(db.driver, await readMigrations(dir))).rejects.toThrow(
			/missing from the migrations folder/
		);
	});

	it('rolls back a failing migration whole, recording nothing', async () => {
		await addMigration(
			'20261122000100_broken.sql',
			'create table app.half (id int primary key);\nselect * from app.does_not_exist;'
		);
		await expect(migrate(db.driver, await readMigrations(dir))).rejects.toThrow();
		const [state] = await db.driver.transaction((tx) =>
			tx.query<{ half: string | null; recorded: number }>(
				`select to_regclass('app.half')::text as half,
				        (select count(*)::int from stowage_meta.applied_migrations where version = '20261122000100') as recorded`
			)
		);
		expect(state).toEqual({ half: null, recorded: 0 });
	});

	it('with STOWAGE_MIGRATE=off, opens an up-to-date database and refuses one that is behind', async () => {
		const scratch = kind === 'postgres' ? await createScratchPostgres() : undefined;
		const dataDir = scratch ? undefined : await mkdtemp(join(tmpdir(), 'stowage-pglite-'));
		const target = scratch ? { databaseUrl: scratch.url } : { dataDir };
		try {
			await expect(openDatabase({ ...target, migrationsDir: dir, migrate: false })).rejects.toThrow(
				/has not been applied/
			);
			await (await openDatabase({ ...target, migrationsDir: dir })).close();
			const verified = await openDatabase({ ...target, migrationsDir: dir, migrate: false });
			expect(verified.schemaVersion).toBe('20261122000000');
			await verified.close();
		} finally {
			await scratch?.drop();
			if (dataDir) await rm(dataDir, { recursive: true, force: true });
		}
	});
	it('with STOWAGE_MIGRATE=off after `supabase db push`, checks the Supabase CLI ledger instead', async () => {
		const files = await readMigrations(MIGRATIONS_DIR);
		// What the CLI does: its ledger first, then each file with a row of version and name, and no
		// ledger of Stowage's.
		await db.driver.transaction(async (tx) => {
			await tx.exec(`create schema supabase_migrations;
				create table supabase_migrations.schema_migrations (version text primary key, statements text[], name text);`);
			for (const file of files) {
				await tx.exec(file.sql);
				await tx.query('insert into supabase_migrations.schema_migrations (version, name) values ($1, $2)', [
					file.version,
					file.name
				]);
			}
		});
		expect(await schemaVersion(db.driver, files)).toBe(files.at(-1)!.version);
		// The app's login role reads it as stowage_auth, as it reads Stowage's own ledger.
		const [grant] = await db.driver.transaction((tx) =>
			tx.query<{ ok: boolean }>(
				`select has_table_privilege('stowage_auth', 'supabase_migrations.schema_migrations', 'select') as ok`
			)
		);
		expect(grant!.ok).toBe(true);

		const last = files.at(-1)!;
		const remove = (version: string) =>
			db.driver.transaction((tx) =>
				tx.query('delete from supabase_migrations.schema_migrations where version = $1', [version])
			);
		await remove(last.version);
		await expect(schemaVersion(db.driver, files)).rejects.toThrow(/has not been applied/);
		await db.driver.transaction((tx) =>
			tx.query(
				`insert into supabase_migrations.schema_migrations (version, name) values ('29991231000000', 'newer')`
			)
		);
		await expect(schemaVersion(db.driver, files)).rejects.toThrow(/missing from the migrations folder/);
	});
});

describe('migration files', () => {
	it('are named YYYYMMDDHHMMSS_topic.sql, unique and parseable', async () => {
		const files = await readMigrations(MIGRATIONS_DIR);
		expect(files.length).toBeGreaterThan(0);
		expect(files[0]!.version).toBe('20261122000000');
	});

	it('reject a badly named file', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'stowage-migrations-'));
		await writeFile(join(dir, 'add_things.sql'), 'select 1;');
		await expect(readMigrations(dir)).rejects.toThrow(/YYYYMMDDHHMMSS_topic\.sql/);
		await rm(dir, { recursive: true, force: true });
	});

	it('the bootstrap creates Supabase roles and auth helpers only where missing', async () => {
		const sql = await readFile(join(MIGRATIONS_DIR, BOOTSTRAP), 'utf8');
		expect(sql).toMatch(/to_regprocedure\('auth\.uid\(\)'\) is null/);
		expect(sql).toMatch(/exception when duplicate_object/);
	});
});

describe('database coverage', () => {
	it('runs the database tests on PostgreSQL in CI', () => {
		// CI sets DATABASE_URL; without it the PostgreSQL half of every database test would not run.
		if (process.env.CI) expect(postgresUrl, 'CI must set DATABASE_URL to a PostgreSQL server').toBeTruthy();
		expect(databaseFactories.map((f) => f.kind)).toContain('pglite');
	});
});
