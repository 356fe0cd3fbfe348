// Shapes of WebAuthn requests and answers, shared by passkey management and passkey sign-in.
import { z } from '@hono/zod-openapi';

export const B64url = z
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

export const RegistrationResponse = z
	.object({
		id: B64url,
		rawId: B64url,
		type: z.literal('public-key'),
		response: z.object({ clientDataJSON: B64url, attestationObject: z.string().max(16384) }).loose(),
		clientExtensionResults: ExtensionResults
	})
	.loose();

export const AuthenticationResponse = z
	.object({
		id: B64url,
		rawId: B64url,
		type: z.literal('public-key'),
		response: z.object({ clientDataJSON: B64url, authenticatorData: B64url, signature: B64url }).loose(),
		clientExtensionResults: ExtensionResults
	})
	.loose();

export const Options = z.object({ challengeId: z.uuid(), options: z.record(z.string(), z.unknown()) });
