// The public face of the Stowage crypto core (SPEC.md). The test hook in internal/ is deliberately absent.
export { ready, sodiumVersion, wipe } from './sodium';
export { CryptoError, CRYPTO_ERROR_CODES, isCryptoError, type CryptoErrorCode } from './errors';
export { fromBase64url, fromHex, toBase64url, toHex, utf8, fromUtf8 } from './bytes';
export type {
	AuthKey,
	BlindIndexKey,
	BundleKey,
	DomainKey,
	Ed25519PublicKey,
	Ed25519SecretKey,
	InviteSecret,
	Key,
	MasterKey,
	PrfKey,
	PublicIdentity,
	RecoveryKey,
	RootKey,
	UserIdentity,
	X25519PublicKey,
	X25519SecretKey
} from './keys';
export { domainKeyFromBytes, ed25519PublicKey, masterKeyFromBytes, x25519PublicKey } from './keys';
export {
	argon2Salt,
	bundleKeyFrom,
	checkKdfParams,
	deriveAccountKeys,
	derivePrfKey,
	deriveRecoveryKeys,
	deriveRootKey,
	generateSalt,
	normaliseEmail,
	passwordBytes,
	KDF_CEILING,
	KDF_DEFAULTS,
	KDF_FLOOR,
	KDF_MINIMUM,
	KDF_OWASP_MINIMUM,
	type KdfParams
} from './kdf';
export {
	generateIdentity,
	openIdentityBundle,
	publicIdentity,
	sealIdentityBundle,
	type UnlockMethod
} from './identity';
export { DOMAINS, isDomain, type Domain, type RecordContext } from './aad';
export type { FieldMap, FieldValue } from './record';
export { openRecord, parseEnvelopeHeader, sealRecord, sealRecords, type EnvelopeHeader } from './envelope';
// unwrapDomainKey takes a VerifiedKeyCommitment, which only the team-chain verifier mints
// (verifiedKeyCommitment below, SPEC.md §7.6.2, §16.9). There is no bare unwrap.
export { generateDomainKey, unwrapDomainKey, wrapDomainKey, type WrapContext } from './wrap';
export { keyCommitment, type KeyCommitmentContext } from './commitment';
export {
	ChainForkError,
	checkCitation,
	extendChain,
	linkHash,
	parseLink,
	tenantIdOf,
	verifiedKeyCommitment,
	verifyChain,
	LINK_TYPES,
	ROLE_DOMAINS,
	ROLES,
	VerifiedChainState,
	type ChainLink,
	type ChainMember,
	type Citation,
	type DomainEpoch,
	type LinkType,
	type Role
} from './chain';
export { createOrganisation, type NewOrganisation } from './organisation';
export {
	checkRow,
	checkStatementFollows,
	encodeColumns,
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
export { signWrite, type WriteInput } from './sign-write';
export { mergeCheckpoints, openCheckpoints, sealCheckpoints, type Checkpoints } from './checkpoints';
export type { VerifiedKeyCommitment } from './wrap';
export { signWrapStatement, verifyWrapStatement, wrapHash, type WrapStatement } from './statements';
export { blindIndex, deriveBlindIndexKey, normalise, type NormalisationKind } from './blind-index';
export { decodeRecoveryKey, encodeRecoveryKey, generateRecoveryKey } from './recovery';
export { displayFingerprint, fingerprint, formatFingerprint, sameDisplayFingerprint } from './fingerprint';
export {
	generateInviteSecret,
	inviteMac,
	inviteSecretFromBytes,
	verifyInviteMac,
	type InviteContext
} from './invite';
