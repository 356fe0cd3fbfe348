// Queries over the per-user security log (append-only) and the single-use step-token ledger.
import type { SqlExecutor } from './types';

export type SecurityEventKind =
	| 'signed_in'
	| 'sign_in_failed'
	| 'signed_out'
	| 'session_revoked'
	| 'signed_out_everywhere'
	| 'refresh_token_reused'
	| 'session_expired'
	| 'reauth_failed'
	| 'password_changed'
	| 'recovered'
	| 'recovery_key_rotated'
	| 'totp_enabled'
	| 'totp_disabled'
	| 'passkey_added'
	| 'passkey_removed'
	| 'recent_factors_removed';

export type SecurityEvent = {
	userId: string;
	kind: SecurityEventKind;
	ip?: string | undefined;
	userAgent?: string | undefined;
	detail?: Record<string, string | number | boolean>;
};

export async function appendSecurityEvent(tx: SqlExecutor, e: SecurityEvent): Promise<void> {
	// `$5::text::jsonb`, not `$5::jsonb`: postgres.js JSON-encodes a parameter typed json again, which
	// stored a JSON string instead of an object on PostgreSQL.
	await tx.query(
		'insert into app.security_events (user_id, kind, ip, user_agent, detail) values ($1, $2, $3, $4, $5::text::jsonb)',
		[
			e.userId,
			e.kind,
			e.ip?.slice(0, 64) ?? null,
			e.userAgent?.slice(0, 512) ?? null,
			JSON.stringify(e.detail ?? {})
		]
	);
}

export type SecurityEventView = {
	id: string;
	at: Date;
	kind: SecurityEventKind;
	ip: string | null;
	userAgent: string | null;
	detail: Record<string, unknown>;
};

/** Runs as `authenticated`: RLS shows the caller's own events only. Newest first. */
export async function listOwnSecurityEvents(tx: SqlExecutor, limit: number): Promise<SecurityEventView[]> {
	const rows = await tx.query<{
		id: string | number;
		at: Date;
		kind: SecurityEventKind;
		ip: string | null;
		user_agent: string | null;
		detail: Record<string, unknown>;
	}>(
		`select id, at, kind, ip, user_agent, detail from app.security_events
		  where user_id = auth.uid() order by at desc, id desc limit $1`,
		[limit]
	);
	return rows.map((r) => ({
		id: String(r.id),
		at: r.at,
		kind: r.kind,
		ip: r.ip,
		userAgent: r.user_agent,
		detail: r.detail
	}));
}

/** Records a step token's id as used; false when it was used before. Sweeps expired ids first. */
export async function useStepToken(tx: SqlExecutor, jti: string, expiresAt: Date): Promise<boolean> {
	await tx.query('delete from app.used_step_tokens where expires_at < now()');
	const rows = await tx.query(
		'insert into app.used_step_tokens (jti, expires_at) values ($1, $2) on conflict (jti) do nothing returning jti',
		[jti, expiresAt]
	);
	return rows.length > 0;
}
