// The account's security log, and removing what was added in the 24 hours before a credential change.
import { createRoute, z } from '@hono/zod-openapi';
import { listOwnSecurityEvents } from '../../../db/security-events';
import { removeRecentAdditions } from '../../../accounts/recent-additions';
import { logSecurityEvent } from '../../../accounts/security-log';
import { spendStepToken, verifyStepToken } from '../../../accounts/step-tokens';
import { authenticate } from '../../middleware/authenticate';
import { clientOf } from '../../client-info';
import type { ApiDeps } from '../../env';
import { jsonBody, problems } from '../../openapi';
import { createRouter } from '../../router';

const SecurityEvent = z
	.object({
		id: z.string(),
		at: z.string(),
		kind: z.string(),
		ip: z.string().nullable(),
		userAgent: z.string().nullable(),
		detail: z.record(z.string(), z.unknown())
	})
	.openapi('SecurityEvent');

const log = createRoute({
	method: 'get',
	path: '/auth/security-log',
	tags: ['Accounts'],
	summary:
		'The newest security events of this account (sign-ins, failed sign-ins, factor and session changes)',
	security: [{ bearer: [] }],
	request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
	responses: {
		200: {
			description: 'Events, newest first',
			content: { 'application/json': { schema: z.object({ events: z.array(SecurityEvent) }) } }
		},
		...problems(400, 401)
	}
});

const cleanup = createRoute({
	method: 'post',
	path: '/auth/security/cleanup',
	tags: ['Accounts'],
	summary:
		'Remove passkeys and two-factor added in the 24 hours before a credential change, with the token it returned',
	request: {
		body: jsonBody(
			z.object({
				cleanupToken: z.string().max(4096),
				passkeys: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,1024}$/)).max(100),
				totp: z.boolean()
			})
		)
	},
	responses: {
		200: {
			description: 'Removed',
			content: {
				'application/json': {
					schema: z.object({ removedPasskeys: z.array(z.string()), totpRemoved: z.boolean() })
				}
			}
		},
		...problems(400, 401)
	}
});

export const securityRoutes = (deps: ApiDeps) => {
	const app = createRouter();
	app.use('/auth/security-log', authenticate(deps));
	return app
		.openapi(log, async (c) => {
			const { userId } = c.get('session');
			const { limit } = c.req.valid('query');
			const events = await deps.db.withClaims({ role: 'authenticated', sub: userId }, (tx) =>
				listOwnSecurityEvents(tx, limit)
			);
			return c.json({ events: events.map((e) => ({ ...e, at: e.at.toISOString() })) }, 200);
		})
		.openapi(cleanup, async (c) => {
			const body = c.req.valid('json');
			const token = await verifyStepToken(deps, 'cleanup', body.cleanupToken);
			// Only what the token lists: the proof covered that list, nothing added since.
			const listed = new Set(token.passkeys ?? []);
			const removed = await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
				await spendStepToken(tx, 'cleanup', token);
				const result = await removeRecentAdditions(tx, token.sub, {
					passkeys: body.passkeys.filter((id) => listed.has(id)),
					totp: body.totp && token.totp === true
				});
				await logSecurityEvent(tx, clientOf(c), {
					userId: token.sub,
					kind: 'recent_factors_removed',
					detail: { passkeys: result.passkeys.length, totp: result.totp }
				});
				return result;
			});
			return c.json({ removedPasskeys: removed.passkeys, totpRemoved: removed.totp }, 200);
		});
};
