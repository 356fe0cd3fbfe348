// Checks the team-chain and write-statement vectors (SPEC.md §16–§17: vectors/chain-v1.json,
// vectors/write-statement-v1.json) byte for byte, rebuilding the create link from SPEC.md's text where it can.
import { describe, expect, it } from 'vitest';
import { pae } from './aad';
import { concat, fromHex, le64, toHex, utf8 } from './bytes';
import { ChainForkError, linkHash, verifiedKeyCommitment, verifyChain } from './chain';
import { openCheckpoints } from './checkpoints';
import { keyCommitment } from './commitment';
import { CryptoError } from './errors';
import { errorCode as code } from './internal/error-code';
import { withPinnedRandom } from './internal/rng';
import type { DomainKey, Ed25519PublicKey } from './keys';
import { createOrganisation } from './organisation';
import { signWrite } from './sign-write';
import { blake2b, ed25519Sign, ready } from './sodium';
import chainV from './vectors/chain-v1.json';
import checkpointsV from './vectors/checkpoints-v1.json';
import { identityFromSeedsForVectors } from './vectors/shared';
import { columnsFromJson } from './vectors/shared-chain';
import writeV from './vectors/write-statement-v1.json';
import { unwrapDomainKey } from './wrap';
import {
	checkRow,
	checkStatementFollows,
	encodeColumns,
	leavesHash,
	statementHash,
	verifyWrite,
	writeLeaf,
	type RowVersion
} from './writes';

await ready();

const h = fromHex;
const create = chainV.positive[0]!;
const domains = ['catalog', 'sourcing', 'logistics'] as const;

describe('chain-v1.json (SPEC.md §16)', () => {
	it('rebuilds the create link from the text of §16.1, §16.5 and §16.6', () => {
		const c = create.creator;
		const creator = identityFromSeedsForVectors(h(c.boxSeed), h(c.signSeed));
		expect(toHex(creator.boxPublicKey)).toBe(c.boxPublicKey);
		expect(toHex(creator.signPublicKey)).toBe(c.signPublicKey);
		const genesis = pae([
			utf8('stowage/chain-genesis/v1'),
			utf8(c.memberId),
			creator.boxPublicKey,
			creator.signPublicKey,
			new Uint8Array([1]),
			h(create.nonce)
		]);
		expect(toHex(genesis)).toBe(create.genesis);
		const tid = blake2b(32, pae([utf8('stowage/tenant-id/v1'), genesis]));
		expect(toHex(tid)).toBe(create.tenantIdBytes);
		expect(toHex(tid)).toBe(create.tenantId);
		for (const d of domains) {
			const k = h(create.domainKeys[d]) as DomainKey;
			expect(toHex(keyCommitment(k, { tenantId: create.tenantId, domain: d, epoch: 1 })), d).toBe(
				create.commitments[d]
			);
		}
		const body = pae([
			utf8('stowage/chain-create/v1'),
			genesis,
			...domains.map((d) => h(create.commitments[d]))
		]);
		expect(toHex(body)).toBe(create.body);
		const message = concat(
			new Uint8Array([1]),
			pae([
				utf8('stowage/chain-link/v1'),
				new Uint8Array(0),
				le64(1),
				new Uint8Array(0),
				le64(create.time),
				utf8(c.memberId),
				creator.signPublicKey,
				new Uint8Array([1]),
				body
			])
		);
		const link = concat(message, ed25519Sign(message, creator.signSecretKey));
		expect(toHex(link)).toBe(create.link);
		expect(link.length).toBe(559 + 2 * c.memberId.length);
		expect(toHex(blake2b(32, pae([utf8('stowage/chain-link-hash/v1'), link])))).toBe(create.linkHash);
	});

	it('createOrganisation reproduces it with the pinned randomness, and the chain verifies', () => {
		const c = create.creator;
		const creator = identityFromSeedsForVectors(h(c.boxSeed), h(c.signSeed));
		const pins = [h(create.nonce), ...domains.map((d) => h(create.domainKeys[d]))];
		const org = withPinnedRandom(pins, () => createOrganisation(creator, c.memberId, create.time));
		expect(toHex(org.link)).toBe(create.link);
		expect(toHex(org.linkHash)).toBe(create.linkHash);
		expect(toHex(linkHash(org.link))).toBe(create.linkHash);
		expect(org.tenantId).toBe(create.tenantId);
		const s = verifyChain([h(create.link)], {
			tenantId: create.tenantId,
			checkpoint: { seq: create.head.seq, hash: h(create.head.hash) }
		});
		expect(s.head.seq).toBe(1);
		expect(s.member(c.memberId)!.role).toBe('owner');
		for (const d of domains) {
			const v = verifiedKeyCommitment(s, { domain: d, epoch: 1, memberId: c.memberId });
			expect(toHex(unwrapDomainKey(org.wraps[d], creator, v))).toBe(create.domainKeys[d]);
		}
	});

	it('refuses every negative vector with its code', () => {
		for (const v of chainV.negative) {
			const opts: { tenantId?: string; checkpoint?: { seq: number; hash: Uint8Array } } = {};
			if ('tenantId' in v) opts.tenantId = v.tenantId as string;
			if ('checkpoint' in v) {
				const cp = v.checkpoint as { seq: number; hash: string };
				opts.checkpoint = { seq: cp.seq, hash: h(cp.hash) };
			}
			const run = () => verifyChain(v.links.map(h), opts);
			expect(code(run), v.name).toBe(v.expectError);
			if ('kind' in v) {
				try {
					run();
				} catch (e) {
					expect(e).toBeInstanceOf(ChainForkError);
					expect((e as ChainForkError).kind, v.name).toBe(v.kind);
					expect(e).toBeInstanceOf(CryptoError);
				}
			}
		}
	});
});

