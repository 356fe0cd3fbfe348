// Writes the edge-case vectors SPEC.md §14 lists (statement-edges.json, edges.json) from pinned inputs.
// Append-only like generate.test.ts: an existing file is never overwritten. Run with:
// WRITE_VECTORS=1 npx vitest run crypto/vectors/generate-edges.test.ts
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { pae, type RecordContext } from '../aad';
import { blindIndex, deriveBlindIndexKey, normalise } from '../blind-index';
import { concat, le64, toHex, utf8 } from '../bytes';
import { sealRecord } from '../envelope';
import { sealIdentityBundle } from '../identity';
import { withPinnedRandom } from '../internal/rng';
import { bundleKeyFrom, derivePrfKey, KDF_OWASP_MINIMUM } from '../kdf';
import type { DomainKey, PrfKey } from '../keys';
import { aeadEncrypt, argon2id, blake2b, ed25519Sign, kdfDerive, ready } from '../sodium';
import { signWrapStatement, STATEMENT_LABEL } from '../statements';
import { encodeFieldsJson, identityFromSeedsForVectors } from './shared';

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

describe.runIf(process.env.WRITE_VECTORS === '1')('generate edge vectors', () => {
	it('statement-edges.json', () => {
		const granter = identityFromSeedsForVectors(new Uint8Array(32), pinned('edge granter sign seed'));
		const member = identityFromSeedsForVectors(pinned('edge member box seed'), pinned('edge member sign seed'));
		const wrap = concat(pinned('edge wrap bytes 1', 64), pinned('edge wrap bytes 2', 33));
		const base = { tenantId: 'tenant-1', domain: 'catalog' as const, epoch: 1, memberId: 'member-1' };
		const expected = (over: object = {}) => ({
			...base,
			memberBoxPublicKey: hex(member.boxPublicKey),
			memberSignPublicKey: hex(member.signPublicKey),
			wrap: hex(wrap),
			...over
		});
		const keys = { boxPublicKey: member.boxPublicKey, signPublicKey: member.signPublicKey };
		const fp = blake2b(32, pae([utf8('stowage/fingerprint/v1'), member.boxPublicKey, member.signPublicKey]));
		const wh = blake2b(32, wrap);
		// A statement built piece by piece, so that pieces the signer refuses can still be signed.
		const raw = (tenant: Uint8Array, member: Uint8Array, epoch: Uint8Array): Uint8Array => {
			const m = concat(
				new Uint8Array([1]),
				pae([utf8(STATEMENT_LABEL), tenant, utf8('catalog'), epoch, member, fp, wh, granter.signPublicKey])
			);
			return concat(m, ed25519Sign(m, granter.signSecretKey));
		};
		const good = signWrapStatement({ ...base, memberKeys: keys, wrap }, granter);
		const long = 'a'.repeat(128);
		const maxEpoch = signWrapStatement({ ...base, epoch: 0xffffffff, memberKeys: keys, wrap }, granter);
		const long128 = signWrapStatement({ ...base, tenantId: long, memberKeys: keys, wrap }, granter);
		const badSig = good.slice();
		badSig[badSig.length - 1]! ^= 1;
		const g = hex(granter.signPublicKey);
		const neg = (name: string, comment: string, signed: Uint8Array, expectError: string, over: object = {}) => ({
			name,
			comment,
			signed: hex(signed),
			granterSignPublicKey: g,
			expected: expected(),
			expectError,
			...over
		});
		const epoch2to32 = new Uint8Array([0, 0, 0, 0, 1, 0, 0, 0]);
		write('statement-edges.json', {
			description:
				'Wrap statements at the edges of SPEC.md §7.5: identifier and epoch bounds, the signature split, the minimum length, and the code when a statement has two faults (the earliest step of §7.5 wins). Same fields as wrap-statement.json; `granterSignPublicKey` is the trusted key.',
			positive: [
				{ name: 'epoch-max', comment: 'epoch 2^32 − 1', signed: hex(maxEpoch), granterSignPublicKey: g, expected: expected({ epoch: 0xffffffff }) },
				{ name: 'tenant-128-bytes', comment: 'a tenant id of exactly 128 bytes', signed: hex(long128), granterSignPublicKey: g, expected: expected({ tenantId: long }) }
			],
			negative: [
				neg('tenant-empty', 'tenant id piece of 0 bytes, correctly signed', raw(new Uint8Array(0), utf8('member-1'), le64(1)), 'ERR_MALFORMED'),
				neg('member-129-bytes', 'member id piece of 129 bytes, correctly signed', raw(utf8('tenant-1'), utf8('a'.repeat(129)), le64(1)), 'ERR_MALFORMED'),
				neg('epoch-0', 'epoch 0, correctly signed', raw(utf8('tenant-1'), utf8('member-1'), le64(0)), 'ERR_MALFORMED'),
				neg('epoch-2^32', 'epoch 2^32 (a high byte of LE64 set), correctly signed', raw(utf8('tenant-1'), utf8('member-1'), epoch2to32), 'ERR_MALFORMED'),
				neg('epoch-7-bytes', 'epoch piece of 7 bytes, correctly signed', raw(utf8('tenant-1'), utf8('member-1'), le64(1).subarray(0, 7)), 'ERR_MALFORMED'),
				neg('length-72', '72 bytes: one short of version + count + signature', good.subarray(0, 72), 'ERR_MALFORMED'),
				neg('byte-after-signature', 'a zero byte appended: the last 64 bytes are no longer the signature, and the PAE has a byte left over', concat(good, new Uint8Array(1)), 'ERR_MALFORMED'),
				neg('signature-missing-a-byte', 'last byte removed: the split takes the body’s last byte into the signature', good.subarray(0, good.length - 1), 'ERR_MALFORMED'),
				neg('two-faults-version-and-short', 'version 0x02 and 10 bytes long: the version is checked first', concat(new Uint8Array([2]), new Uint8Array(9)), 'ERR_UNSUPPORTED_VERSION'),
				neg('two-faults-malformed-and-bad-signature', 'tenant id empty and signature flipped: parse comes before verification', (() => { const t = raw(new Uint8Array(0), utf8('member-1'), le64(1)); t[t.length - 1]! ^= 1; return t; })(), 'ERR_MALFORMED'),
				neg('two-faults-bad-signature-and-other-context', 'signature flipped and expected at epoch 2: the signature comes before the context', badSig, 'ERR_SIGNATURE_INVALID', { expected: expected({ epoch: 2 }) }),
				neg('two-faults-short-trusted-key-and-malformed', 'trusted key of 31 bytes and a 72-byte statement: the trusted key is checked first', good.subarray(0, 72), 'ERR_INVALID_INPUT', { granterSignPublicKey: g.slice(0, 62) }),
				neg('two-faults-other-granter-and-bad-signature', 'a different trusted key and a flipped signature: one code for both', badSig, 'ERR_SIGNATURE_INVALID', { granterSignPublicKey: hex(member.signPublicKey) })
			]
		});
	});

	it('edges.json', () => {
		const key = pinned('edge domain key') as DomainKey;
		const ctx: RecordContext = { tenantId: 'tenant-1', table: 'products', column: 'catalog_env', rowId: 'row-1', domain: 'catalog', epoch: 1 };
		const bomNonce = pinned('edge nonce bom', 24);
		const bomFields = { name: '\uFEFFBOM first', notes: '\uFEFF' };
		const bom = withPinnedRandom([bomNonce], () => sealRecord(bomFields, key, ctx));
		// ERR_MALFORMED after a valid tag: an authenticated plaintext that is not a padded record encoding.
		const header = new Uint8Array([1, 1, 0, 0, 0, 1]);
		const aad = pae([utf8('stowage/record/v1'), utf8(ctx.tenantId), utf8(ctx.table), utf8(ctx.column), utf8(ctx.rowId), utf8(ctx.domain), le64(ctx.epoch), header]);
		const recordKey = kdfDerive(32, 1, 'stw-recd', key);
		const sealRaw = (label: string, padded: Uint8Array) => {
			const nonce = pinned(label, 24);
			return hex(concat(header, nonce, aeadEncrypt(padded, aad, nonce, recordKey)));
		};
		const noMarker = new Uint8Array(32); // all zeros: no 0x80 padding marker
		const trailing = new Uint8Array(32);
		trailing.set([1, 0, 0, 0xff, 0x80]); // count 0, a stray byte 0xff, then the marker
		const wrongBucket = new Uint8Array(64);
		wrongBucket.set([1, 0, 0, 0x80]); // a 3-byte record padded to 64 bytes instead of 32
		const prfOutput = pinned('edge prf output');
		const prfKey = derivePrfKey(prfOutput);
		const bk = bundleKeyFrom('prf', prfKey as PrfKey);
		const id = identityFromSeedsForVectors(pinned('box seed'), pinned('sign seed'));
		const bundleNonce = pinned('edge bundle nonce prf', 24);
		const userId = 'c3d4e5f6-0718-4a29-8b3c-4d5e6f708192';
		const sealed = withPinnedRandom([bundleNonce], () => sealIdentityBundle(id, bk, { userId, method: 'prf' }));
		const bidxKey = deriveBlindIndexKey(key);
		const caseValues: Array<[string, string]> = [
			['final sigma: Σ at the end lower-cases to ς (U+03C2); case folding would give σ', 'ΟΔΟΣ-1'],
			['ẞ (U+1E9E) lower-cases to ß, which stays ß; full case folding would give "ss"', 'STRAẞE-1'],
			['the ligature ﬃ has no lower-case mapping and is kept; full case folding would give "ffi"', 'ﬃ-1'],
			['İ (U+0130) lower-cases to i + U+0307 (SpecialCasing, locale-independent), two code points', 'İ-1'],
			['a leading U+FEFF is trimmed: ECMAScript WhiteSpace includes it (in a record value, §6.1, it is data)', '\uFEFFSKU-1']
		];
		const pw = 'correct horse battery staple';
		const salt = hex(pinned('salt', 16));
		write('edges.json', {
			description:
				'Edge cases SPEC.md states explicitly (§14): base64url (§2.1), the PAE parser (§3.2), a record value starting with U+FEFF (§6.1), ERR_MALFORMED after a valid tag (§6.5 step 5, §6.6), Argon2id parameters (§4.1), a low-order wrap recipient (§7.2), and the PRF copy of the identity bundle (§4.3, §5). Each entry has a `kind`.',
			base64url: {
				positive: [
					{ text: '', hex: '' },
					{ text: 'AA', hex: '00' },
					{ text: 'AAA', hex: '0000' },
					{ text: '-_8', hex: 'fbff' },
					{ text: '_w', hex: 'ff' }
				],
				negative: [
					{ name: 'padding', text: 'AA==', expectError: 'ERR_MALFORMED' },
					{ name: 'one-char-tail', text: 'AAAAA', expectError: 'ERR_MALFORMED' },
					{ name: 'trailing-bits', text: 'AB', comment: 'B sets one of the 4 unused low bits', expectError: 'ERR_MALFORMED' },
					{ name: 'trailing-bits-2', text: 'AAB', comment: 'B sets one of the 2 unused low bits', expectError: 'ERR_MALFORMED' },
					{ name: 'standard-alphabet', text: '+/8', expectError: 'ERR_MALFORMED' },
					{ name: 'whitespace', text: 'AA A', expectError: 'ERR_MALFORMED' },
					{ name: 'newline', text: 'AAA\n', expectError: 'ERR_MALFORMED' }
				]
			},
			pae: {
				description: 'parsePae(bytes, count) of §3.2',
				positive: [
					{ name: 'two-pieces', hex: '0200000000000000' + '0200000000000000' + '6162' + '0000000000000000', count: 2, pieces: ['6162', ''] }
				],
				negative: [
					{ name: 'count-mismatch', hex: '0100000000000000' + '0000000000000000', count: 2, expectError: 'ERR_MALFORMED' },
					{ name: 'length-past-end', hex: '0100000000000000' + '0300000000000000' + '6162', count: 1, expectError: 'ERR_MALFORMED' },
					{ name: 'byte-left-over', hex: '0100000000000000' + '0100000000000000' + '6162', count: 1, expectError: 'ERR_MALFORMED' },
					{ name: 'high-length-bytes', hex: '0100000000000000' + '0000000001000000', count: 1, expectError: 'ERR_MALFORMED' },
					{ name: 'high-count-bytes', hex: '0100000001000000' + '0000000000000000', count: 1, expectError: 'ERR_MALFORMED' },
					{ name: 'short-count', hex: '01000000000000', count: 1, expectError: 'ERR_MALFORMED' }
				]
			},
			envelope: {
				key: hex(key),
				context: ctx,
				positive: [
					{ name: 'leading-bom', comment: 'string values starting with U+FEFF keep it (§6.1)', fields: encodeFieldsJson(bomFields), nonce: hex(bomNonce), envelope: hex(bom) }
				],
				negative: [
					{ name: 'no-padding-marker', comment: 'valid tag; the 32-byte plaintext is all zeros (no 0x80)', envelope: sealRaw('edge nonce no marker', noMarker), expectError: 'ERR_MALFORMED' },
					{ name: 'trailing-byte-in-record', comment: 'valid tag; a record of 0 fields followed by a stray byte', envelope: sealRaw('edge nonce trailing', trailing), expectError: 'ERR_MALFORMED' },
					{ name: 'wrong-bucket', comment: 'valid tag; a 3-byte record padded to 64 bytes, not 32', envelope: sealRaw('edge nonce bucket', wrongBucket), expectError: 'ERR_MALFORMED' }
				]
			},
			kdf: {
				password: pw,
				salt,
				negative: [
					{ name: 'ops-above-ceiling', params: { alg: 'argon2id13', opsLimit: 13, memLimitBytes: KDF_OWASP_MINIMUM.memLimitBytes }, expectError: 'ERR_WEAK_PARAMETERS' },
					{ name: 'ops-not-integer', params: { alg: 'argon2id13', opsLimit: 2.5, memLimitBytes: KDF_OWASP_MINIMUM.memLimitBytes }, expectError: 'ERR_INVALID_INPUT' },
					{ name: 'ops-string', params: { alg: 'argon2id13', opsLimit: '3', memLimitBytes: KDF_OWASP_MINIMUM.memLimitBytes }, expectError: 'ERR_INVALID_INPUT' },
					{ name: 'memory-not-kib', params: { alg: 'argon2id13', opsLimit: 3, memLimitBytes: KDF_OWASP_MINIMUM.memLimitBytes + 1 }, expectError: 'ERR_INVALID_INPUT' },
					{ name: 'integer-before-floor', comment: 'opsLimit 1.5 is both fractional and below the floor: integers are checked first', params: { alg: 'argon2id13', opsLimit: 1.5, memLimitBytes: KDF_OWASP_MINIMUM.memLimitBytes }, expectError: 'ERR_INVALID_INPUT' }
				]
			},
			wrap: {
				domainKey: hex(key),
				context: { tenantId: 'tenant-1', domain: 'catalog', epoch: 1, memberId: 'member-1' },
				negative: [
					{ name: 'recipient-zero', comment: 'u = 0, small order: X25519 gives all zeros', recipient: '00'.repeat(32), expectError: 'ERR_INVALID_INPUT' },
					{ name: 'recipient-one', comment: 'u = 1, small order', recipient: '01' + '00'.repeat(31), expectError: 'ERR_INVALID_INPUT' },
					{ name: 'recipient-order-8', comment: 'a point of order 8', recipient: 'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800', expectError: 'ERR_INVALID_INPUT' }
				]
			},
			blindIndex: {
				description:
					'sku/asin lower-casing is String.prototype.toLowerCase (Unicode default lower-case mapping with SpecialCasing and Final_Sigma), not case folding; data of Unicode 17.0 (§10.1)',
				domainKey: hex(key),
				blindIndexKey: hex(bidxKey),
				positive: caseValues.map(([comment, value]) => ({
					comment,
					kind: 'sku',
					table: 'products',
					column: 'sku_idx',
					value,
					normalised: normalise('sku', value),
					index: hex(blindIndex(bidxKey, { table: 'products', column: 'sku_idx' }, 'sku', value))
				}))
			},
			bundle: {
				positive: [
					{ name: 'prf', userId, method: 'prf', prfOutput: hex(prfOutput), unlockKey: hex(prfKey), bundleKey: hex(bk), boxSeed: hex(pinned('box seed')), signSeed: hex(pinned('sign seed')), nonce: hex(bundleNonce), sealed: hex(sealed) }
				]
			}
		});
	});
	it('salt.json (SPEC.md §4.1.1)', () => {
		// Each normalisation spelled out here, apart from normaliseEmail, so the file states the rule's output.
		const cases: Array<[string, string, string]> = [
			['plain', 'seller@example.com', 'seller@example.com'],
			['ASCII upper case is lowered', 'Seller.Name@Example.COM', 'seller.name@example.com'],
			['ASCII whitespace at both ends is stripped', ' \t\r\n\v\fseller@example.com \n', 'seller@example.com'],
			['inner characters are kept', "o'brien+tag@example.com", "o'brien+tag@example.com"],
			['254 characters', `${'a'.repeat(64)}@${'b'.repeat(185)}.com`, `${'a'.repeat(64)}@${'b'.repeat(185)}.com`]
		];
		const serverSalt = pinned('salt server salt', 16);
		const salt = (n: string, ss: Uint8Array) => blake2b(16, pae([utf8('stowage/salt/v1'), utf8(n), ss]));
		const rootParams = { alg: 'argon2id13' as const, opsLimit: 3, memLimitBytes: 64 * 1024 * 1024 };
		const rootSalt = salt('seller@example.com', serverSalt);
		write('salt.json', {
			description:
				'SPEC.md §4.1.1: Argon2id salt = BLAKE2b-128(PAE("stowage/salt/v1", normalised email, server salt)). ' +
				'email is the input string, normalised the normalised email, pae the hashed bytes.',
			positive: [
				...cases.map(([name, email, normalised]) => ({
					name,
					email,
					normalised,
					serverSalt: hex(serverSalt),
					pae: hex(pae([utf8('stowage/salt/v1'), utf8(normalised), serverSalt])),
					salt: hex(salt(normalised, serverSalt))
				})),
				{
					name: 'a different server salt gives a different salt',
					email: 'seller@example.com',
					normalised: 'seller@example.com',
					serverSalt: hex(new Uint8Array(16)),
					pae: hex(pae([utf8('stowage/salt/v1'), utf8('seller@example.com'), new Uint8Array(16)])),
					salt: hex(salt('seller@example.com', new Uint8Array(16)))
				}
			],
			root: {
				name: 'root key from the bound salt at the floor parameters',
				email: 'seller@example.com',
				serverSalt: hex(serverSalt),
				salt: hex(rootSalt),
				password: 'correct horse battery staple',
				params: rootParams,
				root: hex(argon2id(32, utf8('correct horse battery staple'), rootSalt, 3, 64 * 1024 * 1024))
			},
			negative: [
				{ name: 'empty', email: '', serverSalt: hex(serverSalt), error: 'ERR_INVALID_INPUT' },
				{ name: 'whitespace only', email: ' \t ', serverSalt: hex(serverSalt), error: 'ERR_INVALID_INPUT' },
				{ name: 'inner space', email: 'sel ler@example.com', serverSalt: hex(serverSalt), error: 'ERR_INVALID_INPUT' },
				{ name: 'non-ASCII (not lowered, refused)', email: 'SÉLLER@example.com', serverSalt: hex(serverSalt), error: 'ERR_INVALID_INPUT' },
				{ name: 'Kelvin sign (toLowerCase would make it k)', email: '\u212a@example.com', serverSalt: hex(serverSalt), error: 'ERR_INVALID_INPUT' },
				{ name: 'no-break space at the end (not ASCII whitespace)', email: 'seller@example.com\u00a0', serverSalt: hex(serverSalt), error: 'ERR_INVALID_INPUT' },
				{ name: '255 characters', email: `${'a'.repeat(64)}@${'b'.repeat(186)}.com`, serverSalt: hex(serverSalt), error: 'ERR_INVALID_INPUT' },
				{ name: 'server salt of 15 bytes', email: 'seller@example.com', serverSalt: hex(serverSalt.subarray(0, 15)), error: 'ERR_INVALID_INPUT' },
				{ name: 'server salt of 17 bytes', email: 'seller@example.com', serverSalt: hex(concat(serverSalt, new Uint8Array(1))), error: 'ERR_INVALID_INPUT' }
			]
		});
	});
});
