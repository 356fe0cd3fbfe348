// Queries over sessions and their refresh-token families. They run as the auth service unless noted.
import type { SqlExecutor } from './types';

export type SessionMethod = 'password' | 'password+totp' | 'passkey' | 'recovery';

export async function createSession(
	tx: SqlExecutor,
	s: {
		userId: string;
		ip: string | undefined;
		userAgent: string | undefined;
		method: SessionMethod;
		refreshHash: Uint8Array;
	}
): Promise<string> {
	const [row] = await tx.query<{ id: string }>(
		`insert into app.sessions (user_id, ip, user_agent, method) values ($1, $2, $3, $4) returning id`,
		[s.userId, s.ip ?? null, s.userAgent?.slice(0, 512) ?? null, s.method]
	);
	await tx.query('insert into app.refresh_tokens (token_hash, session_id) values ($1, $2)', [
		s.refreshHash,
		row!.id
	]);
	return row!.id;
}

/** How long a session lives without a refresh (idle) and in all (absolute), in days. */
export type SessionLifetime = { idleDays: number; maxDays: number };

export type ExpiryReason = 'idle' | 'absolute';

/** Which lifetime a session outlived, if any, by database time ($n = idle days, $n+1 = max days). */
const expiryOf = (idle: string, max: string) =>
	`case when s.created_at <= now() - ${max}::float8 * interval '1 day' then 'absolute'
	      when s.last_used_at <= now() - ${idle}::float8 * interval '1 day' then 'idle' end`;

export type Rotation =
	/** `endsIn`: seconds until the session's absolute end. */
	| { status: 'rotated'; userId: string; sessionId: string; endsIn: number }
	| { status: 'reused'; userId: string; sessionId: string }
	| { status: 'expired'; userId: string; sessionId: string; reason: ExpiryReason }
	| { status: 'invalid' };

/**
 * Swaps a refresh token for a new one. A token used before revokes its whole session (family). A
 * session past its lifetime is reported, not rotated: the caller ends it (accounts/session-lifetime).
 */
export async function rotateRefreshToken(
	tx: SqlExecutor,
	oldHash: Uint8Array,
	newHash: Uint8Array,
	seen: { ip: string | undefined; userAgent: string | undefined },
	lifetime: SessionLifetime
): Promise<Rotation> {
	const [row] = await tx.query<{
		session_id: string;
		used: boolean;
		revoked: boolean;
		user_id: string;
		expired: ExpiryReason | null;
		ends_in: number;
	}>(
		`select t.session_id, t.used_at is not null as used, s.revoked_at is not null as revoked, s.user_id,
		        ${expiryOf('$2', '$3')} as expired,
		        greatest(0, extract(epoch from s.created_at + $3::float8 * interval '1 day' - now()))::float8 as ends_in
		   from app.refresh_tokens t join app.sessions s on s.id = t.session_id
		  where t.token_hash = $1
		    for update of t, s`,
		[oldHash, lifetime.idleDays, lifetime.maxDays]
	);
	if (!row || row.revoked) return { status: 'invalid' };
	if (row.used) {
		await revokeSession(tx, row.user_id, row.session_id, 'refresh_token_reuse');
		return { status: 'reused', userId: row.user_id, sessionId: row.session_id };
	}
	if (row.expired) {
		return { status: 'expired', userId: row.user_id, sessionId: row.session_id, reason: row.expired };
	}
	await tx.query('update app.refresh_tokens set used_at = now() where token_hash = $1', [oldHash]);
	await tx.query('insert into app.refresh_tokens (token_hash, session_id) values ($1, $2)', [
		newHash,
		row.session_id
	]);
	await tx.query('update app.sessions set last_used_at = now(), ip = $2, user_agent = $3 where id = $1', [
		row.session_id,
		seen.ip ?? null,
		seen.userAgent?.slice(0, 512) ?? null
	]);
	return { status: 'rotated', userId: row.user_id, sessionId: row.session_id, endsIn: Number(row.ends_in) };
}

export type SessionStatus =
	{ status: 'active' } | { status: 'inactive' } | { status: 'expired'; reason: ExpiryReason };

/**
 * Whether an access token's session still stands: not revoked, and within both lifetimes. A session
 * already ended for its age still reads as expired, so every request on it gets the same answer.
 */
export async function sessionStatus(
	tx: SqlExecutor,
	userId: string,
	sessionId: string,
	lifetime: SessionLifetime
): Promise<SessionStatus> {
	const [row] = await tx.query<{
		revoked_reason: string | null;
		revoked: boolean;
		expired: ExpiryReason | null;
	}>(
		`select s.revoked_reason, s.revoked_at is not null as revoked, ${expiryOf('$3', '$4')} as expired
		   from app.sessions s where s.id = $1 and s.user_id = $2`,
		[sessionId, userId, lifetime.idleDays, lifetime.maxDays]
	);
	if (!row) return { status: 'inactive' };
	if (row.revoked) {
		const ended = /^expired_(idle|absolute)$/.exec(row.revoked_reason ?? '')?.[1] as ExpiryReason | undefined;
		return ended ? { status: 'expired', reason: ended } : { status: 'inactive' };
	}
	return row.expired ? { status: 'expired', reason: row.expired } : { status: 'active' };
}

export async function revokeSession(
	tx: SqlExecutor,
	userId: string,
	sessionId: string,
	reason: string
): Promise<boolean> {
	const rows = await tx.query(
		`update app.sessions set revoked_at = now(), revoked_reason = $3
		  where id = $1 and user_id = $2 and revoked_at is null returning id`,
		[sessionId, userId, reason]
	);
	return rows.length > 0;
}

/** Revokes every session of the user, but `keep` (the caller's own) when given. */
export async function revokeSessions(
	tx: SqlExecutor,
	userId: string,
	reason: string,
	keep?: string
): Promise<number> {
	const rows = await tx.query(
		`update app.sessions set revoked_at = now(), revoked_reason = $2
		  where user_id = $1 and revoked_at is null and id is distinct from $3 returning id`,
		[userId, reason, keep ?? null]
	);
	return rows.length;
}

export type SessionView = {
	id: string;
	createdAt: Date;
	lastUsedAt: Date;
	ip: string | null;
	userAgent: string | null;
	method: string;
};

/** Runs as `authenticated`: RLS shows the caller's own sessions only. */
export async function listOwnSessions(tx: SqlExecutor): Promise<SessionView[]> {
	const rows = await tx.query<{
		id: string;
		created_at: Date;
		last_used_at: Date;
		ip: string | null;
		user_agent: string | null;
		method: string;
	}>(
		`select id, created_at, last_used_at, ip, user_agent, method from app.sessions
		  where user_id = auth.uid() and revoked_at is null order by last_used_at desc`
	);
	return rows.map((r) => ({
		id: r.id,
		createdAt: r.created_at,
		lastUsedAt: r.last_used_at,
		ip: r.ip,
		userAgent: r.user_agent,
		method: r.method
	}));
}

/** The session a refresh token (used or not) belongs to. */
export async function sessionOfRefreshToken(
	tx: SqlExecutor,
	hash: Uint8Array
): Promise<{ userId: string; sessionId: string } | undefined> {
	const [row] = await tx.query<{ session_id: string; user_id: string }>(
		`select t.session_id, s.user_id from app.refresh_tokens t join app.sessions s on s.id = t.session_id
		  where t.token_hash = $1`,
		[hash]
	);
	return row && { userId: row.user_id, sessionId: row.session_id };
}
