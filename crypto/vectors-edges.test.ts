// Checks the edge-case vectors of SPEC.md §14 (vectors/statement-edges.json, vectors/edges.json) byte for
// byte against the code, as vectors.test.ts does for the others.
import { describe, expect, it } from 'vitest';
import { parsePae, type RecordContext } from './aad';
import { blindIndex, deriveBlindIndexKey, normalise } from './blind-index';
import { fromBase64url, fromHex, toBase64url, toHex } from './bytes';
import { openRecord, sealRecord } from './envelope';
import { openIdentityBundle, sealIdentityBundle } from './identity';
import { errorCode as code } from './internal/error-code';
import { withPinnedRandom } from './internal/rng';
import {
	argon2Salt,
	bundleKeyFrom,
	derivePrfKey,
	deriveRootKey,
	normaliseEmail,
	passwordBytes,
	type KdfParams
} from './kdf';
import type { DomainKey, Ed25519PublicKey, PrfKey, X25519PublicKey } from './keys';
import { blake2b, ready } from './sodium';
import { verifyWrapStatement } from './statements';
import edgesV from './vectors/edges.json';
import { decodeFieldsJson, identityFromSeedsForVectors, type FieldJson } from './vectors/shared';
import saltV from './vectors/salt.json';
import statementEdgesV from './vectors/statement-edges.json';
import { wrapDomainKey } from './wrap';

await ready();

const h = fromHex;

