// PGlite has no autovacuum, so the driver analyzes and vacuums what autovacuum would
// (src/lib/server/db/pglite-maintenance.ts). Without it a never-analyzed table is planned as if it held a
// handful of rows, and the catalogue's page query read a whole tenant for each page.
import { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { pgliteDriver } from '../../src/lib/server/db/pglite-driver';
import { startMaintenance } from '../../src/lib/server/db/pglite-maintenance';

const stats = async (db: PGlite) => {
	await db.query('select pg_stat_force_next_flush()'); // counters reach pg_stat_* when the next statement ends
	return (
		await db.query<{ reltuples: number; dead: number }>(
			`select c.reltuples::int as reltuples, s.n_dead_tup::int as dead
			   from pg_class c join pg_stat_user_tables s on s.relid = c.oid where c.relname = 'items'`
		)
	).rows[0]!;
};

describe('PGlite maintenance', () => {
	let db: PGlite;
	afterEach(async () => {
		if (!db.closed) await db.close();
	});

	it('analyzes a table once it has changed enough, and vacuums its dead rows', async () => {
		db = new PGlite();
		const m = startMaintenance(db, { everyMs: 3_600_000, onError: (e) => expect.fail(String(e)) });
		await db.exec(`create table items (id int primary key, v text)`);
		expect(await m.run()).toEqual([]);
		await db.exec(`insert into items select g, 'x' from generate_series(1, 1000) g`);
		expect((await stats(db)).reltuples).toBe(-1); // never analyzed: the planner guesses
		expect(await m.run()).toEqual(['public.items']);
		expect((await stats(db)).reltuples).toBe(1000);
		expect(await m.run()).toEqual([]); // nothing changed since

		await db.exec(`update items set v = 'y'`);
		expect((await stats(db)).dead).toBe(1000);
		expect(await m.run()).toEqual(['public.items']);
		expect((await stats(db)).dead).toBe(0);
		await m.stop();
	});

	it('runs on its own in every PGlite driver, and stops with it', async () => {
		db = new PGlite();
		const driver = await pgliteDriver(db);
		await driver.transaction(async (tx) => {
			await tx.exec(`create table items (id int primary key, v text)`);
			await tx.exec(`insert into items select g, 'x' from generate_series(1, 500) g`);
		});
		await expect.poll(async () => (await stats(db)).reltuples, { timeout: 10_000, interval: 200 }).toBe(500);
		await driver.close();
		expect(db.closed).toBe(true);
	});
});
