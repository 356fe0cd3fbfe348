// Starting a session: a refresh token in an HttpOnly cookie scoped to the token endpoint, and a
// short-lived access token with the account's key material in the body.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createSession, keyMaterial, type KeyMaterial, type SessionMethod } from '../../../db/accounts';
import type { SqlExecutor } from '../../../db/types';
import { ACCESS_TOKEN_SECONDS, InvalidTokenError, newRefreshToken } from '../../../auth/tokens';
import type { ApiDeps, ApiEnv } from '../../env';
import { ApiError } from '../../problem';
import { b64 } from './schemas';

export const REFRESH_COOKIE = 'stowage_refresh';
/** The only path the browser sends the refresh cookie to. */
export const REFRESH_PATH = '/api/auth/token';
const REFRESH_DAYS = 30;

export function clientOf(c: Context<ApiEnv>) {
	return { ip: c.env?.clientAddress, userAgent: c.req.header('user-agent') };
}

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

export function setRefreshCookie(c: Context<ApiEnv>, token: string) {
	setCookie(c, REFRESH_COOKIE, token, {
		path: REFRESH_PATH,
		httpOnly: true,
		secure: true,
		sameSite: 'Strict',
		maxAge: REFRESH_DAYS * 24 * 60 * 60,
		prefix: 'secure'
	});
}

export function readRefreshCookie(c: Context<ApiEnv>): string | undefined {
	return getCookie(c, REFRESH_COOKIE, 'secure');
}

export function clearRefreshCookie(c: Context<ApiEnv>) {
	deleteCookie(c, REFRESH_COOKIE, { path: REFRESH_PATH, secure: true, prefix: 'secure' });
}

/** Creates the session inside the caller's transaction and answers the grant. */
export async function grantSession(
	c: Context<ApiEnv>,
	deps: ApiDeps,
	tx: SqlExecutor,
	userId: string,
	method: SessionMethod
) {
	const refresh = newRefreshToken();
	const sessionId = await createSession(tx, { userId, method, refreshHash: refresh.hash, ...clientOf(c) });
	const account = await keyMaterial(tx, userId);
	if (!account) throw new ApiError(404, 'not_found', 'Not found');
	setRefreshCookie(c, refresh.token);
	return {
		accessToken: await deps.tokens.sign('access', { sub: userId, sid: sessionId }),
		expiresIn: ACCESS_TOKEN_SECONDS,
		idleLockMinutes: deps.idleLockMinutes,
		account: accountView(account)
	};
}

/**
 * The user a step token (between password and second factor, or between recovery key and new password)
 * was issued to. An expired or forged one is a 401 that tells the person to start the step again.
 */
export async function stepTokenSubject(
	deps: ApiDeps,
	kind: 'mfa' | 'recovery',
	token: string
): Promise<string> {
	try {
		return (await deps.tokens.verify(kind, token)).sub;
	} catch (error) {
		if (!(error instanceof InvalidTokenError)) throw error;
		const what = kind === 'mfa' ? 'sign-in' : 'recovery';
		throw new ApiError(
			401,
			'invalid_token',
			`${what[0]!.toUpperCase()}${what.slice(1)} expired`,
			`That ${what} took too long. Start again.`
		);
	}
}
