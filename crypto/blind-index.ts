// Blind indexes for server-side equality on SKU and ASIN (SPEC.md §10).
import { nameBytes, pae } from './aad';
import { expectBytes, utf8 } from './bytes';
import { CryptoError } from './errors';
import { KDF_CONTEXTS } from './kdf';
import type { BlindIndexKey, DomainKey } from './keys';
import { brandKey } from './keys';
import { blake2b, kdfDerive } from './sodium';

export const BLIND_INDEX_LABEL = 'stowage/blind-index/v1';
export const BLIND_INDEX_BYTES = 16;

/** How a value is normalised before indexing (SPEC.md §10.1). */
export type NormalisationKind = 'exact' | 'sku' | 'asin';

/** SPEC.md §10.2: bidxKey = crypto_kdf_derive_from_key(32, 1, "stw-bidx", domainKey). */
export function deriveBlindIndexKey(domainKey: DomainKey): BlindIndexKey {
	expectBytes(domainKey, 32);
	return brandKey<BlindIndexKey>(kdfDerive(32, 1, KDF_CONTEXTS.blindIndex, domainKey));
}

/**
 * SPEC.md §10.1: NFC → trim (ECMAScript White_Space and line terminators) → for sku/asin, Unicode default
 * lower-casing (String.prototype.toLowerCase, locale-independent) → NFC again. Empty results are rejected.
 */
export function normalise(kind: NormalisationKind, value: string): string {
	if (typeof value !== 'string') throw new CryptoError('ERR_INVALID_INPUT', 'value must be a string');
	let v = value.normalize('NFC').trim();
	if (kind === 'sku' || kind === 'asin') v = v.toLowerCase().normalize('NFC');
	else if (kind !== 'exact') throw new CryptoError('ERR_INVALID_INPUT', 'unknown normalisation');
	if (v.length === 0) throw new CryptoError('ERR_INVALID_INPUT', 'empty value');
	return v;
}

/**
 * SPEC.md §10.3: first 16 bytes of BLAKE2b-256(key = bidxKey,
 * PAE("stowage/blind-index/v1", table, column, kind, UTF-8(normalise(kind, value)))).
 */
export function blindIndex(
	key: BlindIndexKey,
	where: { table: string; column: string },
	kind: NormalisationKind,
	value: string
): Uint8Array {
	expectBytes(key, 32);
	const v = normalise(kind, value);
	const msg = pae([
		utf8(BLIND_INDEX_LABEL),
		nameBytes(where.table),
		nameBytes(where.column),
		utf8(kind),
		utf8(v)
	]);
	return blake2b(32, msg, key).slice(0, BLIND_INDEX_BYTES);
}
