// Domain-key wraps and signed wrap statements (SPEC.md §7).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from './bytes';
import { generateIdentity, publicIdentity } from './identity';
import { ready } from './sodium';
import { signWrapStatement, verifyWrapStatement } from './statements';
import { generateDomainKey, unwrapDomainKey, wrapDomainKey, type WrapContext } from './wrap';
import { errorCode as code } from './internal/error-code';

await ready();

const ctx: WrapContext = { tenantId: 't-1', domain: 'sourcing', epoch: 3, memberId: 'm-1' };

describe('wrapDomainKey / unwrapDomainKey', () => {
	it('property: round-trips for arbitrary keys and contexts', () => {
		const member = generateIdentity();
		fc.assert(
			fc.property(
				fc.uint8Array({ minLength: 32, maxLength: 32 }),
				fc.string({ minLength: 1, maxLength: 30 }),
				fc.constantFrom('catalog' as const, 'sourcing' as const, 'logistics' as const),
				fc.integer({ min: 1, max: 0xffffffff }),
				(key, tenantId, domain, epoch) => {
					const c = { tenantId, domain, epoch, memberId: 'm-1' };
					const wrap = wrapDomainKey(key as never, member.boxPublicKey, c);
					expect(wrap.length).toBe(97);
					expect(toHex(unwrapDomainKey(wrap, member, c))).toBe(toHex(key));
				}
			),
			{ numRuns: 100 }
		);
	});

	it('refuses to wrap to a low-order X25519 public key', () => {
		const lowOrder = [new Uint8Array(32), Uint8Array.from([1, ...new Uint8Array(31)])];
		for (const pk of lowOrder) {
			expect(code(() => wrapDomainKey(generateDomainKey(), pk as never, ctx))).toBe('ERR_INVALID_INPUT');
		}
	});

	it('a wrap presented for another context, or to another member, fails as one error', () => {
		const member = generateIdentity();
		const key = generateDomainKey();
		const wrap = wrapDomainKey(key, member.boxPublicKey, ctx);
		for (const c of [
			{ ...ctx, tenantId: 't-2' },
			{ ...ctx, domain: 'catalog' as const },
			{ ...ctx, epoch: 4 },
			{ ...ctx, memberId: 'm-2' }
		]) {
			expect(code(() => unwrapDomainKey(wrap, member, c))).toBe('ERR_DECRYPTION_FAILED');
		}
		expect(code(() => unwrapDomainKey(wrap, generateIdentity(), ctx))).toBe('ERR_DECRYPTION_FAILED');
		const t = wrap.slice();
		t[50]! ^= 1;
		expect(code(() => unwrapDomainKey(t, member, ctx))).toBe('ERR_DECRYPTION_FAILED');
		expect(code(() => unwrapDomainKey(wrap.subarray(0, 96), member, ctx))).toBe('ERR_MALFORMED');
	});
});

describe('wrap statements', () => {
	const granter = generateIdentity();
	const member = generateIdentity();
	const key = generateDomainKey();
	const wrap = wrapDomainKey(key, member.boxPublicKey, ctx);
	const expected = { ...ctx, memberKeys: publicIdentity(member), wrap };
	const signed = signWrapStatement(expected, granter);

	it('verifies against the granter key and the expected wrap', () => {
		const s = verifyWrapStatement(signed, granter.signPublicKey, expected);
		expect(s.epoch).toBe(3);
		expect(s.domain).toBe('sourcing');
	});

	it('property: a statement signed by a key other than the granter’s fails', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 5 }), () => {
				const mallory = generateIdentity();
				const forged = signWrapStatement(expected, mallory);
				expect(code(() => verifyWrapStatement(forged, granter.signPublicKey, expected))).toBe(
					'ERR_SIGNATURE_INVALID'
				);
				// Mallory's signature with the granter's key spliced into the body.
				const spliced = forged.slice();
				spliced.set(granter.signPublicKey, forged.length - 64 - 32);
				expect(code(() => verifyWrapStatement(spliced, granter.signPublicKey, expected))).toBe(
					'ERR_SIGNATURE_INVALID'
				);
			}),
			{ numRuns: 20 }
		);
	});

	it('property: any bit flip in a signed statement is rejected', () => {
		fc.assert(
			fc.property(fc.integer({ min: 8, max: signed.length * 8 - 1 }), (bit) => {
				const t = signed.slice();
				t[bit >> 3]! ^= 1 << (bit & 7);
				expect(code(() => verifyWrapStatement(t, granter.signPublicKey, expected))).toMatch(
					/^ERR_(SIGNATURE_INVALID|MALFORMED)$/
				);
			}),
			{ numRuns: 300 }
		);
	});

	it('a valid statement about another wrap or member is ERR_WRONG_CONTEXT', () => {
		const otherWrap = wrapDomainKey(key, member.boxPublicKey, ctx);
		expect(
			code(() => verifyWrapStatement(signed, granter.signPublicKey, { ...expected, wrap: otherWrap }))
		).toBe('ERR_WRONG_CONTEXT');
		expect(
			code(() =>
				verifyWrapStatement(signed, granter.signPublicKey, {
					...expected,
					memberKeys: publicIdentity(generateIdentity())
				})
			)
		).toBe('ERR_WRONG_CONTEXT');
		expect(code(() => verifyWrapStatement(signed, granter.signPublicKey, { ...expected, epoch: 4 }))).toBe(
			'ERR_WRONG_CONTEXT'
		);
	});
});
