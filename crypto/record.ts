// Canonical, versioned encoding of a record's field map, and padding to size buckets (SPEC.md §6.1, §6.2).
import { fromUtf8, readU32be, utf8 } from './bytes';
import { CryptoError } from './errors';

/** A field value: text, raw bytes, or an explicit null (a cleared field). */
export type FieldValue = string | Uint8Array | null;
export type FieldMap = Readonly<Record<string, FieldValue>>;

export const RECORD_ENCODING_VERSION = 0x01;
const T_NULL = 0x00;
const T_STRING = 0x01;
const T_BYTES = 0x02;
const FIELD_NAME = /^[a-z][a-z0-9_]{0,62}$/;
export const MAX_FIELDS = 256;
/** Largest encoded record (before padding): 1 MiB. */
export const MAX_RECORD_BYTES = 1 << 20;

function compareBytes(a: Uint8Array, b: Uint8Array): number {
	const n = Math.min(a.length, b.length);
	for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
	return a.length - b.length;
}

/**
 * SPEC.md §6.1: 0x01 ‖ u16be(count) ‖ for each field in ascending byte order of its name:
 * u8(len(name)) ‖ name ‖ u8(type) ‖ u32be(len(value)) ‖ value.
 */
export function encodeFields(fields: FieldMap): Uint8Array {
	const { out, length } = encodeInto(fields, namesOf(fields), false);
	return out.subarray(0, length);
}

/**
 * encodeFields followed by pad (SPEC.md §6.2), written into one buffer. With `scratch`, the result is a view
 * of it when the bucket fits (envelope.ts reuses one buffer and wipes it after each seal): a typed array of
 * more than 64 bytes costs more to allocate in V8 than the rest of the encoding.
 */
export function encodeFieldsPadded(fields: FieldMap, scratch?: Uint8Array): Uint8Array {
	const names = namesOf(fields);
	return (scratch && encodeInOnePass(fields, names, scratch)) ?? encodeInto(fields, names, true).out;
}

function namesOf(fields: FieldMap): readonly string[] {
	if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
		throw new CryptoError('ERR_INVALID_INPUT', 'fields must be an object');
	}
	return sortedNames(Object.keys(fields));
}

// Bulk seals repeat one shape (the same field names in the same order): its sorted, validated names are kept.
let lastKeys: readonly string[] = [];
let lastSorted: readonly string[] = [];

/** The names in ascending byte order, each checked against FIELD_NAME (ERR_INVALID_INPUT). */
function sortedNames(keys: string[]): readonly string[] {
	if (keys.length === lastKeys.length) {
		let same = true;
		for (let i = 0; i < keys.length && same; i++) same = keys[i] === lastKeys[i];
		if (same) return lastSorted;
	}
	if (keys.length > MAX_FIELDS) throw new CryptoError('ERR_INVALID_INPUT', 'too many fields');
	const sorted = keys.slice();
	for (const name of sorted) {
		if (!FIELD_NAME.test(name))
			throw new CryptoError('ERR_INVALID_INPUT', 'field names are [a-z][a-z0-9_]{0,62}');
	}
	// Field names are ASCII ([a-z][a-z0-9_]*), so UTF-16 code-unit order is byte order.
	sorted.sort();
	lastKeys = keys;
	lastSorted = sorted;
	return sorted;
}

/** Longest string value written straight from its UTF-16 code units when it is ASCII (as bytes.ts utf8). */
const ASCII_DIRECT = 1024;

function isAscii(s: string): boolean {
	if (s.length > ASCII_DIRECT) return false;
	for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
	return true;
}

