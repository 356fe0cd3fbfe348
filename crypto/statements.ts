// Wrap statements: a granter's Ed25519 signature over who received which key (SPEC.md §7.4–§7.5).
import { checkDomain, checkEpoch, idBytes, isDomain, pae, parsePae, type Domain } from './aad';
import { concat, expectBytes, fromUtf8, le64, utf8 } from './bytes';
import { CryptoError } from './errors';
import { fingerprint } from './fingerprint';
import type { Ed25519PublicKey, PublicIdentity, UserIdentity } from './keys';
import { brandKey } from './keys';
import { blake2b, ed25519Sign, ed25519Verify, equalConstantTime } from './sodium';
import type { WrapContext } from './wrap';

export const STATEMENT_VERSION = 0x01;
export const STATEMENT_LABEL = 'stowage/wrap-statement/v1';
const PIECES = 8;

export interface WrapStatement extends WrapContext {
	/** fingerprint(member's public keys), SPEC.md §8.1. */
	readonly memberKeyFingerprint: Uint8Array;
	/** BLAKE2b-256 of the complete wrap bytes. */
	readonly wrapHash: Uint8Array;
	readonly granterSignPublicKey: Ed25519PublicKey;
}

export function wrapHash(wrap: Uint8Array): Uint8Array {
	if (!(wrap instanceof Uint8Array)) throw new CryptoError('ERR_INVALID_INPUT', 'wrap');
	return blake2b(32, wrap);
}

/** le64 of the epoch as its own piece; the statement body is PAE over eight pieces (SPEC.md §7.4). */
function body(s: WrapStatement): Uint8Array {
	return pae([
		utf8(STATEMENT_LABEL),
		idBytes(s.tenantId),
		utf8(s.domain),
		le64(s.epoch),
		idBytes(s.memberId),
		s.memberKeyFingerprint,
		s.wrapHash,
		s.granterSignPublicKey
	]);
}

/** SPEC.md §7.4: signed statement = 0x01 ‖ body ‖ Ed25519(granter, 0x01 ‖ body). */
export function signWrapStatement(
	input: WrapContext & { memberKeys: PublicIdentity; wrap: Uint8Array },
	granter: Pick<UserIdentity, 'signPublicKey' | 'signSecretKey'>
): Uint8Array {
	expectBytes(granter.signSecretKey, 64);
	expectBytes(granter.signPublicKey, 32);
	checkDomain(input.domain);
	checkEpoch(input.epoch);
	idBytes(input.tenantId);
	idBytes(input.memberId);
	const signed = concat(
		new Uint8Array([STATEMENT_VERSION]),
		body({
			tenantId: input.tenantId,
			domain: input.domain,
			epoch: input.epoch,
			memberId: input.memberId,
			memberKeyFingerprint: fingerprint(input.memberKeys),
			wrapHash: wrapHash(input.wrap),
			granterSignPublicKey: granter.signPublicKey
		})
	);
	return concat(signed, ed25519Sign(signed, granter.signSecretKey));
}

/**
 * Parse without verifying (SPEC.md §7.5 step 2). Exported for crypto/verify.ts; nothing it returns may be
 * trusted until readWrapStatement or verifyWrapStatement has checked the signature.
 */
export function parseWrapStatement(signed: Uint8Array): {
	statement: WrapStatement;
	message: Uint8Array;
	signature: Uint8Array;
} {
	if (!(signed instanceof Uint8Array) || signed.length < 1)
		throw new CryptoError('ERR_MALFORMED', 'statement');
	if (signed[0] !== STATEMENT_VERSION) throw new CryptoError('ERR_UNSUPPORTED_VERSION', 'statement');
	if (signed.length < 1 + 8 + 64) throw new CryptoError('ERR_MALFORMED', 'statement');
	const message = signed.subarray(0, signed.length - 64);
	const signature = signed.subarray(signed.length - 64);
	const p = parsePae(message.subarray(1), PIECES);
	const bad = (): never => {
		throw new CryptoError('ERR_MALFORMED', 'statement');
	};
	if (fromUtf8(p[0]!) !== STATEMENT_LABEL) bad();
	// Identifier bounds (SPEC.md §3.3) are checked here, on the bytes: the re-encoding below goes through
	// idBytes, whose ERR_INVALID_INPUT describes a caller's argument, not a statement (SPEC.md §7.5 step 2).
	for (const id of [p[1]!, p[4]!]) if (id.length < 1 || id.length > 128) bad();
	const domain = fromUtf8(p[2]!);
	if (!isDomain(domain)) bad();
	const e = p[3]!;
	if (e.length !== 8 || e[4] !== 0 || e[5] !== 0 || e[6] !== 0 || e[7] !== 0) bad();
	const epoch = (e[0]! | (e[1]! << 8) | (e[2]! << 16)) + e[3]! * 0x1000000;
	if (epoch < 1) bad();
	if (p[5]!.length !== 32 || p[6]!.length !== 32 || p[7]!.length !== 32) bad();
	const statement: WrapStatement = {
		tenantId: fromUtf8(p[1]!),
		domain: domain as Domain,
		epoch,
		memberId: fromUtf8(p[4]!),
		memberKeyFingerprint: p[5]!.slice(),
		wrapHash: p[6]!.slice(),
		granterSignPublicKey: brandKey<Ed25519PublicKey>(p[7]!.slice())
	};
	// Canonical: re-encoding must give the same bytes (e.g. identifiers within their limits).
	if (!equalBytes(concat(new Uint8Array([STATEMENT_VERSION]), body(statement)), message)) bad();
	return { statement, message, signature };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
	return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * SPEC.md §7.5 steps 1–3: parse a statement and check that the trusted granter key signed it, without
 * comparing what it speaks about (an auditor reading a tenant's statements from stored data).
 */
export function readWrapStatement(signed: Uint8Array, granter: Ed25519PublicKey): WrapStatement {
	expectBytes(granter, 32);
	const { statement, message, signature } = parseWrapStatement(signed);
	if (
		!equalConstantTime(statement.granterSignPublicKey, granter) ||
		!ed25519Verify(signature, message, granter)
	) {
		throw new CryptoError('ERR_SIGNATURE_INVALID');
	}
	return statement;
}

/**
 * SPEC.md §7.5: verify a signed statement against the granter's key the caller trusts, then check that it
 * speaks about the expected wrap. Signature problems → ERR_SIGNATURE_INVALID; a valid statement about
 * something else → ERR_WRONG_CONTEXT.
 */
export function verifyWrapStatement(
	signed: Uint8Array,
	granter: Ed25519PublicKey,
	expected: WrapContext & { memberKeys: PublicIdentity; wrap: Uint8Array }
): WrapStatement {
	const statement = readWrapStatement(signed, granter);
	const same =
		statement.tenantId === expected.tenantId &&
		statement.domain === expected.domain &&
		statement.epoch === expected.epoch &&
		statement.memberId === expected.memberId &&
		equalBytes(statement.memberKeyFingerprint, fingerprint(expected.memberKeys)) &&
		equalBytes(statement.wrapHash, wrapHash(expected.wrap));
	if (!same) throw new CryptoError('ERR_WRONG_CONTEXT', 'statement is about another wrap');
	return statement;
}
