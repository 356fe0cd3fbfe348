// Recovery: the recovery key (never sent) proves itself through a recovery auth key derived from it;
// the server then hands out the recovery-sealed bundle and accepts a new password. Every session ends,
// and whatever was added in the 24 hours before (passkeys, two-factor) goes: a thief who held a session
// cannot keep the account through a factor of their own.
import { createRoute, z } from '@hono/zod-openapi';
import { requireServerSalt } from '../../../accounts/server-salt';
import { findCredentials, keyMaterial, recoveryBundle, updatePassword } from '../../../db/users';
import { revokeSessions } from '../../../db/sessions';
import { totpEnabledRecently } from '../../../db/second-factors';
import { hashKey, verifyKey, verifyNothing } from '../../../auth/password-hash';
import { removeAllRecentAdditions } from '../../../accounts/recent-additions';
import { checkSecondFactor } from '../../../accounts/second-factor';
import { logSecurityEvent } from '../../../accounts/security-log';
import { spendStepToken, verifyStepToken } from '../../../accounts/step-tokens';
import { clientOf } from '../../client-info';
import type { ApiDeps } from '../../env';
import { ApiError } from '../../problem';
import { jsonBody, problems } from '../../openapi';
import { createRouter } from '../../router';
import { grantSession } from '../../session-grant';
import { BackupCode, DerivedKey, Email, Kdf, SealedBundle, SessionGrant, TotpCode, b64 } from '../../schemas';

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
				code: TotpCode.optional(),
				backupCode: BackupCode.optional()
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
	summary:
		'Set a new password after recovery; every session ends, and passkeys and two-factor added in the last 24 hours are removed',
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

const failed = () =>
	new ApiError(401, 'recovery_failed', 'Recovery failed', 'The email, recovery key or code is not correct.');

export const recoveryRoutes = (deps: ApiDeps) =>
	createRouter()
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
			// The recovery key replaces the password, not a second factor the owner has had for a while; one
			// turned on in the last 24 hours may be a thief's, and recovery removes it.
			const { bundle, recentTotp } = await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => ({
				bundle: await recoveryBundle(tx, user.id),
				recentTotp: (await totpEnabledRecently(tx, user.id)) !== null
			}));
			if (user.totpEnabled && !recentTotp) {
				if (body.code === undefined && body.backupCode === undefined) {
					// The recovery key was right: saying that a code is missing reveals nothing new.
					throw new ApiError(
						401,
						'second_factor_required',
						'Code needed',
						'Enter the code from your authenticator app, or a backup code.'
					);
				}
				// Codes guessed here count against the same limits as at sign-in.
				await deps.limits.hit('totp', { ip: clientOf(c).ip, account: user.id });
				if (!(await checkSecondFactor(deps, user.id, body))) throw failed();
			}
			if (!bundle) throw failed();
			await deps.limits.clear('recovery', { ip: clientOf(c).ip, account: body.email });
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
			const token = await verifyStepToken(deps, 'recovery', body.recoveryToken);
			const userId = token.sub;
			const authHash = await hashKey(body.authKey);
			const grant = await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
				const account = await keyMaterial(tx, userId);
				if (account) requireServerSalt(deps.keys, account.email, body.kdf.salt);
				await spendStepToken(tx, 'recovery', token);
				await updatePassword(tx, userId, {
					kdf: { salt: body.kdf.salt, opsLimit: body.kdf.opsLimit, memLimitBytes: body.kdf.memLimitBytes },
					authHash,
					masterBundle: body.masterBundle
				});
				const revokedSessions = await revokeSessions(tx, userId, 'recovered');
				const removed = await removeAllRecentAdditions(tx, userId);
				await logSecurityEvent(tx, clientOf(c), {
					userId,
					kind: 'recovered',
					detail: { revokedSessions, removedPasskeys: removed.passkeys.length, totpRemoved: removed.totp }
				});
				return grantSession(c, deps, tx, userId, 'recovery');
			});
			return c.json(grant, 200);
		});
