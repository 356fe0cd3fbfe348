// Queries over app.users: sign-up, credentials, key material, password and recovery-key changes.
// They run as the auth service (`stowage_auth`); the API decides who may call which.
import { bytes } from './values';
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

export async function userExists(tx: SqlExecutor, id: string): Promise<boolean> {
	const rows = await tx.query('select 1 from app.users where id = $1', [id]);
	return rows.length > 0;
}

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
