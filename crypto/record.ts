// Canonical, versioned encoding of a record's field map, and padding to size buckets (SPEC.md §6.1, §6.2).
import { concat, fromUtf8, readU32be, u32be, utf8 } from './bytes';
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
	if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
		throw new CryptoError('ERR_INVALID_INPUT', 'fields must be an object');
	}
	const names = Object.keys(fields);
	if (names.length > MAX_FIELDS) throw new CryptoError('ERR_INVALID_INPUT', 'too many fields');
	const entries = names.map((name) => {
		if (!FIELD_NAME.test(name))
			throw new CryptoError('ERR_INVALID_INPUT', 'field names are [a-z][a-z0-9_]{0,62}');
		return { name: utf8(name), value: fields[name] };
	});
	entries.sort((a, b) => compareBytes(a.name, b.name));
	const parts: Uint8Array[] = [
		new Uint8Array([RECORD_ENCODING_VERSION, names.length >> 8, names.length & 0xff])
	];
	let total = 3;
	for (const { name, value } of entries) {
		let type: number;
		let body: Uint8Array;
		if (value === null) {
			type = T_NULL;
			body = new Uint8Array(0);
		} else if (typeof value === 'string') {
			type = T_STRING;
			body = utf8(value);
		} else if (value instanceof Uint8Array) {
			type = T_BYTES;
			body = value;
		} else {
			throw new CryptoError('ERR_INVALID_INPUT', 'field values are string, Uint8Array or null');
		}
		parts.push(new Uint8Array([name.length]), name, new Uint8Array([type]), u32be(body.length), body);
		total += 1 + name.length + 1 + 4 + body.length;
		if (total > MAX_RECORD_BYTES) throw new CryptoError('ERR_INVALID_INPUT', 'record too large');
	}
	return concat(...parts);
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
	const out: Record<string, FieldValue> = Object.create(null) as Record<string, FieldValue>;
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
		const name = fromUtf8(nameB);
		if (!FIELD_NAME.test(name)) bad();
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
			out[name] = fromUtf8(body);
		} else if (type === T_BYTES) {
			out[name] = body.slice();
		} else {
			bad();
		}
	}
	if (at !== b.length) bad();
	// A plain object for callers, built after validation.
	return { ...out };
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
