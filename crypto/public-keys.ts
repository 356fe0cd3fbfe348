// Public-key checks for keys that arrive from outside: canonical, valid, not of small order (SPEC.md §7.5).
// No secret key here; crypto/verify.ts re-exports these for the server, crypto/chain.ts uses them on links.
import { CryptoError } from './errors';
import type { Ed25519PublicKey, PublicIdentity, X25519PublicKey } from './keys';
import { brandKey } from './keys';
import { ed25519IsValidPoint } from './sodium';

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
