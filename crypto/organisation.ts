// Creating an organisation (SPEC.md §16.5, §16.10): epoch-1 domain keys, their commitments and wraps, the signed create link.
import { idBytes, type Domain } from './aad';
import { concat, expectBytes } from './bytes';
import {
	DOMAIN_ORDER,
	encodeCreateBody,
	encodeLinkMessage,
	LINK_TYPES,
	linkHash,
	tenantIdOf,
	type ChainLink,
	type Genesis
} from './chain';
import { keyCommitment } from './commitment';
import { CryptoError } from './errors';
import { randomBytes } from './internal/rng';
import type { DomainKey, UserIdentity } from './keys';
import { ed25519Sign } from './sodium';
import { signWrapStatement } from './statements';
import { generateDomainKey, wrapDomainKey } from './wrap';

/** Milliseconds since the Unix epoch, from a Date or a number (SPEC.md §16.1 `time`). */
function timeOf(now: Date | number): number {
	const t = now instanceof Date ? now.getTime() : now;
	if (!Number.isSafeInteger(t) || t < 0) throw new CryptoError('ERR_INVALID_INPUT', 'time');
	return t;
}

/**
 * SPEC.md §16.1: sign a link's fields as `author`. The verifier decides what is valid; this only encodes and
 * signs (the teams issue builds its link types on it).
 */
export function signLink(
	fields: Omit<ChainLink, 'create' | 'authorSignPublicKey'>,
	author: Pick<UserIdentity, 'signPublicKey' | 'signSecretKey'>
): Uint8Array {
	expectBytes(author.signSecretKey, 64);
	expectBytes(author.signPublicKey, 32);
	if (!Number.isInteger(fields.type) || fields.type < 0 || fields.type > 255) {
		throw new CryptoError('ERR_INVALID_INPUT', 'link type');
	}
	if (!Number.isInteger(fields.seq) || fields.seq < 1 || fields.seq > 0xffffffff) {
		throw new CryptoError('ERR_INVALID_INPUT', 'seq');
	}
	if (fields.prev !== null) expectBytes(fields.prev, 32);
	const message = encodeLinkMessage({
		...fields,
		time: timeOf(fields.time),
		authorSignPublicKey: author.signPublicKey
	});
	return concat(message, ed25519Sign(message, author.signSecretKey));
}

export interface NewOrganisation {
	/** The signed create link (seq 1), to store as the chain's first link. */
	readonly link: Uint8Array;
	/** Its hash: the head `(1, linkHash)` the creator's browser keeps as its first checkpoint. */
	readonly linkHash: Uint8Array;
	/** 64 lowercase hex digits (SPEC.md §16.6). */
	readonly tenantId: string;
	/** Epoch-1 domain keys (device memory only). */
	readonly domainKeys: Readonly<Record<Domain, DomainKey>>;
	/** Their commitments, as published in the link (SPEC.md §7.6.1). */
	readonly commitments: Readonly<Record<Domain, Uint8Array>>;
	/** Each domain key wrapped to the creator (SPEC.md §7.2), member id `memberId`. */
	readonly wraps: Readonly<Record<Domain, Uint8Array>>;
	/** The creator's wrap statement for each wrap (SPEC.md §7.4), granter = creator. */
	readonly wrapStatements: Readonly<Record<Domain, Uint8Array>>;
}

/**
 * SPEC.md §16.10: a new organisation owned by `identity` as member `memberId`. Randomness, in this order:
 * the 32-byte genesis nonce, then the catalog, sourcing and logistics domain keys (crypto_box_seal draws its
 * own ephemeral keys inside libsodium, so the wraps are not reproducible).
 */
export function createOrganisation(
	identity: UserIdentity,
	memberId: string,
	now: Date | number
): NewOrganisation {
	expectBytes(identity.boxPublicKey, 32);
	expectBytes(identity.signPublicKey, 32);
	expectBytes(identity.signSecretKey, 64);
	idBytes(memberId);
	const time = timeOf(now);
	const genesis: Genesis = {
		creatorMemberId: memberId,
		creatorBoxPublicKey: identity.boxPublicKey,
		creatorSignPublicKey: identity.signPublicKey,
		nonce: randomBytes(32)
	};
	const tenantId = tenantIdOf(genesis);
	const domainKeys = {} as Record<Domain, DomainKey>;
	const commitments = {} as Record<Domain, Uint8Array>;
	for (const domain of DOMAIN_ORDER) {
		domainKeys[domain] = generateDomainKey();
		commitments[domain] = keyCommitment(domainKeys[domain], { tenantId, domain, epoch: 1 });
	}
	const link = signLink(
		{
			tenantId: null,
			seq: 1,
			prev: null,
			time,
			authorMemberId: memberId,
			type: LINK_TYPES.create,
			body: encodeCreateBody({ genesis, commitments })
		},
		identity
	);
	const wraps = {} as Record<Domain, Uint8Array>;
	const wrapStatements = {} as Record<Domain, Uint8Array>;
	for (const domain of DOMAIN_ORDER) {
		const ctx = { tenantId, domain, epoch: 1, memberId };
		wraps[domain] = wrapDomainKey(domainKeys[domain], identity.boxPublicKey, ctx);
		wrapStatements[domain] = signWrapStatement(
			{ ...ctx, memberKeys: identity, wrap: wraps[domain] },
			identity
		);
	}
	return { link, linkHash: linkHash(link), tenantId, domainKeys, commitments, wraps, wrapStatements };
}
