// Write statements (SPEC.md §17): leaves, signing, verification, rows checked against their statement.
import { describe, expect, it } from 'vitest';
import { pae } from './aad';
import { concat, le64, toHex, utf8 } from './bytes';
import { verifyChain } from './chain';
import { generateIdentity } from './identity';
import { errorCode as code } from './internal/error-code';
import { createOrganisation } from './organisation';
import { ed25519Sign, ready } from './sodium';
import { signWrite } from './sign-write';
import {
	checkRow,
	checkStatementFollows,
	encodeColumns,
	leavesHash,
	mayWrite,
	parseWriteStatement,
	statementHash,
	verifyWrite,
	verifyWriteOnChain,
	writeLeaf,
	WRITE_STATEMENT_LABEL,
	type RowVersion
} from './writes';

await ready();

const owner = generateIdentity();
const org = createOrganisation(owner, 'member-owner', Date.UTC(2026, 11, 1));
const chain = verifyChain([org.link]);
const tenantId = org.tenantId;

const product: RowVersion = {
	tenantId,
	table: 'products',
	rowId: 'row-1',
	version: 1,
	prevLeaf: null,
	columns: { catalog_env: new Uint8Array([1, 2, 3]), reorder_point: 12, archived: false, note: null },
	tombstone: false
};
const movement: RowVersion = {
	tenantId,
	table: 'stock_movements',
	rowId: 'row-2',
	version: 1,
	prevLeaf: null,
	columns: { product_id: 'row-1', delta: -3, reason: 'count' },
	tombstone: false
};
const leaves = [writeLeaf(product), writeLeaf(movement)];
const author = { memberId: 'member-owner', identity: owner };
const signed = signWrite({ tenantId, kind: 'write', cited: chain.head, prev: null, leaves }, author);

describe('leaves (SPEC.md §17.1)', () => {
	it('encodes columns sorted, typed and length-prefixed', () => {
		expect(toHex(encodeColumns({ b: true, a: 'x', c: -1n, d: null, e: new Uint8Array([9]) }))).toBe(
			'0005' +
				'0161' +
				'01' +
				'00000001' +
				'78' +
				'0162' +
				'04' +
				'00000001' +
				'01' +
				'0163' +
				'03' +
				'00000008' +
				'ffffffffffffffff' +
				'0164' +
				'00' +
				'00000000' +
				'0165' +
				'02' +
				'00000001' +
				'09'
		);
		expect(toHex(encodeColumns({ n: 258 }))).toBe('0001016e03000000080000000000000102');
	});

	it('refuses what has no single encoding', () => {
		expect(code(() => encodeColumns({ x: 1.5 }))).toBe('ERR_INVALID_INPUT');
		expect(code(() => encodeColumns({ x: 2n ** 63n }))).toBe('ERR_INVALID_INPUT');
		expect(code(() => encodeColumns({ Bad: 1 }))).toBe('ERR_INVALID_INPUT');
		expect(code(() => encodeColumns({ x: {} as never }))).toBe('ERR_INVALID_INPUT');
		expect(code(() => writeLeaf({ ...product, version: 2 }))).toBe('ERR_INVALID_INPUT');
		expect(code(() => writeLeaf({ ...product, prevLeaf: new Uint8Array(32) }))).toBe('ERR_INVALID_INPUT');
		expect(code(() => writeLeaf({ ...product, version: 2, prevLeaf: new Uint8Array(32) }))).toBe('OK');
	});

	it('changes with every field: a plaintext column, the version, the tombstone', () => {
		const base = toHex(writeLeaf(product));
		for (const r of [
			{ ...product, columns: { ...product.columns, reorder_point: 13 } },
			{ ...product, columns: { ...product.columns, reorder_point: '12' } },
			{ ...product, rowId: 'row-9' },
			{ ...product, table: 'suppliers' },
			{ ...product, tombstone: true },
			{ ...product, version: 2, prevLeaf: new Uint8Array(32) }
		]) {
			expect(toHex(writeLeaf(r))).not.toBe(base);
		}
	});

	it('hashes the sorted leaf list, refusing repeats and empty lists', () => {
		expect(toHex(leavesHash(leaves))).toBe(toHex(leavesHash([...leaves].reverse())));
		expect(code(() => leavesHash([leaves[0]!, leaves[0]!]))).toBe('ERR_INVALID_INPUT');
		expect(code(() => leavesHash([]))).toBe('ERR_INVALID_INPUT');
	});
});

