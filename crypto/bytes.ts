// Byte helpers: the edge conversions (UTF-8, hex, base64url), concatenation and big/little-endian integers.
import { CryptoError } from './errors';

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 encode a well-formed string; lone surrogates are rejected instead of silently replaced. */
export function utf8(s: string): Uint8Array {
	if (typeof s !== 'string') throw new CryptoError('ERR_INVALID_INPUT', 'expected a string');
	// ASCII fast path: TextEncoder's per-call cost dominates for short identifiers in Chromium.
	if (s.length <= 1024) {
		const out = new Uint8Array(s.length);
		let i = 0;
		for (; i < s.length; i++) {
			const c = s.charCodeAt(i);
			if (c > 0x7f) break;
			out[i] = c;
		}
		if (i === s.length) return out;
	}
	if (!isWellFormed(s)) throw new CryptoError('ERR_INVALID_INPUT', 'lone surrogate');
	return encoder.encode(s);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isWellFormed(s: string): boolean {
	// String.prototype.isWellFormed (ES2024; Node 20, Chromium 111) where present, else a regular expression.
	const native = (s as { isWellFormed?: () => boolean }).isWellFormed;
	return typeof native === 'function' ? native.call(s) : !LONE_SURROGATE.test(s);
}

/** Strict UTF-8 decode (invalid sequences throw ERR_MALFORMED). */
export function fromUtf8(b: Uint8Array): string {
	// ASCII fast path (TextDecoder's per-call cost dominates for short values, above all in Chromium).
	if (b.length <= 4096) {
		let ascii = true;
		for (let i = 0; i < b.length; i++) {
			if (b[i]! > 0x7f) {
				ascii = false;
				break;
			}
		}
		if (ascii) return String.fromCharCode.apply(null, b as unknown as number[]);
	}
	try {
		return strictDecoder.decode(b);
	} catch {
		throw new CryptoError('ERR_MALFORMED', 'invalid UTF-8');
	}
}

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
	let n = 0;
	for (const p of parts) n += p.length;
	const out = new Uint8Array(n);
	let o = 0;
	for (const p of parts) {
		out.set(p, o);
		o += p.length;
	}
	return out;
}

/** Each byte's two hex digits: per byte a lookup, not a toString and a padStart. */
const HEX = Array.from({ length: 256 }, (_, x) => x.toString(16).padStart(2, '0'));

export function toHex(b: Uint8Array): string {
	let s = '';
	for (let i = 0; i < b.length; i++) s += HEX[b[i]!]!;
	return s;
}

export function fromHex(s: string): Uint8Array {
	if (typeof s !== 'string' || s.length % 2 !== 0 || !/^[0-9a-f]*$/.test(s)) {
		throw new CryptoError('ERR_MALFORMED', 'expected lowercase hex');
	}
	const out = new Uint8Array(s.length / 2);
	for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
	return out;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Character code → its 6 bits, or -1 for a character outside the alphabet. */
const B64URL_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64URL_VALUE[B64URL.charCodeAt(i)] = i;

/** base64url without padding (RFC 4648 §5), the encoding used on the wire. */
export function toBase64url(b: Uint8Array): string {
	let s = '';
	let i = 0;
	for (; i + 2 < b.length; i += 3) {
		const n = (b[i]! << 16) | (b[i + 1]! << 8) | b[i + 2]!;
		s += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]! + B64URL[(n >> 6) & 63]! + B64URL[n & 63]!;
	}
	if (b.length - i === 1) {
		const n = b[i]! << 16;
		s += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]!;
	} else if (b.length - i === 2) {
		const n = (b[i]! << 16) | (b[i + 1]! << 8);
		s += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]! + B64URL[(n >> 6) & 63]!;
	}
	return s;
}

const malformedBase64url = (): never => {
	throw new CryptoError('ERR_MALFORMED', 'expected unpadded base64url');
};

/** Strict base64url decode: no padding, no whitespace, canonical trailing bits. */
export function fromBase64url(s: string): Uint8Array {
	if (typeof s !== 'string' || s.length % 4 === 1) malformedBase64url();
	const out = new Uint8Array(Math.floor((s.length * 3) / 4));
	let bits = 0;
	let acc = 0;
	let o = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		const v = c < 128 ? B64URL_VALUE[c]! : -1;
		if (v < 0) malformedBase64url();
		acc = ((acc << 6) | v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (acc >> bits) & 0xff;
		}
	}
	if ((acc & ((1 << bits) - 1)) !== 0) throw new CryptoError('ERR_MALFORMED', 'non-canonical base64url');
	return out;
}

/**
 * Reads an LE64 piece (exactly 8 bytes, top byte zero, so the value is exact) no greater than `max`;
 * null otherwise, for the caller to refuse with its own static hint.
 */
export function readLe64(b: Uint8Array, max: number): number | null {
	if (b.length !== 8 || b[7] !== 0) return null;
	let n = 0;
	for (let i = 7; i >= 0; i--) n = n * 256 + b[i]!;
	return n > max ? null : n;
}

/** 64-bit little-endian unsigned integer (PASETO's LE64), for safe-integer inputs. */
export function le64(n: number): Uint8Array {
	if (!Number.isSafeInteger(n) || n < 0)
		throw new CryptoError('ERR_INVALID_INPUT', 'expected a non-negative integer');
	const out = new Uint8Array(8);
	let x = n;
	for (let i = 0; i < 8; i++) {
		out[i] = x % 256;
		x = Math.floor(x / 256);
	}
	return out;
}

export function u32be(n: number): Uint8Array {
	if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
		throw new CryptoError('ERR_INVALID_INPUT', 'expected a uint32');
	return new Uint8Array([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

export function readU32be(b: Uint8Array, at: number): number {
	return ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
}

export function isBytes(x: unknown): x is Uint8Array {
	return x instanceof Uint8Array;
}

/** Throws ERR_INVALID_INPUT unless x is a Uint8Array of exactly n bytes (SPEC.md §2.3). */
export function expectBytes(x: unknown, n: number): asserts x is Uint8Array {
	if (!(x instanceof Uint8Array) || x.length !== n) {
		throw new CryptoError('ERR_INVALID_INPUT', `expected ${n} bytes`);
	}
}
