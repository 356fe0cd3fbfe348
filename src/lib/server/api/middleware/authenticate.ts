// Bearer access tokens: verified (HS256 pinned, issuer, audience, expiry), then the session is checked
// in the database on every request, so a revoked session is refused at once rather than at expiry.
import { createMiddleware } from 'hono/factory';
import { isSessionActive } from '../../db/sessions';
import { InvalidTokenError } from '../../auth/tokens';
import type { ApiDeps, ApiEnv } from '../env';
import { ApiError } from '../problem';

const unauthenticated = () =>
	new ApiError(401, 'unauthenticated', 'Authentication required', 'Sign in again to continue.', {
		headers: { 'WWW-Authenticate': 'Bearer' }
	});

export const authenticate = ({ tokens, db }: Pick<ApiDeps, 'tokens' | 'db'>) =>
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
		const active = await db.withClaims({ role: 'stowage_auth' }, (tx) =>
			isSessionActive(tx, session.userId, session.sessionId)
		);
		if (!active) throw unauthenticated();
		c.set('session', session);
		await next();
	});
