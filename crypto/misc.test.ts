// Recovery-key encoding, fingerprints, invitation MAC, blind indexes, record encoding, PAE, errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pae, parsePae } from './aad';
import { blindIndex, deriveBlindIndexKey, normalise } from './blind-index';
import { fromBase64url, toBase64url, toHex } from './bytes';
import { CryptoError } from './errors';
import { displayFingerprint, fingerprint, formatFingerprint, sameDisplayFingerprint } from './fingerprint';
import { generateIdentity, publicIdentity } from './identity';
import * as index from './index';
import { generateInviteSecret, inviteMac, verifyInviteMac } from './invite';
import { decodeFields, encodeFields, pad, unpad, bucketSize } from './record';
import { decodeRecoveryKey, encodeRecoveryKey, generateRecoveryKey } from './recovery';
import { ready } from './sodium';
import { generateDomainKey } from './wrap';
import { errorCode as code } from './internal/error-code';

await ready();

describe('recovery key', () => {
	it('encodes as 14 groups of 4 Crockford characters and round-trips', () => {
		fc.assert(
			fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (k) => {
				const text = encodeRecoveryKey(k as never);
				expect(text).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){13}[0-9A-HJKMNP-TV-Z]{4}$/);
				expect(toHex(decodeRecoveryKey(text))).toBe(toHex(k));
				// Lower case, spaces instead of dashes, I/L/O confusions all decode.
				const sloppy = text.toLowerCase().replace(/-/g, ' ').replace(/1/g, 'l').replace(/0/g, 'o');
				expect(toHex(decodeRecoveryKey(sloppy))).toBe(toHex(k));
			}),
			{ numRuns: 200 }
		);
	});

	it('catches a single-character typo with ERR_MALFORMED and a hint', () => {
		const text = encodeRecoveryKey(generateRecoveryKey());
		let caught = 0;
		for (let i = 0; i < text.length; i++) {
			if (text[i] === '-') continue;
			const typo = text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);
			try {
				decodeRecoveryKey(typo);
			} catch (e) {
				expect((e as CryptoError).code).toBe('ERR_MALFORMED');
				expect((e as Error).message).not.toContain(typo.slice(0, 8));
				caught++;
			}
		}
		expect(caught).toBe(56);
		expect(code(() => decodeRecoveryKey(text.slice(0, -1)))).toBe('ERR_MALFORMED');
		expect(code(() => decodeRecoveryKey(text.replace(/.$/, 'U')))).toBe('ERR_MALFORMED');
	});
});

describe('fingerprints', () => {
	it('are 30 digits in 6 groups, stable and key-dependent', () => {
		const id = generateIdentity();
		const s = displayFingerprint(id);
		expect(s).toMatch(/^(\d{5} ){5}\d{5}$/);
		expect(displayFingerprint(publicIdentity(id))).toBe(s);
		expect(displayFingerprint(generateIdentity())).not.toBe(s);
		expect(sameDisplayFingerprint(s, s.replace(/ /g, ''))).toBe(true);
		expect(formatFingerprint(new Uint8Array(32))).toBe('00000 00000 00000 00000 00000 00000');
		expect(fingerprint(id).length).toBe(32);
	});
});

describe('invitation MAC', () => {
	it('verifies the invitee keys and rejects substituted keys or contexts', () => {
		const secret = generateInviteSecret();
		const invitee = publicIdentity(generateIdentity());
		const ctx = { tenantId: 't', inviteId: 'i' };
		const mac = inviteMac(secret, ctx, invitee);
		expect(code(() => verifyInviteMac(mac, secret, ctx, invitee))).toBe('OK');
		const swapped = { ...invitee, boxPublicKey: generateIdentity().boxPublicKey };
		expect(code(() => verifyInviteMac(mac, secret, ctx, swapped))).toBe('ERR_MAC_INVALID');
		expect(code(() => verifyInviteMac(mac, secret, { ...ctx, inviteId: 'j' }, invitee))).toBe(
			'ERR_MAC_INVALID'
		);
		expect(code(() => verifyInviteMac(mac, generateInviteSecret(), ctx, invitee))).toBe('ERR_MAC_INVALID');
		expect(code(() => verifyInviteMac(mac.subarray(0, 31), secret, ctx, invitee))).toBe('ERR_MAC_INVALID');
	});
});

