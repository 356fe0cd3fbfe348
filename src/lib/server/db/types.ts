// The database interface the API sees: one transaction as a given identity, nothing that bypasses RLS.

/** Values a query parameter may take; both drivers encode these the same way. */
export type SqlParam = string | number | bigint | boolean | null | Uint8Array | Date;

export type Row = Record<string, unknown>;

/** Runs statements inside an open transaction. */
export interface SqlExecutor {
	query<T extends Row = Row>(text: string, params?: readonly SqlParam[]): Promise<T[]>;
}

/**
 * The identity a request runs as, shaped like Supabase's JWT claims so that `auth.uid()` and
 * `auth.jwt()` read it. `stowage_auth` is the accounts code (sign-up, login, sessions), which runs as
 * the database role of the same name: RLS policies give it the account tables and nothing else. `service_role`
 * bypasses RLS and has no place on the request path.
 */
export type Claims =
	| { role: 'anon' }
	| { role: 'stowage_auth' }
	| { role: 'authenticated'; sub: string; [claim: string]: string | number | boolean | null };

export type DatabaseKind = 'pglite' | 'postgres';

/** What the API is given. */
export interface Database {
	readonly kind: DatabaseKind;
	/** Version of the newest applied migration, e.g. `20261122000000`. */
	readonly schemaVersion: string;
	/** Runs `fn` in one transaction as the role in `claims`, with `request.jwt.claims` set for it alone. */
	withClaims<T>(claims: Claims, fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
	close(): Promise<void>;
}

/** One statement with its parameters. */
export type Statement = { text: string; params?: readonly SqlParam[] };

/** A raw connection: the owner's for migrations and tests' set-up; wrapped by `asRequestDatabase` for the API. */
export interface Driver {
	readonly kind: DatabaseKind;
	/**
	 * Runs `fn` in one transaction. `setup`, when given, reaches the server before any statement of
	 * `fn` (on PostgreSQL in the same round trip as `fn`'s first query); if it fails, the transaction
	 * rolls back and rejects with its error, whatever `fn` did.
	 */
	transaction<T>(fn: (tx: DriverTransaction) => Promise<T>, setup?: Statement): Promise<T>;
	close(): Promise<void>;
}

export interface DriverTransaction extends SqlExecutor {
	/** Runs a script of several statements without parameters (migrations). */
	exec(script: string): Promise<void>;
}