describe('edge vectors', () => {
	it('statement-edges.json (SPEC.md §7.5)', () => {
		type V = (typeof statementEdgesV.negative)[0];
		const verify = (v: Pick<V, 'signed' | 'granterSignPublicKey' | 'expected'>) =>
			verifyWrapStatement(h(v.signed), h(v.granterSignPublicKey) as Ed25519PublicKey, {
				tenantId: v.expected.tenantId,
				domain: v.expected.domain as 'catalog',
				epoch: v.expected.epoch,
				memberId: v.expected.memberId,
				memberKeys: {
					boxPublicKey: h(v.expected.memberBoxPublicKey) as X25519PublicKey,
					signPublicKey: h(v.expected.memberSignPublicKey) as Ed25519PublicKey
				},
				wrap: h(v.expected.wrap)
			});
		for (const v of statementEdgesV.positive) expect(verify(v).epoch, v.name).toBe(v.expected.epoch);
		for (const v of statementEdgesV.negative)
			expect(
				code(() => verify(v)),
				v.name
			).toBe(v.expectError);
	});

	it('edges.json: base64url (SPEC.md §2.1)', () => {
		for (const v of edgesV.base64url.positive) {
			expect(toHex(fromBase64url(v.text))).toBe(v.hex);
			expect(toBase64url(h(v.hex))).toBe(v.text);
		}
		for (const v of edgesV.base64url.negative)
			expect(
				code(() => fromBase64url(v.text)),
				v.name
			).toBe(v.expectError);
	});

	it('edges.json: PAE parser (SPEC.md §3.2)', () => {
		for (const v of edgesV.pae.positive) expect(parsePae(h(v.hex), v.count).map(toHex)).toEqual(v.pieces);
		for (const v of edgesV.pae.negative)
			expect(
				code(() => parsePae(h(v.hex), v.count)),
				v.name
			).toBe(v.expectError);
	});

	it('edges.json: envelopes (SPEC.md §6.1, §6.5 step 5)', () => {
		const e = edgesV.envelope;
		const key = h(e.key) as DomainKey;
		const ctx = e.context as RecordContext;
		for (const v of e.positive) {
			const fields = decodeFieldsJson(v.fields as Record<string, FieldJson>);
			expect(toHex(withPinnedRandom([h(v.nonce)], () => sealRecord(fields, key, ctx)))).toBe(v.envelope);
			expect(openRecord(h(v.envelope), key, ctx)).toEqual(fields);
			expect(Object.values(fields).every((x) => typeof x === 'string' && x.startsWith('\uFEFF'))).toBe(true);
		}
		for (const v of e.negative)
			expect(
				code(() => openRecord(h(v.envelope), key, ctx)),
				v.name
			).toBe(v.expectError);
	});

	it('edges.json: Argon2id parameters (SPEC.md §4.1)', () => {
		const k = edgesV.kdf;
		for (const v of k.negative) {
			const got = code(() =>
				deriveRootKey(passwordBytes(k.password), h(k.salt), v.params as unknown as KdfParams)
			);
			expect(got, v.name).toBe(v.expectError);
		}
	});

	it('edges.json: low-order wrap recipients (SPEC.md §7.2)', () => {
		const w = edgesV.wrap;
		const ctx = w.context as Parameters<typeof wrapDomainKey>[2];
		for (const v of w.negative) {
			const got = code(() =>
				wrapDomainKey(h(w.domainKey) as DomainKey, h(v.recipient) as X25519PublicKey, ctx)
			);
			expect(got, v.name).toBe(v.expectError);
		}
	});

	it('edges.json: blind-index lower-casing is toLowerCase, not case folding (SPEC.md §10.1)', () => {
		const b = edgesV.blindIndex;
		const bk = deriveBlindIndexKey(h(b.domainKey) as DomainKey);
		expect(toHex(bk)).toBe(b.blindIndexKey);
		for (const v of b.positive) {
			expect(normalise(v.kind as 'sku', v.value), v.comment).toBe(v.normalised);
			expect(toHex(blindIndex(bk, { table: v.table, column: v.column }, v.kind as 'sku', v.value))).toBe(
				v.index
			);
		}
	});

	it('edges.json: the PRF copy of the identity bundle (SPEC.md §4.3, §5)', () => {
		for (const v of edgesV.bundle.positive) {
			const prfKey = derivePrfKey(h(v.prfOutput));
			expect(toHex(prfKey)).toBe(v.unlockKey);
			const bk = bundleKeyFrom('prf', prfKey as PrfKey);
			expect(toHex(bk)).toBe(v.bundleKey);
			const id = identityFromSeedsForVectors(h(v.boxSeed), h(v.signSeed));
			const opts = { userId: v.userId, method: 'prf' as const };
			expect(toHex(withPinnedRandom([h(v.nonce)], () => sealIdentityBundle(id, bk, opts)))).toBe(v.sealed);
			expect(toHex(openIdentityBundle(h(v.sealed), bk, opts).boxSecretKey)).toBe(toHex(id.boxSecretKey));
		}
	});
	it('salt.json (SPEC.md §4.1.1): the email-bound Argon2id salt, rebuilt from the text', () => {
		const le64 = (n: number) => {
			const b = new Uint8Array(8);
			new DataView(b.buffer).setUint32(0, n, true);
			return b;
		};
		const cat = (...parts: Uint8Array[]) => {
			const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
			let at = 0;
			for (const p of parts) {
				out.set(p, at);
				at += p.length;
			}
			return out;
		};
		const enc = new TextEncoder();
		for (const v of saltV.positive) {
			expect(normaliseEmail(v.email), v.name).toBe(v.normalised);
			const label = enc.encode('stowage/salt/v1');
			const email = enc.encode(v.normalised);
			const ss = h(v.serverSalt);
			const bytes = cat(le64(3), le64(label.length), label, le64(email.length), email, le64(ss.length), ss);
			expect(toHex(bytes), v.name).toBe(v.pae);
			expect(toHex(blake2b(16, bytes)), v.name).toBe(v.salt);
			expect(toHex(argon2Salt(v.email, ss)), v.name).toBe(v.salt);
		}
		for (const v of saltV.negative)
			expect(
				code(() => argon2Salt(v.email, h(v.serverSalt))),
				v.name
			).toBe(v.error);
		const r = saltV.root;
		expect(toHex(argon2Salt(r.email, h(r.serverSalt)))).toBe(r.salt);
		expect(toHex(deriveRootKey(passwordBytes(r.password), h(r.salt), r.params as KdfParams))).toBe(r.root);
	});
});