function rowOf(tenantId: string, r: (typeof writeV.positive)[0]['rows'][0]): RowVersion {
	return {
		tenantId,
		table: r.table,
		rowId: r.rowId,
		version: r.version,
		prevLeaf: r.prevLeaf === null ? null : h(r.prevLeaf),
		columns: columnsFromJson(r.columns as Record<string, { type: string; value?: string | boolean }>),
		tombstone: r.tombstone
	};
}

describe('write-statement-v1.json (SPEC.md §17)', () => {
	it('reproduces the column encodings, leaves, leaf-list hash, statements and hashes', () => {
		const c = create.creator;
		const creator = identityFromSeedsForVectors(h(c.boxSeed), h(c.signSeed));
		let prev: ReturnType<typeof verifyWrite> | null = null;
		for (const v of writeV.positive) {
			const rows = v.rows.map((r) => rowOf(v.tenantId, r));
			rows.forEach((r, i) => {
				expect(toHex(encodeColumns(r.columns)), v.name).toBe(v.rows[i]!.columnsEncoding);
				expect(toHex(writeLeaf(r)), v.name).toBe(v.rows[i]!.leaf);
			});
			const leaves = rows.map(writeLeaf);
			expect(toHex(leavesHash(leaves))).toBe(v.leavesHash);
			const signed = signWrite(
				{
					tenantId: v.tenantId,
					kind: v.kind as 'write',
					cited: { seq: v.cited.seq, hash: h(v.cited.hash) },
					prev: v.prev === null ? null : { hash: h(v.prev.hash), counter: v.prev.counter },
					leaves
				},
				{ memberId: v.author.memberId, identity: creator }
			);
			expect(toHex(signed), v.name).toBe(v.signed);
			expect(toHex(statementHash(signed))).toBe(v.statementHash);
			const verified = verifyWrite(h(v.signed), leaves, {
				tenantId: v.tenantId,
				authorSignPublicKey: h(v.author.signPublicKey) as Ed25519PublicKey
			});
			expect(verified.statement.counter).toBe(v.counter);
			for (const r of rows) checkRow(verified, r);
			checkStatementFollows(prev, verified);
			prev = verified;
		}
	});

	it('the leaf of §17.1 from its text', () => {
		const v = writeV.positive[0]!;
		const r = v.rows[0]!;
		const leaf = blake2b(
			32,
			pae([
				utf8('stowage/write-leaf/v1'),
				utf8(v.tenantId),
				utf8(r.table),
				utf8(r.rowId),
				le64(r.version),
				new Uint8Array(0),
				h(r.columnsEncoding),
				new Uint8Array([0])
			])
		);
		expect(toHex(leaf)).toBe(r.leaf);
	});

	it('refuses every negative vector with its code', () => {
		for (const v of writeV.negative) {
			const run = () =>
				verifyWrite(h(v.signed), v.leaves.map(h), {
					tenantId: v.tenantId,
					authorSignPublicKey: h(v.authorSignPublicKey) as Ed25519PublicKey
				});
			if ('row' in v) {
				const verified = run();
				const row = rowOf(v.tenantId, v.row as (typeof writeV.positive)[0]['rows'][0]);
				expect(toHex(writeLeaf(row)), v.name).toBe((v.row as { leaf: string }).leaf);
				expect(
					code(() => checkRow(verified, row)),
					v.name
				).toBe(v.expectError);
			} else {
				expect(code(run), v.name).toBe(v.expectError);
			}
		}
	});
});

describe('checkpoints-v1.json (SPEC.md §18)', () => {
	const u = checkpointsV.user;
	const me = identityFromSeedsForVectors(h(u.boxSeed), h(u.signSeed));

	it('opens the positive vector', () => {
		expect(toHex(me.boxPublicKey)).toBe(u.boxPublicKey);
		for (const v of checkpointsV.positive) {
			const { checkpoints, written } = openCheckpoints(h(v.blob), me, { userId: v.userId });
			expect(written).toBe(v.written);
			expect([...checkpoints].map(([t, c]) => ({ tenantId: t, seq: c.seq, hash: toHex(c.hash) }))).toEqual(
				v.checkpoints
			);
		}
	});

	it('refuses every negative vector with its code', () => {
		for (const v of checkpointsV.negative) {
			expect(
				code(() => openCheckpoints(h(v.blob), me, { userId: v.userId })),
				v.name
			).toBe(v.expectError);
		}
	});
});
