// Write statements (SPEC.md §17): row leaves, the signed statement, and their verification. Verification only: no secret key.
import { idBytes, nameBytes, pae, parsePae } from './aad';
import { concat, readLe64, fromUtf8, le64, u32be, utf8 } from './bytes';
import { checkCitation, VerifiedChainState, type Citation, type Role } from './chain';
import { CryptoError } from './errors';
import type { Ed25519PublicKey } from './keys';
import { checkEd25519PublicKey } from './public-keys';
import { blake2b, ed25519Verify, equalConstantTime } from './sodium';

export const WRITE_VERSION = 0x01;
export const WRITE_LEAF_LABEL = 'stowage/write-leaf/v1';
export const WRITE_LEAVES_LABEL = 'stowage/write-leaves/v1';
export const WRITE_STATEMENT_LABEL = 'stowage/write-statement/v1';
export const WRITE_STATEMENT_HASH_LABEL = 'stowage/write-statement-hash/v1';
const PIECES = 11;
/** SPEC.md §17.1: at most 256 columns, 4 MiB of column encoding; §17.2: at most 2^20 leaves per statement. */
export const MAX_COLUMNS = 256;
export const MAX_COLUMN_BYTES = 4 << 20;
export const MAX_LEAVES = 1 << 20;
const MAX_VERSION = 0xffffffff;
const MAX_COUNTER = Number.MAX_SAFE_INTEGER;

export const WRITE_KINDS = { write: 1, reencrypt: 2, delete: 3 } as const;
export type WriteKind = keyof typeof WRITE_KINDS;

/** SPEC.md §17.1 column value types. Integers are int64 (a safe-integer number, or a bigint in range). */
export type ColumnValue = string | Uint8Array | number | bigint | boolean | null;
export const COLUMN_TYPES = { null: 0, text: 1, bytes: 2, integer: 3, boolean: 4 } as const;

/** One version of one row as its author wrote it (SPEC.md §17.1). */
export interface RowVersion {
	readonly tenantId: string;
	readonly table: string;
	readonly rowId: string;
	/** 1 for a new row; each compare-and-swap update adds one. */
	readonly version: number;
	/** The leaf of this row's previous version; null ("none") exactly when version is 1. */
	readonly prevLeaf: Uint8Array | null;
	/** Every client-written column, sealed envelopes (bytes) and plaintext alike. */
	readonly columns: Readonly<Record<string, ColumnValue>>;
	readonly tombstone: boolean;
}

const IDENT = /^[a-z][a-z0-9_]{0,62}$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function int64be(v: number | bigint): Uint8Array {
	if (typeof v === 'number' && !Number.isSafeInteger(v)) {
		throw new CryptoError('ERR_INVALID_INPUT', 'integer columns take safe integers or bigints');
	}
	const b = BigInt(v);
	if (b < INT64_MIN || b > INT64_MAX)
		throw new CryptoError('ERR_INVALID_INPUT', 'integer out of int64 range');
	let x = BigInt.asUintN(64, b);
	const out = new Uint8Array(8);
	for (let i = 7; i >= 0; i--) {
		out[i] = Number(x & 0xffn);
		x >>= 8n;
	}
	return out;
}

function typed(v: ColumnValue): [number, Uint8Array] {
	if (v === null) return [COLUMN_TYPES.null, new Uint8Array(0)];
	if (typeof v === 'string') return [COLUMN_TYPES.text, utf8(v)];
	if (v instanceof Uint8Array) return [COLUMN_TYPES.bytes, v];
	if (typeof v === 'number' || typeof v === 'bigint') return [COLUMN_TYPES.integer, int64be(v)];
	if (typeof v === 'boolean') return [COLUMN_TYPES.boolean, new Uint8Array([v ? 1 : 0])];
	throw new CryptoError('ERR_INVALID_INPUT', 'unsupported column value');
}

/** Column names already checked, with their bytes: every row of a page encodes the same few names. */
const NAME_BYTES = new Map<string, Uint8Array>();

function columnName(name: string): Uint8Array {
	let b = NAME_BYTES.get(name);
	if (b === undefined) {
		if (!IDENT.test(name))
			throw new CryptoError('ERR_INVALID_INPUT', 'column names are [a-z][a-z0-9_]{0,62}');
		b = utf8(name);
		if (NAME_BYTES.size < 1024) NAME_BYTES.set(name, b);
	}
	return b;
}

