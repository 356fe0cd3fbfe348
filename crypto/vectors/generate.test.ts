// Writes crypto/vectors/*.json from pinned inputs. Vectors are append-only: an existing file is never
// overwritten. Run with: WRITE_VECTORS=1 npx vitest run crypto/vectors/generate.test.ts
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import type { RecordContext } from '../aad';
import { keyCommitment, keyCommitmentMessage, type KeyCommitmentContext } from '../commitment';
import { blindIndex, deriveBlindIndexKey, normalise, type NormalisationKind } from '../blind-index';
import { toHex, utf8 } from '../bytes';
import { sealRecord } from '../envelope';
import { fingerprint, formatFingerprint } from '../fingerprint';
import { openIdentityBundle, sealIdentityBundle, type UnlockMethod } from '../identity';
import { inviteMac } from '../invite';
import { withPinnedRandom } from '../internal/rng';
import {
	bundleKeyFrom,
	deriveAccountKeys,
	derivePrfKey,
	deriveRecoveryKeys,
	deriveRootKey,
	KDF_OWASP_MINIMUM,
	passwordBytes
} from '../kdf';
import type { BundleKey, DomainKey, InviteSecret, MasterKey, PrfKey, RecoveryKey, UserIdentity } from '../keys';
import type { FieldMap } from '../record';
import { encodeRecoveryKey } from '../recovery';
import { blake2b, kdfDerive, ready } from '../sodium';
import { signWrapStatement } from '../statements';
import { wrapDomainKey } from '../wrap';
import { encodeFieldsJson, identityFromSeedsForVectors } from './shared';

await ready();

const here = dirname(fileURLToPath(import.meta.url));
/** Pinned bytes: BLAKE2b-(n)(UTF-8("stowage vector: " ‖ label)), documented in vectors/README.md. */
const pinned = (label: string, n = 32): Uint8Array => blake2b(n, utf8(`stowage vector: ${label}`));
const hex = toHex;

function write(name: string, body: object): void {
	const path = join(here, name);
	if (existsSync(path)) {
		// eslint-disable-next-line no-console -- the test report states what was checked
		console.log(`vectors: ${name} exists, left unchanged (append-only)`);
		return;
	}
	writeFileSync(path, JSON.stringify(body, null, '\t') + '\n');
	// eslint-disable-next-line no-console -- the test report states what was checked
	console.log(`vectors: wrote ${name}`);
}

function flip(b: Uint8Array, i: number): Uint8Array {
	const t = b.slice();
	t[i]! ^= 0x01;
	return t;
}

