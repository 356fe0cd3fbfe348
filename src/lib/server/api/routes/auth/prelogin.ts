// Prelogin: the key-derivation parameters for an email, before any password is typed.
import { createRoute, z } from '@hono/zod-openapi';
import { serverSalt } from '../../../accounts/server-salt';
import { findKdf } from '../../../db/users';
import { clientOf } from '../../client-info';
import type { ApiDeps } from '../../env';
import { jsonBody, problems } from '../../openapi';
import { createRouter } from '../../router';
import { Email, KdfOut, b64 } from '../../schemas';

/**
 * What prelogin answers for an email with no account: the server salt every account of that email gets
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

export const preloginRoutes = (deps: ApiDeps) =>
	createRouter().openapi(prelogin, async (c) => {
		const { email } = c.req.valid('json');
		await deps.limits.hit('prelogin', { ip: clientOf(c).ip, account: email });
		const kdf = await deps.db.withClaims({ role: 'stowage_auth' }, (tx) => findKdf(tx, email));
		// Accounts made since SPEC.md §4.1.1 store exactly this salt; an older account keeps its stored one.
		const salt = kdf?.salt ?? serverSalt(deps.keys, email);
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
	});
