// Driver for the embedded database: PGlite (PostgreSQL in WASM), persisted under a data directory.
import { PGlite } from '@electric-sql/pglite';
import { startMaintenance } from './pglite-maintenance';
import type { Driver, DriverTransaction, Row, SqlParam, Statement } from './types';

/** `dataDir` undefined = in memory (tests). PGlite locks nothing: one process per directory. */
export async function openPgliteDriver(dataDir: string | undefined): Promise<Driver> {
	return pgliteDriver(dataDir === undefined ? new PGlite() : new PGlite(dataDir));
}

/** Wraps an open PGlite instance (tests clone one from a migrated data directory). */
export async function pgliteDriver(db: PGlite): Promise<Driver> {
	await db.waitReady;
	// A failed pass is retried on the next tick; it is reported, and it never fails a request.
	const maintenance = startMaintenance(db, {
		onError: (error) => console.error(`PGlite maintenance failed: ${(error as Error).message}`)
	});
	return {
		kind: 'pglite',
		transaction<T>(fn: (tx: DriverTransaction) => Promise<T>, setup?: Statement): Promise<T> {
			return db.transaction(async (tx) => {
				// In-process: nothing to pipeline, so the set-up is simply awaited first.
				if (setup) await tx.query(setup.text, [...(setup.params ?? [])]);
				return fn({
					async query<R extends Row>(text: string, params: readonly SqlParam[] = []) {
						const result = await tx.query<R>(text, [...params]);
						return result.rows;
					},
					async exec(script: string) {
						await tx.exec(script);
					}
				});
			});
		},
		async close() {
			await maintenance.stop();
			if (!db.closed) await db.close();
		}
	};
}
