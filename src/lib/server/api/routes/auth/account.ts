// The signed-in account: key material, password change, sessions (list, revoke, sign out everywhere).
import { createRoute, z } from '@hono/zod-openapi';
import {
	keyMaterial,
	listOwnSessions,
	revokeSession,
	revokeSessions,
	updatePassword
} from '../../../db/accounts';
import { hashKey } from '../../../auth/password-hash';
import { authenticate } from '../../middleware/authenticate';
import type { ApiDeps } from '../../env';
import { ApiError } from '../../problem';
import { jsonBody, problems } from '../../openapi';
import { createRouter } from '../../router';
import { requirePassword } from './reauth';
import { Account, DerivedKey, Kdf, SealedBundle, Uuid } from './schemas';
import { accountView } from './session';

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

const me = createRoute({
	method: 'get',
	path: '/auth/me',
	tags: ['Accounts'],
	summary: 'The signed-in account and its sealed key material',
	security: [{ bearer: [] }],
	responses: {
		200: { description: 'Account', content: { 'application/json': { schema: Account } } },
		...problems(401)
	}
});

const changePassword = createRoute({
	method: 'post',
	path: '/auth/password',
	tags: ['Accounts'],
	summary: 'Change the password: new salt, auth key and master-key bundle; other sessions end',
	security: [{ bearer: [] }],
	request: {
		body: jsonBody(
			z.object({ currentAuthKey: DerivedKey, kdf: Kdf, authKey: DerivedKey, masterBundle: SealedBundle })
		)
	},
	responses: {
		200: {
			description: 'Changed',
			content: { 'application/json': { schema: z.object({ revokedSessions: z.number() }) } }
		},
		...problems(400, 401, 403, 429)
	}
});

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
	summary: 'Sign out every device, this one included',
	security: [{ bearer: [] }],
	responses: {
		200: {
			description: 'Revoked',
			content: { 'application/json': { schema: z.object({ revokedSessions: z.number() }) } }
		},
		...problems(401)
	}
});

export const accountRoutes = (deps: ApiDeps) => {
	const app = createRouter();
	app.use('/auth/me', authenticate(deps));
	app.use('/auth/password', authenticate(deps));
	app.use('/auth/sessions', authenticate(deps));
	app.use('/auth/sessions/*', authenticate(deps));
	return app
		.openapi(me, async (c) => {
			const { userId } = c.get('session');
			const account = await deps.db.withClaims({ role: 'stowage_auth' }, (tx) => keyMaterial(tx, userId));
			if (!account) throw new ApiError(404, 'not_found', 'Not found');
			return c.json(accountView(account), 200);
		})
		.openapi(changePassword, async (c) => {
			const { userId, sessionId } = c.get('session');
			const body = c.req.valid('json');
			await requirePassword(deps, c, body.currentAuthKey);
			const authHash = await hashKey(body.authKey);
			const revoked = await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
				await updatePassword(tx, userId, {
					kdf: { salt: body.kdf.salt, opsLimit: body.kdf.opsLimit, memLimitBytes: body.kdf.memLimitBytes },
					authHash,
					masterBundle: body.masterBundle
				});
				return revokeSessions(tx, userId, 'password_changed', sessionId);
			});
			return c.json({ revokedSessions: revoked }, 200);
		})
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
			const revoked = await deps.db.withClaims({ role: 'stowage_auth' }, (tx) =>
				revokeSessions(tx, userId, 'signed_out_everywhere')
			);
			return c.json({ revokedSessions: revoked }, 200);
		})
		.openapi(revoke, async (c) => {
			const { userId } = c.get('session');
			const { id } = c.req.valid('param');
			const done = await deps.db.withClaims({ role: 'stowage_auth' }, (tx) =>
				revokeSession(tx, userId, id, 'revoked')
			);
			// Another user's session id and an unknown one look the same.
			if (!done) throw new ApiError(404, 'not_found', 'Not found', 'No such session.');
			return c.body(null, 204);
		});
};
