// The devices signed in to an account: list them, sign one out, or sign out everywhere.
import { createRoute, z } from '@hono/zod-openapi';
import { listOwnSessions, revokeSession, revokeSessions } from '../../../db/sessions';
import { reauth } from '../../../accounts/reauth';
import { offerCleanup } from '../../../accounts/recent-additions';
import { logSecurityEvent } from '../../../accounts/security-log';
import { authenticate } from '../../middleware/authenticate';
import { clientOf } from '../../client-info';
import type { ApiDeps } from '../../env';
import { ApiError } from '../../problem';
import { jsonBody, problems } from '../../openapi';
import { createRouter } from '../../router';
import { Cleanup, Reauth, Uuid } from '../../schemas';

const Session = z
	.object({
		id: z.uuid(),
		createdAt: z.string(),
		lastUsedAt: z.string(),
		ip: z.string().nullable(),
		userAgent: z.string().nullable(),
		method: z.string(),
		current: z.boolean()
	})
	.openapi('Session');

const sessions = createRoute({
	method: 'get',
	path: '/auth/sessions',
	tags: ['Sessions'],
	summary: 'Devices signed in to this account',
	security: [{ bearer: [] }],
	responses: {
		200: {
			description: 'Sessions',
			content: { 'application/json': { schema: z.object({ sessions: z.array(Session) }) } }
		},
		...problems(401)
	}
});

const revoke = createRoute({
	method: 'delete',
	path: '/auth/sessions/{id}',
	tags: ['Sessions'],
	summary: 'Sign one device out',
	security: [{ bearer: [] }],
	request: { params: z.object({ id: Uuid }) },
	responses: { 204: { description: 'Revoked' }, ...problems(400, 401, 404) }
});

const everywhere = createRoute({
	method: 'post',
	path: '/auth/sessions/sign-out-everywhere',
	tags: ['Sessions'],
	summary: 'Sign out every device, this one included (needs a fresh proof)',
	security: [{ bearer: [] }],
	request: { body: jsonBody(z.object({ reauth: Reauth })) },
	responses: {
		200: {
			description: 'Revoked',
			content: { 'application/json': { schema: Cleanup.extend({ revokedSessions: z.number() }) } }
		},
		...problems(400, 401, 403, 429)
	}
});

export const sessionRoutes = (deps: ApiDeps) => {
	const app = createRouter();
	app.use('/auth/sessions', authenticate(deps));
	app.use('/auth/sessions/*', authenticate(deps));
	return app
		.openapi(sessions, async (c) => {
			const { userId, sessionId } = c.get('session');
			// As the user: RLS shows their own sessions only.
			const list = await deps.db.withClaims({ role: 'authenticated', sub: userId }, (tx) =>
				listOwnSessions(tx)
			);
			return c.json(
				{
					sessions: list.map((s) => ({
						...s,
						createdAt: s.createdAt.toISOString(),
						lastUsedAt: s.lastUsedAt.toISOString(),
						current: s.id === sessionId
					}))
				},
				200
			);
		})
		.openapi(everywhere, async (c) => {
			const { userId } = c.get('session');
			await reauth(deps, c, c.req.valid('json').reauth);
			const result = await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
				const revokedSessions = await revokeSessions(tx, userId, 'signed_out_everywhere');
				await logSecurityEvent(tx, clientOf(c), {
					userId,
					kind: 'signed_out_everywhere',
					detail: { revokedSessions }
				});
				return { revokedSessions, ...(await offerCleanup(deps, tx, userId)) };
			});
			return c.json(result, 200);
		})
		.openapi(revoke, async (c) => {
			const { userId } = c.get('session');
			const { id } = c.req.valid('param');
			const done = await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
				const revoked = await revokeSession(tx, userId, id, 'revoked');
				if (revoked) await logSecurityEvent(tx, clientOf(c), { userId, kind: 'session_revoked' });
				return revoked;
			});
			// Another user's session id and an unknown one look the same.
			if (!done) throw new ApiError(404, 'not_found', 'Not found', 'No such session.');
			return c.body(null, 204);
		});
};
