import { describe, expect, it } from 'vitest';
import { CURRENCY, PRODUCT_FIELDS, SOURCE_FIELDS, SUPPLIER_FIELDS } from './records';
import { ean13CheckDigit, isValidEan13, sampleCatalogue } from './sample-catalogue';

const sorted = (names: readonly string[]) => [...names].sort();

describe('sampleCatalogue', () => {
	const c = sampleCatalogue({ products: 2000, suppliers: 20, seed: 'demo' });

	it('is deterministic for a seed, and another seed gives another catalogue', () => {
		expect(sampleCatalogue({ products: 2000, suppliers: 20, seed: 'demo' })).toEqual(c);
		const other = sampleCatalogue({ products: 2000, suppliers: 20, seed: 'other' });
		expect(other.products.map((p) => p.fields.asin)).not.toEqual(c.products.map((p) => p.fields.asin));
		// Numbers and strings both seed it; the default seed is stable too.
		expect(sampleCatalogue({ products: 5, suppliers: 2, seed: 7 })).toEqual(
			sampleCatalogue({ products: 5, suppliers: 2, seed: 7 })
		);
		expect(sampleCatalogue({ products: 5, suppliers: 2 })).toEqual(
			sampleCatalogue({ products: 5, suppliers: 2, seed: 1 })
		);
	});

	it('has the requested sizes, and refuses impossible ones', () => {
		expect(c.suppliers).toHaveLength(20);
		expect(c.products).toHaveLength(2000);
		expect(sampleCatalogue({ products: 0, suppliers: 0 })).toEqual({ suppliers: [], products: [] });
		expect(() => sampleCatalogue({ products: 3, suppliers: 0 })).toThrow(RangeError);
		expect(() => sampleCatalogue({ products: -1, suppliers: 1 })).toThrow(RangeError);
	});

	it('uses exactly the field names of records.ts, every value a string', () => {
		for (const s of c.suppliers) {
			expect(sorted(Object.keys(s.fields))).toEqual(sorted(SUPPLIER_FIELDS));
			for (const v of Object.values(s.fields)) expect(typeof v).toBe('string');
		}
		for (const p of c.products) {
			expect(sorted(Object.keys(p.fields))).toEqual(sorted(PRODUCT_FIELDS));
			for (const v of Object.values(p.fields)) expect(typeof v).toBe('string');
			for (const src of p.sources) {
				expect(sorted(Object.keys(src.fields))).toEqual(sorted(SOURCE_FIELDS));
				for (const v of Object.values(src.fields)) expect(typeof v).toBe('string');
			}
		}
	});

	it('gives unique SKUs, FNSKUs and barcodes, each barcode a valid EAN-13', () => {
		const skus = c.products.map((p) => p.fields.sku);
		expect(new Set(skus).size).toBe(skus.length);
		for (const sku of skus) expect(sku).toMatch(/^[A-Z]{3}-\d{5,}(-[A-Z0-9]{1,3})?$/);
		const fnskus = c.products.map((p) => p.fields.fnsku).filter(Boolean);
		expect(new Set(fnskus).size).toBe(fnskus.length);
		for (const f of fnskus) expect(f).toMatch(/^X00[A-Z0-9]{7}$/);
		const barcodes = c.products.map((p) => p.fields.barcode);
		expect(new Set(barcodes).size).toBe(barcodes.length);
		for (const b of barcodes) expect(isValidEan13(b), b).toBe(true);
	});

	it('computes EAN-13 check digits as GS1 does', () => {
		expect(ean13CheckDigit('400638133393')).toBe(1); // 4006381333931, a published example
		expect(ean13CheckDigit('590123412345')).toBe(7); // 5901234123457
		expect(isValidEan13('4006381333931')).toBe(true);
		expect(isValidEan13('4006381333932')).toBe(false);
		expect(isValidEan13('400638133393')).toBe(false);
	});

	it('shares a few ASINs between two SKUs (never more), and leaves a few products unlisted', () => {
		const byAsin = new Map<string, number>();
		for (const p of c.products) {
			if (!p.fields.asin) {
				expect(p.fields.fnsku).toBe('');
				continue;
			}
			expect(p.fields.asin).toMatch(/^B0[A-Z0-9]{8}$/);
			byAsin.set(p.fields.asin, (byAsin.get(p.fields.asin) ?? 0) + 1);
		}
		const shared = [...byAsin.values()].filter((n) => n > 1);
		expect(Math.max(...byAsin.values())).toBe(2);
		expect(shared.length).toBeGreaterThan(5);
		expect(shared.length).toBeLessThan(c.products.length * 0.05);
		const unlisted = c.products.filter((p) => !p.fields.asin).length;
		expect(unlisted).toBeGreaterThan(0);
		expect(unlisted).toBeLessThan(c.products.length * 0.1);
	});

	it('prices in EUR minor units, each source below the price from a distinct supplier, counts 0–500', () => {
		for (const p of c.products) {
			expect(p.fields.currency).toBe('EUR');
			expect(p.fields.price_minor).toMatch(/^[1-9]\d*$/);
			expect(p.fields.extra).toBe('');
			expect(p.sources.length).toBeGreaterThanOrEqual(1);
			expect(p.sources.length).toBeLessThanOrEqual(3);
			expect(new Set(p.sources.map((s) => s.supplier)).size).toBe(p.sources.length);
			for (const s of p.sources) {
				expect(s.supplier).toBeGreaterThanOrEqual(0);
				expect(s.supplier).toBeLessThan(c.suppliers.length);
				expect(s.fields.unit_cost_minor).toMatch(/^[1-9]\d*$/);
				expect(Number(s.fields.unit_cost_minor)).toBeLessThan(Number(p.fields.price_minor));
				expect(s.fields.currency).toMatch(CURRENCY);
				expect(s.fields.moq).toMatch(/^[1-9]\d*$/);
				expect(s.fields.supplier_sku).not.toBe('');
			}
			expect(Number.isInteger(p.openingCount)).toBe(true);
			expect(p.openingCount).toBeGreaterThanOrEqual(0);
			expect(p.openingCount).toBeLessThanOrEqual(500);
			if (p.reorderPoint !== null) expect(p.reorderPoint).toBeGreaterThan(0);
		}
		expect(c.products.some((p) => p.fields.notes !== '')).toBe(true);
		expect(c.products.some((p) => p.sources.length === 3)).toBe(true);
	});

	it('gives suppliers a contact, a reserved-domain email, a country code, terms and a lead time', () => {
		expect(new Set(c.suppliers.map((s) => s.fields.name)).size).toBe(c.suppliers.length);
		for (const { fields: s } of c.suppliers) {
			expect(s.name).not.toBe('');
			expect(s.contact).toMatch(/\S \S/);
			expect(s.email).toMatch(/^[a-z0-9.-]+@[a-z0-9.-]+\.example$/);
			expect(s.phone).toMatch(/^\+\d{2,3} [\d ]+$/);
			expect(s.address).not.toBe('');
			expect(s.country).toMatch(/^[A-Z]{2}$/);
			expect(s.payment_terms).not.toBe('');
			expect(s.lead_time_days).toMatch(/^[1-9]\d*$/);
		}
		expect(new Set(c.suppliers.map((s) => s.fields.country)).size).toBeGreaterThan(3);
		expect(c.suppliers.some((s) => s.fields.payment_terms === 'Net 30')).toBe(true);
	});

	it('generates 100,000 products quickly, still with unique SKUs, FNSKUs and barcodes', () => {
		const t0 = performance.now();
		const big = sampleCatalogue({ products: 100_000, suppliers: 200, seed: 'large' });
		const ms = performance.now() - t0;
		expect(big.products).toHaveLength(100_000);
		// The requirement is < 2 s; the bound here leaves room for a loaded CI machine.
		expect(ms).toBeLessThan(4000);
		const unique = (k: 'sku' | 'fnsku' | 'barcode') => {
			const values = big.products.map((p) => p.fields[k]).filter(Boolean);
			return new Set(values).size === values.length;
		};
		expect(unique('sku')).toBe(true);
		expect(unique('fnsku')).toBe(true);
		expect(unique('barcode')).toBe(true);
		expect(isValidEan13(big.products[99_999]!.fields.barcode)).toBe(true);
		expect(big.products[99_999]!.fields.sku).toMatch(/-100000(-|$)/);
	});
});
