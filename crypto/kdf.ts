// Password → root key (Argon2id) and the KDF subkeys of the key hierarchy (SPEC.md §4.1–§4.3).
import { pae } from './aad';
import { utf8 } from './bytes';
import { CryptoError } from './errors';
import type { AuthKey, BundleKey, MasterKey, PrfKey, RecoveryKey, RootKey } from './keys';
import { brandKey } from './keys';
import { randomBytes } from './internal/rng';
import { argon2id, blake2b, kdfDerive } from './sodium';
import { expectBytes } from './bytes';

/** crypto_kdf contexts (8 bytes each). Distinct contexts are the domain separation of the hierarchy. */
export const KDF_CONTEXTS = {
	auth: 'stw-auth',
	master: 'stw-mstr',
	bundleFromMaster: 'stw-bndm',
	bundleFromRecovery: 'stw-bndr',
	recoveryAuth: 'stw-rcau',
	bundleFromPrf: 'stw-bndp',
	prf: 'stw-prf_',
	record: 'stw-recd',
	blindIndex: 'stw-bidx',
	/** SPEC.md §7.6.1: the key of a domain key's commitment. */
	keyCommit: 'stw-cmmt'
} as const;

export const SALT_BYTES = 16;
const MIB = 1024 * 1024;

/** Argon2id parameters as stored per user (SPEC.md §4.1). */
export interface KdfParams {
	readonly alg: 'argon2id13';
	readonly opsLimit: number;
	readonly memLimitBytes: number;
}

/**
 * The floor (t=3, m=64 MiB, p=1; SPEC.md §4.1 step 5, raised from OWASP's t=2/m=19 MiB on 2026-12-01).
 * Below it a client refuses: no server downgrade.
 */
export const KDF_FLOOR = { opsLimit: 3, memLimitBytes: 64 * MIB } as const;
/** The ceiling: above it a client refuses, so a server cannot make it allocate or spin without bound. */
export const KDF_CEILING = { opsLimit: 12, memLimitBytes: 256 * MIB } as const;
/** Defaults for new accounts (t=3, m=96 MiB): ~0.4 s in headless Chromium on the project machines (BENCHMARKS.md). */
export const KDF_DEFAULTS: KdfParams = { alg: 'argon2id13', opsLimit: 3, memLimitBytes: 96 * MIB };
/** The floor as a complete parameter set (tests: the cheapest derivation a client accepts). */
export const KDF_MINIMUM: KdfParams = { alg: 'argon2id13', ...KDF_FLOOR };
/** OWASP's minimum (t=2, m=19 MiB): below the floor since 2026-12-01, refused; kept for benchmarks and old vectors. */
export const KDF_OWASP_MINIMUM: KdfParams = { alg: 'argon2id13', opsLimit: 2, memLimitBytes: 19 * MIB };

/** SPEC.md §4.1: validate stored parameters before use. */
export function checkKdfParams(params: KdfParams): void {
	if (params === null || typeof params !== 'object' || params.alg !== 'argon2id13') {
		throw new CryptoError('ERR_UNSUPPORTED_VERSION', 'KDF algorithm');
	}
	const { opsLimit, memLimitBytes } = params;
	if (!Number.isSafeInteger(opsLimit) || !Number.isSafeInteger(memLimitBytes) || memLimitBytes % 1024 !== 0) {
		throw new CryptoError('ERR_INVALID_INPUT', 'KDF parameters must be integers, memory a multiple of 1 KiB');
	}
	if (opsLimit < KDF_FLOOR.opsLimit || memLimitBytes < KDF_FLOOR.memLimitBytes) {
		throw new CryptoError('ERR_WEAK_PARAMETERS', 'below the floor (t=3, m=64 MiB)');
	}
	if (opsLimit > KDF_CEILING.opsLimit || memLimitBytes > KDF_CEILING.memLimitBytes) {
		throw new CryptoError('ERR_WEAK_PARAMETERS', 'above the accepted ceiling (t=12, m=256 MiB)');
	}
}

/** SPEC.md §4.1.1: the label of the email-bound Argon2id salt. */
export const SALT_LABEL = 'stowage/salt/v1';

/**
 * SPEC.md §4.1.1: the normalised email. Strip leading and trailing ASCII whitespace (U+0009–U+000D,
 * U+0020), map A–Z to a–z and nothing else; the result MUST be 1–254 characters, each printable ASCII
 * (U+0021–U+007E). The server's `Email` schema applies the same function before validating the address.
 */
