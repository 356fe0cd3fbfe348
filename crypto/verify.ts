// Verification only (SPEC.md §7.5): public-key checks, Ed25519 verification, signed-object parsing; no secret key.
//
// The server and the CLI import this module and nothing else from crypto/ (eslint.config.js), so that they
// check signatures with the very function browsers use (sodium.ts ed25519Verify, libsodium's strict
// crypto_sign_verify_detached) and never with node:crypto, whose Ed25519 accepts a small-order forgery.
// Nothing exported here seals, opens, derives or signs; crypto/verify.test.ts pins the export list.
import { CryptoError } from './errors';
import { fingerprint } from './fingerprint';
import type { Ed25519PublicKey, PublicIdentity, X25519PublicKey } from './keys';
import { brandKey } from './keys';
import { ed25519IsValidPoint, ed25519Verify } from './sodium';

export { ready } from './sodium';
export { CryptoError, isCryptoError, type CryptoErrorCode } from './errors';
export type { Ed25519PublicKey, PublicIdentity, X25519PublicKey } from './keys';
export {
	parseWrapStatement,
	readWrapStatement,
	verifyWrapStatement,
	wrapHash,
	STATEMENT_VERSION,
	type WrapStatement
} from './statements';
export { fingerprint };

/**
 * The X25519 points of small order, in every encoding libsodium's has_small_order() refuses (0, 1, the two
 * points of order 8, p − 1, p, p + 1). A wrap sealed to one of them has an all-zero shared secret.
 */
const X25519_SMALL_ORDER = [
	'0000000000000000000000000000000000000000000000000000000000000000',
	'0100000000000000000000000000000000000000000000000000000000000000',
	'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
	'5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
	'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
	'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
	'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'
];

function hex(b: Uint8Array): string {
	return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Canonical: below p = 2^255 − 19 with the top bit clear (crypto_scalarmult_base never produces anything else). */
function isCanonicalX25519(b: Uint8Array): boolean {
	if ((b[31]! & 0x80) !== 0) return false;
	if (b[31] !== 0x7f || b[0]! < 0xed) return true;
	for (let i = 1; i < 31; i++) if (b[i] !== 0xff) return true;
	return false;
}

/**
 * A member's X25519 public key as it arrives from storage or the network: 32 bytes, canonical, not of small
 * order. One error for every fault (ERR_INVALID_INPUT), so the answer says nothing about which check failed.
 */
export function checkX25519PublicKey(bytes: Uint8Array): X25519PublicKey {
	if (
		!(bytes instanceof Uint8Array) ||
		bytes.length !== 32 ||
		!isCanonicalX25519(bytes) ||
		X25519_SMALL_ORDER.includes(hex(bytes))
	) {
		throw new CryptoError('ERR_INVALID_INPUT', 'public key');
	}
	return brandKey<X25519PublicKey>(bytes.slice());
}

/**
 * An Ed25519 public key before it is stored or trusted: 32 bytes that libsodium's
 * crypto_core_ed25519_is_valid_point accepts (canonical, on the curve, in the prime-order subgroup, not the
 * identity or any other small-order point). One error for every fault.
 */
export function checkEd25519PublicKey(bytes: Uint8Array): Ed25519PublicKey {
	if (!(bytes instanceof Uint8Array) || bytes.length !== 32 || !ed25519IsValidPoint(bytes)) {
		throw new CryptoError('ERR_INVALID_INPUT', 'public key');
	}
	return brandKey<Ed25519PublicKey>(bytes.slice());
}

/** Both halves of a public identity (what sign-up and invitations hand the server), checked as above. */
export function checkPublicIdentity(id: {
	boxPublicKey: Uint8Array;
	signPublicKey: Uint8Array;
}): PublicIdentity {
	return {
		boxPublicKey: checkX25519PublicKey(id.boxPublicKey),
		signPublicKey: checkEd25519PublicKey(id.signPublicKey)
	};
}

/**
 * Detached Ed25519 verification through libsodium's crypto_sign_verify_detached (rejects non-canonical S,
 * non-canonical or small-order R and A). Every failure, wrong lengths included, is the same
 * ERR_SIGNATURE_INVALID with the same message: a caller learns only "does not verify".
 */
export function verifySignature(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): void {
	if (
		!(signature instanceof Uint8Array) ||
		!(message instanceof Uint8Array) ||
		!(publicKey instanceof Uint8Array) ||
		!ed25519Verify(signature, message, publicKey)
	) {
		throw new CryptoError('ERR_SIGNATURE_INVALID');
	}
}
