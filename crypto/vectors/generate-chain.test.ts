// Writes the team-chain and write-statement vectors of SPEC.md §16–§17 (chain-v1.json, write-statement-v1.json)
// from pinned inputs. Append-only like generate.test.ts: an existing file is never overwritten. Run with:
// WRITE_VECTORS=1 npx vitest run crypto/vectors/generate-chain.test.ts
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { pae } from '../aad';
import { concat, le64, toHex, utf8 } from '../bytes';
import { encodeGenesis, LINK_LABEL, LINK_TYPES, parseLink, tenantIdBytes } from '../chain';
import { sealCheckpoints } from '../checkpoints';
import { withPinnedRandom } from '../internal/rng';
import { createOrganisation, signLink } from '../organisation';
import { signWrite } from '../sign-write';
import { blake2b, boxSeal, ed25519Sign, ready } from '../sodium';
import { encodeColumns, leavesHash, statementHash, WRITE_STATEMENT_LABEL, writeLeaf, type RowVersion } from '../writes';
import { identityFromSeedsForVectors } from './shared';
import { columnsToJson } from './shared-chain';

await ready();

const here = dirname(fileURLToPath(import.meta.url));
const pinned = (label: string, n = 32): Uint8Array => blake2b(n, utf8(`stowage vector: ${label}`));
const hex = toHex;

function write(name: string, body: object): void {
	const path = join(here, name);
	if (existsSync(path)) return;
	writeFileSync(path, JSON.stringify(body, null, '\t') + '\n');
	// eslint-disable-next-line no-console -- the test report states what was written
	console.log(`vectors: wrote ${name}`);
}

const TIME = Date.UTC(2026, 11, 1, 12, 0, 0);
const boxSeed = pinned('chain creator box seed');
const signSeed = pinned('chain creator sign seed');
const creator = identityFromSeedsForVectors(boxSeed, signSeed);
const memberId = 'member-owner';
const pins = ['chain nonce', 'chain catalog key', 'chain sourcing key', 'chain logistics key'].map((l) => pinned(l));
const org = withPinnedRandom(pins, () => createOrganisation(creator, memberId, TIME));

