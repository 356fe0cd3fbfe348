// Pre-authentication encoding and the record context that binds an envelope to its place (SPEC.md §3, §6.3).
import { le64, utf8 } from './bytes';
import { CryptoError } from './errors';

/** The data domains (SPEC.md §3.3, §4.4). The byte is the envelope's domain id. */
export const DOMAINS = { catalog: 1, sourcing: 2, logistics: 3 } as const;
export type Domain = keyof typeof DOMAINS;

export function isDomain(x: unknown): x is Domain {
	return typeof x === 'string' && Object.prototype.hasOwnProperty.call(DOMAINS, x);
}

export function domainFromId(id: number): Domain | null {
	for (const [name, v] of Object.entries(DOMAINS)) if (v === id) return name as Domain;
	return null;
}

export const MAX_EPOCH = 0xffffffff;

/**
 * PAE (SPEC.md §3.2, from PASETO): LE64(count) ‖ for each piece LE64(length) ‖ piece.
 * Injective: no two lists of byte strings encode to the same bytes.
 */
export function pae(pieces: readonly Uint8Array[]): Uint8Array {
	let n = 8;
	for (const p of pieces) n += 8 + p.length;
	const out = new Uint8Array(n);
	const put64 = (x: number, at: number): void => {
		// Lengths are below 2^32 here (every piece is bounded), so the high four bytes stay zero.
		out[at] = x & 0xff;
		out[at + 1] = (x >>> 8) & 0xff;
		out[at + 2] = (x >>> 16) & 0xff;
		out[at + 3] = (x >>> 24) & 0xff;
	};
	put64(pieces.length, 0);
	let at = 8;
	for (const p of pieces) {
		put64(p.length, at);
		out.set(p, at + 8);
		at += 8 + p.length;
	}
	return out;
}

const IDENT = /^[a-z][a-z0-9_]{0,62}$/;

/** An opaque identifier (tenant, row, member, invite): 1–128 bytes of well-formed UTF-8. SPEC.md §3.3. */
export function idBytes(id: string): Uint8Array {
	if (typeof id !== 'string') throw new CryptoError('ERR_INVALID_INPUT', 'identifier must be a string');
	const b = utf8(id);
	if (b.length < 1 || b.length > 128) throw new CryptoError('ERR_INVALID_INPUT', 'identifier length');
	return b;
}

/** A table or column name: lowercase SQL identifier, [a-z][a-z0-9_]{0,62}. */
export function nameBytes(name: string): Uint8Array {
	if (typeof name !== 'string' || !IDENT.test(name)) {
		throw new CryptoError('ERR_INVALID_INPUT', 'table and column names are [a-z][a-z0-9_]{0,62}');
	}
	return utf8(name);
}

export function checkEpoch(epoch: number): void {
	if (!Number.isInteger(epoch) || epoch < 1 || epoch > MAX_EPOCH) {
		throw new CryptoError('ERR_INVALID_INPUT', 'epoch must be an integer in [1, 2^32-1]');
	}
}

export function checkDomain(domain: string): asserts domain is Domain {
	if (!isDomain(domain)) throw new CryptoError('ERR_INVALID_INPUT', 'unknown domain');
}

/** Where an envelope lives. Every field is bound into the AAD. */
export interface RecordContext {
	readonly tenantId: string;
	readonly table: string;
	readonly column: string;
	readonly rowId: string;
	readonly domain: Domain;
	readonly epoch: number;
}

export const RECORD_LABEL = 'stowage/record/v1';

/**
 * AAD for envelope v1 (SPEC.md §6.3):
 * PAE("stowage/record/v1", tenantId, table, column, rowId, domain, LE64(epoch), header).
 */
export function recordAad(ctx: RecordContext, header: Uint8Array): Uint8Array {
	checkDomain(ctx.domain);
	checkEpoch(ctx.epoch);
	return pae([
		utf8(RECORD_LABEL),
		idBytes(ctx.tenantId),
		nameBytes(ctx.table),
		nameBytes(ctx.column),
		idBytes(ctx.rowId),
		utf8(ctx.domain),
		le64(ctx.epoch),
		header
	]);
}

/** Parse a PAE encoding of exactly `count` pieces; anything else is ERR_MALFORMED. */
export function parsePae(b: Uint8Array, count: number): Uint8Array[] {
	const bad = (): never => {
		throw new CryptoError('ERR_MALFORMED', 'PAE encoding');
	};
	const readLe64 = (at: number): number => {
		if (at + 8 > b.length) bad();
		// Lengths here are far below 2^32; the high four bytes must be zero.
		if (b[at + 4] !== 0 || b[at + 5] !== 0 || b[at + 6] !== 0 || b[at + 7] !== 0) bad();
		return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x1000000;
	};
	if (readLe64(0) !== count) bad();
	const out: Uint8Array[] = [];
	let at = 8;
	for (let i = 0; i < count; i++) {
		const n = readLe64(at);
		at += 8;
		if (at + n > b.length) bad();
		out.push(b.subarray(at, at + n));
		at += n;
	}
	if (at !== b.length) bad();
	return out;
}
