// Sign-up: an account from keys derived and sealed in the browser; the server stores no usable key.
// And its check: whether an email is still free, asked before the page derives keys and shows a kit.
import { createRoute, z } from '@hono/zod-openapi';
import { requireServerSalt } from '../../../accounts/server-salt';
import { findKdf, insertUser } from '../../../db/users';
import { isUniqueViolation } from '../../../db/errors';
import { hashKey } from '../../../auth/password-hash';
import { clientOf } from '../../client-info';
import type { ApiDeps } from '../../env';
import { ApiError } from '../../problem';
import { jsonBody, problems } from '../../openapi';
import { createRouter } from '../../router';
import { grantSession } from '../../session-grant';
import { Bytes, DerivedKey, Email, Kdf, SealedBundle, SessionGrant } from '../../schemas';

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

const check = createRoute({
	method: 'post',
	path: '/auth/signup/check',
	tags: ['Accounts'],
	summary: 'Whether an email is free for a new account, asked before any key is derived',
	description:
		'Reveals no more than sign-up itself, which refuses a taken email with the same 409, and is rate-limited like it.',
	request: { body: jsonBody(z.object({ email: Email })) },
	responses: {
		204: { description: 'No account has this email' },
		...problems(400, 409, 429)
	}
});

const accountExists = () =>
	new ApiError(
		409,
		'account_exists',
		'Account exists',
		'An account with this email already exists. Sign in instead.'
	);

export const signupRoutes = (deps: ApiDeps) =>
	createRouter()
		.openapi(check, async (c) => {
			const { email } = c.req.valid('json');
			// Sign-up's policy, on counters of its own: one sign-up costs a check and a sign-up, and sharing
			// the counts would halve what one address (an office, a test run) may create in an hour.
			const ip = clientOf(c).ip;
			await deps.limits.hit('signup', { ip: ip === undefined ? undefined : `check:${ip}` });
			const taken = await deps.db.withClaims({ role: 'stowage_auth' }, (tx) => findKdf(tx, email));
			if (taken) throw accountExists();
			return c.body(null, 204);
		})
		.openapi(signup, async (c) => {
			const body = c.req.valid('json');
			await deps.limits.hit('signup', { ip: clientOf(c).ip });
			requireServerSalt(deps.keys, body.email, body.kdf.salt);
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
				if (isUniqueViolation(error)) throw accountExists();
				throw error;
			}
		});
