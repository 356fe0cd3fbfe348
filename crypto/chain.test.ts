// The team chain (SPEC.md §16): create → verify → mint → unwrap, and every refusal of §16.8.
import { describe, expect, it } from 'vitest';
import { pae } from './aad';
import { concat, fromHex, le64, toHex, utf8 } from './bytes';
import {
	ChainForkError,
	checkCitation,
	encodeCreateBody,
	extendChain,
	LINK_LABEL,
	LINK_TYPES,
	linkHash,
	parseLink,
	tenantIdOf,
	verifiedKeyCommitment,
	verifyChain,
	VerifiedChainState,
	type ChainLink
} from './chain';
import { CryptoError } from './errors';
import { generateIdentity } from './identity';
import { errorCode as code } from './internal/error-code';
import { withPinnedRandom } from './internal/rng';
import { verifiedKeyCommitmentForTests } from './internal/verified';
import { createOrganisation, signLink } from './organisation';
import { blake2b, ed25519Sign, ready } from './sodium';
import { verifyWrapStatement } from './statements';
import { generateDomainKey, unwrapDomainKey, wrapDomainKey } from './wrap';

await ready();

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const owner = generateIdentity();
const org = createOrganisation(owner, 'member-owner', NOW);

function thrown(f: () => unknown): CryptoError {
	try {
		f();
	} catch (e) {
		if (e instanceof CryptoError) return e;
		throw e;
	}
	throw new Error('did not throw');
}

/** A link at seq 2 on `org`'s chain, of any type, signed by `author` (default: the owner). */
function link2(
	over: Partial<Omit<ChainLink, 'create' | 'authorSignPublicKey'>> = {},
	author = owner
): Uint8Array {
	return signLink(
		{
			tenantId: org.tenantId,
			seq: 2,
			prev: org.linkHash,
			time: NOW + 1,
			authorMemberId: 'member-owner',
			type: LINK_TYPES.rotate,
			body: new Uint8Array([1, 2, 3]),
			...over
		},
		author
	);
}

/** Re-sign `message` (version ‖ PAE) with the owner's key: a well-signed link with one chosen fault. */
function resigned(message: Uint8Array, key = owner.signSecretKey): Uint8Array {
	return concat(message, ed25519Sign(message, key));
}

describe('createOrganisation and verifyChain (SPEC.md §16)', () => {
	it('verifies the create link and states the chain', () => {
		const s = verifyChain([org.link]);
		expect(s.tenantId).toBe(org.tenantId);
		expect(s.tenantId).toMatch(/^[0-9a-f]{64}$/);
		expect(s.head.seq).toBe(1);
		expect(toHex(s.head.hash)).toBe(toHex(org.linkHash));
		expect(s.members).toHaveLength(1);
		const m = s.member('member-owner')!;
		expect(m.role).toBe('owner');
		expect(toHex(m.boxPublicKey)).toBe(toHex(owner.boxPublicKey));
		expect(toHex(m.signPublicKey)).toBe(toHex(owner.signPublicKey));
		for (const d of ['catalog', 'sourcing', 'logistics'] as const) {
			expect(s.currentEpoch(d).epoch).toBe(1);
			expect(toHex(s.currentEpoch(d).commitment)).toBe(toHex(org.commitments[d]));
		}
		expect(s.timeAt(1)).toBe(NOW);
		expect(verifyChain([org.link], { tenantId: org.tenantId, checkpoint: s.head }).head.seq).toBe(1);
	});

	it('derives the tenant id from the genesis, which differs per nonce', () => {
		const { link } = parseLink(org.link);
		expect(tenantIdOf(link.create!.genesis)).toBe(org.tenantId);
		const again = createOrganisation(owner, 'member-owner', NOW);
		expect(again.tenantId).not.toBe(org.tenantId);
	});

	it('mints from the verified state, and unwrapDomainKey accepts the creator wrap', () => {
		const s = verifyChain([org.link]);
		for (const domain of ['catalog', 'sourcing', 'logistics'] as const) {
			const v = verifiedKeyCommitment(s, { domain, epoch: 1, memberId: 'member-owner' });
			const key = unwrapDomainKey(org.wraps[domain], owner, v);
			expect(toHex(key)).toBe(toHex(org.domainKeys[domain]));
			verifyWrapStatement(org.wrapStatements[domain], owner.signPublicKey, {
				tenantId: org.tenantId,
				domain,
				epoch: 1,
				memberId: 'member-owner',
				memberKeys: owner,
				wrap: org.wraps[domain]
			});
		}
	});

	it('refuses a wrap "the server" made of another key to the member (ERR_DECRYPTION_FAILED)', () => {
		const s = verifyChain([org.link]);
		const v = verifiedKeyCommitment(s, { domain: 'sourcing', epoch: 1, memberId: 'member-owner' });
		const forged = wrapDomainKey(generateDomainKey(), owner.boxPublicKey, {
			tenantId: org.tenantId,
			domain: 'sourcing',
			epoch: 1,
			memberId: 'member-owner'
		});
		const e = thrown(() => unwrapDomainKey(forged, owner, v));
		expect(e.code).toBe('ERR_DECRYPTION_FAILED');
		expect(e.message).toBe(thrown(() => unwrapDomainKey(org.wraps.catalog, owner, v)).message);
	});

	it('mints nothing the chain does not say', () => {
		const s = verifyChain([org.link]);
		expect(
			code(() => verifiedKeyCommitment(s, { domain: 'catalog', epoch: 2, memberId: 'member-owner' }))
		).toBe('ERR_WRONG_CONTEXT');
		expect(code(() => verifiedKeyCommitment(s, { domain: 'catalog', epoch: 1, memberId: 'someone' }))).toBe(
			'ERR_WRONG_CONTEXT'
		);
		const fake = Object.create(VerifiedChainState.prototype) as VerifiedChainState;
		expect(
			code(() => verifiedKeyCommitment(fake, { domain: 'catalog', epoch: 1, memberId: 'member-owner' }))
		).toBe('ERR_INVALID_INPUT');
		expect(() => new VerifiedChainState(Symbol() as never, {} as never)).toThrow(CryptoError);
	});

	it('pins the randomness order: nonce, then catalog, sourcing, logistics keys', () => {
		const v = (n: number) => new Uint8Array(32).fill(n);
		const o = withPinnedRandom([v(1), v(2), v(3), v(4)], () => createOrganisation(owner, 'm', NOW));
		expect(toHex(parseLink(o.link).link.create!.genesis.nonce)).toBe(toHex(v(1)));
		expect(toHex(o.domainKeys.catalog)).toBe(toHex(v(2)));
		expect(toHex(o.domainKeys.logistics)).toBe(toHex(v(4)));
	});
});

