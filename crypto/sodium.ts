// The only door to libsodium (SPEC.md §2.2): a start-up check and thin typed wrappers that check exact lengths
// before any libsodium call (SPEC.md §2.3). The conformance suite calls these same wrappers.
import sodium from 'libsodium-wrappers-sumo';
import { expectBytes } from './bytes';
import { CryptoError } from './errors';

/** Every libsodium function the core (and the conformance suite) calls. Checked by ready(). */
const REQUIRED_FUNCTIONS = [
	'crypto_pwhash',
	'crypto_kdf_derive_from_key',
	'crypto_generichash',
	'crypto_aead_xchacha20poly1305_ietf_encrypt',
	'crypto_aead_xchacha20poly1305_ietf_decrypt',
	'crypto_box_seal',
	'crypto_box_seal_open',
	'crypto_scalarmult',
	'crypto_scalarmult_base',
	'crypto_sign_seed_keypair',
	'crypto_sign_detached',
	'crypto_sign_verify_detached',
	'crypto_core_ed25519_is_valid_point',
	'crypto_auth_hmacsha256_init',
	'crypto_auth_hmacsha256_update',
	'crypto_auth_hmacsha256_final',
	'memcmp',
	'memzero'
] as const;

/** Constants the formats depend on; a build that disagrees is refused. */
const REQUIRED_CONSTANTS: Record<string, number> = {
	crypto_aead_xchacha20poly1305_ietf_KEYBYTES: 32,
	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES: 24,
	crypto_aead_xchacha20poly1305_ietf_ABYTES: 16,
	crypto_box_PUBLICKEYBYTES: 32,
	crypto_box_SECRETKEYBYTES: 32,
	crypto_box_SEALBYTES: 48,
	crypto_sign_PUBLICKEYBYTES: 32,
	crypto_sign_SECRETKEYBYTES: 64,
	crypto_sign_BYTES: 64,
	crypto_sign_SEEDBYTES: 32,
	crypto_kdf_KEYBYTES: 32,
	crypto_kdf_CONTEXTBYTES: 8,
	crypto_pwhash_SALTBYTES: 16,
	crypto_pwhash_ALG_ARGON2ID13: 2,
	crypto_scalarmult_BYTES: 32
};

let isReady = false;
let readying: Promise<void> | null = null;

/**
 * Await libsodium and check that every function and constant the core needs exists. Call once at start-up
 * (page, worker or test); every other function throws ERR_NOT_READY until it has resolved.
 */
export function ready(): Promise<void> {
	readying ??= (async () => {
		await sodium.ready;
		const table = sodium as unknown as Record<string, unknown>;
		for (const name of REQUIRED_FUNCTIONS) {
			if (typeof table[name] !== 'function') throw new CryptoError('ERR_UNAVAILABLE', name);
		}
		for (const [name, value] of Object.entries(REQUIRED_CONSTANTS)) {
			if (table[name] !== value) throw new CryptoError('ERR_UNAVAILABLE', name);
		}
		isReady = true;
	})();
	return readying;
}

function s(): typeof sodium {
	if (!isReady) throw new CryptoError('ERR_NOT_READY');
	return sodium;
}

/** libsodium's version string, for benchmark and bug reports. */
export function sodiumVersion(): string {
	return s().SODIUM_VERSION_STRING;
}

// ---- Argon2id --------------------------------------------------------------------------------------------

export function argon2id(
	outLen: number,
	password: Uint8Array,
	salt: Uint8Array,
	opsLimit: number,
	memLimitBytes: number
): Uint8Array {
	const l = s();
	expectBytes(salt, 16);
	try {
		return l.crypto_pwhash(outLen, password, salt, opsLimit, memLimitBytes, l.crypto_pwhash_ALG_ARGON2ID13);
	} catch {
		// libsodium fails here only when it cannot allocate memLimitBytes; its message is not passed on.
		throw new CryptoError('ERR_INVALID_INPUT', 'Argon2id could not allocate its memory');
	}
}

// ---- KDF and hashing -------------------------------------------------------------------------------------

/** crypto_kdf_derive_from_key (BLAKE2b with salt = subkey id, personal = 8-byte context). */
export function kdfDerive(outLen: number, subkeyId: number, context: string, key: Uint8Array): Uint8Array {
	expectBytes(key, 32);
	if (!/^[\x21-\x7e]{8}$/.test(context)) throw new CryptoError('ERR_INVALID_INPUT', 'KDF context');
	return s().crypto_kdf_derive_from_key(outLen, subkeyId, context, key);
}

/** BLAKE2b (crypto_generichash), keyed when key is given. */
export function blake2b(outLen: number, message: Uint8Array, key: Uint8Array | null = null): Uint8Array {
	if (key !== null && (key.length < 16 || key.length > 64))
		throw new CryptoError('ERR_INVALID_INPUT', 'BLAKE2b key');
	return s().crypto_generichash(outLen, message, key);
}

