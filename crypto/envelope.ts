// Sealed-record envelopes v1 (SPEC.md §6): one XChaCha20-Poly1305 envelope per row and domain.
import {
	checkDomain,
	checkEpoch,
	DOMAINS,
	domainFromId,
	idBytes,
	nameBytes,
	pae,
	RECORD_LABEL,
	type Domain,
	type RecordContext
} from './aad';
import { expectBytes, le64, readU32be, u32be, utf8 } from './bytes';
import { CryptoError } from './errors';
import { randomBytes } from './internal/rng';
import { KDF_CONTEXTS } from './kdf';
import type { DomainKey } from './keys';
import { decodeFields, encodeFieldsPadded, unpad, type FieldMap, type FieldValue } from './record';
import { aeadDecrypt, aeadEncrypt, kdfDerive, onWipe } from './sodium';

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

// ---- The record key, derived once per domain key ----------------------------------------------------------

interface CachedRecordKey {
	/** A copy of the domain key the subkey was derived from: a key whose bytes changed is derived again. */
	readonly from: Uint8Array;
	readonly recordKey: Uint8Array;
}

/**
 * SPEC.md §6.4 step 2, memoised: kdf(1, "stw-recd", domainKey) per DomainKey object. Keyed on the object
 * (so it goes when the key is collected) and checked against the bytes it was derived from (so a buffer that
 * was overwritten never gets another key's subkey). wipe() of the domain key wipes and drops the entry.
 */
const recordKeys = new WeakMap<Uint8Array, CachedRecordKey>();

function forget(key: Uint8Array): void {
	const e = recordKeys.get(key);
	if (e === undefined) return;
	recordKeys.delete(key);
	e.from.fill(0);
	e.recordKey.fill(0);
}
onWipe(forget);

/** Equality of two 32-byte keys without an early exit (the bytes are secret). */
function sameKey(a: Uint8Array, b: Uint8Array): boolean {
	let d = 0;
	for (let i = 0; i < 32; i++) d |= a[i]! ^ b[i]!;
	return d === 0;
}

function recordKey(key: DomainKey): Uint8Array {
	expectBytes(key, 32);
	const e = recordKeys.get(key);
	if (e !== undefined) {
		if (sameKey(e.from, key)) return e.recordKey;
		forget(key);
	}
	const recordKey = kdfDerive(32, 1, KDF_CONTEXTS.record, key);
	recordKeys.set(key, { from: key.slice(), recordKey });
	return recordKey;
}

// ---- The place: header and AAD (SPEC.md §6.3), precomputed for everything but the row id ------------------

/**
 * One (tenant, table, column, domain, epoch), validated once: the header and the AAD around the row id.
 * The AAD is PAE(label, tenantId, table, column, rowId, domain, LE64(epoch), header); only the rowId piece
 * changes from row to row, so `prefix` ends just before its LE64 length and `suffix` starts after its bytes.
 */
interface Place {
	readonly tenantId: string;
	readonly table: string;
	readonly column: string;
	readonly domain: Domain;
	readonly epoch: number;
	readonly header: Uint8Array;
	readonly prefix: Uint8Array;
	readonly suffix: Uint8Array;
}

/** Recently used places, compared field by field (a handful per bulk operation: one per table × column). */
const places: Place[] = [];
const MAX_PLACES = 16;
let nextSlot = 0;