describe('verifyChain refuses (SPEC.md §16.8)', () => {
	it('any changed byte of the create link', () => {
		for (let i = 0; i < org.link.length; i++) {
			const t = org.link.slice();
			t[i]! ^= 0x01;
			expect(['ERR_MALFORMED', 'ERR_SIGNATURE_INVALID', 'ERR_UNSUPPORTED_VERSION'], `byte ${i}`).toContain(
				code(() => verifyChain([t]))
			);
		}
	});

	it('trailing bytes, truncation, an empty chain', () => {
		expect(code(() => verifyChain([concat(org.link, new Uint8Array([0]))]))).toBe('ERR_MALFORMED');
		const { message, signature } = parseLink(org.link);
		expect(code(() => verifyChain([concat(message, new Uint8Array([0]), signature)]))).toBe('ERR_MALFORMED');
		expect(code(() => verifyChain([org.link.subarray(0, 72)]))).toBe('ERR_MALFORMED');
		expect(code(() => verifyChain([]))).toBe('ERR_MALFORMED');
		expect(code(() => verifyChain([new Uint8Array(0)]))).toBe('ERR_MALFORMED');
	});

	it('a create whose author is not the creator in its body', () => {
		const other = generateIdentity();
		const { link } = parseLink(org.link);
		const byOther = signLink({ ...link, authorMemberId: 'member-owner' }, other);
		expect(code(() => verifyChain([byOther]))).toBe('ERR_SIGNATURE_INVALID');
		const otherId = signLink({ ...link, authorMemberId: 'member-2' }, owner);
		expect(code(() => verifyChain([otherId]))).toBe('ERR_SIGNATURE_INVALID');
	});

	it('a small-order author key or creator key', () => {
		const { link } = parseLink(org.link);
		const identity = fromHex('01' + '00'.repeat(31));
		const m = concat(
			new Uint8Array([1]),
			pae([
				utf8(LINK_LABEL),
				new Uint8Array(0),
				le64(1),
				new Uint8Array(0),
				le64(NOW),
				utf8('member-owner'),
				identity,
				new Uint8Array([1]),
				link.body
			])
		);
		expect(code(() => verifyChain([resigned(m)]))).toBe('ERR_MALFORMED');
		const g = link.create!;
		const body = encodeCreateBody({
			...g,
			genesis: { ...g.genesis, creatorBoxPublicKey: new Uint8Array(32) as never }
		});
		expect(code(() => verifyChain([signLink({ ...link, body }, owner)]))).toBe('ERR_MALFORMED');
	});

	it('create at seq 2, a non-create at seq 1, a create with a tenant id', () => {
		const { link } = parseLink(org.link);
		expect(code(() => verifyChain([signLink({ ...link, seq: 2 }, owner)]))).toBe('ERR_MALFORMED');
		expect(code(() => verifyChain([signLink({ ...link, tenantId: org.tenantId }, owner)]))).toBe(
			'ERR_MALFORMED'
		);
		expect(code(() => verifyChain([signLink({ ...link, type: LINK_TYPES.rotate }, owner)]))).toBe(
			'ERR_MALFORMED'
		);
	});

	it('a seq gap, a wrong previous hash, another tenant', () => {
		expect(code(() => verifyChain([org.link, link2({ seq: 3 })]))).toBe('ERR_WRONG_CONTEXT');
		expect(code(() => verifyChain([org.link, link2({ prev: new Uint8Array(32) })]))).toBe(
			'ERR_WRONG_CONTEXT'
		);
		expect(code(() => verifyChain([org.link, link2({ tenantId: 'ab'.repeat(32) })]))).toBe(
			'ERR_WRONG_CONTEXT'
		);
		expect(code(() => verifyChain([org.link], { tenantId: 'ab'.repeat(32) }))).toBe('ERR_WRONG_CONTEXT');
	});

	it('a link by a non-owner, or by the owner id with another key', () => {
		const other = generateIdentity();
		expect(code(() => verifyChain([org.link, link2({}, other)]))).toBe('ERR_SIGNATURE_INVALID');
		expect(code(() => verifyChain([org.link, link2({ authorMemberId: 'someone' })]))).toBe(
			'ERR_SIGNATURE_INVALID'
		);
	});

	it('every type it does not implement, reserved or unknown (fail closed)', () => {
		for (let t = 0; t < 256; t++) {
			if (t === LINK_TYPES.create) continue;
			expect(
				code(() => verifyChain([org.link, link2({ type: t })])),
				`type ${t}`
			).toBe('ERR_UNSUPPORTED_VERSION');
		}
	});

	it('a bad signature on a later link', () => {
		const l = link2();
		l[l.length - 1]! ^= 1;
		expect(code(() => verifyChain([org.link, l]))).toBe('ERR_SIGNATURE_INVALID');
	});

	it('non-canonical encodings: a seq or time above range, a version byte', () => {
		const { link } = parseLink(org.link);
		const m = (seq: Uint8Array, time: Uint8Array) =>
			concat(
				new Uint8Array([1]),
				pae([
					utf8(LINK_LABEL),
					new Uint8Array(0),
					seq,
					new Uint8Array(0),
					time,
					utf8('member-owner'),
					owner.signPublicKey,
					new Uint8Array([1]),
					link.body
				])
			);
		expect(code(() => verifyChain([resigned(m(le64(1), le64(NOW)))]))).toBe('OK');
		expect(code(() => verifyChain([resigned(m(fromHex('0100000001000000'), le64(NOW)))]))).toBe(
			'ERR_MALFORMED'
		);
		expect(code(() => verifyChain([resigned(m(le64(1), fromHex('0000000000000001')))]))).toBe(
			'ERR_MALFORMED'
		);
		expect(code(() => verifyChain([resigned(m(le64(1), fromHex('0000000000002000')))]))).toBe(
			'ERR_MALFORMED'
		);
		const v2 = org.link.slice();
		v2[0] = 2;
		expect(code(() => verifyChain([v2]))).toBe('ERR_UNSUPPORTED_VERSION');
	});
});

