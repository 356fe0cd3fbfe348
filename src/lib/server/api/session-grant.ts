// Starting a session: a refresh token in its cookie, and a short-lived access token with the account's
// key material in the body.
import type { Context } from 'hono';
import { keyMaterial, type KeyMaterial } from '../db/users';
import { createSession, type SessionMethod } from '../db/sessions';
import type { SqlExecutor } from '../db/types';
import { ACCESS_TOKEN_SECONDS, newRefreshToken } from '../auth/tokens';
import { logSecurityEvent } from '../accounts/security-log';
import { refreshCookieSeconds } from '../accounts/session-lifetime';
import { clientOf } from './client-info';
import type { ApiDeps, ApiEnv } from './env';
import { ApiError } from './problem';
import { setRefreshCookie } from './refresh-cookie';
import { b64 } from './schemas';

export function accountView(k: KeyMaterial) {
	return {
		id: k.id,
		email: k.email,
		kdf: {
			alg: 'argon2id13' as const,
			salt: b64(k.kdf.salt),
			opsLimit: k.kdf.opsLimit,
			memLimitBytes: k.kdf.memLimitBytes
		},
		publicKeys: { x25519: b64(k.x25519Public), ed25519: b64(k.ed25519Public) },
		masterBundle: b64(k.masterBundle),
		totpEnabled: k.totpEnabled
	};
}

/** The body of every session grant (sign-in, refresh): an access token and the account. */
export async function grantBody(
	deps: ApiDeps,
	session: { userId: string; sessionId: string },
	account: KeyMaterial
) {
	return {
		accessToken: await deps.tokens.sign('access', { sub: session.userId, sid: session.sessionId }),
		expiresIn: ACCESS_TOKEN_SECONDS,
		idleLockMinutes: deps.idleLockMinutes,
		account: accountView(account)
	};
}

/** Creates the session inside the caller's transaction, sets its cookie and answers the grant. */
export async function grantSession(
	c: Context<ApiEnv>,
	deps: ApiDeps,
	tx: SqlExecutor,
	userId: string,
	method: SessionMethod
) {
	const refresh = newRefreshToken();
	const sessionId = await createSession(tx, { userId, method, refreshHash: refresh.hash, ...clientOf(c) });
	await logSecurityEvent(tx, clientOf(c), { userId, kind: 'signed_in', detail: { method } });
	const account = await keyMaterial(tx, userId);
	if (!account) throw new ApiError(404, 'not_found', 'Not found');
	setRefreshCookie(c, refresh.token, refreshCookieSeconds(deps.sessionLifetime));
	return grantBody(deps, { userId, sessionId }, account);
}
