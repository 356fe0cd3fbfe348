// TOTP two-factor: start enrolment (secret shown once, as a QR code drawn in the browser), confirm with
// a first code (which returns single-use backup codes), disable with the password and a code.
import { createRoute, z } from '@hono/zod-openapi';
import {
	disableTotp,
	enableTotp,
	keyMaterial,
	setPendingTotp,
	totpState,
	acceptTotpStep,
	revokeSessions
} from '../../../db/accounts';
import {
	decryptSecret,
	encryptSecret,
	hashBackupCode,
	matchTotp,
	newBackupCodes,
	newTotpSecret,
	otpauthUri
} from '../../../auth/totp';
import { authenticate } from '../../middleware/authenticate';
import type { ApiDeps } from '../../env';
import { ApiError } from '../../problem';
import { jsonBody, problems } from '../../openapi';
import { createRouter } from '../../router';
import { requirePassword } from './reauth';
import { checkSecondFactor } from './login';
import { DerivedKey } from './schemas';
import { clientOf } from './session';

const Code = z.string().regex(/^\d{6}$/, 'must be 6 digits');

const setup = createRoute({
	method: 'post',
	path: '/auth/totp/setup',
	tags: ['Two-factor'],
	summary: 'Start TOTP enrolment: a new secret, pending until confirmed',
	security: [{ bearer: [] }],
	responses: {
		200: {
			description: 'Secret for the authenticator app',
			content: { 'application/json': { schema: z.object({ secret: z.string(), otpauthUri: z.string() }) } }
		},
		...problems(401, 409)
	}
});

const enable = createRoute({
	method: 'post',
	path: '/auth/totp/enable',
	tags: ['Two-factor'],
	summary: 'Confirm enrolment with a first code; returns single-use backup codes (shown once)',
	security: [{ bearer: [] }],
	request: { body: jsonBody(z.object({ code: Code })) },
	responses: {
		200: {
			description: 'Enabled',
			content: { 'application/json': { schema: z.object({ backupCodes: z.array(z.string()) }) } }
		},
		...problems(400, 401, 409, 429)
	}
});

const disable = createRoute({
	method: 'post',
	path: '/auth/totp/disable',
	tags: ['Two-factor'],
	summary: 'Turn two-factor off (needs the password and a current code or a backup code)',
	security: [{ bearer: [] }],
	request: {
		body: jsonBody(
			z.object({
				authKey: DerivedKey,
				code: Code.optional(),
				backupCode: z.string().min(12).max(20).optional()
			})
		)
	},
	responses: { 204: { description: 'Disabled' }, ...problems(400, 401, 403, 429) }
});

export const totpRoutes = (deps: ApiDeps) => {
	const app = createRouter();
	app.use('/auth/totp/*', authenticate(deps));
	return app
		.openapi(setup, async (c) => {
			const { userId } = c.get('session');
			const secret = newTotpSecret();
			const account = await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
				const state = await totpState(tx, userId);
				if (state.secret)
					throw new ApiError(409, 'totp_enabled', 'Already enabled', 'Two-factor is already on.');
				await setPendingTotp(tx, userId, encryptSecret(deps.keys.totp, userId, secret));
				return keyMaterial(tx, userId);
			});
			return c.json({ secret, otpauthUri: otpauthUri(secret, account?.email ?? 'account') }, 200);
		})
		.openapi(enable, async (c) => {
			const { userId } = c.get('session');
			const { code } = c.req.valid('json');
			await deps.limits.hit('totp', { ip: clientOf(c).ip, account: userId });
			const backupCodes = newBackupCodes();
			await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
				const state = await totpState(tx, userId);
				if (state.secret)
					throw new ApiError(409, 'totp_enabled', 'Already enabled', 'Two-factor is already on.');
				if (!state.pending)
					throw new ApiError(409, 'totp_not_started', 'Not started', 'Start the set-up again.');
				const step = matchTotp(decryptSecret(deps.keys.totp, userId, state.pending), code, deps.now());
				if (step === null || !(await acceptTotpStep(tx, userId, step))) {
					throw new ApiError(
						400,
						'invalid_code',
						'Wrong code',
						'That code is not right. Check the time on your device and try the next code.'
					);
				}
				await enableTotp(
					tx,
					userId,
					state.pending,
					backupCodes.map((b) => hashBackupCode(deps.keys.backupCodes, userId, b))
				);
			});
			await deps.limits.clear('totp', userId);
			return c.json({ backupCodes }, 200);
		})
		.openapi(disable, async (c) => {
			const { userId, sessionId } = c.get('session');
			const body = c.req.valid('json');
			await deps.limits.hit('totp', { ip: clientOf(c).ip, account: userId });
			await requirePassword(deps, c, body.authKey);
			if (!(await checkSecondFactor(deps, userId, body))) {
				throw new ApiError(403, 'invalid_code', 'Wrong code', 'That code is wrong or was already used.');
			}
			// A 2FA reset ends every other session at once.
			await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
				await disableTotp(tx, userId);
				await revokeSessions(tx, userId, '2fa_reset', sessionId);
			});
			return c.body(null, 204);
		});
};
