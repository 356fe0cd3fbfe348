// Domain keys and their wraps to members with crypto_box_seal, unwrapped only against a key commitment (SPEC.md §7.1–§7.3, §7.6).
import { checkDomain, checkEpoch, idBytes, pae, type Domain } from './aad';
import { concat, expectBytes, le64, utf8 } from './bytes';
import { checkKeyCommitment } from './commitment';
import { CryptoError } from './errors';
import { VerifiedKeyCommitment } from './internal/verified';
import { randomBytes } from './internal/rng';
import type { DomainKey, UserIdentity, X25519PublicKey } from './keys';
import { brandKey } from './keys';
import { blake2b, boxSeal, boxSealOpen, equalConstantTime, wipe } from './sodium';

/** The value unwrapDomainKey demands (SPEC.md §7.6.2); only the team-chain verifier mints it. */
export type { VerifiedKeyCommitment };

export const WRAP_VERSION = 0x01;
export const WRAP_BYTES = 1 + 48 + 32 + 16;
export const WRAP_LABEL = 'stowage/wrap/v1';

/** Which key a wrap carries and to whom: every field is bound into the wrap and its statement. */
export interface WrapContext {
	readonly tenantId: string;
	readonly domain: Domain;
	readonly epoch: number;
	readonly memberId: string;
}

/** SPEC.md §7.1: a fresh domain key for one tenant × domain × epoch. */
export function generateDomainKey(): DomainKey {
	return brandKey<DomainKey>(randomBytes(32));
}

/** SPEC.md §7.2: BLAKE2b-128(PAE("stowage/wrap/v1", tenantId, domain, LE64(epoch), memberId)). */
function contextTag(ctx: WrapContext): Uint8Array {
	checkDomain(ctx.domain);
	checkEpoch(ctx.epoch);
	return blake2b(
		16,
		pae([utf8(WRAP_LABEL), idBytes(ctx.tenantId), utf8(ctx.domain), le64(ctx.epoch), idBytes(ctx.memberId)])
	);
}

/** SPEC.md §7.2: wrap = 0x01 ‖ crypto_box_seal(domainKey ‖ contextTag, memberX25519). */
export function wrapDomainKey(key: DomainKey, recipient: X25519PublicKey, ctx: WrapContext): Uint8Array {
	expectBytes(key, 32);
	expectBytes(recipient, 32);
	const tag = contextTag(ctx);
	return concat(new Uint8Array([WRAP_VERSION]), boxSeal(concat(key, tag), recipient));
}

/**
 * SPEC.md §7.3 and §7.6.2: open a wrap addressed to `me` and accept the key only if it matches the
 * commitment the team chain published for that epoch. `verified` comes from the chain verifier; a bare
 * context is not accepted, because anyone can seal a well-tagged wrap to a member's public key (§7.6.3).
 * Wrong key, wrong context, tampering, a server-made wrap or a commitment mismatch → one error,
 * ERR_DECRYPTION_FAILED, that never says which check failed.
 */
export function unwrapDomainKey(
	wrap: Uint8Array,
	me: Pick<UserIdentity, 'boxPublicKey' | 'boxSecretKey'>,
	verified: VerifiedKeyCommitment
): DomainKey {
	if (!VerifiedKeyCommitment.isGenuine(verified)) {
		throw new CryptoError('ERR_INVALID_INPUT', 'unwrapDomainKey takes a VerifiedKeyCommitment');
	}
	const ctx = verified.context;
	const key = openWrap(wrap, me, ctx);
	try {
		checkKeyCommitment(key, ctx, verified.commitment);
	} catch (e) {
		wipe(key);
		throw e;
	}
	return key;
}

/** SPEC.md §7.3 alone. Module-private: a key that has not passed §7.6.2 never leaves this file. */
function openWrap(
	wrap: Uint8Array,
	me: Pick<UserIdentity, 'boxPublicKey' | 'boxSecretKey'>,
	ctx: WrapContext
): DomainKey {
	expectBytes(me.boxPublicKey, 32);
	expectBytes(me.boxSecretKey, 32);
	const tag = contextTag(ctx);
	if (!(wrap instanceof Uint8Array) || wrap.length < 1) throw new CryptoError('ERR_MALFORMED', 'wrap');
	if (wrap[0] !== WRAP_VERSION) throw new CryptoError('ERR_UNSUPPORTED_VERSION', 'wrap');
	if (wrap.length !== WRAP_BYTES) throw new CryptoError('ERR_MALFORMED', 'wrap length');
	const pt = boxSealOpen(wrap.subarray(1), me.boxPublicKey, me.boxSecretKey);
	if (pt === null || pt.length !== 48 || !equalConstantTime(pt.subarray(32), tag)) {
		if (pt !== null) wipe(pt);
		throw new CryptoError('ERR_DECRYPTION_FAILED');
	}
	const key = brandKey<DomainKey>(pt.slice(0, 32));
	wipe(pt);
	return key;
}