describe('blind indexes', () => {
	const key = deriveBlindIndexKey(generateDomainKey());
	const where = { table: 'products', column: 'sku_bidx' };

	it('normalise: NFC, trim, case-fold for SKU and ASIN', () => {
		expect(normalise('sku', '  AbC-1 \n')).toBe('abc-1');
		expect(normalise('asin', 'b0c1234567')).toBe(normalise('asin', 'B0C1234567'));
		expect(normalise('exact', ' Caf\u0065\u0301 ')).toBe('Caf\u00e9');
		expect(code(() => normalise('sku', '   '))).toBe('ERR_INVALID_INPUT');
	});

	it('property: normalisation is idempotent, and equal normal forms give equal indexes', () => {
		fc.assert(
			fc.property(
				fc.constantFrom('exact' as const, 'sku' as const, 'asin' as const),
				fc.string(),
				(kind, s) => {
					let n: string;
					try {
						n = normalise(kind, s);
					} catch (e) {
						expect((e as CryptoError).code).toBe('ERR_INVALID_INPUT');
						return;
					}
					expect(normalise(kind, n)).toBe(n);
					expect(toHex(blindIndex(key, where, kind, n))).toBe(toHex(blindIndex(key, where, kind, s)));
				}
			),
			{ numRuns: 300 }
		);
	});

	it('equal after normalisation ⇒ equal index; 16 bytes; separated by column and key', () => {
		const a = blindIndex(key, where, 'sku', ' abc-1');
		expect(a.length).toBe(16);
		expect(toHex(blindIndex(key, where, 'sku', 'ABC-1'))).toBe(toHex(a));
		expect(toHex(blindIndex(key, { ...where, column: 'asin_bidx' }, 'sku', 'ABC-1'))).not.toBe(toHex(a));
		expect(toHex(blindIndex(deriveBlindIndexKey(generateDomainKey()), where, 'sku', 'ABC-1'))).not.toBe(
			toHex(a)
		);
	});
});

describe('record encoding and padding', () => {
	it('is canonical: key order does not matter; non-canonical forms are rejected', () => {
		const a = encodeFields({ b: 'x', a: null });
		expect(toHex(encodeFields({ a: null, b: 'x' }))).toBe(toHex(a));
		expect(decodeFields(a)).toEqual({ a: null, b: 'x' });
		const trailing = new Uint8Array([...a, 0]);
		expect(code(() => decodeFields(trailing))).toBe('ERR_MALFORMED');
		// Swap the two fields' order by hand: unsorted → rejected.
		const swapped = new Uint8Array([1, 0, 2, ...[1, 0x62, 1, 0, 0, 0, 1, 0x78], ...[1, 0x61, 0, 0, 0, 0, 0]]);
		expect(code(() => decodeFields(swapped))).toBe('ERR_MALFORMED');
		expect(code(() => encodeFields({ 'Bad-Name': 'x' }))).toBe('ERR_INVALID_INPUT');
	});

	it('pads to buckets and rejects bad padding', () => {
		expect([0, 31, 32, 63, 4095, 4096].map(bucketSize)).toEqual([32, 32, 64, 64, 4096, 8192]);
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 9000 }), (d) => {
				expect(toHex(unpad(pad(d)))).toBe(toHex(d));
			}),
			{ numRuns: 100 }
		);
		expect(code(() => unpad(new Uint8Array(32)))).toBe('ERR_MALFORMED');
		const p = pad(new Uint8Array(3));
		expect(code(() => unpad(p.subarray(0, 16)))).toBe('ERR_MALFORMED');
	});
});

describe('PAE and base64url', () => {
	it('PAE round-trips and is injective on boundaries', () => {
		const a = pae([new Uint8Array([1, 2]), new Uint8Array([3])]);
		const b = pae([new Uint8Array([1]), new Uint8Array([2, 3])]);
		expect(toHex(a)).not.toBe(toHex(b));
		expect(parsePae(a, 2).map(toHex)).toEqual(['0102', '03']);
		expect(toHex(pae([]))).toBe('0000000000000000');
	});

	it('base64url is strict', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 100 }), (d) => {
				expect(toHex(fromBase64url(toBase64url(d)))).toBe(toHex(d));
			})
		);
		expect(code(() => fromBase64url('AB=='))).toBe('ERR_MALFORMED');
		expect(code(() => fromBase64url('AB'))).toBe('ERR_MALFORMED'); // non-canonical trailing bits
	});
});

describe('public face', () => {
	it('does not export the test hook', () => {
		expect(Object.keys(index)).not.toContain('withPinnedRandom');
		expect(Object.keys(index)).not.toContain('__setRandomSource');
	});

	it('every error code has a fixed message', () => {
		for (const c of index.CRYPTO_ERROR_CODES) expect(new CryptoError(c).message.length).toBeGreaterThan(0);
	});
});
