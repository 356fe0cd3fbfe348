import { describe, expect, it } from 'vitest';
import { allIndices, compact, compareText, createSearchIndex, fold, queryTerms } from './search';

interface Product {
	sku: string;
	name: string;
	supplier: string;
	price: number | null;
}

const PRODUCTS: Product[] = [
	{ sku: 'B0C-123', name: 'Café au lait mug', supplier: 'Müller GmbH', price: 12 },
	{ sku: 'B0C-124', name: 'Cafetière, 8 cups', supplier: 'Ōsaka Trading', price: 39.5 },
	{ sku: 'TS 001', name: 'T-Shirt organic', supplier: 'Zoë & Co', price: 9 },
	{ sku: 'ﬁ-77', name: 'Fine paper A4', supplier: 'Paperworks', price: null },
	{ sku: 'X10', name: 'USB-C cable 2m', supplier: 'Cable Co', price: 4 },
	{ sku: 'X9', name: 'USB-C cable 1m', supplier: 'cable co', price: 4 }
];

const fields = (p: Product) => [p.sku, p.name, p.supplier];
const find = (query: string, rows = PRODUCTS) => [...createSearchIndex(rows, fields).search(query)];

describe('fold and compact', () => {
	it('lowercases, decomposes and strips combining marks', () => {
		expect(fold('CAFÉ Müller Ōsaka Zoë')).toBe('cafe muller osaka zoe');
		expect(fold('ﬁne')).toBe('fine');
		expect(fold('İstanbul')).toBe('istanbul');
	});
	it('removes separators, keeps other punctuation', () => {
		expect(compact('B0C-123')).toBe('b0c123');
		expect(compact('a_b.c,d/e\\f:g#h i–j')).toBe('abcdefghij');
		expect(compact('C++ & 50%')).toBe('c++&50%');
	});
	it('splits a query into distinct terms, longest first, dropping terms inside others', () => {
		expect(queryTerms('  ca  Cable   mug ')).toEqual(['cable', 'mug']);
		expect(queryTerms(' - ')).toEqual([]);
	});
});

