// Signing a write statement on the author's device (SPEC.md §17.3): the secret-key half of crypto/writes.ts.
import { idBytes } from './aad';
import { concat, expectBytes } from './bytes';
import type { Citation } from './chain';
import { CryptoError } from './errors';
import type { UserIdentity } from './keys';
import { ed25519Sign } from './sodium';
import { encodeWriteMessage, leavesHash, WRITE_KINDS, type WriteKind } from './writes';

export interface WriteInput {
	readonly tenantId: string;
	readonly kind: WriteKind;
	/** The head of the chain the author verified (SPEC.md §16.7). */
	readonly cited: Citation;
	/** The author's previous statement in this tenant (its statementHash and counter), or null for the first. */
	readonly prev: { readonly hash: Uint8Array; readonly counter: number } | null;
	/** writeLeaf() of every row in the request, in any order (they are sorted, §17.2). */
	readonly leaves: readonly Uint8Array[];
}

/** SPEC.md §17.3: signed = 0x01 ‖ PAE(…) ‖ Ed25519(author, 0x01 ‖ PAE(…)). */
export function signWrite(
	input: WriteInput,
	author: { memberId: string; identity: Pick<UserIdentity, 'signPublicKey' | 'signSecretKey'> }
): Uint8Array {
	expectBytes(author.identity.signSecretKey, 64);
	expectBytes(author.identity.signPublicKey, 32);
	idBytes(author.memberId);
	idBytes(input.tenantId);
	if (!Object.prototype.hasOwnProperty.call(WRITE_KINDS, input.kind)) {
		throw new CryptoError('ERR_INVALID_INPUT', 'kind');
	}
	const c = input.cited;
	if (c === null || typeof c !== 'object' || !Number.isInteger(c.seq) || c.seq < 1 || c.seq > 0xffffffff) {
		throw new CryptoError('ERR_INVALID_INPUT', 'citation');
	}
	expectBytes(c.hash, 32);
	let counter = 1;
	if (input.prev !== null) {
		expectBytes(input.prev.hash, 32);
		if (
			!Number.isSafeInteger(input.prev.counter) ||
			input.prev.counter < 1 ||
			input.prev.counter >= Number.MAX_SAFE_INTEGER
		) {
			throw new CryptoError('ERR_INVALID_INPUT', 'counter');
		}
		counter = input.prev.counter + 1;
	}
	const message = encodeWriteMessage({
		tenantId: input.tenantId,
		authorMemberId: author.memberId,
		authorSignPublicKey: author.identity.signPublicKey,
		kind: input.kind,
		cited: { seq: c.seq, hash: c.hash },
		auditCheckpoint: null,
		prevStatement: input.prev === null ? null : input.prev.hash,
		counter,
		leavesHash: leavesHash(input.leaves)
	});
	return concat(message, ed25519Sign(message, author.identity.signSecretKey));
}
