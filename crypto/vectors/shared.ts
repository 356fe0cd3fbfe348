// Helpers shared by the vector generator and the vector tests (JSON form of field maps, identities from seeds).
import { fromHex, toHex } from '../bytes';
import type { Ed25519PublicKey, Ed25519SecretKey, UserIdentity, X25519PublicKey, X25519SecretKey } from '../keys';
import type { FieldMap, FieldValue } from '../record';
import { ed25519SeedKeypair, x25519Base } from '../sodium';

/** JSON form of a field value: a string, null, or { "hex": "…" } for bytes. */
export type FieldJson = string | null | { hex: string };

export function encodeFieldsJson(fields: FieldMap): Record<string, FieldJson> {
	const out: Record<string, FieldJson> = {};
	for (const [k, v] of Object.entries(fields)) out[k] = v instanceof Uint8Array ? { hex: toHex(v) } : v;
	return out;
}

export function decodeFieldsJson(json: Record<string, FieldJson>): Record<string, FieldValue> {
	const out: Record<string, FieldValue> = {};
	for (const [k, v] of Object.entries(json)) out[k] = v !== null && typeof v === 'object' ? fromHex(v.hex) : v;
	return out;
}

/** SPEC.md §5.1, computed independently of identity.ts. */
export function identityFromSeedsForVectors(boxSeed: Uint8Array, signSeed: Uint8Array): UserIdentity {
	const sign = ed25519SeedKeypair(signSeed);
	return {
		boxSecretKey: boxSeed.slice() as X25519SecretKey,
		boxPublicKey: x25519Base(boxSeed) as X25519PublicKey,
		signSecretKey: sign.secretKey as Ed25519SecretKey,
		signPublicKey: sign.publicKey as Ed25519PublicKey
	};
}
