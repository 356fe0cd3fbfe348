// User identity keys and the identity bundle sealed under master, recovery or PRF keys (SPEC.md §5).
import { pae } from './aad';
import { idBytes } from './aad';
import { concat, expectBytes, utf8 } from './bytes';
import { CryptoError } from './errors';
import { randomBytes } from './internal/rng';
import type {
	BundleKey,
	Ed25519PublicKey,
	Ed25519SecretKey,
	PublicIdentity,
	UserIdentity,
	X25519PublicKey,
	X25519SecretKey
} from './keys';
import { brandKey } from './keys';
import { aeadDecrypt, aeadEncrypt, ed25519SeedKeypair, x25519Base } from './sodium';

export const BUNDLE_VERSION = 0x01;
const PLAINTEXT_BYTES = 65; // 0x01 ‖ X25519 secret (32) ‖ Ed25519 seed (32)
export const SEALED_BUNDLE_BYTES = 2 + 24 + PLAINTEXT_BYTES + 16;
export const BUNDLE_LABEL = 'stowage/identity-bundle/v1';

/** How a bundle copy is unlocked; the byte is part of the sealed bundle's header. */
export const UNLOCK_METHODS = { master: 1, recovery: 2, prf: 3 } as const;
export type UnlockMethod = keyof typeof UNLOCK_METHODS;

/** SPEC.md §5.1: identity keys from two 32-byte seeds. */
function identityFromSeeds(boxSeed: Uint8Array, signSeed: Uint8Array): UserIdentity {
	const sign = ed25519SeedKeypair(signSeed);
	return {
		boxSecretKey: brandKey<X25519SecretKey>(boxSeed.slice()),
		boxPublicKey: brandKey<X25519PublicKey>(x25519Base(boxSeed)),
		signSecretKey: brandKey<Ed25519SecretKey>(sign.secretKey, 64),
		signPublicKey: brandKey<Ed25519PublicKey>(sign.publicKey)
	};
}

/** SPEC.md §5.1: a new identity (X25519 for receiving wraps, Ed25519 for signing). */
export function generateIdentity(): UserIdentity {
	return identityFromSeeds(randomBytes(32), randomBytes(32));
}

export function publicIdentity(id: PublicIdentity): PublicIdentity {
	return { boxPublicKey: id.boxPublicKey, signPublicKey: id.signPublicKey };
}

function bundleAad(userId: string, header: Uint8Array): Uint8Array {
	return pae([utf8(BUNDLE_LABEL), idBytes(userId), header]);
}

function checkMethod(method: string): asserts method is UnlockMethod {
	if (!Object.prototype.hasOwnProperty.call(UNLOCK_METHODS, method)) {
		throw new CryptoError('ERR_INVALID_INPUT', 'unknown unlock method');
	}
}

/** SPEC.md §5.2: seal the identity under a bundle key, bound to the user and the unlock method. */
export function sealIdentityBundle(
	identity: UserIdentity,
	key: BundleKey,
	opts: { userId: string; method: UnlockMethod }
): Uint8Array {
	expectBytes(key, 32);
	expectBytes(identity.boxSecretKey, 32);
	expectBytes(identity.signSecretKey, 64);
	checkMethod(opts.method);
	const header = new Uint8Array([BUNDLE_VERSION, UNLOCK_METHODS[opts.method]]);
	const plaintext = concat(
		new Uint8Array([BUNDLE_VERSION]),
		identity.boxSecretKey,
		identity.signSecretKey.subarray(0, 32)
	);
	const nonce = randomBytes(24);
	const ct = aeadEncrypt(plaintext, bundleAad(opts.userId, header), nonce, key);
	plaintext.fill(0);
	return concat(header, nonce, ct);
}

/** SPEC.md §5.3: open a sealed bundle. Any failure after the structural checks is ERR_DECRYPTION_FAILED. */
export function openIdentityBundle(
	sealed: Uint8Array,
	key: BundleKey,
	opts: { userId: string; method: UnlockMethod }
): UserIdentity {
	expectBytes(key, 32);
	checkMethod(opts.method);
	if (!(sealed instanceof Uint8Array) || sealed.length < 1) throw new CryptoError('ERR_MALFORMED', 'bundle');
	if (sealed[0] !== BUNDLE_VERSION) throw new CryptoError('ERR_UNSUPPORTED_VERSION', 'bundle');
	if (sealed.length !== SEALED_BUNDLE_BYTES) throw new CryptoError('ERR_MALFORMED', 'bundle length');
	const header = new Uint8Array([BUNDLE_VERSION, UNLOCK_METHODS[opts.method]]);
	const pt =
		sealed[1] === header[1]
			? aeadDecrypt(sealed.subarray(26), bundleAad(opts.userId, header), sealed.subarray(2, 26), key)
			: null;
	if (pt === null) throw new CryptoError('ERR_DECRYPTION_FAILED');
	if (pt.length !== PLAINTEXT_BYTES || pt[0] !== BUNDLE_VERSION)
		throw new CryptoError('ERR_MALFORMED', 'bundle');
	const id = identityFromSeeds(pt.subarray(1, 33), pt.subarray(33, 65));
	pt.fill(0);
	return id;
}
