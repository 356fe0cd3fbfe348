// Queries over the account tables. They run as the auth service (`stowage_auth`) unless noted; the
// API decides who may call which. Binary columns are Uint8Array both ways.
import type { SqlExecutor } from './types';

export type Kdf = { salt: Uint8Array; opsLimit: number; memLimitBytes: number };

export type NewUser = {
	id: string;
	email: string;
	kdf: Kdf;
	authHash: string;
	x25519Public: Uint8Array;
	ed25519Public: Uint8Array;
	masterBundle: Uint8Array;
	recoveryBundle: Uint8Array;
	recoveryAuthHash: string;
};

export type KeyMaterial = {
	id: string;
	email: string;
	kdf: Kdf;
	x25519Public: Uint8Array;
	ed25519Public: Uint8Array;
	masterBundle: Uint8Array;
	totpEnabled: boolean;
};

/** Both drivers expose PostgreSQL's SQLSTATE as `code`. */
export function isUniqueViolation(error: unknown): boolean {
	return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

const bytes = (v: unknown) => new Uint8Array(v as Uint8Array);

export async function findKdf(tx: SqlExecutor, email: string): Promise<Kdf | undefined> {
	const [row] = await tx.query<{ kdf_salt: Uint8Array; kdf_ops: number; kdf_mem: string | number }>(
		'select kdf_salt, kdf_ops, kdf_mem from app.users where email = $1',
		[email]
	);
	return row && { salt: bytes(row.kdf_salt), opsLimit: row.kdf_ops, memLimitBytes: Number(row.kdf_mem) };
}

export async function insertUser(tx: SqlExecutor, u: NewUser): Promise<void> {
	await tx.query(
		`insert into app.users (id, email, kdf_salt, kdf_ops, kdf_mem, auth_hash, x25519_public, ed25519_public,
		                        master_bundle, recovery_bundle, recovery_auth_hash)
		 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		[
			u.id,
			u.email,
			u.kdf.salt,
			u.kdf.opsLimit,
			u.kdf.memLimitBytes,
			u.authHash,
			u.x25519Public,
			u.ed25519Public,
			u.masterBundle,
			u.recoveryBundle,
			u.recoveryAuthHash
		]
	);
}

export type Credentials = { id: string; authHash: string; recoveryAuthHash: string; totpEnabled: boolean };

export async function findCredentials(
	tx: SqlExecutor,
	by: { email: string } | { id: string }
): Promise<Credentials | undefined> {
	const [column, value] = 'email' in by ? ['email', by.email] : ['id', by.id];
	const [row] = await tx.query<{ id: string; auth_hash: string; recovery_auth_hash: string; totp: boolean }>(
		`select id, auth_hash, recovery_auth_hash, totp_enabled_at is not null as totp
		   from app.users where ${column} = $1`,
		[value]
	);
	return (
		row && {
			id: row.id,
			authHash: row.auth_hash,
			recoveryAuthHash: row.recovery_auth_hash,
			totpEnabled: row.totp
		}
	);
}

export async function keyMaterial(tx: SqlExecutor, userId: string): Promise<KeyMaterial | undefined> {
	const [row] = await tx.query<{
		id: string;
		email: string;
		kdf_salt: Uint8Array;
		kdf_ops: number;
		kdf_mem: string | number;
		x25519_public: Uint8Array;
		ed25519_public: Uint8Array;
		master_bundle: Uint8Array;
		totp: boolean;
	}>(
		`select id, email, kdf_salt, kdf_ops, kdf_mem, x25519_public, ed25519_public, master_bundle,
		        totp_enabled_at is not null as totp
		   from app.users where id = $1`,
		[userId]
	);
	return (
		row && {
			id: row.id,
			email: row.email,
			kdf: { salt: bytes(row.kdf_salt), opsLimit: row.kdf_ops, memLimitBytes: Number(row.kdf_mem) },
			x25519Public: bytes(row.x25519_public),
			ed25519Public: bytes(row.ed25519_public),
			masterBundle: bytes(row.master_bundle),
			totpEnabled: row.totp
		}
	);
}

export async function recoveryBundle(tx: SqlExecutor, userId: string): Promise<Uint8Array | undefined> {
	const [row] = await tx.query<{ recovery_bundle: Uint8Array }>(
		'select recovery_bundle from app.users where id = $1',
		[userId]
	);
	return row && bytes(row.recovery_bundle);
}

/** A new password: new salt/params, auth hash and master-key bundle. No data is re-encrypted. */
export async function updatePassword(
	tx: SqlExecutor,
	userId: string,
	p: { kdf: Kdf; authHash: string; masterBundle: Uint8Array }
): Promise<void> {
	await tx.query(
		`update app.users set kdf_salt = $2, kdf_ops = $3, kdf_mem = $4, auth_hash = $5, master_bundle = $6,
		        updated_at = now() where id = $1`,
		[userId, p.kdf.salt, p.kdf.opsLimit, p.kdf.memLimitBytes, p.authHash, p.masterBundle]
	);
}

export async function updateRecovery(
	tx: SqlExecutor,
	userId: string,
	r: { recoveryBundle: Uint8Array; recoveryAuthHash: string }
): Promise<void> {
	await tx.query(
		'update app.users set recovery_bundle = $2, recovery_auth_hash = $3, updated_at = now() where id = $1',
		[userId, r.recoveryBundle, r.recoveryAuthHash]
	);
}

// ── Sessions and refresh tokens ─────────────────────────────────────────────────────────────────

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

export type Rotation =
	| { status: 'rotated'; userId: string; sessionId: string }
	| { status: 'reused'; userId: string; sessionId: string }
	| { status: 'invalid' };

/** Swaps a refresh token for a new one. A token used before revokes its whole session (family). */
export async function rotateRefreshToken(
	tx: SqlExecutor,
	oldHash: Uint8Array,
	newHash: Uint8Array,
	seen: { ip: string | undefined; userAgent: string | undefined }
): Promise<Rotation> {
	const [row] = await tx.query<{ session_id: string; used: boolean; revoked: boolean; user_id: string }>(
		`select t.session_id, t.used_at is not null as used, s.revoked_at is not null as revoked, s.user_id
		   from app.refresh_tokens t join app.sessions s on s.id = t.session_id
		  where t.token_hash = $1
		    for update of t, s`,
		[oldHash]
	);
	if (!row || row.revoked) return { status: 'invalid' };
	if (row.used) {
		await revokeSession(tx, row.user_id, row.session_id, 'refresh_token_reuse');
		return { status: 'reused', userId: row.user_id, sessionId: row.session_id };
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
	return { status: 'rotated', userId: row.user_id, sessionId: row.session_id };
}

export async function isSessionActive(tx: SqlExecutor, userId: string, sessionId: string): Promise<boolean> {
	const [row] = await tx.query<{ ok: boolean }>(
		'select true as ok from app.sessions where id = $1 and user_id = $2 and revoked_at is null',
		[sessionId, userId]
	);
	return row?.ok === true;
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

// ── TOTP ─────────────────────────────────────────────────────────────────────────────────────────

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

// ── Passkeys ─────────────────────────────────────────────────────────────────────────────────────

export async function saveChallenge(
	tx: SqlExecutor,
	c: { userId: string | null; purpose: 'register' | 'authenticate'; challenge: string }
): Promise<string> {
	await tx.query(`delete from app.webauthn_challenges where expires_at < now()`);
	const [row] = await tx.query<{ id: string }>(
		`insert into app.webauthn_challenges (user_id, purpose, challenge, expires_at)
		 values ($1, $2, $3, now() + interval '5 minutes') returning id`,
		[c.userId, c.purpose, c.challenge]
	);
	return row!.id;
}

/** Takes a challenge once: it is deleted as it is read. */
export async function takeChallenge(
	tx: SqlExecutor,
	id: string,
	purpose: 'register' | 'authenticate',
	userId: string | null
): Promise<string | undefined> {
	const [row] = await tx.query<{ challenge: string }>(
		`delete from app.webauthn_challenges
		  where id = $1 and purpose = $2 and user_id is not distinct from $3 and expires_at > now()
		  returning challenge`,
		[id, purpose, userId]
	);
	return row?.challenge;
}

export type StoredPasskey = {
	id: string;
	userId: string;
	publicKey: Uint8Array;
	counter: number;
	transports: string[];
	prfBundle: Uint8Array | null;
};

export async function insertPasskey(
	tx: SqlExecutor,
	p: Omit<StoredPasskey, 'counter'> & { counter: number; name: string; deviceType: string; backedUp: boolean }
): Promise<void> {
	await tx.query(
		`insert into app.passkeys (id, user_id, name, public_key, counter, transports, device_type, backed_up, prf_bundle)
		 values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		[
			p.id,
			p.userId,
			p.name,
			p.publicKey,
			p.counter,
			`{${p.transports.join(',')}}`,
			p.deviceType,
			p.backedUp,
			p.prfBundle
		]
	);
}

export async function findPasskey(tx: SqlExecutor, id: string): Promise<StoredPasskey | undefined> {
	const [row] = await tx.query<{
		id: string;
		user_id: string;
		public_key: Uint8Array;
		counter: string | number;
		transports: string[];
		prf_bundle: Uint8Array | null;
	}>('select id, user_id, public_key, counter, transports, prf_bundle from app.passkeys where id = $1', [id]);
	return (
		row && {
			id: row.id,
			userId: row.user_id,
			publicKey: bytes(row.public_key),
			counter: Number(row.counter),
			transports: row.transports,
			prfBundle: row.prf_bundle ? bytes(row.prf_bundle) : null
		}
	);
}

export async function passkeyIds(tx: SqlExecutor, userId: string): Promise<string[]> {
	const rows = await tx.query<{ id: string }>('select id from app.passkeys where user_id = $1', [userId]);
	return rows.map((r) => r.id);
}

export async function touchPasskey(tx: SqlExecutor, id: string, counter: number): Promise<void> {
	await tx.query('update app.passkeys set counter = $2, last_used_at = now() where id = $1', [id, counter]);
}

export async function deletePasskey(tx: SqlExecutor, userId: string, id: string): Promise<boolean> {
	const rows = await tx.query('delete from app.passkeys where id = $1 and user_id = $2 returning id', [
		id,
		userId
	]);
	return rows.length > 0;
}

export type PasskeyView = {
	id: string;
	name: string;
	prf: boolean;
	deviceType: string;
	backedUp: boolean;
	createdAt: Date;
	lastUsedAt: Date | null;
};

/** Runs as `authenticated`: RLS shows the caller's own passkeys only. */
export async function listOwnPasskeys(tx: SqlExecutor): Promise<PasskeyView[]> {
	const rows = await tx.query<{
		id: string;
		name: string;
		prf: boolean;
		device_type: string;
		backed_up: boolean;
		created_at: Date;
		last_used_at: Date | null;
	}>(
		`select id, name, prf, device_type, backed_up, created_at, last_used_at from app.passkeys
		  where user_id = auth.uid() order by created_at`
	);
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		prf: r.prf,
		deviceType: r.device_type,
		backedUp: r.backed_up,
		createdAt: r.created_at,
		lastUsedAt: r.last_used_at
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
