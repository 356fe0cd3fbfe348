// Recovery: the recovery key (never sent) proves itself through a recovery auth key derived from it;
// the server then hands out the recovery-sealed bundle and accepts a new password. Every session ends.
import { createRoute, z } from '@hono/zod-openapi';
import {
	findCredentials,
	recoveryBundle,
	revokeSessions,
	updatePassword,
	updateRecovery
} from '../../../db/accounts';
import { hashKey, verifyKey, verifyNothing } from '../../../auth/password-hash';
import { authenticate } from '../../middleware/authenticate';
import type { ApiDeps } from '../../env';
import { ApiError } from '../../problem';
import { jsonBody, problems } from '../../openapi';
import { createRouter } from '../../router';
import { requirePassword } from './reauth';
import { checkSecondFactor } from './login';
import { DerivedKey, Email, Kdf, SealedBundle, SessionGrant, b64 } from './schemas';
import { clientOf, grantSession, stepTokenSubject } from './session';

const start = createRoute({
	method: 'post',
	path: '/auth/recovery',
	tags: ['Recovery'],
	summary: 'Prove the recovery key; receive the recovery-sealed bundle and a short recovery token',
	request: {
		body: jsonBody(
			z.object({
				email: Email,
				recoveryAuthKey: DerivedKey,
				code: z
					.string()
					.regex(/^\d{6}$/)
					.optional(),
				backupCode: z.string().min(12).max(20).optional()
			})
		)
	},
	responses: {
		200: {
			description: 'Recovery may proceed',
			content: {
				'application/json': {
					schema: z.object({ userId: z.uuid(), recoveryBundle: z.string(), recoveryToken: z.string() })
				}
			}
		},
		...problems(400, 401, 429)
	}
});

const complete = createRoute({
	method: 'post',
	path: '/auth/recovery/complete',
	tags: ['Recovery'],
	summary: 'Set a new password after recovery; every other session ends',
	request: {
		body: jsonBody(
			z.object({
				recoveryToken: z.string().max(2048),
				kdf: Kdf,
				authKey: DerivedKey,
				masterBundle: SealedBundle
			})
		)
	},
	responses: {
		200: {
			description: 'Recovered and signed in',
			content: { 'application/json': { schema: SessionGrant } }
		},
		...problems(400, 401)
	}
});

const rotate = createRoute({
	method: 'post',
	path: '/auth/recovery/rotate',
	tags: ['Recovery'],
	summary: 'Replace the recovery key (the old one stops working)',
	security: [{ bearer: [] }],
	request: {
		body: jsonBody(
			z.object({ authKey: DerivedKey, recoveryBundle: SealedBundle, recoveryAuthKey: DerivedKey })
		)
	},
	responses: { 204: { description: 'Rotated' }, ...problems(400, 401, 403) }
});

const failed = () =>
	new ApiError(401, 'recovery_failed', 'Recovery failed', 'The email, recovery key or code is not correct.');

export const recoveryRoutes = (deps: ApiDeps) => {
	const app = createRouter();
	app.use('/auth/recovery/rotate', authenticate(deps));
	return app
		.openapi(start, async (c) => {
			const body = c.req.valid('json');
			await deps.limits.hit('recovery', { ip: clientOf(c).ip, account: body.email });
			const user = await deps.db.withClaims({ role: 'stowage_auth' }, (tx) =>
				findCredentials(tx, { email: body.email })
			);
			const ok = user
				? await verifyKey(user.recoveryAuthHash, body.recoveryAuthKey)
				: await verifyNothing(body.recoveryAuthKey);
			if (!user || !ok) throw failed();
			// The recovery key replaces the password, not the second factor.
			if (user.totpEnabled && !(await checkSecondFactor(deps, user.id, body))) throw failed();
			const bundle = await deps.db.withClaims({ role: 'stowage_auth' }, (tx) => recoveryBundle(tx, user.id));
			if (!bundle) throw failed();
			await deps.limits.clear('recovery', body.email);
			return c.json(
				{
					userId: user.id,
					recoveryBundle: b64(bundle),
					recoveryToken: await deps.tokens.sign('recovery', { sub: user.id })
				},
				200
			);
		})
		.openapi(complete, async (c) => {
			const body = c.req.valid('json');
			const userId = await stepTokenSubject(deps, 'recovery', body.recoveryToken);
			const authHash = await hashKey(body.authKey);
			const grant = await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
				await updatePassword(tx, userId, {
					kdf: { salt: body.kdf.salt, opsLimit: body.kdf.opsLimit, memLimitBytes: body.kdf.memLimitBytes },
					authHash,
					masterBundle: body.masterBundle
				});
				await revokeSessions(tx, userId, 'recovered');
				return grantSession(c, deps, tx, userId, 'recovery');
			});
			return c.json(grant, 200);
		})
		.openapi(rotate, async (c) => {
			const { userId } = c.get('session');
			const body = c.req.valid('json');
			await requirePassword(deps, c, body.authKey);
			const recoveryAuthHash = await hashKey(body.recoveryAuthKey);
			await deps.db.withClaims({ role: 'stowage_auth' }, (tx) =>
				updateRecovery(tx, userId, { recoveryBundle: body.recoveryBundle, recoveryAuthHash })
			);
			return c.body(null, 204);
		});
};