describe('createSearchIndex', () => {
	it('returns every row in order for the empty or blank query', () => {
		expect(find('')).toEqual([0, 1, 2, 3, 4, 5]);
		expect(find('   \t ')).toEqual([0, 1, 2, 3, 4, 5]);
		expect(find('', [])).toEqual([]);
	});

	it('matches substrings of any field, case-insensitively', () => {
		expect(find('MUG')).toEqual([0]);
		expect(find('cable')).toEqual([4, 5]);
		expect(find('paperw')).toEqual([3]);
		expect(find('nothing like this')).toEqual([]);
	});

	it('ignores accents on either side', () => {
		expect(find('cafe')).toEqual([0, 1]);
		expect(find('CAFÉ')).toEqual([0, 1]);
		expect(find('muller')).toEqual([0]);
		expect(find('müller')).toEqual([0]);
		expect(find('osaka')).toEqual([1]);
		expect(find('zoe')).toEqual([2]);
		expect(find('fi-77')).toEqual([3]);
	});

	it('requires every term, each in some field', () => {
		expect(find('cable 2m')).toEqual([4]);
		expect(find('cafe muller')).toEqual([0]);
		expect(find('cafe osaka')).toEqual([1]);
		expect(find('cafe zoe')).toEqual([]);
		// Order of the terms does not matter.
		expect(find('muller cafe')).toEqual([0]);
	});

	it('does not match across two fields', () => {
		// "mug" ends the name and "müller" starts the supplier: "mugmuller" is in neither.
		expect(find('mugmuller')).toEqual([]);
		expect(find('123cafe')).toEqual([]);
	});

	it('finds SKUs whatever separators are typed', () => {
		expect(find('b0c123')).toEqual([0]);
		expect(find('B0C-123')).toEqual([0]);
		expect(find('b0c_124')).toEqual([1]);
		expect(find('b0c')).toEqual([0, 1]);
		expect(find('ts001')).toEqual([2]);
		expect(find('tshirt')).toEqual([2]);
		expect(find('usbc')).toEqual([4, 5]);
		// A term of separators only adds nothing.
		expect(find('cable -')).toEqual([4, 5]);
	});

	it('narrowing letter by letter gives the same results as a fresh search', () => {
		const rows = synthetic(3000);
		const index = createSearchIndex(rows, fields);
		for (const query of ['cable co 1', 'müller mug b0c-1', 'x1 usb', 'zz', 'osaka  cafe ']) {
			for (let i = 1; i <= query.length; i++) {
				const q = query.slice(0, i);
				expect([...index.search(q)], q).toEqual(find(q, rows));
			}
			// And back again (deleting letters widens the result: never from the narrowed set).
			for (let i = query.length; i >= 0; i--) {
				const q = query.slice(0, i);
				expect([...index.search(q)], `deleting to "${q}"`).toEqual(find(q, rows));
			}
		}
		// A query that neither narrows nor widens the previous one.
		index.search('cable');
		expect([...index.search('mug')]).toEqual(find('mug', rows));
	});

	it('returns a fresh array each time: sorting a result does not change the cache', () => {
		const index = createSearchIndex(PRODUCTS, fields);
		const first = index.search('cable');
		first.reverse();
		expect([...index.search('cable')]).toEqual([4, 5]);
		expect([...index.search('cable 1m')]).toEqual([5]);
	});

	it('update re-indexes one row, also after a cached narrowing', () => {
		const index = createSearchIndex(PRODUCTS, fields);
		expect([...index.search('mu')]).toEqual([0]);
		index.update(2, { ...PRODUCTS[2]!, name: 'Mustard T-shirt' });
		expect([...index.search('mus')]).toEqual([2]);
		expect(index.rows[2]!.name).toBe('Mustard T-shirt');
		index.update(0, { ...PRODUCTS[0]!, name: 'Teapot' });
		expect([...index.search('mug')]).toEqual([]);
		expect(() => index.update(6, PRODUCTS[0]!)).toThrow(RangeError);
		// The caller's array is not modified.
		expect(PRODUCTS[0]!.name).toBe('Café au lait mug');
	});

	it('append adds rows without rebuilding, also after a cached narrowing', () => {
		const index = createSearchIndex(PRODUCTS.slice(0, 2), fields);
		expect([...index.search('caf')]).toEqual([0, 1]);
		index.append([{ sku: 'C-1', name: 'Cafe table', supplier: 'Oak', price: 200 }, PRODUCTS[4]!]);
		expect(index.size).toBe(4);
		expect([...index.search('cafe')]).toEqual([0, 1, 2]);
		expect([...index.search('')]).toEqual([0, 1, 2, 3]);
	});

	it('sortBy orders by text (numeric-aware, accent-insensitive) or number, stable, empties last', () => {
		const index = createSearchIndex(PRODUCTS, fields);
		const all = allIndices(PRODUCTS.length);
		const sku = (p: Product) => p.sku;
		const price = (p: Product) => p.price;
		const supplier = (p: Product) => p.supplier;
		expect([...index.sortBy(all, sku)].map((i) => PRODUCTS[i]!.sku)).toEqual([
			'B0C-123',
			'B0C-124',
			'ﬁ-77',
			'TS 001',
			'X9',
			'X10'
		]);
		// Ties (4 and 4) keep the given order in both directions; null is last in both.
		expect([...index.sortBy(all, price)]).toEqual([4, 5, 2, 0, 1, 3]);
		expect([...index.sortBy(all, price, 'descending')]).toEqual([1, 0, 2, 4, 5, 3]);
		expect([...index.sortBy(Uint32Array.of(5, 4), price)]).toEqual([5, 4]);
		// "Cable Co" and "cable co" are equal for the collator: stable.
		expect([...index.sortBy(Uint32Array.of(5, 4), supplier)]).toEqual([5, 4]);
		// A subset (a search result) sorts with the ranks of the whole index.
		expect([...index.sortBy(index.search('cafe'), sku, 'descending')]).toEqual([1, 0]);
		// After an update, the ranks are rebuilt.
		index.update(5, { ...PRODUCTS[5]!, price: 1 });
		expect([...index.sortBy(all, price)][0]).toBe(5);
	});
});

describe('sortBy on large results', () => {
	it('orders a search result of thousands like a stable comparison sort, both directions', () => {
		const rows = synthetic(5000).map((p, i) => ({ ...p, price: i % 7 === 0 ? null : (i * 37) % 101 }));
		const index = createSearchIndex(rows, fields);
		const name = (p: Product) => p.name;
		const price = (p: Product) => p.price;
		const reference = (indices: number[], key: (p: Product) => string | number | null, dir: 1 | -1) =>
			[...indices].sort((a, b) => {
				const va = key(rows[a]!);
				const vb = key(rows[b]!);
				const ea = va === null || va === '';
				const eb = vb === null || vb === '';
				if (ea || eb) return ea === eb ? 0 : ea ? 1 : -1;
				return (
					dir * (typeof va === 'number' && typeof vb === 'number' ? va - vb : compareText(`${va}`, `${vb}`))
				);
			});
		for (const query of ['', 'cable', 'b0c-1']) {
			const found = index.search(query);
			expect(found.length).toBeGreaterThan(256);
			for (const [key, dir] of [
				[name, 1],
				[name, -1],
				[price, 1],
				[price, -1]
			] as const) {
				const got = [...index.sortBy(found, key, dir === 1 ? 'ascending' : 'descending')];
				expect(got, `${query} ${dir}`).toEqual(reference([...found], key, dir));
			}
		}
	});
});

/** Deterministic rows with repeated words, so narrowing queries hit many of them. */
function synthetic(n: number): Product[] {
	const words = ['Café', 'mug', 'cable', 'USB-C', 'Müller', 'Ōsaka', 'Co', 'T-Shirt', 'x1', 'B0C'];
	let seed = 7;
	const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
	const pick = () => words[next() % words.length];
	return Array.from({ length: n }, (_, i) => ({
		sku: `B0C-${i}`,
		name: `${pick()} ${pick()} ${next() % 10}`,
		supplier: `${pick()} ${pick()}`,
		price: i
	}));
}
