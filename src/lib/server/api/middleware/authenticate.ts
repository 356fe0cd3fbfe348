// Bearer access tokens: verified (HS256 pinned, issuer, audience, expiry), then the session is checked
// in the database on every request, so a revoked or expired session is refused at once rather than at
// the token's expiry.
import { createMiddleware } from 'hono/factory';
import { sessionStatus } from '../../db/sessions';
import { InvalidTokenError } from '../../auth/tokens';
import { endExpiredSession } from '../../accounts/session-lifetime';
import { clientOf } from '../client-info';
import type { ApiDeps, ApiEnv } from '../env';
import { ApiError } from '../problem';

const unauthenticated = () =>
	new ApiError(401, 'unauthenticated', 'Authentication required', 'Sign in again to continue.', {
		headers: { 'WWW-Authenticate': 'Bearer' }
	});

const sessionExpired = () =>
	new ApiError(401, 'session_expired', 'Session ended', 'Your session has ended. Sign in again.', {
		headers: { 'WWW-Authenticate': 'Bearer' }
	});

export const authenticate = ({
	tokens,
	db,
	sessionLifetime
}: Pick<ApiDeps, 'tokens' | 'db' | 'sessionLifetime'>) =>
	createMiddleware<ApiEnv>(async (c, next) => {
		const header = c.req.header('authorization') ?? '';
		const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header);
		if (!match) throw unauthenticated();
		let claims: { sub: string; sid?: string };
		try {
			claims = await tokens.verify('access', match[1]!);
		} catch (error) {
			if (error instanceof InvalidTokenError) throw unauthenticated();
			throw error;
		}
		const session = { userId: claims.sub, sessionId: claims.sid! };
		const status = await db.withClaims({ role: 'stowage_auth' }, async (tx) => {
			const found = await sessionStatus(tx, session.userId, session.sessionId, sessionLifetime);
			if (found.status === 'expired') await endExpiredSession(tx, clientOf(c), session, found.reason);
			return found.status;
		});
		if (status === 'expired') throw sessionExpired();
		if (status !== 'active') throw unauthenticated();
		c.set('session', session);
		await next();
	});
