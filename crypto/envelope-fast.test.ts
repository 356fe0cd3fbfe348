// The fast path of envelope v1 (issue 11): the record key derived once per domain key, the AAD precomputed
// per place, scratch buffers, and sealRecords' batched nonces. Not one byte of the format changes (SPEC.md §6).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from './bytes';
import { recordAad, type RecordContext } from './aad';
import { openRecord, sealRecord, sealRecords, NONCE_BATCH } from './envelope';
import { errorCode as code } from './internal/error-code';
import { withPinnedRandom } from './internal/rng';
import { KDF_CONTEXTS } from './kdf';
import { domainKeyFromBytes, type DomainKey } from './keys';
import { decodeFields, encodeFields, encodeFieldsPadded, pad, unpad, type FieldMap } from './record';
import { aeadDecrypt, kdfDerive, ready, wipe } from './sodium';
import { generateDomainKey } from './wrap';

await ready();

const ctx: RecordContext = {
	tenantId: '0b6c7a52-5f0e-4a43-9a43-6d3c1f6f1a01',
	table: 'products',
	column: 'catalog_env',
	rowId: '1c7f0e1e-9d6b-4f0a-8d7e-0a2b3c4d5e6f',
	domain: 'catalog',
	epoch: 1
};
const product: FieldMap = {
	name: 'Bamboo cutting board',
	sku: 'BCB-001',
	asin: 'B0C1234567',
	notes: 'Ships flat'
};

/** SPEC.md §6.5 from its text, with no cache: kdf, recordAad and the bare AEAD. Null when it does not open. */
function referenceOpen(env: Uint8Array, key: Uint8Array, c: RecordContext): Record<string, unknown> | null {
	const rk = kdfDerive(32, 1, KDF_CONTEXTS.record, key);
	const padded = aeadDecrypt(env.subarray(30), recordAad(c, env.subarray(0, 6)), env.subarray(6, 30), rk);
	return padded === null ? null : decodeFields(unpad(padded));
}

const nonceOf = (env: Uint8Array): string => toHex(env.subarray(6, 30));

const id = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((s) => {
	const n = new TextEncoder().encode(s).length;
	return n >= 1 && n <= 128;
});
const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,62}$/);
const context = fc.record({
	tenantId: fc.oneof(id, fc.constant('t'.repeat(128))),
	table: name,
	column: name,
	rowId: fc.oneof(id, fc.constant('r'.repeat(128))),
	domain: fc.constantFrom('catalog' as const, 'sourcing' as const, 'logistics' as const),
	epoch: fc.oneof(fc.constant(1), fc.constant(0xffffffff), fc.integer({ min: 1, max: 0xffffffff }))
});

