// Signing in with a discoverable passkey (user verification required, so it counts as two factors);
// the answer carries the PRF-sealed bundle when there is one.
import { createRoute, z } from '@hono/zod-openapi';
import {
	generateAuthenticationOptions,
	verifyAuthenticationResponse,
	type AuthenticationResponseJSON
} from '@simplewebauthn/server';
import { findPasskey, saveChallenge, takeChallenge, touchPasskey } from '../../../db/passkeys';
import { clientOf } from '../../client-info';
import type { ApiDeps } from '../../env';
import { ApiError } from '../../problem';
import { jsonBody, problems } from '../../openapi';
import { createRouter } from '../../router';
import { grantSession } from '../../session-grant';
import { SessionGrant, b64 } from '../../schemas';
import { AuthenticationResponse, Options } from '../../passkey-schemas';

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

export const passkeyLoginRoutes = (deps: ApiDeps) => {
	const { rpID, origin } = deps.webauthn;
	return createRouter()
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
			await deps.limits.hit('passkey', { ip: clientOf(c).ip, account: body.response.id });
			// Taken in a transaction of its own, so that a failed attempt still uses the challenge up.
			const challenge = await deps.db.withClaims({ role: 'stowage_auth' }, (tx) =>
				takeChallenge(tx, body.challengeId, 'authenticate', null)
			);
			const grant = await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
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
			await deps.limits.clear('passkey', { ip: clientOf(c).ip, account: body.response.id });
			return c.json(grant, 200);
		});
};
