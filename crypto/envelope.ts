// Sealed-record envelopes v1 (SPEC.md §6): one XChaCha20-Poly1305 envelope per row and domain.
import {
	checkDomain,
	checkEpoch,
	DOMAINS,
	domainFromId,
	recordAad,
	type Domain,
	type RecordContext
} from './aad';
import { expectBytes, readU32be, u32be } from './bytes';
import { CryptoError } from './errors';
import { randomBytes } from './internal/rng';
import { KDF_CONTEXTS } from './kdf';
import type { DomainKey } from './keys';
import { decodeFields, encodeFieldsPadded, unpad, type FieldMap, type FieldValue } from './record';
import { aeadDecrypt, aeadEncrypt, kdfDerive } from './sodium';

export const ENVELOPE_VERSION = 0x01;
export const HEADER_BYTES = 6; // version ‖ domain ‖ u32be(epoch)
export const NONCE_BYTES = 24;
export const TAG_BYTES = 16;
/** Shortest input that is structurally an envelope v1 (header, nonce, tag). Shorter → ERR_MALFORMED. */
export const MIN_ENVELOPE_BYTES = HEADER_BYTES + NONCE_BYTES + TAG_BYTES;

/** The nonce source of every envelope (SPEC.md §6.4): 24 bytes from the platform CSPRNG. */
export function envelopeNonce(): Uint8Array {
	return randomBytes(NONCE_BYTES);
}

/** SPEC.md §6.4 step 2: the record key is a KDF subkey of the domain key, never the domain key itself. */
function recordKey(key: DomainKey): Uint8Array {
	expectBytes(key, 32);
	return kdfDerive(32, 1, KDF_CONTEXTS.record, key);
}

function header(domain: Domain, epoch: number): Uint8Array {
	const h = new Uint8Array(HEADER_BYTES);
	h[0] = ENVELOPE_VERSION;
	h[1] = DOMAINS[domain];
	h.set(u32be(epoch), 2);
	return h;
}

/** SPEC.md §6.4: seal a record's fields of one domain into an envelope bound to ctx. */
export function sealRecord(fields: FieldMap, key: DomainKey, ctx: RecordContext): Uint8Array {
	// 1. Check the key and the context before any libsodium call (building header and AAD (§6.3, step 6)
	//    validates the domain, the epoch and every identifier).
	expectBytes(key, 32);
	checkDomain(ctx.domain);
	checkEpoch(ctx.epoch);
	const h = header(ctx.domain, ctx.epoch);
	const aad = recordAad(ctx, h);
	// 3–4. Canonical encoding, padded to its bucket.
	const plaintext = encodeFieldsPadded(fields);
	// 2. The record key.
	const k = recordKey(key);
	// 5. A fresh nonce.
	const nonce = envelopeNonce();
	// 7. XChaCha20-Poly1305.
	const ct = aeadEncrypt(plaintext, aad, nonce, k);
	const out = new Uint8Array(HEADER_BYTES + NONCE_BYTES + ct.length);
	out.set(h, 0);
	out.set(nonce, HEADER_BYTES);
	out.set(ct, HEADER_BYTES + NONCE_BYTES);
	return out;
}

export interface EnvelopeHeader {
	readonly version: number;
	readonly domain: Domain;
	readonly epoch: number;
}

/**
 * Read the public header, to choose which domain key to open with (SPEC.md §6.5). Authenticates nothing:
 * openRecord re-checks the header against the expected context.
 */
export function parseEnvelopeHeader(envelope: Uint8Array): EnvelopeHeader {
	if (!(envelope instanceof Uint8Array) || envelope.length < 1)
		throw new CryptoError('ERR_MALFORMED', 'envelope');
	if (envelope[0] !== ENVELOPE_VERSION) throw new CryptoError('ERR_UNSUPPORTED_VERSION', 'envelope');
	if (envelope.length < MIN_ENVELOPE_BYTES) throw new CryptoError('ERR_MALFORMED', 'envelope too short');
	const domain = domainFromId(envelope[1]!);
	const epoch = readU32be(envelope, 2);
	if (domain === null || epoch === 0) throw new CryptoError('ERR_MALFORMED', 'envelope header');
	return { version: ENVELOPE_VERSION, domain, epoch };
}

/** SPEC.md §6.5: open an envelope expected at ctx. Any failure past the structural checks is one error. */
export function openRecord(
	envelope: Uint8Array,
	key: DomainKey,
	ctx: RecordContext
): Record<string, FieldValue> {
	// 1. Caller's inputs: key, domain, epoch and identifiers (building the AAD validates them).
	expectBytes(key, 32);
	checkDomain(ctx.domain);
	checkEpoch(ctx.epoch);
	const h = header(ctx.domain, ctx.epoch);
	const aad = recordAad(ctx, h);
	const k = recordKey(key);
	// 2. Structure: depends only on public bytes (SPEC.md §6.6).
	if (!(envelope instanceof Uint8Array) || envelope.length < 1)
		throw new CryptoError('ERR_MALFORMED', 'envelope');
	if (envelope[0] !== ENVELOPE_VERSION) throw new CryptoError('ERR_UNSUPPORTED_VERSION', 'envelope');
	if (envelope.length < MIN_ENVELOPE_BYTES) throw new CryptoError('ERR_MALFORMED', 'envelope too short');
	// 3. Header against the expected context: a mismatch is a failed open, not a distinct error.
	let same = true;
	for (let i = 0; i < HEADER_BYTES; i++) same = same && envelope[i] === h[i];
	// 4. AAD from the expected context, then the AEAD.
	const nonce = envelope.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES);
	const ct = envelope.subarray(HEADER_BYTES + NONCE_BYTES);
	const padded = same ? aeadDecrypt(ct, aad, nonce, k) : null;
	if (padded === null) throw new CryptoError('ERR_DECRYPTION_FAILED');
	// 5. Authenticated, so a malformed plaintext can only come from a key holder (SPEC.md §6.6).
	return decodeFields(unpad(padded));
}
