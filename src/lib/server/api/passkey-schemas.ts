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

/** WebAuthn's AuthenticatorTransport values. */
export const TRANSPORTS = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'] as const;
export type Transport = (typeof TRANSPORTS)[number];
const isTransport = (t: string): t is Transport => (TRANSPORTS as readonly string[]).includes(t);

/**
 * What the authenticator says it can be reached by. Malformed values are refused; a well-formed value
 * from a newer spec is dropped rather than refused (WebAuthn asks relying parties to tolerate them), so
 * only known transports are stored, each once.
 */
const Transports = z
	.array(
		z
			.string()
			.max(32)
			.regex(/^[a-z][a-z0-9-]*$/, 'must be a WebAuthn transport name')
	)
	.max(8)
	.transform((ts) => [...new Set(ts.filter(isTransport))]);

export const RegistrationResponse = z
	.object({
		id: B64url,
		rawId: B64url,
		type: z.literal('public-key'),
		response: z
			.object({
				clientDataJSON: B64url,
				attestationObject: z.string().max(16384),
				transports: Transports.optional()
			})
			.loose(),
		clientExtensionResults: ExtensionResults
	})
	.loose();

/**
 * A name people give a passkey, shown in settings and the security log: no control characters (NUL
 * cannot be stored), line breaks or bidirectional overrides (which could disguise it), and well-formed
 * Unicode. Joiners stay allowed: emoji need them.
 */
export const PasskeyName = z
	.string()
	.trim()
	.min(1)
	.max(64)
	.refine((s) => s.isWellFormed() && !/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u.test(s), {
		message: 'must not contain control characters'
	});

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
