// Key commitments: what the team chain publishes so a member can tell the owner's domain key from a server-made one (SPEC.md §7.6).
import { checkDomain, checkEpoch, idBytes, pae, type Domain } from './aad';
import { expectBytes, le64, utf8 } from './bytes';
import { CryptoError } from './errors';
import { KDF_CONTEXTS } from './kdf';
import type { DomainKey } from './keys';
import { blake2b, equalConstantTime, kdfDerive, wipe } from './sodium';

export const KEY_COMMIT_LABEL = 'stowage/key-commit/v1';
export const KEY_COMMITMENT_BYTES = 32;

/** The epoch a commitment speaks about (SPEC.md §7.6.1): one tenant × domain × epoch. */
export interface KeyCommitmentContext {
	readonly tenantId: string;
	readonly domain: Domain;
	readonly epoch: number;
}

/**
 * SPEC.md §7.6.1: commit = BLAKE2b-256(key = kdf(1, "stw-cmmt", domainKey),
 * PAE("stowage/key-commit/v1", UTF-8(tenantId), UTF-8(domain), LE64(epoch))).
 * Owners compute it when an epoch starts and publish it in the team chain's create/rotate/remove link.
 */
export function keyCommitment(key: DomainKey, ctx: KeyCommitmentContext): Uint8Array {
	expectBytes(key, 32);
	const message = keyCommitmentMessage(ctx);
	// A subkey of its own (SPEC.md §2.6): the domain key itself never keys BLAKE2b directly.
	const commitKey = kdfDerive(32, 1, KDF_CONTEXTS.keyCommit, key);
	try {
		return blake2b(KEY_COMMITMENT_BYTES, message, commitKey);
	} finally {
		wipe(commitKey);
	}
}

/** SPEC.md §7.6.1 step 2: the PAE message; inputs are checked here, before any libsodium call (§2.3). */
export function keyCommitmentMessage(ctx: KeyCommitmentContext): Uint8Array {
	if (ctx === null || typeof ctx !== 'object') throw new CryptoError('ERR_INVALID_INPUT', 'context');
	checkDomain(ctx.domain);
	checkEpoch(ctx.epoch);
	return pae([utf8(KEY_COMMIT_LABEL), idBytes(ctx.tenantId), utf8(ctx.domain), le64(ctx.epoch)]);
}

/**
 * SPEC.md §7.6.2 step 4: recompute the commitment of `key` and compare in constant time (libsodium's
 * memcmp). A mismatch is ERR_DECRYPTION_FAILED with the same message as a wrap that does not open, so a
 * caller (or an attacker watching it) never learns which check failed (§6.6).
 */
export function checkKeyCommitment(key: DomainKey, ctx: KeyCommitmentContext, commitment: Uint8Array): void {
	expectBytes(commitment, KEY_COMMITMENT_BYTES);
	const actual = keyCommitment(key, ctx);
	if (!equalConstantTime(actual, commitment)) throw new CryptoError('ERR_DECRYPTION_FAILED');
}
