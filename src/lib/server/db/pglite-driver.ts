// Driver for the embedded database: PGlite (PostgreSQL in WASM), persisted under a data directory.
import { PGlite } from '@electric-sql/pglite';
import type { Driver, DriverTransaction, Row, SqlParam } from './types';

/** `dataDir` undefined = in memory (tests). PGlite locks nothing: one process per directory. */
export async function openPgliteDriver(dataDir: string | undefined): Promise<Driver> {
	const db = dataDir === undefined ? new PGlite() : new PGlite(dataDir);
	await db.waitReady;
	return {
		kind: 'pglite',
		transaction<T>(fn: (tx: DriverTransaction) => Promise<T>): Promise<T> {
			return db.transaction(async (tx) =>
				fn({
					async query<R extends Row>(text: string, params: readonly SqlParam[] = []) {
						const result = await tx.query<R>(text, [...params]);
						return result.rows;
					},
					async exec(script: string) {
						await tx.exec(script);
					}
				})
			);
		},
		async close() {
			if (!db.closed) await db.close();
		}
	};
}
