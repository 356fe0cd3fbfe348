// Passkeys (WebAuthn via SimpleWebAuthn), managed while signed in: add (with a fresh proof), list,
// remove (with a fresh proof). When the authenticator has PRF, the browser seals the identity bundle
// under a key derived from the PRF output and stores that sealed bundle here; the PRF output itself must
// never be sent.
import { createRoute, z } from '@hono/zod-openapi';
import {
	generateRegistrationOptions,
	verifyRegistrationResponse,
	type RegistrationResponseJSON
} from '@simplewebauthn/server';
import { keyMaterial } from '../../../db/users';
import {
	deletePasskey,
	insertPasskey,
	listOwnPasskeys,
	passkeyIds,
	saveChallenge,
	takeChallenge
} from '../../../db/passkeys';
import { reauth } from '../../../accounts/reauth';
import { logSecurityEvent } from '../../../accounts/security-log';
import { authenticate } from '../../middleware/authenticate';
import { clientOf } from '../../client-info';
import type { ApiDeps } from '../../env';
import { ApiError } from '../../problem';
import { jsonBody, problems } from '../../openapi';
import { createRouter } from '../../router';
import { Reauth, SealedBundle } from '../../schemas';
import { B64url, Options, PasskeyName, RegistrationResponse } from '../../passkey-schemas';

const Passkey = z
	.object({
		id: z.string(),
		name: z.string(),
		prf: z.boolean(),
		deviceType: z.string(),
		backedUp: z.boolean(),
		createdAt: z.string(),
		lastUsedAt: z.string().nullable()
	})
	.openapi('Passkey');

const registerOptions = createRoute({
	method: 'post',
	path: '/auth/passkeys/register/options',
	tags: ['Passkeys'],
	summary: 'WebAuthn creation options for a new passkey',
	security: [{ bearer: [] }],
	responses: {
		200: { description: 'Options', content: { 'application/json': { schema: Options } } },
		...problems(401)
	}
});

const register = createRoute({
	method: 'post',
	path: '/auth/passkeys/register',
	tags: ['Passkeys'],
	summary:
		'Verify and store a new passkey (needs a fresh proof; with its PRF-sealed bundle when the authenticator has PRF)',
	security: [{ bearer: [] }],
	request: {
		body: jsonBody(
			z.object({
				reauth: Reauth,
				challengeId: z.uuid(),
				name: PasskeyName,
				response: RegistrationResponse,
				prfBundle: SealedBundle.optional()
			})
		)
	},
	responses: {
		201: { description: 'Added', content: { 'application/json': { schema: Passkey } } },
		...problems(400, 401, 403, 429)
	}
});

const list = createRoute({
	method: 'get',
	path: '/auth/passkeys',
	tags: ['Passkeys'],
	summary: 'This account’s passkeys',
	security: [{ bearer: [] }],
	responses: {
		200: {
			description: 'Passkeys',
			content: { 'application/json': { schema: z.object({ passkeys: z.array(Passkey) }) } }
		},
		...problems(401)
	}
});

const remove = createRoute({
	method: 'delete',
	path: '/auth/passkeys/{id}',
	tags: ['Passkeys'],
	summary: 'Remove a passkey (needs a fresh proof)',
	security: [{ bearer: [] }],
	request: { params: z.object({ id: B64url }), body: jsonBody(z.object({ reauth: Reauth })) },
	responses: { 204: { description: 'Removed' }, ...problems(400, 401, 403, 404, 429) }
});

const notAdded = () =>
	new ApiError(400, 'passkey_invalid', 'Passkey not added', 'The passkey response did not verify.');