function encodeInto(
	fields: FieldMap,
	names: readonly string[],
	padded: boolean
): { out: Uint8Array; length: number } {
	const types: number[] = [];
	// An ASCII string is kept as the string (its bytes are its code units); anything else as its bytes.
	const bodies: Array<Uint8Array | string> = [];
	let total = 3;
	for (let i = 0; i < names.length; i++) {
		const name = names[i]!;
		// Every value is read in this first pass: nothing the caller controls runs while the buffer is written.
		const value = fields[name];
		let body: Uint8Array | string;
		if (value === null) {
			types.push(T_NULL);
			body = EMPTY;
		} else if (typeof value === 'string') {
			types.push(T_STRING);
			body = isAscii(value) ? value : utf8(value);
		} else if (value instanceof Uint8Array) {
			types.push(T_BYTES);
			body = value;
		} else {
			throw new CryptoError('ERR_INVALID_INPUT', 'field values are string, Uint8Array or null');
		}
		bodies.push(body);
		total += 1 + name.length + 1 + 4 + body.length;
		if (total > MAX_RECORD_BYTES) throw new CryptoError('ERR_INVALID_INPUT', 'record too large');
	}
	// Fresh, so zero: the padding after the marker needs no writing.
	const out = new Uint8Array(padded ? bucketSize(total) : total);
	out[0] = RECORD_ENCODING_VERSION;
	out[1] = names.length >> 8;
	out[2] = names.length & 0xff;
	let at = 3;
	for (let i = 0; i < names.length; i++) {
		const name = names[i]!;
		const body = bodies[i]!;
		out[at++] = name.length;
		for (let j = 0; j < name.length; j++) out[at++] = name.charCodeAt(j);
		out[at++] = types[i]!;
		out[at++] = body.length >>> 24;
		out[at++] = (body.length >>> 16) & 0xff;
		out[at++] = (body.length >>> 8) & 0xff;
		out[at++] = body.length & 0xff;
		if (typeof body === 'string') {
			for (let j = 0; j < body.length; j++) out[at++] = body.charCodeAt(j);
		} else {
			out.set(body, at);
			at += body.length;
		}
	}
	if (padded) out[at] = 0x80;
	return { out, length: total };
}

const EMPTY = new Uint8Array(0);

/**
 * encodeFieldsPadded straight into `scratch`, reading and writing each value once (an ASCII string is
 * copied while it is checked). Null when the record does not fit: the caller takes the two-pass path.
 * A getter in `fields` that seals again cannot reach this scratch (envelope.ts lends it to one call at a time).
 */
function encodeInOnePass(fields: FieldMap, names: readonly string[], scratch: Uint8Array): Uint8Array | null {
	// Room for the 0x80 marker, so bucketSize(at) ≤ scratch.length whenever at < limit.
	const limit = scratch.length - 1;
	scratch[0] = RECORD_ENCODING_VERSION;
	scratch[1] = names.length >> 8;
	scratch[2] = names.length & 0xff;
	let at = 3;
	for (let i = 0; i < names.length; i++) {
		const name = names[i]!;
		const value = fields[name];
		if (at + 6 + name.length > limit) return null;
		scratch[at++] = name.length;
		for (let j = 0; j < name.length; j++) scratch[at++] = name.charCodeAt(j);
		const head = at;
		at += 5;
		let type: number;
		let length: number;
		if (value === null) {
			type = T_NULL;
			length = 0;
		} else if (typeof value === 'string') {
			type = T_STRING;
			// UTF-8 is never shorter than UTF-16 code units, so a string too long here is too long as bytes.
			if (at + value.length > limit) return null;
			let j = 0;
			for (; j < value.length; j++) {
				const c = value.charCodeAt(j);
				if (c > 0x7f) break;
				scratch[at + j] = c;
			}
			if (j === value.length) {
				length = j;
			} else {
				const b = utf8(value);
				if (at + b.length > limit) return null;
				scratch.set(b, at);
				length = b.length;
			}
		} else if (value instanceof Uint8Array) {
			type = T_BYTES;
			length = value.length;
			if (at + length > limit) return null;
			scratch.set(value, at);
		} else {
			throw new CryptoError('ERR_INVALID_INPUT', 'field values are string, Uint8Array or null');
		}
		scratch[head] = type;
		scratch[head + 1] = length >>> 24;
		scratch[head + 2] = (length >>> 16) & 0xff;
		scratch[head + 3] = (length >>> 8) & 0xff;
		scratch[head + 4] = length & 0xff;
		at += length;
	}
	const size = bucketSize(at);
	scratch[at] = 0x80;
	scratch.fill(0, at + 1, size);
	return scratch.subarray(0, size);
}

// Bulk opens repeat one shape: the names decoded (and checked) last time, by position, are reused when the
// bytes are the same. Only names that passed FIELD_NAME are kept.
const lastDecoded: string[] = [];