/**
 * SPEC.md §17.1: u16be(count) ‖ for each column in ascending byte order of its name:
 * u8(len(name)) ‖ name ‖ u8(type) ‖ u32be(len(value)) ‖ value.
 */
export function encodeColumns(columns: Readonly<Record<string, ColumnValue>>): Uint8Array {
	if (columns === null || typeof columns !== 'object') throw new CryptoError('ERR_INVALID_INPUT', 'columns');
	// Names are ASCII ([a-z0-9_]), so sorting UTF-16 code units is sorting their bytes.
	const names = Object.keys(columns).sort();
	if (names.length > MAX_COLUMNS) throw new CryptoError('ERR_INVALID_INPUT', 'too many columns');
	const cells: [Uint8Array, number, Uint8Array][] = [];
	let total = 2;
	for (const name of names) {
		const nameB = columnName(name);
		const [type, value] = typed(columns[name]!);
		cells.push([nameB, type, value]);
		total += 1 + nameB.length + 1 + 4 + value.length;
		if (total > MAX_COLUMN_BYTES) throw new CryptoError('ERR_INVALID_INPUT', 'columns too large');
	}
	const out = new Uint8Array(total);
	out[0] = names.length >> 8;
	out[1] = names.length & 0xff;
	let at = 2;
	for (const [nameB, type, value] of cells) {
		out[at] = nameB.length;
		out.set(nameB, at + 1);
		at += 1 + nameB.length;
		out[at] = type;
		out.set(u32be(value.length), at + 1);
		out.set(value, at + 5);
		at += 5 + value.length;
	}
	return out;
}

/**
 * SPEC.md §17.1: leaf = BLAKE2b-256(PAE("stowage/write-leaf/v1", UTF-8(tenantId), table, UTF-8(rowId),
 * LE64(version), prevLeaf or empty, columns, u8(tombstone))).
 */
export function writeLeaf(row: RowVersion): Uint8Array {
	if (row === null || typeof row !== 'object') throw new CryptoError('ERR_INVALID_INPUT', 'row');
	if (!Number.isInteger(row.version) || row.version < 1 || row.version > MAX_VERSION) {
		throw new CryptoError('ERR_INVALID_INPUT', 'version must be an integer in [1, 2^32-1]');
	}
	if (row.prevLeaf !== null && (!(row.prevLeaf instanceof Uint8Array) || row.prevLeaf.length !== 32)) {
		throw new CryptoError('ERR_INVALID_INPUT', 'previous leaf');
	}
	if ((row.prevLeaf === null) !== (row.version === 1)) {
		throw new CryptoError('ERR_INVALID_INPUT', 'a previous leaf exactly when version > 1');
	}
	if (typeof row.tombstone !== 'boolean') throw new CryptoError('ERR_INVALID_INPUT', 'tombstone');
	return blake2b(
		32,
		pae([
			utf8(WRITE_LEAF_LABEL),
			idBytes(row.tenantId),
			nameBytes(row.table),
			idBytes(row.rowId),
			le64(row.version),
			row.prevLeaf ?? new Uint8Array(0),
			encodeColumns(row.columns),
			new Uint8Array([row.tombstone ? 1 : 0])
		])
	);
}

