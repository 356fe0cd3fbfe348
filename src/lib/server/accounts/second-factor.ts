// The second-factor check, in one place: a TOTP code or a backup code, each accepted once.
import { acceptTotpStep, totpState, useBackupCode } from '../db/second-factors';
import { decryptSecret, hashBackupCode, matchTotp } from '../auth/totp';
import type { ApiDeps } from '../api/env';

export type SecondFactorProof = { code?: string | undefined; backupCode?: string | undefined };

/** Checks a TOTP or backup code for a user and consumes it. */
export async function checkSecondFactor(
	deps: Pick<ApiDeps, 'db' | 'keys' | 'now'>,
	userId: string,
	proof: SecondFactorProof
): Promise<boolean> {
	return deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
		if (proof.backupCode !== undefined) {
			return useBackupCode(tx, userId, hashBackupCode(deps.keys.backupCodes, userId, proof.backupCode));
		}
		const { secret } = await totpState(tx, userId);
		if (!secret || proof.code === undefined) return false;
		const step = matchTotp(decryptSecret(deps.keys.totp, userId, secret), proof.code, deps.now());
		return step !== null && (await acceptTotpStep(tx, userId, step));
	});
}
