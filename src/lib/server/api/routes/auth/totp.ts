// TOTP two-factor: start enrolment (secret shown once, as a QR code drawn in the browser), confirm with
// a first code (which returns single-use backup codes), turn it off with a code. Each step carries a
// fresh proof of the password or recovery key: a session alone cannot turn two-factor on or off.
import { createRoute, z } from '@hono/zod-openapi';
import { keyMaterial } from '../../../db/users';
import { revokeSessions } from '../../../db/sessions';
import {
	acceptTotpStep,
	disableTotp,
	enableTotp,
	setPendingTotp,
	totpState
} from '../../../db/second-factors';
import {
	decryptSecret,
	encryptSecret,
	hashBackupCode,
	matchTotp,
	newBackupCodes,
	newTotpSecret,
	otpauthUri
} from '../../../auth/totp';
import { reauth } from '../../../accounts/reauth';
import { offerCleanup } from '../../../accounts/recent-additions';
import { checkSecondFactor } from '../../../accounts/second-factor';
import { logSecurityEvent } from '../../../accounts/security-log';
import { authenticate } from '../../middleware/authenticate';
import { clientOf } from '../../client-info';
import type { ApiDeps } from '../../env';
import { ApiError } from '../../problem';
import { jsonBody, problems } from '../../openapi';
import { createRouter } from '../../router';
import { BackupCode, Cleanup, Reauth, TotpCode } from '../../schemas';

const setup = createRoute({
	method: 'post',
	path: '/auth/totp/setup',
	tags: ['Two-factor'],
	summary: 'Start TOTP enrolment: a new secret, pending until confirmed',
	security: [{ bearer: [] }],
	request: { body: jsonBody(z.object({ reauth: Reauth })) },
	responses: {
		200: {
			description: 'Secret for the authenticator app',
			content: { 'application/json': { schema: z.object({ secret: z.string(), otpauthUri: z.string() }) } }
		},
		...problems(400, 401, 403, 409, 429)
	}
});

const enable = createRoute({
	method: 'post',
	path: '/auth/totp/enable',
	tags: ['Two-factor'],
	summary: 'Confirm enrolment with a first code; returns single-use backup codes (shown once)',
	security: [{ bearer: [] }],
	request: { body: jsonBody(z.object({ reauth: Reauth, code: TotpCode })) },
	responses: {
		200: {
			description: 'Enabled',
			content: { 'application/json': { schema: z.object({ backupCodes: z.array(z.string()) }) } }
		},
		...problems(400, 401, 403, 409, 429)
	}
});

const disable = createRoute({
	method: 'post',
	path: '/auth/totp/disable',
	tags: ['Two-factor'],
	summary:
		'Turn two-factor off (needs a fresh proof and a current code or a backup code); other sessions end',
	security: [{ bearer: [] }],
	request: {
		body: jsonBody(z.object({ reauth: Reauth, code: TotpCode.optional(), backupCode: BackupCode.optional() }))
	},
	responses: {
		200: { description: 'Disabled', content: { 'application/json': { schema: Cleanup } } },
		...problems(400, 401, 403, 429)
	}
});

const alreadyOn = () => new ApiError(409, 'totp_enabled', 'Already enabled', 'Two-factor is already on.');

export const totpRoutes = (deps: ApiDeps) => {
	const app = createRouter();
	app.use('/auth/totp/*', authenticate(deps));
	return app
		.openapi(setup, async (c) => {
			const { userId } = c.get('session');
			await reauth(deps, c, c.req.valid('json').reauth);
			const secret = newTotpSecret();
			const account = await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
				const state = await totpState(tx, userId);
				if (state.secret) throw alreadyOn();
				await setPendingTotp(tx, userId, encryptSecret(deps.keys.totp, userId, secret));
				return keyMaterial(tx, userId);
			});
			return c.json({ secret, otpauthUri: otpauthUri(secret, account?.email ?? 'account') }, 200);
		})
		.openapi(enable, async (c) => {
			const { userId } = c.get('session');
			const { code, reauth: proof } = c.req.valid('json');
			await deps.limits.hit('totp', { ip: clientOf(c).ip, account: userId });
			await reauth(deps, c, proof);
			const backupCodes = newBackupCodes();
			await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
				const state = await totpState(tx, userId);
				if (state.secret) throw alreadyOn();
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
				await logSecurityEvent(tx, clientOf(c), { userId, kind: 'totp_enabled' });
			});
			await deps.limits.clear('totp', { ip: clientOf(c).ip, account: userId });
			return c.json({ backupCodes }, 200);
		})
		.openapi(disable, async (c) => {
			const { userId, sessionId } = c.get('session');
			const body = c.req.valid('json');
			await deps.limits.hit('totp', { ip: clientOf(c).ip, account: userId });
			await reauth(deps, c, body.reauth);
			if (!(await checkSecondFactor(deps, userId, body))) {
				throw new ApiError(403, 'invalid_code', 'Wrong code', 'That code is wrong or was already used.');
			}
			// A 2FA reset ends every other session at once, and lists the passkeys added just before it.
			const result = await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
				await disableTotp(tx, userId);
				const revokedSessions = await revokeSessions(tx, userId, '2fa_reset', sessionId);
				await logSecurityEvent(tx, clientOf(c), {
					userId,
					kind: 'totp_disabled',
					detail: { revokedSessions }
				});
				return offerCleanup(deps, tx, userId);
			});
			return c.json(result, 200);
		});
};
