// Step tokens carry a person between two steps of one flow: password → second factor (`mfa`),
// recovery key → new password (`recovery`), and a credential change → removing what was added just
// before it (`cleanup`). Each works once: it is spent in the transaction that completes the step.
import { InvalidTokenError, type VerifiedToken } from '../auth/tokens';
import { useStepToken } from '../db/security-events';
import { userExists } from '../db/users';
import type { SqlExecutor } from '../db/types';
import type { ApiDeps } from '../api/env';
import { ApiError } from '../api/problem';

export type StepKind = 'mfa' | 'recovery' | 'cleanup';

const WHAT: Record<StepKind, string> = { mfa: 'sign-in', recovery: 'recovery', cleanup: 'clean-up' };

/** A 401 that tells the person to start the step again; the same for expired, forged and used tokens. */
function stepExpired(kind: StepKind) {
	const what = WHAT[kind];
	return new ApiError(
		401,
		'invalid_token',
		`${what[0]!.toUpperCase()}${what.slice(1)} expired`,
		`That ${what} expired or was already completed. Start again.`
	);
}

/**
 * Checks a step token's signature, audience and expiry (not yet whether it was used), and that its
 * account still exists: the steps after it write to that account and its security log.
 */
export async function verifyStepToken(
	deps: Pick<ApiDeps, 'tokens' | 'db'>,
	kind: StepKind,
	token: string
): Promise<VerifiedToken> {
	let verified: VerifiedToken;
	try {
		verified = await deps.tokens.verify(kind, token);
	} catch (error) {
		if (!(error instanceof InvalidTokenError)) throw error;
		throw stepExpired(kind);
	}
	const exists = await deps.db.withClaims({ role: 'stowage_auth' }, (tx) => userExists(tx, verified.sub));
	if (!exists) throw stepExpired(kind);
	return verified;
}

/**
 * Spends a verified step token inside the transaction that completes its step: a second use, even a
 * concurrent one, fails (the ledger's primary key lets one commit), and a failed step spends nothing.
 */
export async function spendStepToken(tx: SqlExecutor, kind: StepKind, token: VerifiedToken): Promise<void> {
	if (!(await useStepToken(tx, token.jti, token.expiresAt))) throw stepExpired(kind);
}
