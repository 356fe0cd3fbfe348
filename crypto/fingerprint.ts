// Key fingerprints: 32 bytes for statements, 30 digits for people to compare (SPEC.md §8).
import { pae } from './aad';
import { expectBytes, utf8 } from './bytes';
import { CryptoError } from './errors';
import type { PublicIdentity } from './keys';
import { blake2b } from './sodium';

export const FINGERPRINT_LABEL = 'stowage/fingerprint/v1';

/** SPEC.md §8.1: BLAKE2b-256(PAE("stowage/fingerprint/v1", X25519 public key, Ed25519 public key)). */
export function fingerprint(keys: PublicIdentity): Uint8Array {
	expectBytes(keys.boxPublicKey, 32);
	expectBytes(keys.signPublicKey, 32);
	return blake2b(32, pae([utf8(FINGERPRINT_LABEL), keys.boxPublicKey, keys.signPublicKey]));
}

/**
 * SPEC.md §8.2 (safety-number style): the first 30 bytes as six 5-byte big-endian integers, each reduced mod
 * 100000 and written as 5 digits; groups joined by one space. ~99.7 bits.
 */
export function formatFingerprint(fp: Uint8Array): string {
	expectBytes(fp, 32);
	const groups: string[] = [];
	for (let i = 0; i < 30; i += 5) {
		let n = 0;
		for (let j = 0; j < 5; j++) n = n * 256 + fp[i + j]!;
		groups.push(String(n % 100000).padStart(5, '0'));
	}
	return groups.join(' ');
}

/** Human form of a user's public keys. */
export function displayFingerprint(keys: PublicIdentity): string {
	return formatFingerprint(fingerprint(keys));
}

/**
 * SPEC.md §8.2: compare two human forms, ignoring ASCII whitespace (what a person typed or read aloud). Both
 * sides must then be exactly 30 ASCII digits: two empty or truncated strings are no match, since a caller
 * that compared nothing must not be told the keys agree.
 */
export function sameDisplayFingerprint(a: string, b: string): boolean {
	const n = (s: string): string => {
		if (typeof s !== 'string') throw new CryptoError('ERR_INVALID_INPUT', 'fingerprint');
		return s.replace(/[ \t\n\r]+/g, '');
	};
	const x = n(a);
	const y = n(b);
	return DIGITS_30.test(x) && DIGITS_30.test(y) && x === y;
}

const DIGITS_30 = /^[0-9]{30}$/;
