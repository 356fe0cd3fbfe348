// Driver for PostgreSQL / Supabase through the `postgres` package, with a connection pool.
import postgres from 'postgres';
import type { Driver, DriverTransaction, Row, SqlParam } from './types';

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
		async transaction<T>(fn: (tx: DriverTransaction) => Promise<T>): Promise<T> {
			const result = await sql.begin((tx) =>
				fn({
					async query<R extends Row>(text: string, params: readonly SqlParam[] = []) {
						const rows = await tx.unsafe(text, params as postgres.ParameterOrJSON<never>[]);
						return [...rows] as unknown as R[];
					},
					async exec(script: string) {
						// No parameters: the simple protocol, which allows several statements.
						await tx.unsafe(script);
					}
				})
			);
			return result as T;
		},
		async close() {
			await sql.end({ timeout: 5 });
		}
	};
}