function sameAscii(s: string, b: Uint8Array): boolean {
	if (s.length !== b.length) return false;
	for (let i = 0; i < b.length; i++) if (s.charCodeAt(i) !== b[i]) return false;
	return true;
}

/**
 * Above this many bytes a string value is decoded by TextDecoder directly: bytes.ts fromUtf8's ASCII path
 * (String.fromCharCode) is quicker for short values and slower for long ones, in Chromium and Node alike.
 * The decoder is the one of SPEC.md §6.1 (fatal, keeps a leading U+FEFF), so the result is the same.
 */
const SHORT_TEXT = 48;
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function textDecode(b: Uint8Array): string {
	try {
		return strictDecoder.decode(b);
	} catch {
		throw new CryptoError('ERR_MALFORMED', 'invalid UTF-8');
	}
}

/** Inverse of encodeFields; rejects every non-canonical form (SPEC.md §6.1, "A reader MUST reject"). */
export function decodeFields(b: Uint8Array): Record<string, FieldValue> {
	const bad = (): never => {
		throw new CryptoError('ERR_MALFORMED', 'record encoding');
	};
	if (b.length < 3) bad();
	if (b[0] !== RECORD_ENCODING_VERSION) throw new CryptoError('ERR_UNSUPPORTED_VERSION', 'record encoding');
	const count = (b[1]! << 8) | b[2]!;
	if (count > MAX_FIELDS) bad();
	// A plain object, written in place: every name is checked against FIELD_NAME before it is assigned, so
	// none is `__proto__` (the one key whose assignment is not an own data property). Spreading a
	// null-prototype object into a plain one, as before, cost more than the AEAD.
	const out: Record<string, FieldValue> = {};
	let at = 3;
	let prev: Uint8Array | null = null;
	for (let i = 0; i < count; i++) {
		if (at + 1 > b.length) bad();
		const nlen = b[at]!;
		at += 1;
		if (at + nlen + 5 > b.length) bad();
		const nameB = b.subarray(at, at + nlen);
		at += nlen;
		if (prev !== null && compareBytes(prev, nameB) >= 0) bad();
		prev = nameB;
		let name = lastDecoded[i];
		if (name === undefined || !sameAscii(name, nameB)) {
			name = fromUtf8(nameB);
			if (!FIELD_NAME.test(name)) bad();
			lastDecoded[i] = name;
		}
		const type = b[at]!;
		const vlen = readU32be(b, at + 1);
		at += 5;
		if (at + vlen > b.length) bad();
		const body = b.subarray(at, at + vlen);
		at += vlen;
		if (type === T_NULL) {
			if (vlen !== 0) bad();
			out[name] = null;
		} else if (type === T_STRING) {
			out[name] = body.length > SHORT_TEXT ? textDecode(body) : fromUtf8(body);
		} else if (type === T_BYTES) {
			out[name] = body.slice();
		} else {
			bad();
		}
	}
	if (at !== b.length) bad();
	return out;
}

/**
 * Bucket size for n bytes of encoded record plus the 0x80 marker (SPEC.md §6.2): the next power of two from
 * 32 up to 4096, then the next multiple of 4096.
 */
export function bucketSize(n: number): number {
	const need = n + 1;
	if (need <= 4096) {
		let size = 32;
		while (size < need) size *= 2;
		return size;
	}
	return Math.ceil(need / 4096) * 4096;
}

/** ISO/IEC 7816-4 padding: data ‖ 0x80 ‖ 0x00… up to bucketSize(len). */
export function pad(data: Uint8Array): Uint8Array {
	const out = new Uint8Array(bucketSize(data.length));
	out.set(data);
	out[data.length] = 0x80;
	return out;
}

/** Inverse of pad; the padded length must also be exactly the bucket the content implies. */
export function unpad(padded: Uint8Array): Uint8Array {
	let i = padded.length - 1;
	while (i >= 0 && padded[i] === 0) i--;
	if (i < 0 || padded[i] !== 0x80 || bucketSize(i) !== padded.length) {
		throw new CryptoError('ERR_MALFORMED', 'record padding');
	}
	return padded.subarray(0, i);
}
