// Prelogin, sign-up, and login with password and (when enabled) a second factor.
import { createHmac } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import {
	findCredentials,
	findKdf,
	insertUser,
	isUniqueViolation,
	totpState,
	acceptTotpStep,
	useBackupCode
} from '../../../db/accounts';
import { hashKey, verifyKey, verifyNothing } from '../../../auth/password-hash';
import { decryptSecret, hashBackupCode, matchTotp } from '../../../auth/totp';
import type { ApiDeps } from '../../env';
import { ApiError } from '../../problem';
import { jsonBody, problems } from '../../openapi';
import { createRouter } from '../../router';
import {
	Bytes,
	DerivedKey,
	Email,
	Kdf,
	KdfOut,
	SealedBundle,
	SecondFactorRequired,
	SessionGrant,
	b64
} from './schemas';
import { clientOf, grantSession, stepTokenSubject } from './session';

/**
 * What prelogin answers for an email with no account: a salt derived from the email with a server key
 * (stable across calls, unlinkable without the key) and the parameters new accounts get. Must equal
 * the crypto core's KDF_DEFAULTS (tested), or the answer would tell unknown emails apart.
 */
export const FAKE_KDF_PARAMS = { opsLimit: 3, memLimitBytes: 96 * 1024 * 1024 } as const;

const prelogin = createRoute({
	method: 'post',
	path: '/auth/prelogin',
	tags: ['Accounts'],
	summary: 'Key-derivation parameters for an email (fake but stable ones for unknown emails)',
	request: { body: jsonBody(z.object({ email: Email })) },
	responses: {
		200: {
			description: 'Parameters',
			content: { 'application/json': { schema: z.object({ kdf: KdfOut }) } }
		},
		...problems(400, 429)
	}
});

const signup = createRoute({
	method: 'post',
	path: '/auth/signup',
	tags: ['Accounts'],
	summary: 'Create an account from keys derived and sealed in the browser',
	request: {
		body: jsonBody(
			z.object({
				userId: z.uuid(),
				email: Email,
				kdf: Kdf,
				authKey: DerivedKey,
				publicKeys: z.object({ x25519: Bytes(32), ed25519: Bytes(32) }),
				masterBundle: SealedBundle,
				recoveryBundle: SealedBundle,
				recoveryAuthKey: DerivedKey
			})
		)
	},
	responses: {
		201: { description: 'Created and signed in', content: { 'application/json': { schema: SessionGrant } } },
		...problems(400, 409, 429)
	}
});

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
					code: z
						.string()
						.regex(/^\d{6}$/)
						.optional(),
					backupCode: z.string().min(12).max(20).optional()
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

/** Checks a TOTP or backup code for a user; consumes it (a code works once). */
export async function checkSecondFactor(
	deps: ApiDeps,
	userId: string,
	proof: { code?: string | undefined; backupCode?: string | undefined }
): Promise<boolean> {
	return deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
		if (proof.backupCode !== undefined) {
			return useBackupCode(tx, userId, hashBackupCode(deps.keys.backupCodes, userId, proof.backupCode));
		}
		const { secret } = await totpState(tx, userId);
		if (!secret || proof.code === undefined) return false;
		const step = matchTotp(decryptSecret(deps.keys.totp, userId, secret), proof.code, deps.now());
		return step !== null && (await acceptTotpStep(tx, userId, step));
	});
}

export const loginRoutes = (deps: ApiDeps) =>
	createRouter()
		.openapi(prelogin, async (c) => {
			const { email } = c.req.valid('json');
			await deps.limits.hit('prelogin', { ip: clientOf(c).ip, account: email });
			const kdf = await deps.db.withClaims({ role: 'stowage_auth' }, (tx) => findKdf(tx, email));
			const salt =
				kdf?.salt ?? createHmac('sha256', deps.keys.prelogin).update(email).digest().subarray(0, 16);
			const params = kdf ?? FAKE_KDF_PARAMS;
			return c.json(
				{
					kdf: {
						alg: 'argon2id13' as const,
						salt: b64(salt),
						opsLimit: params.opsLimit,
						memLimitBytes: params.memLimitBytes
					}
				},
				200
			);
		})
		.openapi(signup, async (c) => {
			const body = c.req.valid('json');
			await deps.limits.hit('signup', { ip: clientOf(c).ip });
			const [authHash, recoveryAuthHash] = await Promise.all([
				hashKey(body.authKey),
				hashKey(body.recoveryAuthKey)
			]);
			try {
				const grant = await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
					await insertUser(tx, {
						id: body.userId,
						email: body.email,
						kdf: { salt: body.kdf.salt, opsLimit: body.kdf.opsLimit, memLimitBytes: body.kdf.memLimitBytes },
						authHash,
						x25519Public: body.publicKeys.x25519,
						ed25519Public: body.publicKeys.ed25519,
						masterBundle: body.masterBundle,
						recoveryBundle: body.recoveryBundle,
						recoveryAuthHash
					});
					return grantSession(c, deps, tx, body.userId, 'password');
				});
				return c.json(grant, 201);
			} catch (error) {
				if (isUniqueViolation(error)) {
					throw new ApiError(
						409,
						'account_exists',
						'Account exists',
						'An account with this email already exists. Sign in instead.'
					);
				}
				throw error;
			}
		})
		.openapi(login, async (c) => {
			const { email, authKey } = c.req.valid('json');
			await deps.limits.hit('login', { ip: clientOf(c).ip, account: email });
			const user = await deps.db.withClaims({ role: 'stowage_auth' }, (tx) => findCredentials(tx, { email }));
			const ok = user ? await verifyKey(user.authHash, authKey) : await verifyNothing(authKey);
			if (!user || !ok) throw invalidCredentials();
			await deps.limits.clear('login', email);
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
			const userId = await stepTokenSubject(deps, 'mfa', body.mfaToken);
			await deps.limits.hit('totp', { ip: clientOf(c).ip, account: userId });
			if (!(await checkSecondFactor(deps, userId, body))) {
				throw new ApiError(401, 'invalid_code', 'Wrong code', 'That code is wrong or was already used.');
			}
			await deps.limits.clear('totp', userId);
			const grant = await deps.db.withClaims({ role: 'stowage_auth' }, (tx) =>
				grantSession(c, deps, tx, userId, 'password+totp')
			);
			return c.json(grant, 200);
		});