describe.runIf(process.env.WRITE_VECTORS === '1')('generate chain and write-statement vectors', () => {
	it('chain-v1.json', () => {
		const parsed = parseLink(org.link).link;
		const genesis = parsed.create!.genesis;
		const other = identityFromSeedsForVectors(pinned('chain other box seed'), pinned('chain other sign seed'));
		const at2 = (over: object, author = creator) =>
			signLink(
				{
					tenantId: org.tenantId,
					seq: 2,
					prev: org.linkHash,
					time: TIME + 1000,
					authorMemberId: memberId,
					type: LINK_TYPES.rotate,
					body: new Uint8Array(0),
					...over
				},
				author
			);
		const tampered = org.link.slice();
		tampered[tampered.length - 1]! ^= 0x01;
		// A create whose author key is the identity point (small order), signed by the creator's real key.
		const smallOrder = fromPieces(new Uint8Array([1, ...new Uint8Array(31)]), parsed.body);
		const fork = withPinnedRandom(
			['chain nonce 2', 'chain catalog key', 'chain sourcing key', 'chain logistics key'].map((l) => pinned(l)),
			() => createOrganisation(creator, memberId, TIME)
		);
		const v2 = org.link.slice();
		v2[0] = 0x02;
		const head = { seq: 1, hash: hex(org.linkHash) };
		const neg = (name: string, comment: string, links: Uint8Array[], expectError: string, over: object = {}) => ({
			name,
			comment,
			links: links.map(hex),
			expectError,
			...over
		});
		write('chain-v1.json', {
			description:
				'Team chain v1 (SPEC.md §16). Positive: a create link made by createOrganisation with pinned randomness (nonce, then the catalog, sourcing and logistics domain keys, §16.10), with every intermediate value. Negative: a list of links (`links`, seq order) that verifyChain (§16.8) refuses with `expectError`, one fault each; `tenantId` and `checkpoint`, where present, are the expected tenant and the reader’s last verified (seq, hash).',
			positive: [
				{
					name: 'create',
					creator: {
						memberId,
						boxSeed: hex(boxSeed),
						signSeed: hex(signSeed),
						boxPublicKey: hex(creator.boxPublicKey),
						signPublicKey: hex(creator.signPublicKey)
					},
					time: TIME,
					nonce: hex(pins[0]!),
					domainKeys: { catalog: hex(pins[1]!), sourcing: hex(pins[2]!), logistics: hex(pins[3]!) },
					genesis: hex(encodeGenesis(genesis)),
					tenantIdBytes: hex(tenantIdBytes(genesis)),
					tenantId: org.tenantId,
					commitments: {
						catalog: hex(org.commitments.catalog),
						sourcing: hex(org.commitments.sourcing),
						logistics: hex(org.commitments.logistics)
					},
					body: hex(parsed.body),
					link: hex(org.link),
					linkHash: hex(org.linkHash),
					head
				}
			],
			negative: [
				neg('tampered-signature', 'the last byte of the signature flipped', [tampered], 'ERR_SIGNATURE_INVALID'),
				neg('seq-gap', 'a well-signed second link at seq 3', [org.link, at2({ seq: 3 })], 'ERR_WRONG_CONTEXT'),
				neg(
					'wrong-prev',
					'a well-signed second link whose previous hash is 32 zero bytes',
					[org.link, at2({ prev: new Uint8Array(32) })],
					'ERR_WRONG_CONTEXT'
				),
				neg(
					'other-tenant',
					'a well-signed second link naming another tenant id',
					[org.link, at2({ tenantId: 'ab'.repeat(32) })],
					'ERR_WRONG_CONTEXT'
				),
				neg(
					'unknown-type',
					'a well-placed, owner-signed second link of type 9 (unassigned)',
					[org.link, at2({ type: 9 })],
					'ERR_UNSUPPORTED_VERSION'
				),
				neg(
					'reserved-type',
					'a well-placed, owner-signed second link of type 7 (rotate: reserved, not implemented in v1)',
					[org.link, at2({ type: LINK_TYPES.rotate })],
					'ERR_UNSUPPORTED_VERSION'
				),
				neg(
					'non-owner-author',
					'a second link signed by someone who is not a member, under the owner’s member id',
					[org.link, at2({}, other)],
					'ERR_SIGNATURE_INVALID'
				),
				neg(
					'small-order-author-key',
					'a create whose author Ed25519 key is the identity point 01 00…00',
					[smallOrder],
					'ERR_MALFORMED'
				),
				neg('trailing-bytes', 'one zero byte after the signature', [concat(org.link, new Uint8Array(1))], 'ERR_MALFORMED'),
				neg('version-2', 'version byte 0x02', [v2], 'ERR_UNSUPPORTED_VERSION'),
				neg('expected-other-tenant', 'a valid chain, but the reader asked for another tenant', [org.link], 'ERR_WRONG_CONTEXT', {
					tenantId: 'ab'.repeat(32)
				}),
				neg(
					'fork',
					'another valid create (another nonce) where the reader verified the positive vector’s head',
					[fork.link],
					'ERR_CHAIN_FORK',
					{ checkpoint: head, kind: 'fork' }
				),
				neg(
					'rollback',
					'the chain ends at seq 1, the reader verified seq 2',
					[org.link],
					'ERR_CHAIN_FORK',
					{ checkpoint: { seq: 2, hash: hex(pinned('chain vector seq 2 hash')) }, kind: 'rollback' }
				)
			]
		});
	});

	it('write-statement-v1.json', () => {
		const tenantId = org.tenantId;
		const rows: RowVersion[] = [
			{
				tenantId,
				table: 'products',
				rowId: '0193a1b2-0000-7000-8000-000000000001',
				version: 1,
				prevLeaf: null,
				columns: {
					catalog_env: pinned('write vector catalog envelope', 64),
					sku_bidx: pinned('write vector sku index', 16),
					reorder_point: 12,
					archived: false,
					note: null
				},
				tombstone: false
			},
			{
				tenantId,
				table: 'stock_movements',
				rowId: '0193a1b2-0000-7000-8000-000000000002',
				version: 1,
				prevLeaf: null,
				columns: {
					product_id: '0193a1b2-0000-7000-8000-000000000001',
					delta: -3,
					reason: 'count',
					at_us: 1796126400000000n
				},
				tombstone: false
			}
		];
		const leaves = rows.map(writeLeaf);
		const author = { memberId, identity: creator };
		const cited = { seq: 1, hash: org.linkHash };
		const signed = signWrite({ tenantId, kind: 'write', cited, prev: null, leaves }, author);
		const h = statementHash(signed);
		const update: RowVersion = {
			...rows[0]!,
			version: 2,
			prevLeaf: leaves[0]!,
			columns: { ...rows[0]!.columns, reorder_point: 20 }
		};
		const second = signWrite(
			{ tenantId, kind: 'write', cited, prev: { hash: h, counter: 1 }, leaves: [writeLeaf(update)] },
			author
		);
		const rowJson = (r: RowVersion) => ({
			table: r.table,
			rowId: r.rowId,
			version: r.version,
			prevLeaf: r.prevLeaf === null ? null : hex(r.prevLeaf),
			columns: columnsToJson(r.columns),
			tombstone: r.tombstone,
			columnsEncoding: hex(encodeColumns(r.columns)),
			leaf: hex(writeLeaf(r))
		});
		// A statement built piece by piece, so that pieces the signer refuses can still be signed.
		const raw = (kind: number, audit: Uint8Array, prev: Uint8Array, counter: number): Uint8Array => {
			const m = concat(
				new Uint8Array([1]),
				pae([
					utf8(WRITE_STATEMENT_LABEL),
					utf8(tenantId),
					utf8(memberId),
					creator.signPublicKey,
					new Uint8Array([kind]),
					le64(1),
					org.linkHash,
					audit,
					prev,
					le64(counter),
					leavesHash(leaves)
				])
			);
			return concat(m, ed25519Sign(m, creator.signSecretKey));
		};
		const tampered = signed.slice();
		tampered[tampered.length - 1]! ^= 0x01;
		const base = {
			tenantId,
			authorSignPublicKey: hex(creator.signPublicKey),
			leaves: leaves.map(hex)
		};
		const neg = (name: string, comment: string, s: Uint8Array, expectError: string, over: object = {}) => ({
			name,
			comment,
			signed: hex(s),
			...base,
			expectError,
			...over
		});
		write('write-statement-v1.json', {
			description:
				'Write statements v1 (SPEC.md §17). Positive: the rows of one request with their column encodings and leaves, the leaf-list hash, the signed statement (signed by the create vector’s creator, citing its head) and its hash; then the same author’s second statement. Column values in JSON: {type: null|text|bytes|integer|boolean, value}, bytes as hex and integers as decimal strings. Negative: verifyWrite(signed, leaves, {tenantId, authorSignPublicKey}) refuses with expectError; `row`, where present, is a row that checkRow refuses against the positive statement.',
			positive: [
				{
					name: 'two-leaves',
					tenantId,
					author: { memberId, signSeed: hex(signSeed), signPublicKey: hex(creator.signPublicKey) },
					kind: 'write',
					cited: { seq: 1, hash: hex(org.linkHash) },
					prev: null,
					counter: 1,
					rows: rows.map(rowJson),
					leavesHash: hex(leavesHash(leaves)),
					signed: hex(signed),
					statementHash: hex(h)
				},
				{
					name: 'second-statement',
					tenantId,
					author: { memberId, signSeed: hex(signSeed), signPublicKey: hex(creator.signPublicKey) },
					kind: 'write',
					cited: { seq: 1, hash: hex(org.linkHash) },
					prev: { hash: hex(h), counter: 1 },
					counter: 2,
					rows: [rowJson(update)],
					leavesHash: hex(leavesHash([writeLeaf(update)])),
					signed: hex(second),
					statementHash: hex(statementHash(second))
				}
			],
			negative: [
				neg('tampered-signature', 'the last byte of the signature flipped', tampered, 'ERR_SIGNATURE_INVALID'),
				neg('other-tenant', 'a valid statement, but the reader expects another tenant', signed, 'ERR_WRONG_CONTEXT', {
					tenantId: 'ab'.repeat(32)
				}),
				neg('missing-leaf', 'the stored leaf list lacks the second leaf', signed, 'ERR_WRONG_CONTEXT', {
					leaves: [hex(leaves[0]!)]
				}),
				neg('repeated-leaf', 'the stored leaf list holds the first leaf twice', signed, 'ERR_MALFORMED', {
					leaves: [hex(leaves[0]!), hex(leaves[0]!)]
				}),
				neg(
					'audit-checkpoint',
					'a 32-byte audit checkpoint piece (v1 knows only none)',
					raw(1, new Uint8Array(32), new Uint8Array(0), 1),
					'ERR_UNSUPPORTED_VERSION'
				),
				neg(
					'counter-without-prev',
					'counter 2 with no previous statement',
					raw(1, new Uint8Array(0), new Uint8Array(0), 2),
					'ERR_MALFORMED'
				),
				neg('unknown-kind', 'kind 4', raw(4, new Uint8Array(0), new Uint8Array(0), 1), 'ERR_UNSUPPORTED_VERSION'),
				neg('changed-plaintext', 'checkRow: the stock movement’s delta changed from -3 to -30', signed, 'ERR_WRONG_CONTEXT', {
					row: rowJson({ ...rows[1]!, columns: { ...rows[1]!.columns, delta: -30 } })
				}),
				neg('replayed-version', 'checkRow: the first version of the product presented as version 2', signed, 'ERR_WRONG_CONTEXT', {
					row: rowJson({ ...rows[0]!, version: 2, prevLeaf: leaves[0]! })
				})
			]
		});
	});
});

