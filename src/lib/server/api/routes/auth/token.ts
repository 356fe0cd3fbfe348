// POST /auth/token rotates the refresh token (cookie) for a new access token; DELETE signs this device
// out. The cookie is sent to this path only (HttpOnly, Secure, SameSite=Strict).
import { createRoute } from '@hono/zod-openapi';
import { keyMaterial } from '../../../db/users';
import { revokeSession, rotateRefreshToken, sessionOfRefreshToken } from '../../../db/sessions';
import { hashRefreshToken, newRefreshToken } from '../../../auth/tokens';
import { logSecurityEvent } from '../../../accounts/security-log';
import { endExpiredSession, refreshCookieSeconds } from '../../../accounts/session-lifetime';
import { clientOf } from '../../client-info';
import type { ApiDeps } from '../../env';
import { ApiError, ProblemSchema } from '../../problem';
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie } from '../../refresh-cookie';
import { createRouter } from '../../router';
import { SessionGrant } from '../../schemas';
import { grantBody } from '../../session-grant';

const problem = {
	description: 'Problem',
	content: { 'application/problem+json': { schema: ProblemSchema } }
};

const refresh = createRoute({
	method: 'post',
	path: '/auth/token',
	tags: ['Sessions'],
	summary: 'Exchange the refresh cookie for a new access token (rotating the cookie)',
	responses: {
		200: { description: 'A fresh access token', content: { 'application/json': { schema: SessionGrant } } },
		401: problem
	}
});

const signOut = createRoute({
	method: 'delete',
	path: '/auth/token',
	tags: ['Sessions'],
	summary: 'Sign this device out',
	responses: { 204: { description: 'Signed out' } }
});

const expired = () =>
	new ApiError(401, 'session_expired', 'Session ended', 'Your session has ended. Sign in again.');

export const tokenRoutes = (deps: ApiDeps) =>
	createRouter()
		.openapi(refresh, async (c) => {
			const token = readRefreshCookie(c);
			if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) throw expired();
			const next = newRefreshToken();
			const result = await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
				const rotation = await rotateRefreshToken(
					tx,
					hashRefreshToken(token),
					next.hash,
					clientOf(c),
					deps.sessionLifetime
				);
				if (rotation.status === 'reused') {
					await logSecurityEvent(tx, clientOf(c), { userId: rotation.userId, kind: 'refresh_token_reused' });
				}
				if (rotation.status === 'expired')
					await endExpiredSession(tx, clientOf(c), rotation, rotation.reason);
				return rotation.status === 'rotated'
					? { rotation, account: await keyMaterial(tx, rotation.userId) }
					: { rotation };
			});
			if (result.rotation.status === 'reused') {
				deps.logger.warn({ sessionId: result.rotation.sessionId }, 'refresh token reused: session revoked');
			}
			if (result.rotation.status !== 'rotated' || !result.account) {
				clearRefreshCookie(c);
				throw expired();
			}
			setRefreshCookie(c, next.token, refreshCookieSeconds(deps.sessionLifetime, result.rotation.endsIn));
			return c.json(await grantBody(deps, result.rotation, result.account), 200);
		})
		.openapi(signOut, async (c) => {
			const token = readRefreshCookie(c);
			if (token) {
				await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
					const session = await sessionOfRefreshToken(tx, hashRefreshToken(token));
					if (session && (await revokeSession(tx, session.userId, session.sessionId, 'signed_out'))) {
						await logSecurityEvent(tx, clientOf(c), { userId: session.userId, kind: 'signed_out' });
					}
				});
			}
			clearRefreshCookie(c);
			return c.body(null, 204);
		});