export function normaliseEmail(email: string): string {
	if (typeof email !== 'string') throw new CryptoError('ERR_INVALID_INPUT', 'email must be a string');
	const out = email.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, '').replace(/[A-Z]/g, (c) => c.toLowerCase());
	if (!/^[\x21-\x7e]{1,254}$/.test(out)) {
		throw new CryptoError('ERR_INVALID_INPUT', 'email must be 1-254 printable ASCII characters');
	}
	return out;
}

/**
 * SPEC.md §4.1.1: the Argon2id salt = BLAKE2b-128(PAE("stowage/salt/v1", normalised email, server salt)).
 * The server salt is prelogin's (16 bytes); binding the email means one server-chosen salt cannot make a
 * single guess test many accounts.
 */
export function argon2Salt(email: string, serverSalt: Uint8Array): Uint8Array {
	const normalised = normaliseEmail(email);
	expectBytes(serverSalt, SALT_BYTES);
	return blake2b(SALT_BYTES, pae([utf8(SALT_LABEL), utf8(normalised), serverSalt]));
}

/** A fresh per-user salt (16 bytes). */
export function generateSalt(): Uint8Array {
	return randomBytes(SALT_BYTES);
}

/**
 * The edge conversion of a password (SPEC.md §4.1): Unicode NFC, then UTF-8. Not trimmed: spaces count.
 */
export function passwordBytes(password: string): Uint8Array {
	if (typeof password !== 'string' || password.length === 0) {
		throw new CryptoError('ERR_INVALID_INPUT', 'password must be a non-empty string');
	}
	return utf8(password.normalize('NFC'));
}

/** SPEC.md §4.1: root = Argon2id(password, salt, opsLimit, memLimit), 32 bytes. */
export function deriveRootKey(password: Uint8Array, salt: Uint8Array, params: KdfParams): RootKey {
	if (!(password instanceof Uint8Array) || password.length === 0 || password.length > 4096) {
		throw new CryptoError('ERR_INVALID_INPUT', 'password must be 1-4096 bytes');
	}
	expectBytes(salt, SALT_BYTES);
	checkKdfParams(params);
	return brandKey<RootKey>(argon2id(32, password, salt, params.opsLimit, params.memLimitBytes));
}

/** SPEC.md §4.2: the two subkeys of the root. */
export function deriveAccountKeys(root: RootKey): { authKey: AuthKey; masterKey: MasterKey } {
	expectBytes(root, 32);
	return {
		authKey: brandKey<AuthKey>(kdfDerive(32, 1, KDF_CONTEXTS.auth, root)),
		masterKey: brandKey<MasterKey>(kdfDerive(32, 1, KDF_CONTEXTS.master, root))
	};
}

/**
 * SPEC.md §4.2, §11: the recovery key → the key that proves it to the server (`recoveryAuthKey`) and the
 * key that seals the recovery copy of the identity bundle. Distinct contexts: one reveals nothing of the other.
 */
export function deriveRecoveryKeys(recoveryKey: RecoveryKey): {
	recoveryAuthKey: AuthKey;
	bundleKey: BundleKey;
} {
	expectBytes(recoveryKey, 32);
	return {
		recoveryAuthKey: brandKey<AuthKey>(kdfDerive(32, 1, KDF_CONTEXTS.recoveryAuth, recoveryKey)),
		bundleKey: bundleKeyFrom('recovery', recoveryKey)
	};
}

/** SPEC.md §4.3: a passkey's PRF output (32 bytes) → PrfKey. */
export function derivePrfKey(prfOutput: Uint8Array): PrfKey {
	expectBytes(prfOutput, 32);
	return brandKey<PrfKey>(kdfDerive(32, 1, KDF_CONTEXTS.prf, prfOutput));
}

/** SPEC.md §4.2: the key-encryption key that seals the identity bundle, one context per unlock method. */
export function bundleKeyFrom(kind: 'master', key: MasterKey): BundleKey;
export function bundleKeyFrom(kind: 'recovery', key: RecoveryKey): BundleKey;
export function bundleKeyFrom(kind: 'prf', key: PrfKey): BundleKey;
export function bundleKeyFrom(kind: 'master' | 'recovery' | 'prf', key: Uint8Array): BundleKey {
	expectBytes(key, 32);
	const ctx =
		kind === 'master'
			? KDF_CONTEXTS.bundleFromMaster
			: kind === 'recovery'
				? KDF_CONTEXTS.bundleFromRecovery
				: KDF_CONTEXTS.bundleFromPrf;
	return brandKey<BundleKey>(kdfDerive(32, 1, ctx, key));
}