describe.runIf(process.env.WRITE_VECTORS === '1')('generate checkpoint vectors', () => {
	it('checkpoints-v1.json', () => {
		const userId = 'user-1';
		const other = identityFromSeedsForVectors(pinned('chain other box seed'), pinned('chain other sign seed'));
		const entries = new Map([
			[org.tenantId, { seq: 1, hash: org.linkHash }],
			['ab'.repeat(32), { seq: 4, hash: pinned('checkpoint vector head 4') }]
		]);
		const blob = sealCheckpoints(entries, creator, { userId, written: TIME });
		// What a server can make: a sealed box to the user's public key, signed with a key that is not theirs.
		const m = concat(
			new Uint8Array([1]),
			pae([utf8('stowage/checkpoints/v1'), utf8(userId), le64(TIME), pae([utf8(org.tenantId), le64(1), org.linkHash])])
		);
		const forged = concat(new Uint8Array([1]), boxSeal(concat(m, ed25519Sign(m, other.signSecretKey)), creator.boxPublicKey));
		const tampered = blob.slice();
		tampered[60]! ^= 0x01;
		const user = {
			boxSeed: hex(boxSeed),
			signSeed: hex(signSeed),
			boxPublicKey: hex(creator.boxPublicKey),
			signPublicKey: hex(creator.signPublicKey)
		};
		write('checkpoints-v1.json', {
			description:
				'Chain checkpoints v1 (SPEC.md §18), open-only (crypto_box_seal draws its own ephemeral key). `user` holds the seeds of the user’s identity (the create vector’s creator); openCheckpoints(blob, user, {userId}) gives `checkpoints` (tenant id → seq and hash, in order) and `written`, or refuses with expectError.',
			user,
			positive: [
				{
					name: 'two-organisations',
					userId,
					blob: hex(blob),
					written: TIME,
					checkpoints: [...entries].sort(([a], [b]) => (a < b ? -1 : 1)).map(([t, c]) => ({ tenantId: t, seq: c.seq, hash: hex(c.hash) }))
				}
			],
			negative: [
				{ name: 'forged-by-server', comment: 'sealed to the user, signed by another key', userId, blob: hex(forged), expectError: 'ERR_SIGNATURE_INVALID' },
				{ name: 'other-user-id', comment: 'a genuine blob opened as another user id', userId: 'user-2', blob: hex(blob), expectError: 'ERR_WRONG_CONTEXT' },
				{ name: 'tampered', comment: 'one ciphertext byte flipped', userId, blob: hex(tampered), expectError: 'ERR_DECRYPTION_FAILED' }
			]
		});
	});
});

/** A create link with `authorKey` as the author's Ed25519 key, signed by the creator (its signature is moot). */
function fromPieces(authorKey: Uint8Array, body: Uint8Array): Uint8Array {
	const m = concat(
		new Uint8Array([1]),
		pae([
			utf8(LINK_LABEL),
			new Uint8Array(0),
			le64(1),
			new Uint8Array(0),
			le64(TIME),
			utf8(memberId),
			authorKey,
			new Uint8Array([LINK_TYPES.create]),
			body
		])
	);
	return concat(m, ed25519Sign(m, creator.signSecretKey));
}
