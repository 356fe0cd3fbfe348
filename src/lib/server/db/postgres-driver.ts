// Driver for PostgreSQL / Supabase through the `postgres` package, with a connection pool.
import postgres from 'postgres';
import type { Driver, DriverTransaction, Row, SqlParam, Statement } from './types';

export async function openPostgresDriver(url: string, options: { max?: number } = {}): Promise<Driver> {
	const sql = postgres(url, {
		max: options.max ?? 10,
		onnotice: () => {},
		// Supabase's transaction-mode pooler cannot keep prepared statements across transactions.
		prepare: !/pooler\.supabase\.com:6543/.test(url),
		connection: { application_name: 'stowage' }
	});
	await sql`select 1`;
	return {
		kind: 'postgres',
		async transaction<T>(fn: (tx: DriverTransaction) => Promise<T>, setup?: Statement): Promise<T> {
			const result = await sql.begin(async (tx) => {
				const send = (text: string, params: readonly SqlParam[] = []) =>
					// `execute()` queues the statement now; postgres.js writes a transaction's statements in
					// the order they were queued, without waiting for earlier answers (pipelining).
					tx.unsafe(text, params as postgres.ParameterOrJSON<never>[]).execute();
				// Queued before fn runs, so nothing of fn's can reach the server ahead of it.
				const ready: Promise<unknown> = setup ? send(setup.text, setup.params) : Promise.resolve();
				// Observed below; this only keeps a failure from counting as unhandled while fn runs.
				ready.catch(() => {});
				const value = await fn({
					async query<R extends Row>(text: string, params: readonly SqlParam[] = []) {
						const pending = send(text, params);
						try {
							const rows = await pending;
							await ready;
							return [...rows] as unknown as R[];
						} catch (error) {
							// A failed set-up aborts the transaction, so this statement fails too ("current
							// transaction is aborted"): report the cause, not the symptom.
							await ready;
							throw error;
						}
					},
					async exec(script: string) {
						await ready;
						// No parameters: the simple protocol, which allows several statements.
						await tx.unsafe(script);
					}
				});
				// fn may have sent nothing, or swallowed its own failures: the set-up must still have held.
				await ready;
				return value;
			});
			return result as T;
		},
		async close() {
			await sql.end({ timeout: 5 });
		}
	};
}
