// Shapes shared by the account endpoints. Binary values travel as unpadded base64url.
import { z } from '@hono/zod-openapi';

/** Characters of unpadded base64url for `n` bytes. */
const b64Length = (n: number) => Math.ceil((n * 4) / 3);

/** base64url of `min`–`max` bytes, decoded to bytes after validation. */
export const Bytes = (min: number, max = min) =>
	z
		.string()
		.regex(/^[A-Za-z0-9_-]*$/, 'must be unpadded base64url')
		.transform((s) => new Uint8Array(Buffer.from(s, 'base64url')))
		.refine((b) => b.length >= min && b.length <= max, {
			message: min === max ? `must encode exactly ${min} bytes` : `must encode ${min}–${max} bytes`
		})
		.openapi({
			type: 'string',
			format: 'base64url',
			minLength: b64Length(min),
			maxLength: b64Length(max)
		});

export const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/**
 * crypto/SPEC.md §4.1.1's email normalisation, the same function the browser applies before it binds the
 * Argon2id salt to the email: strip ASCII whitespace (U+0009–U+000D, U+0020) at both ends and map A–Z to
 * a–z, nothing else (no Unicode lower-casing: the Kelvin sign stays and is refused). Tested equal to the
 * core's `normaliseEmail` on its vectors.
 */
export const normaliseEmail = (email: string): string =>
	email.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, '').replace(/[A-Z]/g, (c) => c.toLowerCase());

export const Email = z
	.string()
	.transform(normaliseEmail)
	.pipe(
		z
			.email()
			.max(254)
			.regex(/^[\x21-\x7e]+$/)
	)
	.openapi({ format: 'email', maxLength: 254, example: 'seller@example.com' });

const MIB = 1024 * 1024;

/** Argon2id parameters: the same floor and ceiling the crypto core enforces (crypto/SPEC.md §4.1). */
export const Kdf = z.object({
	alg: z.literal('argon2id13'),
	salt: Bytes(16),
	opsLimit: z.number().int().min(3).max(12),
	memLimitBytes: z
		.number()
		.int()
		.min(64 * MIB)
		.max(256 * MIB)
		.refine((m) => m % 1024 === 0, 'must be a multiple of 1 KiB')
});

export const KdfOut = z
	.object({
		alg: z.literal('argon2id13'),
		salt: z.string(),
		opsLimit: z.number(),
		memLimitBytes: z.number()
	})
	.openapi('Kdf');

/** A key the browser derived (auth key, recovery auth key): always 32 bytes. */
export const DerivedKey = Bytes(32);

/** A bundle sealed in the browser (crypto/SPEC.md §5.2). */
export const SealedBundle = Bytes(32, 1024);

export const Uuid = z.uuid();

/** A tenant id (crypto/SPEC.md §16.6): 64 lowercase hex digits, the one spelling used everywhere. */
export const TenantId = z
	.string()
	.regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits')
	.openapi({ example: '0f'.repeat(32) });

export const Account = z
	.object({
		id: z.uuid(),
		email: z.string(),
		kdf: KdfOut,
		publicKeys: z.object({ x25519: z.string(), ed25519: z.string() }),
		masterBundle: z.string(),
		totpEnabled: z.boolean()
	})
	.openapi('Account');

export const SessionGrant = z
	.object({
		accessToken: z.string(),
		expiresIn: z.number().int(),
		idleLockMinutes: z.number().int(),
		account: Account
	})
	.openapi('SessionGrant');

export const SecondFactorRequired = z
	.object({
		secondFactor: z.literal('totp'),
		mfaToken: z.string()
	})
	.openapi('SecondFactorRequired');

/**
 * A fresh proof for a credential change, in the same request: the auth key derived from the password,
 * or the recovery auth key derived from the recovery key.
 */
export const Reauth = z
	.union([z.strictObject({ authKey: DerivedKey }), z.strictObject({ recoveryAuthKey: DerivedKey })])
	.openapi('Reauth', {
		description: 'The auth key derived from the current password, or the recovery auth key.'
	});

/** A TOTP code or a backup code. */
export const TotpCode = z.string().regex(/^\d{6}$/, 'must be 6 digits');
export const BackupCode = z.string().min(12).max(20);

/** What a credential change found added in the last 24 hours, and the token that removes it. */
export const Cleanup = z
	.object({
		recentlyAdded: z.object({
			passkeys: z.array(z.object({ id: z.string(), name: z.string(), createdAt: z.string() })),
			totpEnabledAt: z.string().nullable()
		}),
		cleanupToken: z.string().nullable()
	})
	.openapi('Cleanup');
