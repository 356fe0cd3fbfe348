// Queries over passkeys and WebAuthn challenges. They run as the auth service unless noted.
import { bytes } from './values';
import type { SqlExecutor } from './types';

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

/**
 * Stores a passkey; false when its credential id is already registered (to this user or another). The
 * transports travel as a JSON array, unpacked in SQL, so no value is ever parsed as array-literal text.
 */
export async function insertPasskey(
	tx: SqlExecutor,
	p: Omit<StoredPasskey, 'counter'> & { counter: number; name: string; deviceType: string; backedUp: boolean }
): Promise<boolean> {
	const rows = await tx.query(
		`insert into app.passkeys (id, user_id, name, public_key, counter, transports, device_type, backed_up, prf_bundle)
		 values ($1, $2, $3, $4, $5,
		         array(select t from jsonb_array_elements_text($6::text::jsonb) with ordinality as e(t, i) order by i),
		         $7, $8, $9)
		 on conflict (id) do nothing returning id`,
		[
			p.id,
			p.userId,
			p.name,
			p.publicKey,
			p.counter,
			JSON.stringify(p.transports),
			p.deviceType,
			p.backedUp,
			p.prfBundle
		]
	);
	return rows.length > 0;
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

/** Passkeys added in the last 24 hours (database time): what a thief with a session may have added. */
export async function passkeysAddedRecently(
	tx: SqlExecutor,
	userId: string
): Promise<{ id: string; name: string; createdAt: Date }[]> {
	const rows = await tx.query<{ id: string; name: string; created_at: Date }>(
		`select id, name, created_at from app.passkeys
		  where user_id = $1 and created_at > now() - interval '24 hours' order by created_at`,
		[userId]
	);
	return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
}

/** Deletes the given passkeys of a user, but only those added in the last 24 hours; returns their names. */
export async function deleteRecentPasskeys(
	tx: SqlExecutor,
	userId: string,
	ids: string[]
): Promise<string[]> {
	if (ids.length === 0) return [];
	const rows = await tx.query<{ name: string }>(
		`delete from app.passkeys
		  where user_id = $1 and id in (select jsonb_array_elements_text($2::text::jsonb))
		    and created_at > now() - interval '24 hours'
		  returning name`,
		[userId, JSON.stringify(ids)]
	);
	return rows.map((r) => r.name);
}
