// TOTP (RFC 6238, via otpauth): secrets encrypted at rest with the server key (AES-256-GCM, bound to
// the user id), codes accepted at most once (the last accepted step is stored), backup codes HMAC'd.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

const PERIOD = 30;
const ISSUER = 'Stowage';

export function newTotpSecret(): string {
	return new Secret({ size: 20 }).base32;
}

export function otpauthUri(secretBase32: string, email: string): string {
	return totpFor(secretBase32, email).toString();
}

function totpFor(secretBase32: string, label = 'account') {
	return new TOTP({
		issuer: ISSUER,
		label,
		algorithm: 'SHA1',
		digits: 6,
		period: PERIOD,
		secret: Secret.fromBase32(secretBase32)
	});
}

/**
 * The time step a code belongs to (±1 step of clock drift), or null. The caller accepts it only if it
 * is later than the last step it accepted, which makes every code single-use.
 */
export function matchTotp(secretBase32: string, code: string, now = Date.now()): number | null {
	if (!/^\d{6}$/.test(code)) return null;
	const delta = totpFor(secretBase32).validate({ token: code, timestamp: now, window: 1 });
	return delta === null ? null : Math.floor(now / 1000 / PERIOD) + delta;
}

export function totpCode(secretBase32: string, now = Date.now()): string {
	return totpFor(secretBase32).generate({ timestamp: now });
}

export function encryptSecret(key: Uint8Array, userId: string, secretBase32: string): Uint8Array {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', key, iv);
	cipher.setAAD(Buffer.from(`stowage totp v1 ${userId}`));
	const body = Buffer.concat([cipher.update(secretBase32, 'utf8'), cipher.final()]);
	return new Uint8Array(Buffer.concat([iv, body, cipher.getAuthTag()]));
}

export function decryptSecret(key: Uint8Array, userId: string, sealed: Uint8Array): string {
	const buf = Buffer.from(sealed);
	const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
	decipher.setAAD(Buffer.from(`stowage totp v1 ${userId}`));
	decipher.setAuthTag(buf.subarray(buf.length - 16));
	return Buffer.concat([decipher.update(buf.subarray(12, buf.length - 16)), decipher.final()]).toString(
		'utf8'
	);
}

// Crockford's base32 alphabet (no i, l, o, u): 32 symbols, so `byte & 31` is unbiased.
const BACKUP_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Ten single-use codes like `k7m2-x9qa-4hte` (~60 bits each). */
export function newBackupCodes(count = 10): string[] {
	return Array.from({ length: count }, () => {
		const bytes = randomBytes(12);
		const chars = Array.from(bytes, (b) => BACKUP_ALPHABET[b & 31]).join('');
		return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
	});
}

export function normaliseBackupCode(code: string): string {
	const c = code
		.toLowerCase()
		.replace(/[^a-z0-9]/g, '')
		.replace(/[il]/g, '1')
		.replace(/o/g, '0');
	return `${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8, 12)}`;
}

export function hashBackupCode(key: Uint8Array, userId: string, code: string): Uint8Array {
	return new Uint8Array(
		createHmac('sha256', key)
			.update(`${userId}\0${normaliseBackupCode(code)}`)
			.digest()
	);
}
