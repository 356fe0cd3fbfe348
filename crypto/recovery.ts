// The recovery key: 32 random bytes shown once, in grouped Crockford base32 with a checksum (SPEC.md §11).
import { concat, expectBytes, utf8 } from './bytes';
import { CryptoError } from './errors';
import { randomBytes } from './internal/rng';
import type { RecoveryKey } from './keys';
import { brandKey } from './keys';
import { blake2b, equalConstantTime } from './sodium';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford: no I, L, O, U
export const RECOVERY_CHECKSUM_LABEL = 'stowage/recovery-key/v1';
const CHECKSUM_BYTES = 3;
const CHARS = 56; // (32 + 3) bytes × 8 / 5, no padding bits
const GROUP = 4;

/** SPEC.md §11.1. */
export function generateRecoveryKey(): RecoveryKey {
	return brandKey<RecoveryKey>(randomBytes(32));
}

function checksum(key: Uint8Array): Uint8Array {
	return blake2b(32, concat(utf8(RECOVERY_CHECKSUM_LABEL), key)).subarray(0, CHECKSUM_BYTES);
}

/** SPEC.md §11.2: key ‖ checksum, Crockford base32 (56 chars), 14 groups of 4 joined by '-'. */
export function encodeRecoveryKey(key: RecoveryKey): string {
	expectBytes(key, 32);
	const data = concat(key, checksum(key));
	let out = '';
	let acc = 0;
	let bits = 0;
	for (const byte of data) {
		acc = (acc << 8) | byte;
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out += ALPHABET[(acc >> bits) & 31]!;
		}
		acc &= (1 << bits) - 1;
	}
	const groups: string[] = [];
	for (let i = 0; i < out.length; i += GROUP) groups.push(out.slice(i, i + GROUP));
	return groups.join('-');
}

/**
 * SPEC.md §11.3: case-insensitive; spaces and '-' ignored; I/L → 1, O → 0. A wrong length, a foreign
 * character or a bad checksum is ERR_MALFORMED with a hint (a typo, not an attack).
 */
export function decodeRecoveryKey(text: string): RecoveryKey {
	if (typeof text !== 'string') throw new CryptoError('ERR_INVALID_INPUT', 'recovery key must be a string');
	// ASCII only, before upper-casing: 'ı'.toUpperCase() is 'I' and 'ſ'.toUpperCase() is 'S', and \s matches
	// U+00A0 and U+3000, so non-ASCII text would otherwise be accepted as a key (SPEC.md §11.3 step 1).
	if (!/^[\x20-\x7e\t\n\r]*$/.test(text)) {
		throw new CryptoError('ERR_MALFORMED', 'a recovery key uses only 0-9 and A-Z without U');
	}
	const cleaned = text
		.toUpperCase()
		.replace(/[ \t\n\r-]+/g, '')
		.replace(/[IL]/g, '1')
		.replace(/O/g, '0');
	if (cleaned.length !== CHARS) {
		throw new CryptoError('ERR_MALFORMED', 'a recovery key has 56 characters; check for missing ones');
	}
	const data = new Uint8Array(32 + CHECKSUM_BYTES);
	let acc = 0;
	let bits = 0;
	let o = 0;
	for (const ch of cleaned) {
		const v = ALPHABET.indexOf(ch);
		if (v < 0) throw new CryptoError('ERR_MALFORMED', 'a recovery key uses only 0-9 and A-Z without U');
		acc = (acc << 5) | v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			data[o++] = (acc >> bits) & 0xff;
		}
		acc &= (1 << bits) - 1;
	}
	const key = data.slice(0, 32);
	if (!equalConstantTime(checksum(key), data.subarray(32))) {
		throw new CryptoError('ERR_MALFORMED', 'recovery key checksum mismatch; check for typos');
	}
	return brandKey<RecoveryKey>(key);
}