describe('checkpoints and citations (SPEC.md §16.7, §16.8)', () => {
	it('a different create at the checkpoint is a fork; a shorter chain a rollback', () => {
		const s = verifyChain([org.link]);
		const other = createOrganisation(owner, 'member-owner', NOW);
		const e = thrown(() => verifyChain([other.link], { checkpoint: s.head }));
		expect(e).toBeInstanceOf(ChainForkError);
		expect((e as ChainForkError).kind).toBe('fork');
		expect(e.code).toBe('ERR_CHAIN_FORK');
		expect(toHex((e as ChainForkError).observed.hash)).toBe(toHex(other.linkHash));
		const r = thrown(() => verifyChain([org.link], { checkpoint: { seq: 2, hash: new Uint8Array(32) } }));
		expect((r as ChainForkError).kind).toBe('rollback');
		expect(r.code).toBe('ERR_CHAIN_FORK');
		expect(code(() => verifyChain([org.link], { checkpoint: { seq: 0, hash: new Uint8Array(32) } }))).toBe(
			'ERR_INVALID_INPUT'
		);
	});

	it('checkCitation: on the chain, a fork, or beyond the head', () => {
		const s = verifyChain([org.link]);
		checkCitation(s, s.head);
		expect(code(() => checkCitation(s, { seq: 1, hash: new Uint8Array(32) }))).toBe('ERR_CHAIN_FORK');
		expect(code(() => checkCitation(s, { seq: 2, hash: new Uint8Array(32) }))).toBe('ERR_WRONG_CONTEXT');
	});

	it('extendChain continues a verified state and refuses what verifyChain refuses', () => {
		const s = verifyChain([org.link]);
		expect(extendChain(s, []).head.seq).toBe(1);
		expect(code(() => extendChain(s, [link2()]))).toBe('ERR_UNSUPPORTED_VERSION');
		expect(code(() => extendChain(s, [link2({ seq: 3 })]))).toBe('ERR_WRONG_CONTEXT');
		expect(code(() => extendChain({} as VerifiedChainState, []))).toBe('ERR_INVALID_INPUT');
	});

	it('the link hash is labelled BLAKE2b-256 over the whole link', () => {
		expect(toHex(linkHash(org.link))).toBe(
			toHex(blake2b(32, pae([utf8('stowage/chain-link-hash/v1'), org.link])))
		);
	});

	it('the test minter still exists for tests only', () => {
		expect(verifiedKeyCommitmentForTests).toBeTypeOf('function');
	});
});