export const passkeyRoutes = (deps: ApiDeps) => {
	const { rpID, rpName, origin } = deps.webauthn;
	const app = createRouter();
	app.use('/auth/passkeys', authenticate(deps));
	app.use('/auth/passkeys/register/*', authenticate(deps));
	app.use('/auth/passkeys/register', authenticate(deps));
	app.on('DELETE', '/auth/passkeys/*', authenticate(deps));
	return app
		.openapi(registerOptions, async (c) => {
			const { userId } = c.get('session');
			const result = await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
				const account = await keyMaterial(tx, userId);
				if (!account) throw new ApiError(404, 'not_found', 'Not found');
				const existing = await passkeyIds(tx, userId);
				const options = await generateRegistrationOptions({
					rpName,
					rpID,
					userName: account.email,
					userID: new TextEncoder().encode(userId),
					attestationType: 'none',
					excludeCredentials: existing.map((id) => ({ id })),
					authenticatorSelection: { residentKey: 'required', userVerification: 'required' }
				});
				const challengeId = await saveChallenge(tx, {
					userId,
					purpose: 'register',
					challenge: options.challenge
				});
				return { challengeId, options };
			});
			return c.json(result, 200);
		})
		.openapi(register, async (c) => {
			const { userId } = c.get('session');
			const body = c.req.valid('json');
			await reauth(deps, c, body.reauth);
			// Taken in a transaction of its own, so that a failed attempt still uses the challenge up.
			const challenge = await deps.db.withClaims({ role: 'stowage_auth' }, (tx) =>
				takeChallenge(tx, body.challengeId, 'register', userId)
			);
			if (!challenge)
				throw new ApiError(
					400,
					'challenge_expired',
					'Start again',
					'That request expired. Add the passkey again.'
				);
			const passkey = await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
				const verification = await verifyRegistrationResponse({
					response: body.response as unknown as RegistrationResponseJSON,
					expectedChallenge: challenge,
					expectedOrigin: origin,
					expectedRPID: rpID,
					requireUserVerification: true
				}).catch(() => ({ verified: false as const }));
				if (!verification.verified) throw notAdded();
				const info = verification.registrationInfo;
				const added = await insertPasskey(tx, {
					id: info.credential.id,
					userId,
					name: body.name,
					publicKey: info.credential.publicKey,
					counter: info.credential.counter,
					// The validated list, not the library's copy of the raw one.
					transports: body.response.response.transports ?? [],
					deviceType: info.credentialDeviceType,
					backedUp: info.credentialBackedUp,
					prfBundle: body.prfBundle ?? null
				});
				// A credential id already registered (to anyone) answers as a failed verification does, so
				// the answer does not tell whether the id exists.
				if (!added) throw notAdded();
				await logSecurityEvent(tx, clientOf(c), {
					userId,
					kind: 'passkey_added',
					detail: { name: body.name, prf: body.prfBundle !== undefined }
				});
				return {
					id: info.credential.id,
					deviceType: info.credentialDeviceType,
					backedUp: info.credentialBackedUp
				};
			});
			return c.json(
				{
					...passkey,
					name: body.name,
					prf: body.prfBundle !== undefined,
					createdAt: new Date().toISOString(),
					lastUsedAt: null
				},
				201
			);
		})
		.openapi(list, async (c) => {
			const { userId } = c.get('session');
			const rows = await deps.db.withClaims({ role: 'authenticated', sub: userId }, (tx) =>
				listOwnPasskeys(tx)
			);
			return c.json(
				{
					passkeys: rows.map((p) => ({
						...p,
						createdAt: p.createdAt.toISOString(),
						lastUsedAt: p.lastUsedAt?.toISOString() ?? null
					}))
				},
				200
			);
		})
		.openapi(remove, async (c) => {
			const { userId } = c.get('session');
			const { id } = c.req.valid('param');
			await reauth(deps, c, c.req.valid('json').reauth);
			const done = await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
				const removed = await deletePasskey(tx, userId, id);
				if (removed) await logSecurityEvent(tx, clientOf(c), { userId, kind: 'passkey_removed' });
				return removed;
			});
			if (!done) throw new ApiError(404, 'not_found', 'Not found', 'No such passkey.');
			return c.body(null, 204);
		});
};
