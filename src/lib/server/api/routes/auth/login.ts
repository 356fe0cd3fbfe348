// Login: the auth key derived from the password, then (when two-factor is on) a TOTP or backup code.
import { createRoute, z } from '@hono/zod-openapi';
import { findCredentials } from '../../../db/users';
import { verifyKey, verifyNothing } from '../../../auth/password-hash';
import { checkSecondFactor } from '../../../accounts/second-factor';
import { logSecurityEventAlone } from '../../../accounts/security-log';
import { spendStepToken, verifyStepToken } from '../../../accounts/step-tokens';
import { clientOf } from '../../client-info';
import type { ApiDeps } from '../../env';
import { ApiError } from '../../problem';
import { jsonBody, problems } from '../../openapi';
import { createRouter } from '../../router';
import { grantSession } from '../../session-grant';
import { BackupCode, DerivedKey, Email, SecondFactorRequired, SessionGrant, TotpCode } from '../../schemas';

const login = createRoute({
	method: 'post',
	path: '/auth/login',
	tags: ['Accounts'],
	summary: 'Log in with the auth key derived from the password',
	request: { body: jsonBody(z.object({ email: Email, authKey: DerivedKey })) },
	responses: {
		200: {
			description: 'Signed in, or a second factor is needed',
			content: { 'application/json': { schema: z.union([SessionGrant, SecondFactorRequired]) } }
		},
		...problems(400, 401, 429)
	}
});

const secondFactor = createRoute({
	method: 'post',
	path: '/auth/login/totp',
	tags: ['Accounts'],
	summary: 'Complete a login with a TOTP code or a backup code',
	request: {
		body: jsonBody(
			z
				.object({
					mfaToken: z.string().max(2048),
					code: TotpCode.optional(),
					backupCode: BackupCode.optional()
				})
				.refine(
					(b) => (b.code === undefined) !== (b.backupCode === undefined),
					'send either code or backupCode'
				)
		)
	},
	responses: {
		200: { description: 'Signed in', content: { 'application/json': { schema: SessionGrant } } },
		...problems(400, 401, 429)
	}
});

const invalidCredentials = () =>
	new ApiError(401, 'invalid_credentials', 'Sign-in failed', 'The email or password is incorrect.');

export const loginRoutes = (deps: ApiDeps) =>
	createRouter()
		.openapi(login, async (c) => {
			const { email, authKey } = c.req.valid('json');
			await deps.limits.hit('login', { ip: clientOf(c).ip, account: email });
			const user = await deps.db.withClaims({ role: 'stowage_auth' }, (tx) => findCredentials(tx, { email }));
			const ok = user ? await verifyKey(user.authHash, authKey) : await verifyNothing(authKey);
			if (user && !ok) {
				await logSecurityEventAlone(deps.db, clientOf(c), {
					userId: user.id,
					kind: 'sign_in_failed',
					detail: { step: 'password' }
				});
			}
			if (!user || !ok) throw invalidCredentials();
			await deps.limits.clear('login', { ip: clientOf(c).ip, account: email });
			if (user.totpEnabled) {
				return c.json(
					{ secondFactor: 'totp' as const, mfaToken: await deps.tokens.sign('mfa', { sub: user.id }) },
					200
				);
			}
			const grant = await deps.db.withClaims({ role: 'stowage_auth' }, (tx) =>
				grantSession(c, deps, tx, user.id, 'password')
			);
			return c.json(grant, 200);
		})
		.openapi(secondFactor, async (c) => {
			const body = c.req.valid('json');
			const token = await verifyStepToken(deps, 'mfa', body.mfaToken);
			const userId = token.sub;
			await deps.limits.hit('totp', { ip: clientOf(c).ip, account: userId });
			if (!(await checkSecondFactor(deps, userId, body))) {
				await logSecurityEventAlone(deps.db, clientOf(c), {
					userId,
					kind: 'sign_in_failed',
					detail: { step: body.code === undefined ? 'backup_code' : 'totp' }
				});
				throw new ApiError(401, 'invalid_code', 'Wrong code', 'That code is wrong or was already used.');
			}
			await deps.limits.clear('totp', { ip: clientOf(c).ip, account: userId });
			// Spent with the session it grants: one mfa token, one session.
			const grant = await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
				await spendStepToken(tx, 'mfa', token);
				return grantSession(c, deps, tx, userId, 'password+totp');
			});
			return c.json(grant, 200);
		});
