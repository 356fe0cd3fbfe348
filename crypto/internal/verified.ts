// The branded value the exported unwrap demands (SPEC.md §7.6.2): a commitment taken from a verified team chain.
import { checkDomain, checkEpoch, idBytes } from '../aad';
import { expectBytes } from '../bytes';
import { KEY_COMMITMENT_BYTES } from '../commitment';
import { CryptoError } from '../errors';
import type { WrapContext } from '../wrap';

// Module-private: no other module can name or obtain it, so no other module can construct the class.
const MINT: unique symbol = Symbol('stowage VerifiedKeyCommitment');

/**
 * "In tenant T, member M (the caller) holds domain D at epoch E, and the owner committed to its key with C",
 * as read from a verified team chain (DESIGN.md "Key commitment", "The team chain"). unwrapDomainKey takes
 * only this, so a wrap the server made to the member's public key cannot be used (SPEC.md §7.6.3).
 * The fields are private (#) and copied in: a value cannot be forged with Object.create or a look-alike
 * object, nor changed after it was minted.
 */
export class VerifiedKeyCommitment {
	readonly #context: WrapContext;
	readonly #commitment: Uint8Array;

	constructor(token: typeof MINT, context: WrapContext, commitment: Uint8Array) {
		if (token !== MINT) throw new CryptoError('ERR_INVALID_INPUT', 'only the chain verifier mints this');
		if (context === null || typeof context !== 'object')
			throw new CryptoError('ERR_INVALID_INPUT', 'context');
		checkDomain(context.domain);
		checkEpoch(context.epoch);
		idBytes(context.tenantId);
		idBytes(context.memberId);
		expectBytes(commitment, KEY_COMMITMENT_BYTES);
		this.#context = Object.freeze({
			tenantId: context.tenantId,
			domain: context.domain,
			epoch: context.epoch,
			memberId: context.memberId
		});
		this.#commitment = commitment.slice();
	}

	/** The wrap context the chain vouches for (frozen). */
	get context(): WrapContext {
		return this.#context;
	}

	/** A copy of the 32-byte commitment published in the chain. */
	get commitment(): Uint8Array {
		return this.#commitment.slice();
	}

	/** True only for values this module minted (an ergonomic brand check on the private field). */
	static isGenuine(x: unknown): x is VerifiedKeyCommitment {
		return typeof x === 'object' && x !== null && #commitment in x;
	}
}

/**
 * The production minter: crypto/chain.ts calls it, and only it (eslint.config.js; crypto/verified-fence.test.ts),
 * after verifying the team chain (SPEC.md §16) and reading the commitment of the link that started the epoch.
 */
export function mintVerifiedKeyCommitment(
	context: WrapContext,
	commitment: Uint8Array
): VerifiedKeyCommitment {
	return new VerifiedKeyCommitment(MINT, context, commitment);
}

/**
 * TEST ONLY. The team-chain verifier (crypto/chain.ts, through mintVerifiedKeyCommitment) is the only
 * production minter. Tests, vectors and benchmarks that need a commitment without a chain call this. It is
 * not exported by crypto/index.ts, and eslint.config.js refuses it outside tests (crypto/verified-fence.test.ts).
 */
export function verifiedKeyCommitmentForTests(
	context: WrapContext,
	commitment: Uint8Array
): VerifiedKeyCommitment {
	return new VerifiedKeyCommitment(MINT, context, commitment);
}
