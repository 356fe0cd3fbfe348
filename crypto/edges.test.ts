// Edge cases SPEC.md states explicitly (§8.2, §11.3, §6.1), each added with the fix that made the code agree.
import { describe, expect, it } from 'vitest';
import { pae } from './aad';
import { concat, fromUtf8, le64, utf8 } from './bytes';
import { sameDisplayFingerprint } from './fingerprint';
import { errorCode as code } from './internal/error-code';
import type { RecoveryKey } from './keys';
import { decodeRecoveryKey, encodeRecoveryKey } from './recovery';
import { ed25519Sign, ready } from './sodium';
import { STATEMENT_LABEL, verifyWrapStatement } from './statements';
import { identityFromSeedsForVectors } from './vectors/shared';

await ready();

describe('SPEC.md §8.2: comparing human fingerprints', () => {
	it('is false for two empty or blank strings: nothing compared is no match', () => {
		expect(sameDisplayFingerprint('', '')).toBe(false);
		expect(sameDisplayFingerprint(' ', '\t')).toBe(false);
	});

	it('is false unless both sides are 30 digits once whitespace is removed', () => {
		const s = '12345 67890 12345 67890 12345 67890';
		expect(sameDisplayFingerprint(s, s.replace(/ /g, ''))).toBe(true);
		expect(sameDisplayFingerprint('12345', '12345')).toBe(false);
		expect(sameDisplayFingerprint(s + ' 1', s + '1')).toBe(false);
		// Fullwidth digits and non-ASCII spaces are not what §8.2 writes.
		expect(sameDisplayFingerprint(s.replace(/ /g, '\u3000'), s)).toBe(false);
	});
});

describe('SPEC.md §11.3: recovery-key text is ASCII only', () => {
	// This key's text contains both '1' and 'S'.
	const text = encodeRecoveryKey(new Uint8Array(32).fill(4) as RecoveryKey);

	it('accepts the ASCII sloppy forms', () => {
		expect(decodeRecoveryKey(text.toLowerCase().replace(/-/g, ' '))).toEqual(new Uint8Array(32).fill(4));
	});

	it('rejects characters that upper-case into the alphabet (dotless ı, long ſ) and non-ASCII spaces', () => {
		// 'ı'.toUpperCase() === 'I' → '1' and 'ſ'.toUpperCase() === 'S' would otherwise be accepted.
		const i = text.indexOf('1');
		const s = text.indexOf('S');
		expect(i).toBeGreaterThanOrEqual(0);
		expect(s).toBeGreaterThanOrEqual(0);
		expect(code(() => decodeRecoveryKey(text.slice(0, i) + 'ı' + text.slice(i + 1)))).toBe('ERR_MALFORMED');
		expect(code(() => decodeRecoveryKey(text.slice(0, s) + 'ſ' + text.slice(s + 1)))).toBe('ERR_MALFORMED');
		expect(code(() => decodeRecoveryKey(text.replace(/-/g, '\u00a0')))).toBe('ERR_MALFORMED');
		expect(code(() => decodeRecoveryKey(text.replace(/-/g, '\u3000')))).toBe('ERR_MALFORMED');
	});
});

describe('SPEC.md §6.1: a leading U+FEFF is data, not a byte-order mark', () => {
	it('survives UTF-8 decoding', () => {
		expect(fromUtf8(utf8('\uFEFFx'))).toBe('\uFEFFx');
		expect(fromUtf8(utf8('\uFEFF'))).toBe('\uFEFF');
	});
});

describe('SPEC.md §7.5: a statement whose identifier is out of bounds is malformed, not bad input', () => {
	it('an empty or 129-byte tenant or member id inside the signed bytes is ERR_MALFORMED', () => {
		const granter = identityFromSeedsForVectors(new Uint8Array(32), new Uint8Array(32).fill(1));
		const fp = new Uint8Array(32).fill(2);
		const wh = new Uint8Array(32).fill(3);
		const build = (tenant: Uint8Array, member: Uint8Array): Uint8Array => {
			const message = concat(
				new Uint8Array([1]),
				pae([utf8(STATEMENT_LABEL), tenant, utf8('catalog'), le64(1), member, fp, wh, granter.signPublicKey])
			);
			return concat(message, ed25519Sign(message, granter.signSecretKey));
		};
		const expected = {
			tenantId: 't',
			domain: 'catalog' as const,
			epoch: 1,
			memberId: 'm',
			memberKeys: { boxPublicKey: granter.boxPublicKey, signPublicKey: granter.signPublicKey },
			wrap: new Uint8Array(97)
		};
		for (const [t, m] of [
			[new Uint8Array(0), utf8('m')],
			[utf8('t'), new Uint8Array(0)],
			[new Uint8Array(129).fill(0x61), utf8('m')],
			[utf8('t'), new Uint8Array(129).fill(0x61)]
		] as const) {
			expect(code(() => verifyWrapStatement(build(t, m), granter.signPublicKey, expected))).toBe(
				'ERR_MALFORMED'
			);
		}
		// 128 bytes is within bounds: the statement parses, verifies, and is about another tenant.
		const ok = build(new Uint8Array(128).fill(0x61), utf8('m'));
		expect(code(() => verifyWrapStatement(ok, granter.signPublicKey, expected))).toBe('ERR_WRONG_CONTEXT');
	});
});
