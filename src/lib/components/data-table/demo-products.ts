// Deterministic synthetic products for DataTableDemo.svelte and its browser test (no randomness: the same rows every run).
export interface Product {
	id: number;
	sku: string;
	name: string;
	supplier: string;
	/** Why the record is unverified (its signature chain could not be checked), or null. */
	unverified: string | null;
	stock: number;
	price: number;
}

const ADJECTIVES = [
	'Organic',
	'Recycled',
	'Café',
	'Nordic',
	'Compact',
	'Deluxe',
	'Crème',
	'Bamboo',
	'Steel',
	'Linen'
];
const NOUNS = [
	'mug',
	'T-shirt',
	'cable',
	'notebook',
	'teapot',
	'lamp',
	'backpack',
	'candle',
	'towel',
	'bottle'
];
const SUPPLIERS = [
	'Müller GmbH',
	'Ōsaka Trading',
	'Zoë & Co',
	'Paperworks',
	'Cable Co',
	'Łódź Textiles',
	'Nordlys AS'
];
const REASONS = ['Signed by a removed member', 'Key not yet confirmed', 'Chain link missing'];

export function makeProducts(n: number): Product[] {
	// mulberry32: small, seeded, and without the short cycles of a power-of-two LCG's low bits.
	let seed = 42;
	const next = () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return (t ^ (t >>> 14)) >>> 0;
	};
	const out: Product[] = new Array<Product>(n);
	for (let i = 0; i < n; i++) {
		const a = ADJECTIVES[next() % ADJECTIVES.length]!;
		const b = NOUNS[next() % NOUNS.length]!;
		out[i] = {
			id: i + 1,
			sku: `B${(i % 36 ** 2).toString(36).toUpperCase().padStart(2, '0')}-${String(i).padStart(5, '0')}`,
			name: `${a} ${b} ${(next() % 900) + 100}`,
			supplier: SUPPLIERS[next() % SUPPLIERS.length]!,
			unverified: next() % 6 === 0 ? REASONS[next() % REASONS.length]! : null,
			stock: next() % 5000,
			price: (next() % 20000) / 100 + 1
		};
	}
	return out;
}
