// Passkeys (WebAuthn via SimpleWebAuthn): register while signed in, sign in with a discoverable
// credential. When the authenticator has PRF, the browser seals the identity bundle under a key derived
// from the PRF output and stores that sealed bundle here; the PRF output itself must never be sent.
import { createRoute, z } from '@hono/zod-openapi';
import {
	generateAuthenticationOptions,
	generateRegistrationOptions,
	verifyAuthenticationResponse,
	verifyRegistrationResponse,
	type AuthenticationResponseJSON,
	type RegistrationResponseJSON
} from '@simplewebauthn/server';
import {
	deletePasskey,
	findPasskey,
	insertPasskey,
	keyMaterial,
	listOwnPasskeys,
	passkeyIds,
	saveChallenge,
	takeChallenge,
	touchPasskey
} from '../../../db/accounts';
import { authenticate } from '../../middleware/authenticate';
import type { ApiDeps } from '../../env';
import { ApiError } from '../../problem';
import { jsonBody, problems } from '../../openapi';
import { createRouter } from '../../router';
import { SealedBundle, SessionGrant, b64 } from './schemas';
import { clientOf, grantSession } from './session';

const B64url = z
	.string()
	.regex(/^[A-Za-z0-9_-]+$/)
	.max(4096);

/** The PRF output is a secret key: a response that carries it is refused, so it never lands in a log. */
const ExtensionResults = z
	.object({
		prf: z
			.object({ enabled: z.boolean().optional() })
			.loose()
			.refine((prf) => !('results' in prf), 'must not carry the PRF output: it never leaves the browser')
			.optional()
	})
	.loose();

const RegistrationResponse = z
	.object({
		id: B64url,
		rawId: B64url,
		type: z.literal('public-key'),
		response: z.object({ clientDataJSON: B64url, attestationObject: z.string().max(16384) }).loose(),
		clientExtensionResults: ExtensionResults
	})
	.loose();

const AuthenticationResponse = z
	.object({
		id: B64url,
		rawId: B64url,
		type: z.literal('public-key'),
		response: z.object({ clientDataJSON: B64url, authenticatorData: B64url, signature: B64url }).loose(),
		clientExtensionResults: ExtensionResults
	})
	.loose();

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

const Options = z.object({ challengeId: z.uuid(), options: z.record(z.string(), z.unknown()) });

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
	summary: 'Verify and store a new passkey (with its PRF-sealed bundle when the authenticator has PRF)',
	security: [{ bearer: [] }],
	request: {
		body: jsonBody(
			z.object({
				challengeId: z.uuid(),
				name: z.string().trim().min(1).max(64),
				response: RegistrationResponse,
				prfBundle: SealedBundle.optional()
			})
		)
	},
	responses: {
		201: { description: 'Added', content: { 'application/json': { schema: Passkey } } },
		...problems(400, 401)
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
	summary: 'Remove a passkey',
	security: [{ bearer: [] }],
	request: { params: z.object({ id: B64url }) },
	responses: { 204: { description: 'Removed' }, ...problems(400, 401, 404) }
});

const loginOptions = createRoute({
	method: 'post',
	path: '/auth/passkeys/login/options',
	tags: ['Passkeys'],
	summary: 'WebAuthn request options for signing in with a discoverable passkey',
	responses: {
		200: { description: 'Options', content: { 'application/json': { schema: Options } } },
		...problems(429)
	}
});

const login = createRoute({
	method: 'post',
	path: '/auth/passkeys/login',
	tags: ['Passkeys'],
	summary: 'Sign in with a passkey; returns the PRF-sealed bundle when there is one',
	request: { body: jsonBody(z.object({ challengeId: z.uuid(), response: AuthenticationResponse })) },
	responses: {
		200: {
			description: 'Signed in',
			content: { 'application/json': { schema: SessionGrant.extend({ prfBundle: z.string().nullable() }) } }
		},
		...problems(400, 401, 429)
	}
});

const refused = () =>
	new ApiError(
		401,
		'passkey_failed',
		'Passkey not accepted',
		'That passkey could not be verified. Try again.'
	);

export const passkeyRoutes = (deps: ApiDeps) => {
	const { rpID, rpName, origin } = deps.webauthn;
	const app = createRouter();
	app.use('/auth/passkeys', authenticate(deps));
	app.use('/auth/passkeys/register/*', authenticate(deps));
	app.use('/auth/passkeys/register', authenticate(deps));
	// DELETE /auth/passkeys/{id}; the login routes stay public.
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
			const passkey = await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
				const challenge = await takeChallenge(tx, body.challengeId, 'register', userId);
				if (!challenge)
					throw new ApiError(
						400,
						'challenge_expired',
						'Start again',
						'That request expired. Add the passkey again.'
					);
				const verification = await verifyRegistrationResponse({
					response: body.response as unknown as RegistrationResponseJSON,
					expectedChallenge: challenge,
					expectedOrigin: origin,
					expectedRPID: rpID,
					requireUserVerification: true
				}).catch(() => ({ verified: false as const }));
				if (!verification.verified)
					throw new ApiError(
						400,
						'passkey_invalid',
						'Passkey not added',
						'The passkey response did not verify.'
					);
				const info = verification.registrationInfo;
				await insertPasskey(tx, {
					id: info.credential.id,
					userId,
					name: body.name,
					publicKey: info.credential.publicKey,
					counter: info.credential.counter,
					transports: info.credential.transports ?? [],
					deviceType: info.credentialDeviceType,
					backedUp: info.credentialBackedUp,
					prfBundle: body.prfBundle ?? null
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
			const done = await deps.db.withClaims({ role: 'stowage_auth' }, (tx) => deletePasskey(tx, userId, id));
			if (!done) throw new ApiError(404, 'not_found', 'Not found', 'No such passkey.');
			return c.body(null, 204);
		})
		.openapi(loginOptions, async (c) => {
			await deps.limits.hit('passkey', { ip: clientOf(c).ip });
			const options = await generateAuthenticationOptions({
				rpID,
				userVerification: 'required',
				allowCredentials: []
			});
			const challengeId = await deps.db.withClaims({ role: 'stowage_auth' }, (tx) =>
				saveChallenge(tx, { userId: null, purpose: 'authenticate', challenge: options.challenge })
			);
			return c.json({ challengeId, options }, 200);
		})
		.openapi(login, async (c) => {
			const body = c.req.valid('json');
			await deps.limits.hit('passkey', { ip: clientOf(c).ip });
			const grant = await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
				const challenge = await takeChallenge(tx, body.challengeId, 'authenticate', null);
				const stored = challenge ? await findPasskey(tx, body.response.id) : undefined;
				if (!challenge || !stored) throw refused();
				const verification = await verifyAuthenticationResponse({
					response: body.response as unknown as AuthenticationResponseJSON,
					expectedChallenge: challenge,
					expectedOrigin: origin,
					expectedRPID: rpID,
					requireUserVerification: true,
					credential: {
						id: stored.id,
						publicKey: new Uint8Array(stored.publicKey),
						counter: stored.counter,
						transports: stored.transports as never
					}
				}).catch(() => ({ verified: false, authenticationInfo: undefined }));
				if (!verification.verified || !verification.authenticationInfo) throw refused();
				await touchPasskey(tx, stored.id, verification.authenticationInfo.newCounter);
				const session = await grantSession(c, deps, tx, stored.userId, 'passkey');
				return { ...session, prfBundle: stored.prfBundle ? b64(stored.prfBundle) : null };
			});
			return c.json(grant, 200);
		});
};