describe('statements (SPEC.md §17.3–§17.8)', () => {
	it('verifies, on the chain too, and checks each row', () => {
		const v = verifyWrite(signed, leaves, { tenantId, authorSignPublicKey: owner.signPublicKey });
		expect(v.statement.counter).toBe(1);
		expect(v.statement.kind).toBe('write');
		expect(v.leafCount).toBe(2);
		expect(toHex(v.hash)).toBe(toHex(statementHash(signed)));
		checkRow(v, product);
		const onChain = verifyWriteOnChain(signed, [...leaves].reverse(), chain);
		expect(onChain.authorRole).toBe('owner');
		checkRow(onChain, movement);
	});

	it('flags a row whose plaintext changed, an older version replayed, or a stray row', () => {
		const v = verifyWriteOnChain(signed, leaves, chain);
		expect(code(() => checkRow(v, { ...movement, columns: { ...movement.columns, delta: -30 } }))).toBe(
			'ERR_WRONG_CONTEXT'
		);
		expect(code(() => checkRow(v, { ...product, version: 2, prevLeaf: leaves[0]! }))).toBe(
			'ERR_WRONG_CONTEXT'
		);
		expect(
			code(() =>
				checkRow(v, { ...product, columns: { ...product.columns, catalog_env: new Uint8Array([7]) } })
			)
		).toBe('ERR_WRONG_CONTEXT');
		expect(code(() => checkRow(v, { ...product, tombstone: true }))).toBe('ERR_WRONG_CONTEXT');
	});

	it('refuses a tampered signature, another key, another tenant, other leaves', () => {
		const t = signed.slice();
		t[t.length - 1]! ^= 1;
		const exp = { tenantId, authorSignPublicKey: owner.signPublicKey };
		expect(code(() => verifyWrite(t, leaves, exp))).toBe('ERR_SIGNATURE_INVALID');
		expect(
			code(() =>
				verifyWrite(signed, leaves, { tenantId, authorSignPublicKey: generateIdentity().signPublicKey })
			)
		).toBe('ERR_SIGNATURE_INVALID');
		expect(code(() => verifyWrite(signed, leaves, { ...exp, tenantId: 'ab'.repeat(32) }))).toBe(
			'ERR_WRONG_CONTEXT'
		);
		expect(code(() => verifyWrite(signed, [leaves[0]!], exp))).toBe('ERR_WRONG_CONTEXT');
		expect(code(() => verifyWrite(signed, [leaves[0]!, leaves[0]!], exp))).toBe('ERR_MALFORMED');
		expect(code(() => verifyWrite(concat(signed, new Uint8Array([0])), leaves, exp))).toBe('ERR_MALFORMED');
		const v2 = signed.slice();
		v2[0] = 2;
		expect(code(() => verifyWrite(v2, leaves, exp))).toBe('ERR_UNSUPPORTED_VERSION');
	});

	it('refuses, on the chain, a non-member and a citation off the chain', () => {
		const stranger = generateIdentity();
		const s = signWrite(
			{ tenantId, kind: 'write', cited: chain.head, prev: null, leaves },
			{ memberId: 'member-x', identity: stranger }
		);
		expect(code(() => verifyWriteOnChain(s, leaves, chain))).toBe('ERR_SIGNATURE_INVALID');
		const forked = signWrite(
			{ tenantId, kind: 'write', cited: { seq: 1, hash: new Uint8Array(32) }, prev: null, leaves },
			author
		);
		expect(code(() => verifyWriteOnChain(forked, leaves, chain))).toBe('ERR_CHAIN_FORK');
		const ahead = signWrite(
			{ tenantId, kind: 'write', cited: { seq: 5, hash: new Uint8Array(32) }, prev: null, leaves },
			author
		);
		expect(code(() => verifyWriteOnChain(ahead, leaves, chain))).toBe('ERR_WRONG_CONTEXT');
	});

	it("chains an author's statements by hash and counter", () => {
		const first = verifyWriteOnChain(signed, leaves, chain);
		checkStatementFollows(null, first);
		const next = signWrite(
			{
				tenantId,
				kind: 'delete',
				cited: chain.head,
				prev: { hash: first.hash, counter: 1 },
				leaves: [writeLeaf({ ...product, version: 2, prevLeaf: leaves[0]!, tombstone: true })]
			},
			author
		);
		const second = verifyWriteOnChain(next, parseLeaves(next), chain);
		expect(second.statement.counter).toBe(2);
		checkStatementFollows(first, second);
		expect(code(() => checkStatementFollows(second, first))).toBe('ERR_WRONG_CONTEXT');
		expect(code(() => checkStatementFollows(null, second))).toBe('ERR_WRONG_CONTEXT');
		checkRow(second, { ...product, version: 2, prevLeaf: leaves[0]!, tombstone: true });
	});

	it('refuses an audit checkpoint (v1 knows only "none"), a counter without a previous hash', () => {
		const piece = (audit: Uint8Array, prev: Uint8Array, counter: number) => {
			const m = concat(
				new Uint8Array([1]),
				pae([
					utf8(WRITE_STATEMENT_LABEL),
					utf8(tenantId),
					utf8('member-owner'),
					owner.signPublicKey,
					new Uint8Array([1]),
					le64(1),
					chain.head.hash,
					audit,
					prev,
					le64(counter),
					leavesHash(leaves)
				])
			);
			return concat(m, ed25519Sign(m, owner.signSecretKey));
		};
		const exp = { tenantId, authorSignPublicKey: owner.signPublicKey };
		expect(toHex(piece(new Uint8Array(0), new Uint8Array(0), 1))).toBe(toHex(signed));
		expect(code(() => verifyWrite(piece(new Uint8Array(32), new Uint8Array(0), 1), leaves, exp))).toBe(
			'ERR_UNSUPPORTED_VERSION'
		);
		expect(code(() => verifyWrite(piece(new Uint8Array(0), new Uint8Array(0), 2), leaves, exp))).toBe(
			'ERR_MALFORMED'
		);
		expect(code(() => verifyWrite(piece(new Uint8Array(0), new Uint8Array(32), 1), leaves, exp))).toBe(
			'ERR_MALFORMED'
		);
		expect(code(() => verifyWrite(piece(new Uint8Array(0), new Uint8Array(31), 2), leaves, exp))).toBe(
			'ERR_MALFORMED'
		);
	});

	it('write rights (SPEC.md §17.7)', () => {
		expect(mayWrite('owner', 'products')).toBe(true);
		expect(mayWrite('three_pl', 'stock_movements')).toBe(true);
		expect(mayWrite('three_pl', 'products')).toBe(false);
		for (const r of ['viewer', 'distributor', 'auditor'] as const)
			expect(mayWrite(r, 'products')).toBe(false);
	});
});

/** Test helper: the leaf a one-leaf statement signed (the statement holds only their hash; we recompute it). */
function parseLeaves(s: Uint8Array): Uint8Array[] {
	const leaf = writeLeaf({ ...product, version: 2, prevLeaf: leaves[0]!, tombstone: true });
	expect(toHex(parseWriteStatement(s).statement.leavesHash)).toBe(toHex(leavesHash([leaf])));
	return [leaf];
}
