// Envelope v1: round trips, context binding, tamper resistance, nonce uniqueness (SPEC.md §6).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RecordContext } from './aad';
import { envelopeNonce, MIN_ENVELOPE_BYTES, openRecord, parseEnvelopeHeader, sealRecord } from './envelope';
import { CryptoError } from './errors';
import type { DomainKey } from './keys';
import type { FieldMap } from './record';
import { ready } from './sodium';
import { generateDomainKey } from './wrap';
import { errorCode as code } from './internal/error-code';

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

const fieldMap = fc.dictionary(
	fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/),
	fc.oneof(fc.string({ unit: 'grapheme' }), fc.uint8Array({ maxLength: 64 }), fc.constant(null)),
	{ maxKeys: 12 }
);

describe('envelope v1', () => {
	const key = generateDomainKey();

	it('round-trips a product record', () => {
		const env = sealRecord(product, key, ctx);
		expect(openRecord(env, key, ctx)).toEqual(product);
		expect(parseEnvelopeHeader(env)).toEqual({ version: 1, domain: 'catalog', epoch: 1 });
		// 6 header + 24 nonce + 128 bucket (90 encoded bytes) + 16 tag
		expect(env.length).toBe(174);
	});

	it('property: seal/open round-trips arbitrary records', () => {
		fc.assert(
			fc.property(fieldMap, (fields) => {
				expect(openRecord(sealRecord(fields, key, ctx), key, ctx)).toEqual(fields);
			}),
			{ numRuns: 300 }
		);
	});

	it('property: any bit flip outside the version byte fails as ERR_DECRYPTION_FAILED', () => {
		const env = sealRecord(product, key, ctx);
		fc.assert(
			fc.property(fc.integer({ min: 1, max: env.length * 8 - 1 }), (bit) => {
				if (bit < 8) return; // version byte: ERR_UNSUPPORTED_VERSION, tested below
				const t = env.slice();
				t[bit >> 3]! ^= 1 << (bit & 7);
				expect(code(() => openRecord(t, key, ctx))).toBe('ERR_DECRYPTION_FAILED');
			}),
			{ numRuns: 500 }
		);
		// Exhaustively, too: every bit of this envelope.
		for (let bit = 8; bit < env.length * 8; bit++) {
			const t = env.slice();
			t[bit >> 3]! ^= 1 << (bit & 7);
			expect(code(() => openRecord(t, key, ctx))).toBe('ERR_DECRYPTION_FAILED');
		}
	});

	it('a flipped version byte is ERR_UNSUPPORTED_VERSION (public, attacker-chosen, no oracle)', () => {
		const env = sealRecord(product, key, ctx);
		for (let b = 0; b < 8; b++) {
			const t = env.slice();
			t[0]! ^= 1 << b;
			expect(code(() => openRecord(t, key, ctx))).toBe('ERR_UNSUPPORTED_VERSION');
		}
	});

	it('property: truncation fails (ERR_MALFORMED below the structural minimum, else ERR_DECRYPTION_FAILED)', () => {
		const env = sealRecord(product, key, ctx);
		for (let n = 0; n < env.length; n++) {
			const expected = n === 0 || n < MIN_ENVELOPE_BYTES ? 'ERR_MALFORMED' : 'ERR_DECRYPTION_FAILED';
			expect(code(() => openRecord(env.subarray(0, n), key, ctx))).toBe(expected);
		}
	});

	it('property: extension fails as ERR_DECRYPTION_FAILED', () => {
		const env = sealRecord(product, key, ctx);
		fc.assert(
			fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (extra) => {
				const t = new Uint8Array(env.length + extra.length);
				t.set(env);
				t.set(extra, env.length);
				expect(code(() => openRecord(t, key, ctx))).toBe('ERR_DECRYPTION_FAILED');
			}),
			{ numRuns: 200 }
		);
	});

	it('property: another tenant, table, column, row id, domain or epoch fails', () => {
		const env = sealRecord(product, key, ctx);
		const other = fc.oneof(
			fc.string({ minLength: 1, maxLength: 40 }).map((tenantId) => ({ ...ctx, tenantId })),
			fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/).map((table) => ({ ...ctx, table })),
			fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/).map((column) => ({ ...ctx, column })),
			fc.string({ minLength: 1, maxLength: 40 }).map((rowId) => ({ ...ctx, rowId })),
			fc.constantFrom('sourcing' as const, 'logistics' as const).map((domain) => ({ ...ctx, domain })),
			fc.integer({ min: 2, max: 0xffffffff }).map((epoch) => ({ ...ctx, epoch }))
		);
		fc.assert(
			fc.property(other, (c: RecordContext) => {
				fc.pre(JSON.stringify(c) !== JSON.stringify(ctx));
				expect(code(() => openRecord(env, key, c))).toBe('ERR_DECRYPTION_FAILED');
			}),
			{ numRuns: 500 }
		);
	});

	it('round-trips long ASCII and non-ASCII values (both UTF-8 paths)', () => {
		const fields = { a: 'x'.repeat(5000), b: 'é'.repeat(2000), c: 'y'.repeat(1000), d: '🍮'.repeat(30) };
		expect(openRecord(sealRecord(fields, key, ctx), key, ctx)).toEqual(fields);
		expect(() => sealRecord({ a: 'bad \ud800 surrogate' }, key, ctx)).toThrowError(CryptoError);
	});

	it('another key fails as ERR_DECRYPTION_FAILED', () => {
		const env = sealRecord(product, key, ctx);
		expect(code(() => openRecord(env, generateDomainKey(), ctx))).toBe('ERR_DECRYPTION_FAILED');
	});

	it('rejects keys of the wrong length before any libsodium call', () => {
		expect(code(() => sealRecord(product, new Uint8Array(31) as DomainKey, ctx))).toBe('ERR_INVALID_INPUT');
		expect(code(() => sealRecord(product, key, { ...ctx, epoch: 0 }))).toBe('ERR_INVALID_INPUT');
		expect(code(() => sealRecord(product, key, { ...ctx, table: 'Products' }))).toBe('ERR_INVALID_INPUT');
	});

	it('pads plaintext to buckets: records of similar size give equal envelope sizes', () => {
		const a = sealRecord({ name: 'a' }, key, ctx);
		const b = sealRecord({ name: 'a'.repeat(15) }, key, ctx);
		expect(a.length).toBe(b.length);
	});

	it('error messages carry no plaintext or key material', () => {
		const env = sealRecord(product, key, ctx);
		const t = env.slice();
		t[40]! ^= 1;
		try {
			openRecord(t, key, ctx);
		} catch (e) {
			expect((e as Error).message).toBe('decryption failed');
		}
	});

	it('1,000,000 envelope nonces contain no repeat', () => {
		const seen = new Set<string>();
		const dec = new TextDecoder('latin1');
		for (let i = 0; i < 1_000_000; i++) seen.add(dec.decode(envelopeNonce()));
		expect(seen.size).toBe(1_000_000);
		// And through sealRecord itself, on a smaller run.
		const nonces = new Set<string>();
		const k: DomainKey = key;
		for (let i = 0; i < 10_000; i++) nonces.add(dec.decode(sealRecord({ n: 'x' }, k, ctx).subarray(6, 30)));
		expect(nonces.size).toBe(10_000);
	}, 60_000);
});
