// The refresh token's cookie: HttpOnly, Secure, SameSite=Strict, and sent to the token endpoint only.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ApiEnv } from './env';

export const REFRESH_COOKIE = 'stowage_refresh';
/** The only path the browser sends the refresh cookie to. */
export const REFRESH_PATH = '/api/auth/token';
/** `maxAge` in seconds: what remains of the session (accounts/session-lifetime). */
export function setRefreshCookie(c: Context<ApiEnv>, token: string, maxAge: number) {
	setCookie(c, REFRESH_COOKIE, token, {
		path: REFRESH_PATH,
		httpOnly: true,
		secure: true,
		sameSite: 'Strict',
		maxAge,
		prefix: 'secure'
	});
}

export function readRefreshCookie(c: Context<ApiEnv>): string | undefined {
	return getCookie(c, REFRESH_COOKIE, 'secure');
}

export function clearRefreshCookie(c: Context<ApiEnv>) {
	deleteCookie(c, REFRESH_COOKIE, { path: REFRESH_PATH, secure: true, prefix: 'secure' });
}
