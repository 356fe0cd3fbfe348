// The server's own secrets (never a user's key): one root secret, and purpose keys derived from it
// with HKDF-SHA256 so that no key serves two purposes.
import { hkdfSync, randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export type ServerKeys = {
	/** HS256 key for access and step-up tokens. */
	jwt: Uint8Array;
	/** AES-256-GCM key for TOTP secrets at rest. */
	totp: Uint8Array;
	/** HMAC key for TOTP backup codes at rest. */
	backupCodes: Uint8Array;
	/** HMAC key for the fake salts prelogin returns for unknown emails. */
	prelogin: Uint8Array;
	/** HMAC key for the account identifiers (emails, user ids) in rate-limit keys, so Redis holds no email. */
	rateLimit: Uint8Array;
};

const PURPOSES = ['jwt', 'totp', 'backupCodes', 'prelogin', 'rateLimit'] as const;

export function deriveServerKeys(root: Uint8Array): ServerKeys {
	if (root.length < 32) throw new Error('The server secret must be at least 32 bytes');
	const derive = (purpose: string) =>
		new Uint8Array(hkdfSync('sha256', root, new Uint8Array(0), `stowage server key v1: ${purpose}`, 32));
	return Object.fromEntries(PURPOSES.map((p) => [p, derive(p)])) as ServerKeys;
}

/**
 * The root secret from STOWAGE_SECRET; on the embedded database, one generated on first start and kept
 * beside the data (mode 0600). A shared PostgreSQL needs it set explicitly, or every restart or second
 * instance would sign tokens the others reject.
 */
export async function loadServerSecret(options: {
	secret: string | undefined;
	databaseUrl: string | undefined;
	dataDir: string;
}): Promise<Uint8Array> {
	if (options.secret) return new Uint8Array(Buffer.from(options.secret, 'base64url'));
	if (options.databaseUrl) {
		throw new Error(
			'Set STOWAGE_SECRET (32 random bytes, base64url: `openssl rand -base64 32 | tr "+/" "-_" | tr -d =`) ' +
				'when using DATABASE_URL'
		);
	}
	const path = join(options.dataDir, 'server-secret');
	try {
		return new Uint8Array(Buffer.from((await readFile(path, 'utf8')).trim(), 'base64url'));
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		const secret = randomBytes(32);
		await writeFile(path, secret.toString('base64url'), { mode: 0o600, flag: 'wx' });
		await chmod(path, 0o600);
		return new Uint8Array(secret);
	}
}