// ---- AEAD: XChaCha20-Poly1305-IETF ----------------------------------------------------------------------

export function aeadEncrypt(
	plaintext: Uint8Array,
	aad: Uint8Array,
	nonce: Uint8Array,
	key: Uint8Array
): Uint8Array {
	const l = s();
	expectBytes(key, 32);
	expectBytes(nonce, 24);
	return l.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, aad, null, nonce, key);
}

/** Returns null when the tag does not verify (never throws for that: callers choose the error). */
export function aeadDecrypt(
	ciphertext: Uint8Array,
	aad: Uint8Array,
	nonce: Uint8Array,
	key: Uint8Array
): Uint8Array | null {
	const l = s();
	expectBytes(key, 32);
	expectBytes(nonce, 24);
	if (ciphertext.length < 16) return null;
	try {
		return l.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, aad, nonce, key);
	} catch {
		return null;
	}
}

// ---- X25519, sealed boxes --------------------------------------------------------------------------------

export function x25519Base(secretKey: Uint8Array): Uint8Array {
	expectBytes(secretKey, 32);
	return s().crypto_scalarmult_base(secretKey);
}

/**
 * Raw X25519. Returns null where libsodium refuses: it rejects a result of all zeros (a low-order public
 * key), which RFC 7748 §6.1 allows implementations to do.
 */
export function x25519(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array | null {
	const l = s();
	expectBytes(secretKey, 32);
	expectBytes(publicKey, 32);
	try {
		return l.crypto_scalarmult(secretKey, publicKey);
	} catch {
		return null;
	}
}

/** crypto_box_seal. A low-order recipient key (all-zero shared secret) is refused by libsodium: ERR_INVALID_INPUT. */
export function boxSeal(message: Uint8Array, publicKey: Uint8Array): Uint8Array {
	const l = s();
	expectBytes(publicKey, 32);
	try {
		return l.crypto_box_seal(message, publicKey);
	} catch {
		throw new CryptoError('ERR_INVALID_INPUT', 'recipient public key is not usable (low order)');
	}
}

/** Returns null when the sealed box does not open. */
export function boxSealOpen(
	sealed: Uint8Array,
	publicKey: Uint8Array,
	secretKey: Uint8Array
): Uint8Array | null {
	const l = s();
	expectBytes(publicKey, 32);
	expectBytes(secretKey, 32);
	if (sealed.length < 48) return null;
	try {
		return l.crypto_box_seal_open(sealed, publicKey, secretKey);
	} catch {
		return null;
	}
}

// ---- Ed25519 ---------------------------------------------------------------------------------------------

export function ed25519SeedKeypair(seed: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array } {
	expectBytes(seed, 32);
	const kp = s().crypto_sign_seed_keypair(seed);
	return { publicKey: kp.publicKey, secretKey: kp.privateKey };
}

export function ed25519Sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
	expectBytes(secretKey, 64);
	return s().crypto_sign_detached(message, secretKey);
}

/** libsodium's strict verify: canonical S, canonical and non-small-order R and A. False on any failure. */
export function ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
	const l = s();
	if (signature.length !== 64 || publicKey.length !== 32) return false;
	try {
		return l.crypto_sign_verify_detached(signature, message, publicKey);
	} catch {
		return false;
	}
}

/**
 * libsodium's point check for a public key before it is stored or trusted: a canonical encoding of a point
 * on the curve, in the prime-order subgroup, not of small order (so never the identity). False otherwise.
 */
export function ed25519IsValidPoint(publicKey: Uint8Array): boolean {
	const l = s();
	if (publicKey.length !== 32) return false;
	try {
		return l.crypto_core_ed25519_is_valid_point(publicKey);
	} catch {
		return false;
	}
}

// ---- HMAC-SHA256 (webhooks; any key length via the streaming API) ----------------------------------------

export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
	const l = s();
	const state = l.crypto_auth_hmacsha256_init(key);
	l.crypto_auth_hmacsha256_update(state, message);
	return l.crypto_auth_hmacsha256_final(state);
}

// ---- Constant time ---------------------------------------------------------------------------------------

/** Constant-time equality for equal-length inputs; false (not an exception) when the lengths differ. */
export function equalConstantTime(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	if (a.length === 0) return true;
	return s().memcmp(a, b);
}

const wipeHooks: Array<(b: Uint8Array) => void> = [];

/**
 * Run `hook` on every buffer passed to wipe(), before it is zeroed: a module that cached something derived
 * from a key (envelope.ts: the record key of a domain key) wipes and drops it with the key.
 */
export function onWipe(hook: (b: Uint8Array) => void): void {
	wipeHooks.push(hook);
}

/** Best-effort wipe of a buffer the caller no longer needs (and of what the core derived from it and kept). */
export function wipe(b: Uint8Array): void {
	const l = s();
	for (const hook of wipeHooks) hook(b);
	l.memzero(b);
}