describe('envelope fast path', () => {
	it('property: every envelope opens by the reference open of SPEC.md §6.5 (same AAD bytes, same key)', () => {
		const key = generateDomainKey();
		// Many places in one run, so the place cache (16 entries) evicts and refills.
		fc.assert(
			fc.property(context, (c) => {
				const env = sealRecord(product, key, c);
				expect(referenceOpen(env, key, c)).toEqual(product);
				expect(openRecord(env, key, c)).toEqual(product);
			}),
			{ numRuns: 300 }
		);
	});

	it('sealRecords makes envelopes that openRecord and the reference open accept', () => {
		const key = generateDomainKey();
		const items = Array.from({ length: 3 * NONCE_BATCH + 5 }, (_, i) => ({
			fields: { n: String(i), name: 'x'.repeat(i) },
			ctx: { ...ctx, rowId: `row-${i}`, column: i % 2 === 0 ? 'catalog_env' : 'sourcing_env' }
		}));
		const envs = sealRecords(key, items);
		expect(envs).toHaveLength(items.length);
		envs.forEach((env, i) => {
			expect(openRecord(env, key, items[i]!.ctx)).toEqual(items[i]!.fields);
			expect(referenceOpen(env, key, items[i]!.ctx)).toEqual(items[i]!.fields);
			// Each envelope has its own buffer (the vault transfers them).
			expect(env.byteOffset).toBe(0);
			expect(env.buffer.byteLength).toBe(env.length);
		});
		expect(sealRecords(key, [])).toEqual([]);
	});

	it('the cache never gives one domain key the record key of another', () => {
		const a = generateDomainKey();
		const b = generateDomainKey();
		// Two objects with the same bytes, and keys alternating call by call.
		const a2 = domainKeyFromBytes(a.slice());
		for (let i = 0; i < 10; i++) {
			const k = [a, b, a2][i % 3]!;
			const env = sealRecord(product, k, ctx);
			expect(referenceOpen(env, k, ctx)).toEqual(product);
			const other = k === b ? a : b;
			expect(referenceOpen(env, other, ctx)).toBeNull();
			expect(code(() => openRecord(env, other, ctx))).toBe('ERR_DECRYPTION_FAILED');
			expect(openRecord(env, k, ctx)).toEqual(product);
		}
	});

	it('a domain key whose bytes change in place is derived again (seal and open)', () => {
		const key = generateDomainKey();
		const old = key.slice() as DomainKey;
		const before = sealRecord(product, key, ctx);
		key.set(generateDomainKey());
		const after = sealRecord(product, key, ctx);
		expect(referenceOpen(after, key, ctx)).toEqual(product);
		expect(referenceOpen(after, old, ctx)).toBeNull();
		expect(code(() => openRecord(before, key, ctx))).toBe('ERR_DECRYPTION_FAILED');
		expect(openRecord(before, old, ctx)).toEqual(product);
	});

	it('after wipe(domainKey) its cached record key is never used again', () => {
		const key = generateDomainKey();
		const copy = key.slice() as DomainKey;
		const env = sealRecord(product, key, ctx);
		expect(openRecord(env, key, ctx)).toEqual(product);
		wipe(key);
		expect(key.every((x) => x === 0)).toBe(true);
		// The wiped key opens nothing sealed under its old bytes...
		expect(code(() => openRecord(env, key, ctx))).toBe('ERR_DECRYPTION_FAILED');
		// ...and seals (as it always did) under what its bytes now are, not under the old record key.
		const after = sealRecord(product, key, ctx);
		expect(referenceOpen(after, copy, ctx)).toBeNull();
		expect(referenceOpen(after, new Uint8Array(32), ctx)).toEqual(product);
		expect(openRecord(env, copy, ctx)).toEqual(product);
	});

	it('sealRecords draws NONCE_BATCH nonces per CSPRNG call and uses each slice once, in order', () => {
		const key = generateDomainKey();
		const n = 2 * NONCE_BATCH + 3;
		const draws = [NONCE_BATCH, NONCE_BATCH, 3].map((count, d) =>
			Uint8Array.from({ length: 24 * count }, (_, i) => (i * 7 + d * 13 + 1) & 0xff)
		);
		const items = Array.from({ length: n }, (_, i) => ({ fields: product, ctx: { ...ctx, rowId: `r${i}` } }));
		// withPinnedRandom fails unless exactly these three draws, of exactly these sizes, are made.
		const envs = withPinnedRandom(draws, () => sealRecords(key, items));
		envs.forEach((env, i) => {
			const d = draws[Math.floor(i / NONCE_BATCH)]!;
			const at = (i % NONCE_BATCH) * 24;
			expect(nonceOf(env)).toBe(toHex(d.subarray(at, at + 24)));
			expect(openRecord(env, key, items[i]!.ctx)).toEqual(product);
		});
	});

	it('a pooled nonce is never handed out twice (100,000 envelopes over many batches)', () => {
		const key = generateDomainKey();
		const seen = new Set<string>();
		const items = Array.from({ length: 1000 }, () => ({ fields: { n: 'x' }, ctx }));
		for (let round = 0; round < 100; round++)
			for (const env of sealRecords(key, items)) seen.add(nonceOf(env));
		expect(seen.size).toBe(100_000);
	}, 30_000);

	it('sealRecords refuses what sealRecord refuses', () => {
		const key = generateDomainKey();
		expect(code(() => sealRecords(new Uint8Array(31) as DomainKey, [{ fields: product, ctx }]))).toBe(
			'ERR_INVALID_INPUT'
		);
		expect(code(() => sealRecords(key, [{ fields: product, ctx: { ...ctx, epoch: 0 } }]))).toBe(
			'ERR_INVALID_INPUT'
		);
		expect(code(() => sealRecords(key, null as unknown as []))).toBe('ERR_INVALID_INPUT');
	});

	it('the field-name cache re-checks a new shape (order, names, an invalid name after a valid one)', () => {
		const key = generateDomainKey();
		const shapes: FieldMap[] = [
			{ a: '1', b: '2' },
			{ b: '2', a: '1' },
			{ a: '1', c: '2' },
			{ a: '1', b: null }
		];
		for (const fields of shapes) {
			expect(openRecord(sealRecord(fields, key, ctx), key, ctx)).toEqual(fields);
		}
		sealRecord({ name: 'x' }, key, ctx);
		expect(code(() => sealRecord({ Name: 'x' }, key, ctx))).toBe('ERR_INVALID_INPUT');
		expect(code(() => sealRecord({ name: 'x', __proto__x: 'y' }, key, ctx))).toBe('ERR_INVALID_INPUT');
	});

	it('the place cache re-checks a new context (each field compared, invalid ones refused)', () => {
		const key = generateDomainKey();
		sealRecord(product, key, ctx);
		for (const bad of [
			{ ...ctx, table: 'Products' },
			{ ...ctx, column: 'a|b' },
			{ ...ctx, epoch: 1.5 },
			{ ...ctx, domain: 'catalogue' as 'catalog' },
			{ ...ctx, tenantId: '' },
			{ ...ctx, rowId: 'x'.repeat(129) }
		]) {
			expect(code(() => sealRecord(product, key, bad))).toBe('ERR_INVALID_INPUT');
			expect(code(() => openRecord(new Uint8Array(64), key, bad))).toBe('ERR_INVALID_INPUT');
		}
	});

	it('a field getter that seals (re-entry) does not disturb the outer seal', () => {
		const key = generateDomainKey();
		const inner: Uint8Array[] = [];
		const fields = {
			get name() {
				inner.push(sealRecord({ other: 'y'.repeat(300) }, key, { ...ctx, rowId: 'inner' }));
				return 'outer';
			}
		};
		const env = sealRecord(fields, key, ctx);
		expect(openRecord(env, key, ctx)).toEqual({ name: 'outer' });
		expect(openRecord(inner[0]!, key, { ...ctx, rowId: 'inner' })).toEqual({ other: 'y'.repeat(300) });
	});

	it('opens a field named like an Object.prototype member as an own property of a plain object', () => {
		const key = generateDomainKey();
		const opened = openRecord(sealRecord({ constructor: 'c', valueof: 'v' }, key, ctx), key, ctx);
		expect(Object.getPrototypeOf(opened)).toBe(Object.prototype);
		expect(Object.keys(opened)).toEqual(['constructor', 'valueof']);
		expect(opened['constructor']).toBe('c');
	});

	it('decoding re-checks names that differ from the last shape, and long strings decode strictly', () => {
		const enc = (f: FieldMap) => encodeFields(f);
		expect(decodeFields(enc({ name: 'x', sku: 'y' }))).toEqual({ name: 'x', sku: 'y' });
		// Same length as the cached "name", one byte different: re-checked, and refused (not [a-z] first).
		const bad = enc({ name: 'x' });
		bad[4] = 'N'.charCodeAt(0);
		expect(code(() => decodeFields(bad))).toBe('ERR_MALFORMED');
		expect(decodeFields(enc({ nbme: 'x' }))).toEqual({ nbme: 'x' });
		// Above the short-text threshold: a leading U+FEFF is kept and invalid UTF-8 is ERR_MALFORMED.
		const long = '\uFEFF' + 'é'.repeat(40) + 'x'.repeat(20);
		expect(decodeFields(enc({ a: long }))).toEqual({ a: long });
		const broken = enc({ a: 'x'.repeat(60) });
		broken[broken.length - 1] = 0xff;
		expect(code(() => decodeFields(broken))).toBe('ERR_MALFORMED');
	});

	it('property: encoding into a dirty scratch buffer gives pad(encodeFields(fields)), byte for byte', () => {
		const scratch = new Uint8Array(4096);
		const value = fc.oneof(
			fc.string({ unit: 'grapheme', maxLength: 80 }),
			fc.string({ maxLength: 3000 }),
			fc.uint8Array({ maxLength: 600 }),
			fc.constant(null)
		);
		fc.assert(
			fc.property(fc.dictionary(name, value, { maxKeys: 8 }), (fields) => {
				scratch.fill(0xff);
				const fast = encodeFieldsPadded(fields, scratch);
				expect(toHex(fast)).toBe(toHex(pad(encodeFields(fields))));
			}),
			{ numRuns: 300 }
		);
	});
});