function placeOf(ctx: RecordContext): Place {
	// Each field is read once: the values checked are the values used.
	const { tenantId, table, column, domain, epoch } = ctx;
	for (const p of places) {
		if (
			p.tenantId === tenantId &&
			p.table === table &&
			p.column === column &&
			p.domain === domain &&
			p.epoch === epoch
		) {
			return p;
		}
	}
	checkDomain(domain);
	checkEpoch(epoch);
	const tenant = idBytes(tenantId);
	const tableB = nameBytes(table);
	const columnB = nameBytes(column);
	const h = header(domain, epoch);
	const label = utf8(RECORD_LABEL);
	// The full PAE with an empty row id, cut around that piece's length field.
	const full = pae([label, tenant, tableB, columnB, EMPTY, utf8(domain), le64(epoch), h]);
	const at = 8 + (8 + label.length) + (8 + tenant.length) + (8 + tableB.length) + (8 + columnB.length);
	const place: Place = {
		tenantId,
		table,
		column,
		domain,
		epoch,
		header: h,
		prefix: full.slice(0, at),
		suffix: full.slice(at + 8)
	};
	places[nextSlot] = place;
	nextSlot = (nextSlot + 1) % MAX_PLACES;
	return place;
}

const EMPTY = new Uint8Array(0);

/**
 * Scratch buffers for the AAD and the padded plaintext of one seal or open at a time: both are copied into
 * libsodium's memory by the AEAD call, and a typed array above 64 bytes is the dearest allocation of a seal.
 * The plaintext is wiped after each seal. A nested call (a getter in a field map that seals) allocates.
 */
const aadScratch = new Uint8Array(1024); // the longest AAD is 510 bytes (128-byte ids, 63-byte names)
const plaintextScratch = new Uint8Array(4096);
let scratchBusy = false;

/** The AAD of SPEC.md §6.3 for one row of a place: the same bytes as recordAad(ctx, header). */
function aadOf(place: Place, rowId: string, scratch: Uint8Array | undefined): Uint8Array {
	const { prefix, suffix } = place;
	const at = prefix.length + 8;
	// An ASCII row id (1–128 characters, so 1–128 bytes) is written straight into the scratch.
	if (scratch !== undefined && typeof rowId === 'string' && rowId.length >= 1 && rowId.length <= 128) {
		const n = at + rowId.length + suffix.length;
		let i = 0;
		for (; i < rowId.length; i++) {
			const c = rowId.charCodeAt(i);
			if (c > 0x7f) break;
			scratch[at + i] = c;
		}
		if (i === rowId.length && n <= scratch.length) return finishAad(scratch, prefix, rowId.length, suffix);
	}
	const row = idBytes(rowId);
	const n = at + row.length + suffix.length;
	const aad = scratch !== undefined && n <= scratch.length ? scratch : new Uint8Array(n);
	aad.set(row, at);
	return finishAad(aad, prefix, row.length, suffix);
}

/** prefix ‖ LE64(rowLength) ‖ (row id, already at prefix.length + 8) ‖ suffix, as a view of `buf`. */
function finishAad(buf: Uint8Array, prefix: Uint8Array, rowLength: number, suffix: Uint8Array): Uint8Array {
	buf.set(prefix, 0);
	// LE64(len(rowId)): at most 128, so one byte and seven zeros.
	buf.fill(0, prefix.length, prefix.length + 8);
	buf[prefix.length] = rowLength;
	buf.set(suffix, prefix.length + 8 + rowLength);
	return buf.subarray(0, prefix.length + 8 + rowLength + suffix.length);
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
	expectBytes(key, 32);
	return seal(fields, key, ctx, null, 0);
}

/** How many nonces sealRecords draws from the CSPRNG at once (one getRandomValues call, 1,536 bytes). */
export const NONCE_BATCH = 64;

/**
 * SPEC.md §6.4 for many records under one domain key: the same envelopes as sealRecord on each item, but
 * the nonces are drawn NONCE_BATCH at a time (one CSPRNG call, not one per envelope: in Node a
 * getRandomValues call costs more than the AEAD of a typical record) and each slice is used once.
 */
