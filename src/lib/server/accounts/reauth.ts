// Re-authentication, in one place: every credential change carries a fresh proof of the password (or of
// the recovery key) in the same request, so a borrowed or stolen session alone changes nothing that
// outlives it.
import type { Context } from 'hono';
import { findCredentials } from '../db/users';
import { verifyKey } from '../auth/password-hash';
import { clientOf } from '../api/client-info';
import type { ApiDeps, ApiEnv } from '../api/env';
import { ApiError } from '../api/problem';
import { logSecurityEventAlone } from './security-log';

/** The auth key derived from the password, or the recovery auth key derived from the recovery key. */
export type ReauthProof = { authKey: Uint8Array } | { recoveryAuthKey: Uint8Array };

export async function reauth(deps: ApiDeps, c: Context<ApiEnv>, proof: ReauthProof): Promise<void> {
	const { userId } = c.get('session');
	await deps.limits.hit('reauth', { ip: clientOf(c).ip, account: userId });
	const user = await deps.db.withClaims({ role: 'stowage_auth' }, (tx) =>
		findCredentials(tx, { id: userId })
	);
	const ok =
		user !== undefined &&
		('authKey' in proof
			? await verifyKey(user.authHash, proof.authKey)
			: await verifyKey(user.recoveryAuthHash, proof.recoveryAuthKey));
	if (!ok) {
		await logSecurityEventAlone(deps.db, clientOf(c), { userId, kind: 'reauth_failed' });
		throw new ApiError(
			403,
			'wrong_password',
			'Wrong password',
			'authKey' in proof ? 'Your current password is not correct.' : 'That recovery key is not correct.'
		);
	}
	await deps.limits.clear('reauth', { ip: clientOf(c).ip, account: userId });
}
