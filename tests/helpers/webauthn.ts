// A software WebAuthn authenticator (ES256, no attestation) that can answer what a real one would not.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

export type RegistrationOverrides = {
	/** The credential id (raw bytes); random by default. */
	credentialId?: Uint8Array;
	/** Sent as `response.transports` verbatim, whatever its type. */
	transports?: unknown;
	/** Clears the UV flag. */
	withoutUserVerification?: boolean;
};

/** A registration response (RegistrationResponseJSON) for `options` as the API returned them. */
export function createRegistration(
	options: { challenge: string; rp: { id?: string } },
	origin: string,
	overrides: RegistrationOverrides = {}
) {
	const rpID = options.rp.id ?? new URL(origin).hostname;
	const credentialId = overrides.credentialId ?? new Uint8Array(randomBytes(32));
	const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
	const jwk = publicKey.export({ format: 'jwk' });
	// COSE_Key for ES256 (RFC 9053): kty EC2, alg -7, crv P-256, x, y.
	const cosePublicKey = isoCBOR.encode(
		new Map<number, number | Uint8Array>([
			[1, 2],
			[3, -7],
			[-1, 1],
			[-2, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))],
			[-3, new Uint8Array(Buffer.from(jwk.y!, 'base64url'))]
		])
	);
	// Flags: UP (0x01), UV (0x04), AT (0x40): attested credential data follows.
	const flags = 0x01 | 0x40 | (overrides.withoutUserVerification ? 0 : 0x04);
	const idLength = Buffer.alloc(2);
	idLength.writeUInt16BE(credentialId.length);
	const authData = Buffer.concat([
		createHash('sha256').update(rpID).digest(),
		Buffer.from([flags]),
		Buffer.alloc(4), // sign count
		Buffer.alloc(16), // AAGUID: none
		idLength,
		credentialId,
		cosePublicKey
	]);
	const attestationObject = isoCBOR.encode(
		new Map<string, string | Map<string, number> | Uint8Array>([
			['fmt', 'none'],
			['attStmt', new Map<string, number>()],
			['authData', new Uint8Array(authData)]
		])
	);
	const clientDataJSON = JSON.stringify({
		type: 'webauthn.create',
		challenge: options.challenge,
		origin,
		crossOrigin: false
	});
	const response: Record<string, unknown> = {
		clientDataJSON: b64url(new TextEncoder().encode(clientDataJSON)),
		attestationObject: b64url(attestationObject)
	};
	if ('transports' in overrides) response.transports = overrides.transports;
	return {
		credentialId: b64url(credentialId),
		response: {
			id: b64url(credentialId),
			rawId: b64url(credentialId),
			type: 'public-key',
			response,
			clientExtensionResults: {},
			authenticatorAttachment: 'platform'
		}
	};
}
