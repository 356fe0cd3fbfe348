// Sensitive changes (password, recovery key, two-factor) ask for the current password again: the
// signed-in session alone is not enough, since a session can be borrowed from an unlocked laptop.
import type { Context } from 'hono';
import { findCredentials } from '../../../db/accounts';
import { verifyKey } from '../../../auth/password-hash';
import type { ApiDeps, ApiEnv } from '../../env';
import { ApiError } from '../../problem';
import { clientOf } from './session';

export async function requirePassword(deps: ApiDeps, c: Context<ApiEnv>, authKey: Uint8Array): Promise<void> {
	const { userId } = c.get('session');
	await deps.limits.hit('login', { ip: clientOf(c).ip, account: userId });
	const user = await deps.db.withClaims({ role: 'stowage_auth' }, (tx) =>
		findCredentials(tx, { id: userId })
	);
	if (!user || !(await verifyKey(user.authHash, authKey))) {
		throw new ApiError(403, 'wrong_password', 'Wrong password', 'Your current password is not correct.');
	}
}