describe.runIf(process.env.WRITE_VECTORS === '1')('generate vectors', () => {
	it('kdf.json', () => {
		const salt = pinned('salt', 16);
		const password = 'correct horse battery staple';
		const root = deriveRootKey(passwordBytes(password), salt, KDF_OWASP_MINIMUM);
		const { authKey, masterKey } = deriveAccountKeys(root);
		const prfOutput = pinned('prf output');
		write('kdf.json', {
			description: 'Password → root (Argon2id) → auth and master keys; PRF output → PRF key. SPEC.md §4.',
			positive: [
				{
					name: 'owasp-minimum',
					password,
					salt: hex(salt),
					params: KDF_OWASP_MINIMUM,
					root: hex(root),
					authKey: hex(authKey),
					masterKey: hex(masterKey),
					bundleKeyFromMaster: hex(bundleKeyFrom('master', masterKey)),
					prfOutput: hex(prfOutput),
					prfKey: hex(derivePrfKey(prfOutput)),
					bundleKeyFromPrf: hex(bundleKeyFrom('prf', derivePrfKey(prfOutput) as PrfKey))
				}
			],
			negative: [
				{
					name: 'ops-below-floor',
					comment: 'opsLimit 1 is below the OWASP minimum t=2',
					password,
					salt: hex(salt),
					params: { alg: 'argon2id13', opsLimit: 1, memLimitBytes: 64 * 1024 * 1024 },
					expectError: 'ERR_WEAK_PARAMETERS'
				},
				{
					name: 'memory-below-floor',
					comment: 'memLimitBytes 18 MiB is below the OWASP minimum 19 MiB',
					password,
					salt: hex(salt),
					params: { alg: 'argon2id13', opsLimit: 3, memLimitBytes: 18 * 1024 * 1024 },
					expectError: 'ERR_WEAK_PARAMETERS'
				},
				{
					name: 'memory-above-ceiling',
					comment: 'memLimitBytes 1 GiB exceeds the 256 MiB ceiling (server-driven DoS)',
					password,
					salt: hex(salt),
					params: { alg: 'argon2id13', opsLimit: 3, memLimitBytes: 1024 * 1024 * 1024 },
					expectError: 'ERR_WEAK_PARAMETERS'
				},
				{
					name: 'argon2i',
					comment: 'only argon2id13 is accepted',
					password,
					salt: hex(salt),
					params: { alg: 'argon2i13', opsLimit: 3, memLimitBytes: 64 * 1024 * 1024 },
					expectError: 'ERR_UNSUPPORTED_VERSION'
				},
				{
					name: 'short-salt',
					comment: 'salt is 15 bytes, not 16',
					password,
					salt: hex(salt.subarray(0, 15)),
					params: KDF_OWASP_MINIMUM,
					expectError: 'ERR_INVALID_INPUT'
				}
			]
		});
	});

	it('envelope-v1.json', () => {
		const key = pinned('catalog domain key') as DomainKey;
		const ctx: RecordContext = {
			tenantId: '7d1f3b0e-3c55-4f4e-9d0b-1f2e3d4c5b6a',
			table: 'products',
			column: 'catalog_env',
			rowId: '0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d',
			domain: 'catalog',
			epoch: 1
		};
		const records: Array<[string, string, FieldMap, RecordContext]> = [
			[
				'product',
				'a typical catalog record',
				{ name: 'Bamboo cutting board, large', sku: 'BCB-001', asin: 'B0C1234567', notes: 'Ships flat' },
				ctx
			],
			['empty', 'no fields at all (still padded to 32 bytes)', {}, ctx],
			[
				'types',
				'null, bytes and non-ASCII text',
				{ cleared: null, blob: new Uint8Array([0, 1, 2, 255]), name: 'Crème brûlée 🍮' },
				{ ...ctx, table: 'suppliers', column: 'sourcing_env', domain: 'sourcing', epoch: 7 }
			],
			[
				'bucket-64',
				'33 encoded bytes + marker → 64-byte bucket',
				{ name: 'x'.repeat(20) },
				{ ...ctx, domain: 'logistics', epoch: 4294967295, column: 'logistics_env' }
			]
		];
		const positive = records.map(([name, comment, fields, c]) => {
			const nonce = pinned(`nonce ${name}`, 24);
			const envelope = withPinnedRandom([nonce], () => sealRecord(fields, key, c));
			return { name, comment, key: hex(key), context: c, fields: encodeFieldsJson(fields), nonce: hex(nonce), envelope: hex(envelope) };
		});
		const base = positive[0]!;
		const env = Uint8Array.from(Buffer.from(base.envelope, 'hex'));
		const neg = (name: string, comment: string, envelope: Uint8Array, expectError: string, over: object = {}) => ({
			name,
			comment,
			key: hex(key),
			context: ctx,
			envelope: hex(envelope),
			expectError,
			...over
		});
		write('envelope-v1.json', {
			description: 'Sealed-record envelope v1. SPEC.md §6. Negative vectors open `envelope` with `key` at `context`.',
			positive,
			negative: [
				neg('flipped-tag', 'last byte of the Poly1305 tag flipped', flip(env, env.length - 1), 'ERR_DECRYPTION_FAILED'),
				neg('flipped-ciphertext', 'first ciphertext byte flipped', flip(env, 30), 'ERR_DECRYPTION_FAILED'),
				neg('flipped-nonce', 'first nonce byte flipped', flip(env, 6), 'ERR_DECRYPTION_FAILED'),
				neg('flipped-epoch', 'header epoch 1 → 0 (header is authenticated)', flip(env, 5), 'ERR_DECRYPTION_FAILED'),
				neg('domain-byte', 'header domain catalog(1) → sourcing(2)', (() => { const t = env.slice(); t[1] = 2; return t; })(), 'ERR_DECRYPTION_FAILED'),
				neg('wrong-row', 'opened at another row id', env, 'ERR_DECRYPTION_FAILED', { context: { ...ctx, rowId: '0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6e' } }),
				neg('wrong-tenant', 'opened in another tenant', env, 'ERR_DECRYPTION_FAILED', { context: { ...ctx, tenantId: '7d1f3b0e-3c55-4f4e-9d0b-1f2e3d4c5b6b' } }),
				neg('wrong-column', 'opened at another column', env, 'ERR_DECRYPTION_FAILED', { context: { ...ctx, column: 'sourcing_env' } }),
				neg('wrong-table', 'opened in another table', env, 'ERR_DECRYPTION_FAILED', { context: { ...ctx, table: 'suppliers' } }),
				neg('wrong-epoch', 'opened as epoch 2 (the header says 1)', env, 'ERR_DECRYPTION_FAILED', { context: { ...ctx, epoch: 2 } }),
				neg('wrong-key', 'opened with another domain key', env, 'ERR_DECRYPTION_FAILED', { key: hex(pinned('another key')) }),
				neg('truncated-by-one', 'last byte removed', env.subarray(0, env.length - 1), 'ERR_DECRYPTION_FAILED'),
				neg('extended-by-one', 'a zero byte appended', new Uint8Array([...env, 0]), 'ERR_DECRYPTION_FAILED'),
				neg('too-short', '45 bytes: cannot hold header, nonce and tag', env.subarray(0, 45), 'ERR_MALFORMED'),
				neg('empty', 'zero bytes', new Uint8Array(0), 'ERR_MALFORMED'),
				neg('version-2', 'version byte 0x02', (() => { const t = env.slice(); t[0] = 2; return t; })(), 'ERR_UNSUPPORTED_VERSION'),
				neg('version-0', 'version byte 0x00', (() => { const t = env.slice(); t[0] = 0; return t; })(), 'ERR_UNSUPPORTED_VERSION')
			]
		});
	});

	it('identity-bundle.json', () => {
		const id = identityFromSeedsForVectors(pinned('box seed'), pinned('sign seed'));
		const masterKey = pinned('master key') as MasterKey;
		const recoveryKey = pinned('recovery key') as RecoveryKey;
		const cases: Array<[UnlockMethod, BundleKey]> = [
			['master', bundleKeyFrom('master', masterKey)],
			['recovery', bundleKeyFrom('recovery', recoveryKey)]
		];
		const userId = 'c3d4e5f6-0718-4a29-8b3c-4d5e6f708192';
		const positive = cases.map(([method, bk]) => {
			const nonce = pinned(`bundle nonce ${method}`, 24);
			const sealed = withPinnedRandom([nonce], () => sealIdentityBundle(id, bk, { userId, method }));
			openIdentityBundle(sealed, bk, { userId, method });
			return {
				name: method,
				userId,
				method,
				unlockKey: hex(method === 'master' ? masterKey : recoveryKey),
				bundleKey: hex(bk),
				boxSeed: hex(pinned('box seed')),
				signSeed: hex(pinned('sign seed')),
				boxPublicKey: hex(id.boxPublicKey),
				signPublicKey: hex(id.signPublicKey),
				nonce: hex(nonce),
				sealed: hex(sealed)
			};
		});
		const p = positive[0]!;
		const sealed = Uint8Array.from(Buffer.from(p.sealed, 'hex'));
		const neg = (name: string, comment: string, s: Uint8Array, expectError: string, over: object = {}) => ({
			name, comment, userId, method: 'master', bundleKey: p.bundleKey, sealed: hex(s), expectError, ...over
		});
		write('identity-bundle.json', {
			description: 'Identity bundle sealed under a bundle key. SPEC.md §5.',
			positive,
			negative: [
				neg('other-user', 'opened for another user id', sealed, 'ERR_DECRYPTION_FAILED', { userId: 'someone-else' }),
				neg('other-method', 'a master copy presented as a recovery copy', sealed, 'ERR_DECRYPTION_FAILED', { method: 'recovery' }),
				neg('flipped-tag', 'last byte flipped', flip(sealed, sealed.length - 1), 'ERR_DECRYPTION_FAILED'),
				neg('truncated', 'one byte short', sealed.subarray(0, sealed.length - 1), 'ERR_MALFORMED'),
				neg('version-2', 'version byte 0x02', (() => { const t = sealed.slice(); t[0] = 2; return t; })(), 'ERR_UNSUPPORTED_VERSION')
			]
		});
	});

	it('wrap.json and wrap-statement.json', () => {
		// crypto_box_seal draws its ephemeral key inside libsodium, so wraps are pinned as open-only vectors.
		const member = identityFromSeedsForVectors(pinned('member box seed'), pinned('member sign seed'));
		const granter = identityFromSeedsForVectors(pinned('granter box seed'), pinned('granter sign seed'));
		const domainKey = pinned('sourcing domain key, epoch 3') as DomainKey;
		const ctx = { tenantId: '7d1f3b0e-3c55-4f4e-9d0b-1f2e3d4c5b6a', domain: 'sourcing' as const, epoch: 3, memberId: 'member-42' };
		const wrap = wrapDomainKey(domainKey, member.boxPublicKey, ctx);
		const common = { memberBoxSecretKey: hex(member.boxSecretKey), memberBoxPublicKey: hex(member.boxPublicKey) };
		write('wrap.json', {
			description: 'Domain-key wraps (open-only: crypto_box_seal is randomised inside libsodium). SPEC.md §7.2–§7.3.',
			positive: [{ name: 'sourcing-epoch-3', ...common, context: ctx, wrap: hex(wrap), domainKey: hex(domainKey) }],
			negative: [
				{ name: 'other-epoch', comment: 'opened as epoch 4', ...common, context: { ...ctx, epoch: 4 }, wrap: hex(wrap), expectError: 'ERR_DECRYPTION_FAILED' },
				{ name: 'other-member', comment: 'opened as another member id', ...common, context: { ...ctx, memberId: 'member-43' }, wrap: hex(wrap), expectError: 'ERR_DECRYPTION_FAILED' },
				{ name: 'other-domain', comment: 'opened as catalog', ...common, context: { ...ctx, domain: 'catalog' }, wrap: hex(wrap), expectError: 'ERR_DECRYPTION_FAILED' },
				{ name: 'flipped', comment: 'ephemeral public key byte flipped', ...common, context: ctx, wrap: hex(flip(wrap, 1)), expectError: 'ERR_DECRYPTION_FAILED' },
				{ name: 'short', comment: '96 bytes, not 97', ...common, context: ctx, wrap: hex(wrap.subarray(0, 96)), expectError: 'ERR_MALFORMED' },
				{ name: 'version-2', comment: 'version byte 0x02', ...common, context: ctx, wrap: hex((() => { const t = wrap.slice(); t[0] = 2; return t; })()), expectError: 'ERR_UNSUPPORTED_VERSION' }
			]
		});
		const memberKeys = { boxPublicKey: member.boxPublicKey, signPublicKey: member.signPublicKey };
		const signed = signWrapStatement({ ...ctx, memberKeys, wrap }, granter);
		const mallory = identityFromSeedsForVectors(pinned('mallory box seed'), pinned('mallory sign seed'));
		const forged = signWrapStatement({ ...ctx, memberKeys, wrap }, mallory);
		const base = {
			granterSignPublicKey: hex(granter.signPublicKey),
			expected: { ...ctx, memberBoxPublicKey: hex(member.boxPublicKey), memberSignPublicKey: hex(member.signPublicKey), wrap: hex(wrap) }
		};
		const sigFlip = flip(signed, signed.length - 10);
		write('wrap-statement.json', {
			description: 'Signed wrap statements (Ed25519 is deterministic). SPEC.md §7.4–§7.5.',
			positive: [
				{
					name: 'sourcing-epoch-3',
					granterSignSeed: hex(pinned('granter sign seed')),
					...base,
					memberKeyFingerprint: hex(fingerprint(memberKeys)),
					wrapHash: hex(blake2b(32, wrap)),
					signed: hex(signed)
				}
			],
			negative: [
				{ name: 'other-signer', comment: "signed by mallory's key, verified against the granter's", ...base, signed: hex(forged), expectError: 'ERR_SIGNATURE_INVALID' },
				{ name: 'flipped-signature', comment: 'one signature byte flipped', ...base, signed: hex(sigFlip), expectError: 'ERR_SIGNATURE_INVALID' },
				{ name: 'flipped-epoch', comment: 'epoch byte changed in the signed body', ...base, signed: hex(flipEpoch(signed)), expectError: 'ERR_SIGNATURE_INVALID' },
				{ name: 'other-wrap', comment: 'valid statement, but about another wrap', ...base, expected: { ...base.expected, wrap: hex(flip(wrap, 60)) }, signed: hex(signed), expectError: 'ERR_WRONG_CONTEXT' },
				{ name: 'other-member', comment: 'valid statement, checked for another member id', ...base, expected: { ...base.expected, memberId: 'member-43' }, signed: hex(signed), expectError: 'ERR_WRONG_CONTEXT' },
				{ name: 'truncated', comment: 'body cut short', ...base, signed: hex(signed.subarray(0, 40)), expectError: 'ERR_MALFORMED' },
				{ name: 'version-2', comment: 'version byte 0x02', ...base, signed: hex((() => { const t = signed.slice(); t[0] = 2; return t; })()), expectError: 'ERR_UNSUPPORTED_VERSION' }
			]
		});

		function flipEpoch(s: Uint8Array): Uint8Array {
			// Body: 0x01 ‖ PAE(8 pieces); the epoch is piece 4. Find it by walking the PAE lengths.
			let at = 1 + 8;
			for (let i = 0; i < 3; i++) {
				at += 8 + s[at]!;
			}
			return flip(s, at + 8);
		}
	});

	it('recovery-keys.json', () => {
		const keys = [pinned('recovery 1'), pinned('recovery 2')];
		write('recovery-keys.json', {
			description: 'Recovery key → recoveryAuthKey (sent to the server) and the recovery bundle key. SPEC.md §4.2.',
			positive: keys.map((k) => {
				const d = deriveRecoveryKeys(k as RecoveryKey);
				return { recoveryKey: hex(k), recoveryAuthKey: hex(d.recoveryAuthKey), bundleKey: hex(d.bundleKey) };
			}),
			negative: [
				{
					name: 'short-key',
					comment: 'a 31-byte recovery key',
					recoveryKey: hex(keys[0]!.subarray(0, 31)),
					expectError: 'ERR_INVALID_INPUT'
				}
			]
		});
	});

	it('blind-index.json, recovery-key.json, fingerprint.json, invite-mac.json', () => {
		const domainKey = pinned('catalog domain key') as DomainKey;
		const bk = deriveBlindIndexKey(domainKey);
		const inputs: Array<[NormalisationKind, string, string]> = [
			['sku', 'products', 'BCB-001'],
			['sku', 'products', '  bcb-001\t'],
			['asin', 'products', 'b0c1234567'],
			['exact', 'suppliers', 'Cafe\u0301 Noir'],
			['exact', 'suppliers', 'Caf\u00e9 Noir ']
		];
		write('blind-index.json', {
			description: 'Blind indexes. SPEC.md §10. Equal normalised values give equal indexes.',
			domainKey: hex(domainKey),
			blindIndexKey: hex(bk),
			positive: inputs.map(([kind, table, value]) => {
				const column = kind === 'exact' ? 'name_bidx' : `${kind}_bidx`;
				return { kind, table, column, value, normalised: normalise(kind, value), index: hex(blindIndex(bk, { table, column }, kind, value)) };
			}),
			negative: [
				{ name: 'blank', comment: 'whitespace only', kind: 'sku', table: 'products', column: 'sku_bidx', value: ' \t ', expectError: 'ERR_INVALID_INPUT' },
				{ name: 'bad-column', comment: 'column name not an identifier', kind: 'sku', table: 'products', column: 'SKU', value: 'x', expectError: 'ERR_INVALID_INPUT' }
			]
		});
		const keys = [pinned('recovery 1'), new Uint8Array(32), new Uint8Array(32).fill(255)];
		const texts = keys.map((k) => encodeRecoveryKey(k as RecoveryKey));
		const t0 = texts[0]!;
		const typo = t0.slice(0, 5) + (t0[5] === 'A' ? 'B' : 'A') + t0.slice(6);
		write('recovery-key.json', {
			description: 'Recovery-key text encoding. SPEC.md §11.',
			positive: keys.map((k, i) => ({ key: hex(k), text: texts[i] })),
			sloppy: [{ comment: 'lower case, spaces, O for 0, l for 1', text: t0.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'O').replace(/1/g, 'l'), key: hex(keys[0]!) }],
			negative: [
				{ name: 'typo', comment: 'one character changed: checksum mismatch', text: typo, expectError: 'ERR_MALFORMED' },
				{ name: 'short', comment: 'last group missing', text: t0.slice(0, -5), expectError: 'ERR_MALFORMED' },
				{ name: 'letter-u', comment: 'U is not in the Crockford alphabet', text: 'U' + t0.slice(1), expectError: 'ERR_MALFORMED' }
			]
		});
		const ids = [identityFromSeedsForVectors(pinned('member box seed'), pinned('member sign seed')), identityFromSeedsForVectors(new Uint8Array(32).fill(1), new Uint8Array(32).fill(2))];
		write('fingerprint.json', {
			description: 'Key fingerprints. SPEC.md §8.',
			positive: ids.map((id: UserIdentity) => ({
				boxPublicKey: hex(id.boxPublicKey),
				signPublicKey: hex(id.signPublicKey),
				fingerprint: hex(fingerprint(id)),
				display: formatFingerprint(fingerprint(id))
			}))
		});
		const secret = pinned('invite secret') as InviteSecret;
		const invitee = ids[0]!;
		const ctx = { tenantId: '7d1f3b0e-3c55-4f4e-9d0b-1f2e3d4c5b6a', inviteId: 'inv-0001' };
		const mac = inviteMac(secret, ctx, invitee);
		const base = { secret: hex(secret), context: ctx, boxPublicKey: hex(invitee.boxPublicKey), signPublicKey: hex(invitee.signPublicKey) };
		write('invite-mac.json', {
			description: 'Invitation MAC over the invitee public keys. SPEC.md §9.',
			positive: [{ ...base, mac: hex(mac) }],
			negative: [
				{ name: 'substituted-box-key', comment: 'server swapped the X25519 key', ...base, boxPublicKey: hex(ids[1]!.boxPublicKey), mac: hex(mac), expectError: 'ERR_MAC_INVALID' },
				{ name: 'other-invite', comment: 'MAC replayed for another invite id', ...base, context: { ...ctx, inviteId: 'inv-0002' }, mac: hex(mac), expectError: 'ERR_MAC_INVALID' },
				{ name: 'flipped-mac', comment: 'one MAC byte flipped', ...base, mac: hex(flip(mac, 0)), expectError: 'ERR_MAC_INVALID' }
			]
		});
	});

	it('key-commitments.json', () => {
		// SPEC.md §7.6. Commitments are deterministic; the unwrap cases are open-only (crypto_box_seal, §7.2).
		const tenantId = '7d1f3b0e-3c55-4f4e-9d0b-1f2e3d4c5b6a';
		const cases: Array<[string, string, DomainKey, KeyCommitmentContext]> = [
			['catalog-epoch-1', 'the create link of a new organisation', pinned('catalog domain key') as DomainKey, { tenantId, domain: 'catalog', epoch: 1 }],
			['sourcing-epoch-3', 'the key of wrap.json', pinned('sourcing domain key, epoch 3') as DomainKey, { tenantId, domain: 'sourcing', epoch: 3 }],
			['logistics-max-epoch', 'largest epoch; a non-ASCII tenant id (UTF-8, not normalised)', pinned('logistics domain key') as DomainKey, { tenantId: 'Mönchengladbach-Lager', domain: 'logistics', epoch: 4294967295 }]
		];
		const positive = cases.map(([name, comment, key, context]) => ({
			name,
			comment,
			domainKey: hex(key),
			context,
			message: hex(keyCommitmentMessage(context)),
			commitKey: hex(kdfDerive(32, 1, 'stw-cmmt', key)),
			commitment: hex(keyCommitment(key, context))
		}));
		const [key, ctx] = [cases[1]![2], cases[1]![3]];
		const commitment = keyCommitment(key, ctx);
		const neg = (name: string, comment: string, over: object) => ({
			name, comment, domainKey: hex(key), context: ctx, commitment: hex(commitment), expectError: 'ERR_DECRYPTION_FAILED', ...over
		});
		// Unwrap against a verified commitment (§7.6.2): the member of wrap.json, a fresh wrap of the same key.
		const member = identityFromSeedsForVectors(pinned('member box seed'), pinned('member sign seed'));
		const wctx = { ...ctx, memberId: 'member-42' };
		const common = { memberBoxSecretKey: hex(member.boxSecretKey), memberBoxPublicKey: hex(member.boxPublicKey) };
		const wrap = wrapDomainKey(key, member.boxPublicKey, wctx);
		const serverKey = pinned('a key the server chose') as DomainKey;
		const serverWrap = wrapDomainKey(serverKey, member.boxPublicKey, wctx);
		// A genuine key wrapped (with a valid §7.2 tag) for another context, vouched for with the commitment the
		// chain published for ctx: only the commitment's binding of tenant, domain and epoch rejects it.
		const elsewhere = (c: typeof wctx) => ({ context: c, wrap: hex(wrapDomainKey(key, member.boxPublicKey, c)) });
		const uneg = (name: string, comment: string, over: object) => ({
			name, comment, ...common, context: wctx, commitment: hex(commitment), wrap: hex(wrap), expectError: 'ERR_DECRYPTION_FAILED', ...over
		});
		write('key-commitments.json', {
			description:
				'Key commitments (SPEC.md §7.6.1) and unwrapping against a verified commitment (§7.6.2; open-only wraps). ' +
				'`negative` checks `commitment` against `domainKey` at `context`; `unwrap` opens `wrap` with the member keys ' +
				'and accepts the key only if it matches `commitment`.',
			positive,
			negative: [
				neg('wrong-tenant', 'the commitment of ctx checked for another tenant', { context: { ...ctx, tenantId: '7d1f3b0e-3c55-4f4e-9d0b-1f2e3d4c5b6b' } }),
				neg('wrong-domain', 'the commitment of ctx checked for catalog', { context: { ...ctx, domain: 'catalog' } }),
				neg('wrong-epoch', 'the commitment of ctx checked for epoch 4', { context: { ...ctx, epoch: 4 } }),
				neg('wrong-key', 'another domain key at the same context', { domainKey: hex(serverKey) }),
				neg('flipped-commitment', 'last commitment byte flipped', { commitment: hex(flip(commitment, 31)) })
			],
			unwrap: {
				positive: [{ name: 'sourcing-epoch-3', ...common, context: wctx, commitment: hex(commitment), wrap: hex(wrap), domainKey: hex(key) }],
				negative: [
					uneg('server-made-wrap', 'a wrap of a key the server chose, sealed to the same public key with a valid context tag', { wrap: hex(serverWrap) }),
					uneg('flipped-commitment', 'the genuine wrap; first commitment byte flipped', { commitment: hex(flip(commitment, 0)) }),
					uneg('wrong-tenant', "the genuine key wrapped for another tenant, with this tenant's commitment", elsewhere({ ...wctx, tenantId: '7d1f3b0e-3c55-4f4e-9d0b-1f2e3d4c5b6b' })),
					uneg('wrong-domain', "the genuine key wrapped as catalog, with sourcing's commitment", elsewhere({ ...wctx, domain: 'catalog' })),
					uneg('wrong-epoch', "the genuine key wrapped as epoch 4, with epoch 3's commitment", elsewhere({ ...wctx, epoch: 4 }))
				]
			}
		});
	});
});