export function sealRecords(
	key: DomainKey,
	items: readonly { readonly fields: FieldMap; readonly ctx: RecordContext }[]
): Uint8Array[] {
	expectBytes(key, 32);
	if (!Array.isArray(items)) throw new CryptoError('ERR_INVALID_INPUT', 'items must be an array');
	const out: Uint8Array[] = [];
	let pool: Uint8Array = EMPTY;
	for (let i = 0; i < items.length; i++) {
		const slot = i % NONCE_BATCH;
		// A fresh draw for every NONCE_BATCH items, sized to what is left: no slice is ever handed out twice.
		if (slot === 0) pool = randomBytes(NONCE_BYTES * Math.min(NONCE_BATCH, items.length - i));
		const item = items[i]!;
		out.push(seal(item.fields, key, item.ctx, pool, slot * NONCE_BYTES));
	}
	return out;
}

/** Steps 1–8 of SPEC.md §6.4 (the key's length already checked); the nonce from `pool` at `at`, or fresh. */
function seal(
	fields: FieldMap,
	key: DomainKey,
	ctx: RecordContext,
	pool: Uint8Array | null,
	at: number
): Uint8Array {
	// 1. Check the context before any libsodium call (the place validates the domain, the epoch, the
	//    tenant, table and column; aadOf the row id).
	const place = placeOf(ctx);
	const rowId = ctx.rowId;
	const own = !scratchBusy;
	scratchBusy = true;
	try {
		// 3–4. Canonical encoding, padded to its bucket. First: it is the one step that reads the caller's
		//      objects, so nothing the caller controls runs between the AAD, the key and the AEAD call.
		const plaintext = encodeFieldsPadded(fields, own ? plaintextScratch : undefined);
		// 6. The AAD (§6.3), around the header of step 5.
		const aad = aadOf(place, rowId, own ? aadScratch : undefined);
		// 2. The record key (derived once per domain key).
		const k = recordKey(key);
		// 5. A fresh nonce.
		const nonce = pool === null ? envelopeNonce() : pool.subarray(at, at + NONCE_BYTES);
		// 7. XChaCha20-Poly1305.
		const ct = aeadEncrypt(plaintext, aad, nonce, k);
		plaintext.fill(0);
		// 8. header ‖ nonce ‖ ct.
		const out = new Uint8Array(HEADER_BYTES + NONCE_BYTES + ct.length);
		out.set(place.header, 0);
		out.set(nonce, HEADER_BYTES);
		out.set(ct, HEADER_BYTES + NONCE_BYTES);
		return out;
	} finally {
		if (own) scratchBusy = false;
	}
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
	// 1. Caller's inputs: key, domain, epoch and identifiers (the place and the AAD validate them).
	expectBytes(key, 32);
	const place = placeOf(ctx);
	const rowId = ctx.rowId;
	const own = !scratchBusy;
	scratchBusy = true;
	let padded: Uint8Array | null;
	try {
		const aad = aadOf(place, rowId, own ? aadScratch : undefined);
		// 2. Structure: depends only on public bytes (SPEC.md §6.6).
		if (!(envelope instanceof Uint8Array) || envelope.length < 1)
			throw new CryptoError('ERR_MALFORMED', 'envelope');
		if (envelope[0] !== ENVELOPE_VERSION) throw new CryptoError('ERR_UNSUPPORTED_VERSION', 'envelope');
		if (envelope.length < MIN_ENVELOPE_BYTES) throw new CryptoError('ERR_MALFORMED', 'envelope too short');
		// 3. Header against the expected context: a mismatch is a failed open, not a distinct error.
		const h = place.header;
		let same = true;
		for (let i = 0; i < HEADER_BYTES; i++) same = same && envelope[i] === h[i];
		// 4. AAD from the expected context, then the AEAD with the record key (derived once per domain key).
		const nonce = envelope.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES);
		const ct = envelope.subarray(HEADER_BYTES + NONCE_BYTES);
		padded = same ? aeadDecrypt(ct, aad, nonce, recordKey(key)) : null;
	} finally {
		if (own) scratchBusy = false;
	}
	if (padded === null) throw new CryptoError('ERR_DECRYPTION_FAILED');
	// 5. Authenticated, so a malformed plaintext can only come from a key holder (SPEC.md §6.6).
	return decodeFields(unpad(padded));
}
