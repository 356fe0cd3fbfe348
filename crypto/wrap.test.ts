// Domain-key wraps and signed wrap statements (SPEC.md §7).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from './bytes';
import { generateIdentity, publicIdentity } from './identity';
import { ready } from './sodium';
import { signWrapStatement, verifyWrapStatement } from './statements';
import { generateDomainKey, unwrapDomainKey, wrapDomainKey, type WrapContext } from './wrap';
import { errorCode as code } from './internal/error-code';
import { keyCommitment } from './commitment';
import { verifiedKeyCommitmentForTests } from './internal/verified';
import type { DomainKey } from './keys';

await ready();

const ctx: WrapContext = { tenantId: 't-1', domain: 'sourcing', epoch: 3, memberId: 'm-1' };

/** What the team-chain verifier will hand over: the context and the owner's commitment to `key`. */
const verifiedFor = (key: DomainKey, c: WrapContext = ctx) =>
	verifiedKeyCommitmentForTests(c, keyCommitment(key, c));

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
					expect(toHex(unwrapDomainKey(wrap, member, verifiedFor(key as DomainKey, c)))).toBe(toHex(key));
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
			expect(code(() => unwrapDomainKey(wrap, member, verifiedFor(key, c)))).toBe('ERR_DECRYPTION_FAILED');
		}
		expect(code(() => unwrapDomainKey(wrap, generateIdentity(), verifiedFor(key)))).toBe(
			'ERR_DECRYPTION_FAILED'
		);
		const t = wrap.slice();
		t[50]! ^= 1;
		expect(code(() => unwrapDomainKey(t, member, verifiedFor(key)))).toBe('ERR_DECRYPTION_FAILED');
		expect(code(() => unwrapDomainKey(wrap.subarray(0, 96), member, verifiedFor(key)))).toBe('ERR_MALFORMED');
	});
});

describe('key commitments (SPEC.md §7.6)', () => {
	const member = generateIdentity();
	const key = generateDomainKey();
	const wrap = wrapDomainKey(key, member.boxPublicKey, ctx);

	it('a wrap the server made to the member public key, with a valid context tag, is refused', () => {
		// Anyone can do this: the public key and the context are public. Before key commitments it unwrapped.
		const serverWrap = wrapDomainKey(generateDomainKey(), member.boxPublicKey, ctx);
		expect(code(() => unwrapDomainKey(serverWrap, member, verifiedFor(key)))).toBe('ERR_DECRYPTION_FAILED');
		expect(toHex(unwrapDomainKey(wrap, member, verifiedFor(key)))).toBe(toHex(key));
	});

	it('fails with the very same error as a wrap that does not open', () => {
		const bad = verifiedKeyCommitmentForTests(ctx, new Uint8Array(32));
		const flipped = wrap.slice();
		flipped[60]! ^= 1;
		const messages = [
			() => unwrapDomainKey(wrap, member, bad),
			() => unwrapDomainKey(flipped, member, verifiedFor(key))
		].map((f) => {
			try {
				f();
			} catch (e) {
				return [(e as Error).name, (e as { code?: string }).code, (e as Error).message];
			}
			return null;
		});
		expect(messages[0]).toEqual(['CryptoError', 'ERR_DECRYPTION_FAILED', 'decryption failed']);
		expect(messages[1]).toEqual(messages[0]);
	});

	it('takes only a value the verifier minted: a look-alike or a bare context is refused', () => {
		const lookAlike = { context: ctx, commitment: keyCommitment(key, ctx) };
		const forged = Object.create(verifiedFor(key) as object) as ReturnType<typeof verifiedFor>;
		for (const v of [lookAlike, forged, ctx, null]) {
			expect(code(() => unwrapDomainKey(wrap, member, v as never))).toBe('ERR_INVALID_INPUT');
		}
		expect(code(() => verifiedKeyCommitmentForTests(ctx, new Uint8Array(31)))).toBe('ERR_INVALID_INPUT');
	});

	it('a minted value cannot be changed afterwards', () => {
		const v = verifiedFor(key);
		v.commitment.fill(0);
		expect(() => {
			(v.context as { epoch: number }).epoch = 4;
		}).toThrow(TypeError);
		expect(toHex(unwrapDomainKey(wrap, member, v))).toBe(toHex(key));
	});

	it('the commitment depends on every input', () => {
		const c = toHex(keyCommitment(key, ctx));
		for (const other of [
			{ ...ctx, tenantId: 't-2' },
			{ ...ctx, domain: 'catalog' as const },
			{ ...ctx, epoch: 4 }
		]) {
			expect(toHex(keyCommitment(key, other))).not.toBe(c);
		}
		expect(toHex(keyCommitment(generateDomainKey(), ctx))).not.toBe(c);
		expect(code(() => keyCommitment(key, { ...ctx, epoch: 0 }))).toBe('ERR_INVALID_INPUT');
		expect(code(() => keyCommitment(new Uint8Array(31) as never, ctx))).toBe('ERR_INVALID_INPUT');
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
