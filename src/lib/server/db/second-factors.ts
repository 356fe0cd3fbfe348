// Queries over TOTP state and backup codes. They run as the auth service.
import { bytes } from './values';
import type { SqlExecutor } from './types';

export type TotpState = { secret: Uint8Array | null; pending: Uint8Array | null };

export async function totpState(tx: SqlExecutor, userId: string): Promise<TotpState> {
	const [row] = await tx.query<{ totp_secret: Uint8Array | null; totp_pending_secret: Uint8Array | null }>(
		'select totp_secret, totp_pending_secret from app.users where id = $1',
		[userId]
	);
	return {
		secret: row?.totp_secret ? bytes(row.totp_secret) : null,
		pending: row?.totp_pending_secret ? bytes(row.totp_pending_secret) : null
	};
}

export async function setPendingTotp(tx: SqlExecutor, userId: string, sealed: Uint8Array): Promise<void> {
	await tx.query('update app.users set totp_pending_secret = $2 where id = $1', [userId, sealed]);
}

/** Accepts a TOTP step only if it is later than the last accepted one: each code works once. */
export async function acceptTotpStep(tx: SqlExecutor, userId: string, step: number): Promise<boolean> {
	const rows = await tx.query(
		`update app.users set totp_last_step = $2
		  where id = $1 and (totp_last_step is null or totp_last_step < $2) returning id`,
		[userId, step]
	);
	return rows.length > 0;
}

export async function enableTotp(
	tx: SqlExecutor,
	userId: string,
	sealed: Uint8Array,
	backupHashes: Uint8Array[]
): Promise<void> {
	await tx.query(
		`update app.users set totp_secret = $2, totp_pending_secret = null, totp_enabled_at = now() where id = $1`,
		[userId, sealed]
	);
	await tx.query('delete from app.totp_backup_codes where user_id = $1', [userId]);
	for (const hash of backupHashes) {
		await tx.query('insert into app.totp_backup_codes (user_id, code_hash) values ($1, $2)', [userId, hash]);
	}
}

export async function disableTotp(tx: SqlExecutor, userId: string): Promise<void> {
	await tx.query(
		`update app.users set totp_secret = null, totp_pending_secret = null, totp_enabled_at = null,
		        totp_last_step = null where id = $1`,
		[userId]
	);
	await tx.query('delete from app.totp_backup_codes where user_id = $1', [userId]);
}

export async function useBackupCode(tx: SqlExecutor, userId: string, hash: Uint8Array): Promise<boolean> {
	const rows = await tx.query(
		`update app.totp_backup_codes set used_at = now()
		  where user_id = $1 and code_hash = $2 and used_at is null returning user_id`,
		[userId, hash]
	);
	return rows.length > 0;
}

/** Whether two-factor was turned on in the last 24 hours (database time). */
export async function totpEnabledRecently(tx: SqlExecutor, userId: string): Promise<Date | null> {
	const [row] = await tx.query<{ totp_enabled_at: Date }>(
		`select totp_enabled_at from app.users
		  where id = $1 and totp_enabled_at > now() - interval '24 hours'`,
		[userId]
	);
	return row?.totp_enabled_at ?? null;
}