function badLeaves(code: 'ERR_INVALID_INPUT' | 'ERR_MALFORMED'): never {
	throw code === 'ERR_MALFORMED'
		? new CryptoError('ERR_MALFORMED', 'leaves')
		: new CryptoError('ERR_INVALID_INPUT', 'leaves');
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
	for (let i = 0; i < a.length && i < b.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
	return a.length - b.length;
}

/**
 * SPEC.md §17.2: the leaves sorted in ascending byte order, without repeats, 1 … 2^20 of them; then
 * BLAKE2b-256(PAE("stowage/write-leaves/v1", leaf_1, …, leaf_n)). `code` is the error for a bad list:
 * ERR_INVALID_INPUT when the signer passes it, ERR_MALFORMED when it comes from storage.
 */
export function leavesHash(
	leaves: readonly Uint8Array[],
	code: 'ERR_INVALID_INPUT' | 'ERR_MALFORMED' = 'ERR_INVALID_INPUT'
): Uint8Array {
	if (!Array.isArray(leaves) || leaves.length < 1 || leaves.length > MAX_LEAVES) {
		badLeaves(code);
	}
	for (const l of leaves) if (!(l instanceof Uint8Array) || l.length !== 32) badLeaves(code);
	const sorted = [...leaves].sort(compareBytes);
	for (let i = 1; i < sorted.length; i++) {
		if (compareBytes(sorted[i - 1]!, sorted[i]!) === 0) badLeaves(code);
	}
	return blake2b(32, pae([utf8(WRITE_LEAVES_LABEL), ...sorted]));
}

/** A write statement's fields (SPEC.md §17.3). */
export interface WriteStatement {
	readonly tenantId: string;
	readonly authorMemberId: string;
	readonly authorSignPublicKey: Ed25519PublicKey;
	readonly kind: WriteKind;
	/** The chain position the author had verified when signing. */
	readonly cited: Citation;
	/** The last audit checkpoint the author verified: always null ("none") in v1 (SPEC.md §17.3). */
	readonly auditCheckpoint: null;
	/** The author's previous statement hash in this tenant; null ("none") exactly when counter is 1. */
	readonly prevStatement: Uint8Array | null;
	readonly counter: number;
	readonly leavesHash: Uint8Array;
}

function kindCode(k: WriteKind): number {
	if (!Object.prototype.hasOwnProperty.call(WRITE_KINDS, k))
		throw new CryptoError('ERR_INVALID_INPUT', 'kind');
	return WRITE_KINDS[k];
}

/** SPEC.md §17.3: message = 0x01 ‖ PAE of the eleven pieces. */
export function encodeWriteMessage(s: WriteStatement): Uint8Array {
	return concat(
		new Uint8Array([WRITE_VERSION]),
		pae([
			utf8(WRITE_STATEMENT_LABEL),
			idBytes(s.tenantId),
			idBytes(s.authorMemberId),
			s.authorSignPublicKey,
			new Uint8Array([kindCode(s.kind)]),
			le64(s.cited.seq),
			s.cited.hash,
			new Uint8Array(0),
			s.prevStatement ?? new Uint8Array(0),
			le64(s.counter),
			s.leavesHash
		])
	);
}

/** SPEC.md §17.4: statementHash = BLAKE2b-256(PAE("stowage/write-statement-hash/v1", signed statement)). */
export function statementHash(signed: Uint8Array): Uint8Array {
	if (!(signed instanceof Uint8Array)) throw new CryptoError('ERR_INVALID_INPUT', 'statement');
	return blake2b(32, pae([utf8(WRITE_STATEMENT_HASH_LABEL), signed]));
}

const malformed = (): never => {
	throw new CryptoError('ERR_MALFORMED', 'write statement');
};

/** SPEC.md §17.5 step 2: parse without verifying. Nothing returned may be trusted before the signature. */
export function parseWriteStatement(signed: Uint8Array): {
	statement: WriteStatement;
	message: Uint8Array;
	signature: Uint8Array;
} {
	if (!(signed instanceof Uint8Array) || signed.length < 1) malformed();
	if (signed[0] !== WRITE_VERSION) throw new CryptoError('ERR_UNSUPPORTED_VERSION', 'write statement');
	if (signed.length < 1 + 8 + 64) malformed();
	const message = signed.subarray(0, signed.length - 64);
	const signature = signed.subarray(signed.length - 64);
	const p = parsePae(message.subarray(1), PIECES);
	if (fromUtf8(p[0]!) !== WRITE_STATEMENT_LABEL) malformed();
	for (const id of [p[1]!, p[2]!]) if (id.length < 1 || id.length > 128) malformed();
	const tenantId = fromUtf8(p[1]!);
	const authorMemberId = fromUtf8(p[2]!);
	if (p[3]!.length !== 32) malformed();
	let authorSignPublicKey: Ed25519PublicKey;
	try {
		authorSignPublicKey = checkEd25519PublicKey(p[3]!);
	} catch {
		return malformed();
	}
	if (p[4]!.length !== 1) malformed();
	const kind = (Object.keys(WRITE_KINDS) as WriteKind[]).find((k) => WRITE_KINDS[k] === p[4]![0]);
	if (kind === undefined) throw new CryptoError('ERR_UNSUPPORTED_VERSION', 'write kind');
	const citedSeq = readLe64(p[5]!, 0xffffffff) ?? malformed();
	if (citedSeq < 1 || p[6]!.length !== 32) malformed();
	// The audit checkpoint: "none" (empty) is the only value v1 knows; the audit issue defines the rest.
	if (p[7]!.length !== 0) throw new CryptoError('ERR_UNSUPPORTED_VERSION', 'audit checkpoint');
	if (p[8]!.length !== 0 && p[8]!.length !== 32) malformed();
	const prevStatement = p[8]!.length === 0 ? null : p[8]!.slice();
	const counter = readLe64(p[9]!, MAX_COUNTER) ?? malformed();
	if (counter < 1 || (prevStatement === null) !== (counter === 1)) malformed();
	if (p[10]!.length !== 32) malformed();
	const statement: WriteStatement = {
		tenantId,
		authorMemberId,
		authorSignPublicKey,
		kind,
		cited: { seq: citedSeq, hash: p[6]!.slice() },
		auditCheckpoint: null,
		prevStatement,
		counter,
		leavesHash: p[10]!.slice()
	};
	const again = encodeWriteMessage(statement);
	if (again.length !== message.length || compareBytes(again, message) !== 0) malformed();
	return { statement, message, signature };
}

const WRITE: unique symbol = Symbol('stowage VerifiedWrite');

/** A statement whose signature and leaf list verified (SPEC.md §17.5). Only verifyWrite constructs it. */
export class VerifiedWrite {
	readonly #statement: WriteStatement;
	readonly #hash: Uint8Array;
	/** The leaves in ascending byte order, 32 bytes each, one after another: hasLeaf searches them. */
	readonly #leaves: Uint8Array;
	readonly #authorRole: Role | null;

	constructor(
		token: typeof WRITE,
		statement: WriteStatement,
		hash: Uint8Array,
		leaves: readonly Uint8Array[],
		authorRole: Role | null
	) {
		if (token !== WRITE) throw new CryptoError('ERR_INVALID_INPUT', 'only verifyWrite makes this');
		this.#statement = statement;
		this.#hash = hash;
		const sorted = [...leaves].sort(compareBytes);
		this.#leaves = new Uint8Array(sorted.length * 32);
		sorted.forEach((l, i) => this.#leaves.set(l, i * 32));
		this.#authorRole = authorRole;
	}

	get statement(): WriteStatement {
		return this.#statement;
	}

	/** statementHash of the signed bytes: what the author's next statement cites as its previous one. */
	get hash(): Uint8Array {
		return this.#hash.slice();
	}

	/** The author's role in the verified chain, when verified with verifyWriteOnChain. */
	get authorRole(): Role | null {
		return this.#authorRole;
	}

	get leafCount(): number {
		return this.#leaves.length / 32;
	}

	hasLeaf(leaf: Uint8Array): boolean {
		if (!(leaf instanceof Uint8Array) || leaf.length !== 32) return false;
		// Binary search: a string key per lookup (hex) cost more than the rest of checking a row.
		const all = this.#leaves;
		let lo = 0;
		let hi = all.length / 32;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			let c = 0;
			for (let i = 0, at = mid * 32; i < 32 && c === 0; i++) c = all[at + i]! - leaf[i]!;
			if (c === 0) return true;
			if (c < 0) lo = mid + 1;
			else hi = mid;
		}
		return false;
	}

	static isGenuine(x: unknown): x is VerifiedWrite {
		return typeof x === 'object' && x !== null && #hash in x;
	}
}

/**
 * SPEC.md §17.5: verify a signed write statement and its stored leaf list against the author key the
 * reader trusts (from its verified chain) and the tenant it expects.
 */
export function verifyWrite(
	signed: Uint8Array,
	leaves: readonly Uint8Array[],
	expected: { tenantId: string; authorSignPublicKey: Ed25519PublicKey }
): VerifiedWrite {
	return verifyInternal(signed, leaves, expected, null);
}

function verifyInternal(
	signed: Uint8Array,
	leaves: readonly Uint8Array[],
	expected: { tenantId: string; authorSignPublicKey: Ed25519PublicKey },
	role: Role | null
): VerifiedWrite {
	// Step 1: the caller's inputs.
	if (expected === null || typeof expected !== 'object')
		throw new CryptoError('ERR_INVALID_INPUT', 'expected');
	if (!(expected.authorSignPublicKey instanceof Uint8Array) || expected.authorSignPublicKey.length !== 32) {
		throw new CryptoError('ERR_INVALID_INPUT', 'author key');
	}
	idBytes(expected.tenantId);
	// Step 2: parse, then the stored leaf list.
	const { statement, message, signature } = parseWriteStatement(signed);
	const lh = leavesHash(leaves, 'ERR_MALFORMED');
	// Step 3: the trusted author key signed it.
	if (
		!equalConstantTime(statement.authorSignPublicKey, expected.authorSignPublicKey) ||
		!ed25519Verify(signature, message, expected.authorSignPublicKey)
	) {
		throw new CryptoError('ERR_SIGNATURE_INVALID');
	}
	// Step 4: what it speaks about.
	if (statement.tenantId !== expected.tenantId || !equalConstantTime(lh, statement.leavesHash)) {
		throw new CryptoError('ERR_WRONG_CONTEXT', 'statement is about another tenant or other rows');
	}
	return new VerifiedWrite(WRITE, statement, statementHash(signed), leaves, role);
}

/**
 * SPEC.md §17.6: verifyWrite with the author and the citation taken from a verified chain: the author is a
 * member with that key whose role may write (§17.7), and the cited `(seq, hash)` is on the reader's chain
 * (a citation that is not is a ChainForkError; one beyond the verified head is ERR_WRONG_CONTEXT).
 */
export function verifyWriteOnChain(
	signed: Uint8Array,
	leaves: readonly Uint8Array[],
	state: VerifiedChainState
): VerifiedWrite {
	if (!VerifiedChainState.isGenuine(state)) throw new CryptoError('ERR_INVALID_INPUT', 'state');
	const { statement } = parseWriteStatement(signed);
	const member = state.member(statement.authorMemberId);
	if (member === null || !WRITE_TABLES[member.role]) throw new CryptoError('ERR_SIGNATURE_INVALID');
	const verified = verifyInternal(
		signed,
		leaves,
		{ tenantId: state.tenantId, authorSignPublicKey: member.signPublicKey },
		member.role
	);
	checkCitation(state, statement.cited);
	return verified;
}

/**
 * SPEC.md §17.7, the write-rights table: which tables a role may write. `true` = every table, a list = those
 * tables only, null = none. three_pl's location restriction comes with locations (operations issue).
 */
export const WRITE_TABLES: Readonly<Record<Role, true | readonly string[] | null>> = {
	owner: true,
	viewer: null,
	distributor: null,
	three_pl: ['shipments', 'receipts', 'stock_movements'],
	auditor: null
};

/** Whether `role` may write `table` (SPEC.md §17.7). */
export function mayWrite(role: Role, table: string): boolean {
	const t = WRITE_TABLES[role];
	return t === true || (Array.isArray(t) && t.includes(table));
}

/**
 * SPEC.md §17.8: check a row as stored (its columns, version, previous leaf, tombstone) against a verified
 * statement: its leaf is one of the statement's, its tombstone agrees with the kind, and (when the statement
 * was verified on the chain) the author's role may write its table. Any failure is ERR_WRONG_CONTEXT.
 */
export function checkRow(verified: VerifiedWrite, row: RowVersion): Uint8Array {
	if (!VerifiedWrite.isGenuine(verified)) throw new CryptoError('ERR_INVALID_INPUT', 'verified write');
	const leaf = writeLeaf(row);
	const role = verified.authorRole;
	const s = verified.statement;
	if (
		!verified.hasLeaf(leaf) ||
		row.tenantId !== s.tenantId ||
		row.tombstone !== (s.kind === 'delete') ||
		(role !== null && !mayWrite(role, row.table))
	) {
		throw new CryptoError('ERR_WRONG_CONTEXT', 'row is not as signed');
	}
	return leaf;
}

/**
 * SPEC.md §17.4: does `next` follow `prev` in its author's statement history? (prev null: `next` must be the
 * author's first, counter 1.) Same tenant and author, counter + 1, previous hash equal. ERR_WRONG_CONTEXT if not.
 */
export function checkStatementFollows(prev: VerifiedWrite | null, next: VerifiedWrite): void {
	if (!VerifiedWrite.isGenuine(next) || (prev !== null && !VerifiedWrite.isGenuine(prev))) {
		throw new CryptoError('ERR_INVALID_INPUT', 'verified write');
	}
	const n = next.statement;
	const ok =
		prev === null
			? n.counter === 1 && n.prevStatement === null
			: n.tenantId === prev.statement.tenantId &&
				n.authorMemberId === prev.statement.authorMemberId &&
				equalConstantTime(n.authorSignPublicKey, prev.statement.authorSignPublicKey) &&
				n.counter === prev.statement.counter + 1 &&
				n.prevStatement !== null &&
				equalConstantTime(n.prevStatement, prev.hash);
	if (!ok) throw new CryptoError('ERR_WRONG_CONTEXT', 'statement does not follow the previous one');
}
