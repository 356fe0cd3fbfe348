// Verification only (SPEC.md §7.5, §16, §17): public-key checks, Ed25519 verification, parsing; no secret key.
//
// The server and the CLI import this module and nothing else from crypto/ (eslint.config.js), so that they
// check signatures with the very function browsers use (sodium.ts ed25519Verify, libsodium's strict
// crypto_sign_verify_detached) and never with node:crypto, whose Ed25519 accepts a small-order forgery.
// Nothing exported here seals, opens, derives or signs; crypto/verify.test.ts pins the export list.
import { CryptoError } from './errors';
import { fingerprint } from './fingerprint';
import { ed25519Verify } from './sodium';

export { ready } from './sodium';
export { CryptoError, isCryptoError, type CryptoErrorCode } from './errors';
export type { Ed25519PublicKey, PublicIdentity, X25519PublicKey } from './keys';
export {
	parseWrapStatement,
	readWrapStatement,
	verifyWrapStatement,
	wrapHash,
	STATEMENT_VERSION,
	type WrapStatement
} from './statements';
export { fingerprint };
export { checkEd25519PublicKey, checkPublicIdentity, checkX25519PublicKey } from './public-keys';
// The team chain's checking half (SPEC.md §16): the server checks each link exactly as browsers do before it
// stores it. (The minting of VerifiedKeyCommitment stays out of this list: the server holds no keys.)
export {
	ChainForkError,
	checkCitation,
	extendChain,
	linkHash,
	parseLink,
	tenantIdOf,
	verifyChain,
	LINK_TYPES,
	ROLES,
	VerifiedChainState,
	type ChainLink,
	type ChainMember,
	type Citation,
	type DomainEpoch,
	type Role
} from './chain';
// Write statements' checking half (SPEC.md §17): the server verifies each request's statement before storing it.
export {
	checkRow,
	checkStatementFollows,
	leavesHash,
	mayWrite,
	parseWriteStatement,
	statementHash,
	verifyWrite,
	verifyWriteOnChain,
	writeLeaf,
	VerifiedWrite,
	WRITE_KINDS,
	WRITE_TABLES,
	type ColumnValue,
	type RowVersion,
	type WriteKind,
	type WriteStatement
} from './writes';

/**
 * Detached Ed25519 verification through libsodium's crypto_sign_verify_detached (rejects non-canonical S,
 * non-canonical or small-order R and A). Every failure, wrong lengths included, is the same
 * ERR_SIGNATURE_INVALID with the same message: a caller learns only "does not verify".
 */
export function verifySignature(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): void {
	if (
		!(signature instanceof Uint8Array) ||
		!(message instanceof Uint8Array) ||
		!(publicKey instanceof Uint8Array) ||
		!ed25519Verify(signature, message, publicKey)
	) {
		throw new CryptoError('ERR_SIGNATURE_INVALID');
	}
}
