// A deterministic sample catalogue (issue 11 "Demo organisation"): suppliers, products, product sources and
// opening stock counts that look like a small seller's, for the demo seed (scripts/demo-organisation.mjs),
// benchmarks and large-catalogue tests. Same options, same content: no clock, no ids, no crypto, no I/O (the
// seeder gives each row its id when it writes it). Field maps use exactly the names of records.ts, every
// value a string; money is integer minor units. Emails use the reserved .example domain.
import type { ProductFields, SourceFields, SupplierFields } from './records';

export type SampleSupplier = { fields: SupplierFields };

export type SampleSource = {
	/** Index of the supplier in `suppliers`. */
	supplier: number;
	fields: SourceFields;
};

export type SampleProduct = {
	fields: ProductFields;
	/** 1–3 sources, each from a different supplier. */
	sources: SampleSource[];
	/** The opening stock count (a stock movement with reason 'count'), 0–500. */
	openingCount: number;
	/** The plaintext reorder point, or null when none is set. */
	reorderPoint: number | null;
};

export type SampleCatalogue = { suppliers: SampleSupplier[]; products: SampleProduct[] };

export type SampleOptions = {
	products: number;
	/** At least 1 when there are products. */
	suppliers: number;
	/** Any number or string; the same seed gives the same catalogue. Default 1. */
	seed?: number | string;
};

/** sfc32 seeded from a string hash (cyrb128): fast, small, and good enough for sample data. */
function randomFrom(seed: number | string): () => number {
	const s = String(seed);
	let h1 = 1779033703,
		h2 = 3144134277,
		h3 = 1013904242,
		h4 = 2773480762;
	for (let i = 0; i < s.length; i++) {
		const k = s.charCodeAt(i);
		h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
		h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
		h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
		h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
	}
	h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
	h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
	h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
	h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
	let a = (h1 ^ h2 ^ h3 ^ h4) >>> 0,
		b = (h2 ^ h1) >>> 0,
		c = (h3 ^ h1) >>> 0,
		d = (h4 ^ h1) >>> 0;
	const next = () => {
		a >>>= 0;
		b >>>= 0;
		c >>>= 0;
		d >>>= 0;
		const t = (a + b) | 0;
		a = b ^ (b >>> 9);
		b = (c + (c << 3)) | 0;
		c = (c << 21) | (c >>> 11);
		d = (d + 1) | 0;
		const r = (t + d) | 0;
		c = (c + r) | 0;
		return (r >>> 0) / 4294967296;
	};
	for (let i = 0; i < 12; i++) next();
	return next;
}

type Rng = () => number;
const int = (r: Rng, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
const pick = <T>(r: Rng, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const alnum = (r: Rng, n: number) => {
	let s = '';
	for (let i = 0; i < n; i++) s += ALNUM[Math.floor(r() * 36)];
	return s;
};

/** The EAN-13 check digit of 12 digits (GS1: weights 1, 3, 1, 3, … from the left). */
export function ean13CheckDigit(first12: string): number {
	let sum = 0;
	for (let i = 0; i < 12; i++) sum += (first12.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
	return (10 - (sum % 10)) % 10;
}

/** Whether `code` is 13 digits with a correct check digit. */
export function isValidEan13(code: string): boolean {
	return /^\d{13}$/.test(code) && ean13CheckDigit(code.slice(0, 12)) === Number(code[12]);
}

// ---- Products -------------------------------------------------------------------------------------------

/** A variant: the name's suffix, the SKU's suffix, and a price factor. */
type Variant = readonly [string, string, number];

const VARIANTS = {
	size: [
		['small', 'S', 0.8],
		['medium', 'M', 1],
		['large', 'L', 1.3],
		['extra large', 'XL', 1.6]
	],
	set: [
		['set of 2', '2P', 1.8],
		['set of 4', '4P', 3.2],
		['set of 6', '6P', 4.5]
	],
	colour: [
		['natural', 'NAT', 1],
		['black', 'BLK', 1.05],
		['white', 'WHT', 1.05],
		['sage green', 'SGE', 1.1],
		['terracotta', 'TER', 1.1],
		['navy', 'NVY', 1.1],
		['charcoal', 'CHR', 1.1],
		['ochre', 'OCH', 1.1]
	],
	volume: [
		['350 ml', '350', 0.9],
		['500 ml', '500', 1],
		['750 ml', '750', 1.15],
		['1 l', '1L', 1.3]
	],
	paper: [
		['A5', 'A5', 0.8],
		['A4', 'A4', 1],
		['A3', 'A3', 1.4]
	],
	pan: [
		['20 cm', '20', 0.85],
		['24 cm', '24', 1],
		['28 cm', '28', 1.2]
	],
	cushion: [
		['40 × 40 cm', '40', 0.9],
		['50 × 50 cm', '50', 1],
		['60 × 60 cm', '60', 1.2]
	],
	bottles: [
		['6 bottles', '6B', 1],
		['12 bottles', '12B', 1.7]
	]
} as const satisfies Record<string, readonly Variant[]>;

type VariantKind = keyof typeof VARIANTS;

const WOODS = ['Bamboo', 'Oak', 'Walnut', 'Acacia', 'Beech', 'Olive wood'];

/** What a small homeware seller stocks: item, typical price in euro cents, its materials, its variants. */
const ITEMS: readonly (readonly [string, number, readonly string[], readonly VariantKind[]])[] = [
	['cutting board', 2490, [...WOODS, 'Marble'], ['size']],
	['serving tray', 2990, [...WOODS, 'Rattan', 'Marble', 'Enamel'], ['size']],
	['salad bowl', 3490, ['Acacia', 'Olive wood', 'Ceramic', 'Stoneware', 'Glass'], ['size']],
	['breakfast bowl', 990, ['Ceramic', 'Stoneware', 'Porcelain', 'Enamel'], ['set', 'colour']],
	['coffee mug', 1490, ['Ceramic', 'Stoneware', 'Porcelain', 'Enamel'], ['colour', 'volume']],
	['espresso cups', 890, ['Porcelain', 'Ceramic', 'Glass'], ['set']],
	['tea towel', 790, ['Linen', 'Organic cotton'], ['colour', 'set']],
	['table runner', 2490, ['Linen', 'Organic cotton', 'Jute'], ['colour']],
	['napkins', 990, ['Linen', 'Organic cotton'], ['set']],
	['placemats', 1190, ['Linen', 'Cork', 'Jute', 'Seagrass', 'Felt'], ['set']],
	['coasters', 690, ['Cork', 'Marble', 'Felt', 'Bamboo', 'Leather'], ['set']],
	['storage jar', 1590, ['Glass', 'Recycled glass', 'Ceramic', 'Stoneware'], ['volume']],
	['spice rack', 2790, ['Bamboo', 'Oak', 'Acacia', 'Stainless steel'], ['size']],
	['utensil holder', 1690, ['Ceramic', 'Stoneware', 'Bamboo', 'Enamel'], ['colour']],
	['bread bin', 3990, ['Bamboo', 'Enamel', 'Stainless steel', 'Oak'], ['colour']],
	['fruit basket', 2790, ['Rattan', 'Seagrass', 'Jute', 'Copper'], ['size']],
	['plant pot', 1990, ['Terracotta', 'Ceramic', 'Stoneware', 'Concrete'], ['size', 'colour']],
	['hanging planter', 2290, ['Jute', 'Ceramic', 'Macramé cotton', 'Brass'], ['size']],
	['candle holder', 1290, ['Brass', 'Glass', 'Ceramic', 'Marble', 'Cast iron'], ['set']],
	['vase', 2490, ['Glass', 'Recycled glass', 'Ceramic', 'Stoneware', 'Terracotta'], ['size', 'colour']],
	['picture frame', 1790, ['Oak', 'Walnut', 'Brass', 'Bamboo'], ['paper']],
	['wall shelf', 4490, ['Oak', 'Walnut', 'Bamboo', 'Acacia'], ['size']],
	['laundry basket', 3490, ['Rattan', 'Seagrass', 'Jute', 'Felt'], ['size']],
	['storage basket', 2590, ['Rattan', 'Seagrass', 'Jute', 'Felt', 'Wool'], ['size']],
	['soap dish', 890, ['Ceramic', 'Marble', 'Bamboo', 'Olive wood'], ['colour']],
	['bath mat', 2990, ['Organic cotton', 'Bamboo', 'Cork'], ['colour']],
	['cushion cover', 1990, ['Linen', 'Organic cotton', 'Wool', 'Velvet'], ['cushion', 'colour']],
	['throw blanket', 5990, ['Wool', 'Organic cotton', 'Linen'], ['colour']],
	['lunch box', 2190, ['Stainless steel', 'Bamboo', 'Glass'], ['volume']],
	['water bottle', 2490, ['Stainless steel', 'Glass'], ['volume', 'colour']],
	['travel mug', 2290, ['Stainless steel', 'Ceramic'], ['volume', 'colour']],
	['mortar and pestle', 2990, ['Marble', 'Cast iron', 'Granite'], ['size']],
	['cheese board', 3290, ['Oak', 'Walnut', 'Olive wood', 'Marble', 'Acacia'], ['size']],
	['wine rack', 4990, ['Oak', 'Bamboo', 'Cast iron'], ['bottles']],
	['desk organiser', 2490, ['Oak', 'Walnut', 'Bamboo', 'Cork', 'Felt', 'Leather'], ['colour']],
	['notebook cover', 1590, ['Leather', 'Felt', 'Cork', 'Linen'], ['paper']],
	['key tray', 1290, ['Leather', 'Brass', 'Marble', 'Walnut', 'Ceramic'], ['colour']],
	['frying pan', 3990, ['Cast iron', 'Stainless steel', 'Carbon steel'], ['pan']],
	['casserole dish', 6990, ['Cast iron', 'Enamel', 'Stoneware'], ['pan', 'colour']],
	['teapot', 3490, ['Cast iron', 'Ceramic', 'Porcelain', 'Glass'], ['volume']],
	['apron', 2490, ['Linen', 'Organic cotton', 'Waxed canvas'], ['colour']],
	['oven gloves', 1490, ['Organic cotton', 'Linen', 'Silicone'], ['colour']],
	['ice cube tray', 790, ['Silicone', 'Stainless steel'], ['set']],
	['baking mat', 1290, ['Silicone'], ['size']]
];

/** Each item and material pair, flattened once: the generator picks one of these per product. */
const KINDS = ITEMS.flatMap(([item, price, materials, variants]) =>
	materials.map((material) => {
		const noun = `${material} ${item}`;
		let initials = '';
		for (const w of noun.split(' ')) if (w !== 'and' && w !== 'of') initials += w[0]!.toUpperCase();
		return {
			noun,
			initials: initials
				.normalize('NFD')
				.replace(/[^A-Z]/g, '')
				.slice(0, 3)
				.padEnd(3, 'X'),
			price,
			variants: variants.map((v) => VARIANTS[v] as readonly Variant[])
		};
	})
);

const PRODUCT_NOTES = [
	'Hand wash only.',
	'Fragile: ship in a double-walled box.',
	'Seasonal: reorder before October.',
	'Bundle with the matching coasters.',
	'Supplier is changing the packaging next quarter.',
	'Listing photos need updating.',
	'Best seller in Germany.',
	'Check the colour against the sample before approving a new batch.',
	'Food safe; certificate on file.',
	'Oversize for FBA: check the storage fees.',
	'Returns often cite the size: mention the dimensions in the listing.',
	'Discontinue when the stock runs out.'
];

// ---- Suppliers ------------------------------------------------------------------------------------------

type Country = {
	code: string;
	name: string;
	currency: string;
	/** A USD or EUR cost is this many of its minor units per euro cent. */
	rate: number;
	cities: readonly (readonly [string, string])[];
	streets: readonly string[];
	suffix: string;
	phone: (r: Rng) => string;
	first: readonly string[];
	last: readonly string[];
	tld: string;
	lead: readonly [number, number];
};

const digits = (r: Rng, n: number) => {
	let s = '';
	for (let i = 0; i < n; i++) s += String(Math.floor(r() * 10));
	return s;
};

const COUNTRIES: readonly Country[] = [
	{
		code: 'CN',
		name: 'China',
		currency: 'USD',
		rate: 1.08,
		cities: [
			['Hangzhou', '310012'],
			['Ningbo', '315000'],
			['Xiamen', '361000'],
			['Shenzhen', '518000'],
			['Yiwu', '322000'],
			['Foshan', '528000']
		],
		streets: ['Wenyi Road', 'Jiangnan Avenue', 'Industrial Park Road', 'Binhai Road', 'Xingfu Street'],
		suffix: 'Co., Ltd.',
		phone: (r) => `+86 ${int(r, 571, 769)} ${digits(r, 4)} ${digits(r, 4)}`,
		first: ['Wei', 'Li', 'Jing', 'Min', 'Hao', 'Lan', 'Yan', 'Tao'],
		last: ['Zhang', 'Wang', 'Chen', 'Liu', 'Huang', 'Zhou', 'Wu', 'Lin'],
		tld: 'cn',
		lead: [35, 60]
	},
	{
		code: 'VN',
		name: 'Vietnam',
		currency: 'USD',
		rate: 1.08,
		cities: [
			['Ho Chi Minh City', '700000'],
			['Hanoi', '100000'],
			['Da Nang', '550000']
		],
		streets: ['Nguyen Hue', 'Le Loi', 'Tran Hung Dao', 'Hai Ba Trung'],
		suffix: 'Co., Ltd.',
		phone: (r) => `+84 ${int(r, 24, 28)} ${digits(r, 4)} ${digits(r, 4)}`,
		first: ['Anh', 'Linh', 'Minh', 'Thu', 'Quang', 'Hoa'],
		last: ['Nguyen', 'Tran', 'Le', 'Pham', 'Hoang'],
		tld: 'vn',
		lead: [30, 50]
	},
	{
		code: 'IN',
		name: 'India',
		currency: 'USD',
		rate: 1.08,
		cities: [
			['Jaipur', '302001'],
			['Moradabad', '244001'],
			['Panipat', '132103'],
			['Tiruppur', '641601']
		],
		streets: ['MI Road', 'Civil Lines', 'GT Road', 'Station Road'],
		suffix: 'Pvt. Ltd.',
		phone: (r) => `+91 ${int(r, 70, 99)}${digits(r, 3)} ${digits(r, 5)}`,
		first: ['Priya', 'Rahul', 'Anjali', 'Vikram', 'Sunita', 'Arjun'],
		last: ['Sharma', 'Gupta', 'Agarwal', 'Mehta', 'Iyer', 'Singh'],
		tld: 'in',
		lead: [30, 55]
	},
	{
		code: 'PT',
		name: 'Portugal',
		currency: 'EUR',
		rate: 1,
		cities: [
			['Porto', '4000-322'],
			['Aveiro', '3810-200'],
			['Caldas da Rainha', '2500-110'],
			['Guimarães', '4800-151']
		],
		streets: ['Rua de Santa Catarina', 'Avenida da Liberdade', 'Rua do Almada', 'Rua Direita'],
		suffix: 'Lda.',
		phone: (r) => `+351 2${digits(r, 2)} ${digits(r, 3)} ${digits(r, 3)}`,
		first: ['João', 'Ana', 'Miguel', 'Inês', 'Tiago', 'Marta'],
		last: ['Silva', 'Santos', 'Ferreira', 'Costa', 'Oliveira'],
		tld: 'pt',
		lead: [10, 21]
	},
	{
		code: 'DE',
		name: 'Germany',
		currency: 'EUR',
		rate: 1,
		cities: [
			['Hamburg', '20095'],
			['Nürnberg', '90402'],
			['Solingen', '42651'],
			['Leipzig', '04109']
		],
		streets: ['Hauptstraße', 'Industriestraße', 'Bahnhofstraße', 'Gewerbering'],
		suffix: 'GmbH',
		phone: (r) => `+49 ${int(r, 30, 911)} ${digits(r, 6)}`,
		first: ['Jonas', 'Lena', 'Felix', 'Anna', 'Lukas', 'Sophie'],
		last: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber'],
		tld: 'de',
		lead: [5, 14]
	},
	{
		code: 'PL',
		name: 'Poland',
		currency: 'EUR',
		rate: 1,
		cities: [
			['Poznań', '61-001'],
			['Kraków', '30-001'],
			['Łódź', '90-001']
		],
		streets: ['ul. Główna', 'ul. Przemysłowa', 'ul. Długa', 'ul. Kwiatowa'],
		suffix: 'Sp. z o.o.',
		phone: (r) => `+48 ${digits(r, 3)} ${digits(r, 3)} ${digits(r, 3)}`,
		first: ['Piotr', 'Kasia', 'Marek', 'Agnieszka', 'Tomasz'],
		last: ['Nowak', 'Kowalski', 'Wiśniewski', 'Wójcik', 'Kamiński'],
		tld: 'pl',
		lead: [7, 18]
	},
	{
		code: 'IT',
		name: 'Italy',
		currency: 'EUR',
		rate: 1,
		cities: [
			['Prato', '59100'],
			['Faenza', '48018'],
			['Lumezzane', '25065'],
			['Bassano del Grappa', '36061']
		],
		streets: ['Via Roma', 'Via Garibaldi', 'Via dell’Industria', 'Viale Europa'],
		suffix: 'S.r.l.',
		phone: (r) => `+39 0${digits(r, 2)} ${digits(r, 3)} ${digits(r, 4)}`,
		first: ['Giulia', 'Marco', 'Chiara', 'Luca', 'Francesca'],
		last: ['Rossi', 'Russo', 'Ferrari', 'Bianchi', 'Romano'],
		tld: 'it',
		lead: [10, 25]
	},
	{
		code: 'TR',
		name: 'Türkiye',
		currency: 'EUR',
		rate: 1,
		cities: [
			['Denizli', '20010'],
			['İzmir', '35210'],
			['Bursa', '16010']
		],
		streets: ['Atatürk Caddesi', 'Cumhuriyet Bulvarı', 'Sanayi Sokak'],
		suffix: 'Ltd. Şti.',
		phone: (r) => `+90 ${int(r, 212, 258)} ${digits(r, 3)} ${digits(r, 4)}`,
		first: ['Elif', 'Mehmet', 'Zeynep', 'Emre', 'Ayşe'],
		last: ['Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik'],
		tld: 'com.tr',
		lead: [12, 28]
	},
	{
		code: 'NL',
		name: 'Netherlands',
		currency: 'EUR',
		rate: 1,
		cities: [
			['Rotterdam', '3011 AA'],
			['Eindhoven', '5611 AB'],
			['Utrecht', '3511 AB']
		],
		streets: ['Kerkstraat', 'Industrieweg', 'Havenstraat', 'Stationsweg'],
		suffix: 'B.V.',
		phone: (r) => `+31 ${int(r, 10, 79)} ${digits(r, 3)} ${digits(r, 4)}`,
		first: ['Daan', 'Sanne', 'Bram', 'Lotte', 'Ruben'],
		last: ['de Jong', 'Jansen', 'de Vries', 'Bakker', 'Visser'],
		tld: 'nl',
		lead: [3, 10]
	},
	{
		code: 'GB',
		name: 'United Kingdom',
		currency: 'EUR',
		rate: 1,
		cities: [
			['Stoke-on-Trent', 'ST1 1AA'],
			['Sheffield', 'S1 2AB'],
			['Leicester', 'LE1 1AA']
		],
		streets: ['High Street', 'Mill Lane', 'Station Road', 'Canal Street'],
		suffix: 'Ltd',
		phone: (r) => `+44 ${int(r, 113, 1782)} ${digits(r, 6)}`,
		first: ['Oliver', 'Amelia', 'Harry', 'Isla', 'George'],
		last: ['Smith', 'Jones', 'Taylor', 'Brown', 'Wilson'],
		tld: 'co.uk',
		lead: [7, 20]
	}
];

const TRADES = [
	'Bamboo Works',
	'Home Goods',
	'Ceramics',
	'Textiles',
	'Woodcraft',
	'Housewares',
	'Glassworks',
	'Metalware',
	'Trading',
	'Homeware Export',
	'Craft Studio',
	'Kitchenware',
	'Weaving Mill',
	'Pottery',
	'Living'
];

const PAYMENT_TERMS = [
	'Net 30',
	'Net 30',
	'Net 60',
	'Net 14',
	'Prepayment',
	'30% deposit, 70% before shipment',
	'50% deposit, 50% on delivery'
];

const SUPPLIER_NOTES = [
	'Closed for two weeks around the Lunar New Year.',
	'Samples take about ten days.',
	'Prefers orders by email; replies within a day.',
	'Audit passed this year.',
	'Ask for the updated price list every January.',
	'Consolidates shipments with other suppliers in the same port.'
];

const MOQS = ['10', '24', '50', '100', '100', '200', '250', '500', '1000'];

const slug = (s: string) =>
	s
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');

function supplierOf(r: Rng, index: number, used: Set<string>): { fields: SupplierFields; code: string } {
	// The first few suppliers cover different countries, as a small seller's mix would.
	const country = index < COUNTRIES.length && r() < 0.7 ? COUNTRIES[index]! : pick(r, COUNTRIES);
	const [city, postcode] = pick(r, country.cities);
	let name = '';
	for (let attempt = 0; ; attempt++) {
		const trade = pick(r, TRADES);
		const base = r() < 0.5 ? `${city} ${trade}` : `${pick(r, country.last)} ${trade}`;
		name = `${base}${attempt > 3 ? ` ${attempt}` : ''} ${country.suffix}`;
		if (!used.has(name)) break;
	}
	used.add(name);
	const first = pick(r, country.first);
	const last = pick(r, country.last);
	const domain = `${slug(name.replace(country.suffix, ''))}.${country.tld}.example`;
	const street = pick(r, country.streets);
	const no = String(int(r, 1, 399));
	const numberFirst = ['GB', 'IN', 'VN', 'CN'].includes(country.code);
	const address = numberFirst
		? `${no} ${street}, ${city} ${postcode}`
		: `${street} ${no}, ${postcode} ${city}`;
	const ascii = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
	const code = (ascii.match(/\b[A-Z]/g) ?? ['S']).join('').slice(0, 3).padEnd(2, 'X');
	return {
		code,
		fields: {
			name,
			contact: `${first} ${last}`,
			email: `${slug(first)}.${slug(last)}@${domain}`,
			phone: country.phone(r),
			address: `${address}, ${country.name}`,
			country: country.code,
			payment_terms: pick(r, PAYMENT_TERMS),
			lead_time_days: String(int(r, country.lead[0], country.lead[1])),
			notes: r() < 0.3 ? pick(r, SUPPLIER_NOTES) : ''
		}
	};
}

const SPACE = 36 ** 4;
const base36 = (v: number) => {
	let s = '';
	for (let i = 0; i < 4; i++, v = Math.floor(v / 36)) s = ALNUM[v % 36] + s;
	return s;
};
/** A multiplier prime to 36⁴ (prime to 2 and 3) and far from 1, so that neighbours land far apart. */
function permutationMultiplier(r: Rng): number {
	let a = int(r, SPACE / 4, SPACE - 1);
	while (a % 2 === 0 || a % 3 === 0) a++;
	return a;
}

/** Price points as shops set them: x.99, x.95, x.49 (or whole euros for larger amounts). */
function pricePoint(r: Rng, cents: number): number {
	const euros = Math.max(2, Math.round(cents / 100));
	if (euros >= 80 && r() < 0.5) return euros * 100;
	const ending = pick(r, [99, 99, 95, 49, 90]);
	return (euros - 1) * 100 + ending;
}

/**
 * A deterministic sample catalogue: `suppliers` suppliers and `products` products, each with 1–3 sources
 * (min(3, suppliers) at most) and an opening count. SKUs, FNSKUs and barcodes are unique; a few ASINs are
 * shared by two SKUs, as sellers list one product under two SKUs; a few products have no ASIN yet.
 */
export function sampleCatalogue(options: SampleOptions): SampleCatalogue {
	const n = Math.floor(options.products);
	const m = Math.floor(options.suppliers);
	if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('products must be a whole number ≥ 0');
	if (!Number.isSafeInteger(m) || m < 0) throw new RangeError('suppliers must be a whole number ≥ 0');
	if (n > 0 && m < 1) throw new RangeError('products need at least one supplier');
	const r = randomFrom(options.seed ?? 1);

	const names = new Set<string>();
	const supplierRows = Array.from({ length: m }, (_, i) => supplierOf(r, i, names));
	const suppliers: SampleSupplier[] = supplierRows.map((s) => ({ fields: s.fields }));
	const rates = suppliers.map((s) => COUNTRIES.find((c) => c.code === s.fields.country)!.rate);
	const supplierSkuBase = supplierRows.map(() => int(r, 1000, 8999));

	// ASINs and FNSKUs: random-looking yet unique by construction, without a set of every one seen: their
	// last four characters are an affine permutation of the product's number modulo 36⁴ (a multiplier
	// prime to 6 is a bijection), the others random. Unique for up to 36⁴ = 1,679,616 products.
	if (n > SPACE) throw new RangeError(`at most ${SPACE} products`);
	const asinMul = permutationMultiplier(r);
	const asinAdd = int(r, 0, SPACE - 1);
	const fnskuMul = permutationMultiplier(r);
	const fnskuAdd = int(r, 0, SPACE - 1);
	// A 7-digit GS1 company prefix ("400"–"440" is Germany), the next one per 100,000 products; the item
	// reference is the product's number.
	const company = 4_000_000 + int(r, 0, 399_999 - Math.ceil(n / 100_000));

	const products: SampleProduct[] = new Array<SampleProduct>(n);
	let sharedPrevious = false;
	for (let i = 0; i < n; i++) {
		const kind = KINDS[Math.floor(r() * KINDS.length)]!;
		const variant: Variant | null =
			r() < 0.3 ? null : pick(r, kind.variants[Math.floor(r() * kind.variants.length)]!);
		const name = variant ? `${kind.noun}, ${variant[0]}` : kind.noun;
		const number = i < 99_999 ? String(i + 1).padStart(5, '0') : String(i + 1);
		const sku = variant ? `${kind.initials}-${number}-${variant[1]}` : `${kind.initials}-${number}`;

		// One listing under two SKUs (about 2 in 100), else its own ASIN; about 3 in 100 not listed yet.
		let asin = '';
		let fnsku = '';
		const roll = r();
		const previous = i > 0 ? products[i - 1]!.fields.asin : '';
		if (previous && !sharedPrevious && roll < 0.02) {
			asin = previous;
			sharedPrevious = true;
		} else {
			sharedPrevious = false;
			if (roll >= 0.05) asin = `B0${alnum(r, 4)}${base36((asinMul * i + asinAdd) % SPACE)}`;
		}
		if (asin) fnsku = `X00${alnum(r, 3)}${base36((fnskuMul * i + fnskuAdd) % SPACE)}`;
		const item12 = `${company + Math.floor(i / 100_000)}${String(i % 100_000).padStart(5, '0')}`;

		const price = pricePoint(r, kind.price * (variant ? variant[2] : 1) * (0.8 + r() * 0.5));
		const count = Math.min(m, r() < 0.55 ? 1 : r() < 0.75 ? 2 : 3);
		const sources: SampleSource[] = new Array<SampleSource>(count);
		for (let k = 0; k < count; k++) {
			let s = Math.floor(r() * m);
			for (let j = 0; j < k; j++) {
				if (sources[j]!.supplier === s) {
					s = (s + 1) % m;
					j = -1;
				}
			}
			const rate = rates[s]!;
			const cost = Math.round(Math.floor(price * (0.22 + r() * 0.3)) * rate);
			sources[k] = {
				supplier: s,
				fields: {
					supplier_sku: `${supplierRows[s]!.code}-${supplierSkuBase[s]! + i}${variant ? `-${variant[1]}` : ''}`,
					unit_cost_minor: String(Math.min(price - 1, Math.max(1, cost))),
					currency: rate === 1 ? 'EUR' : 'USD',
					moq: pick(r, MOQS)
				}
			};
		}
		products[i] = {
			fields: {
				name,
				sku,
				asin,
				fnsku,
				barcode: `${item12}${ean13CheckDigit(item12)}`,
				price_minor: String(price),
				currency: 'EUR',
				notes: r() < 0.12 ? pick(r, PRODUCT_NOTES) : '',
				extra: ''
			},
			sources,
			openingCount: r() < 0.08 ? 0 : int(r, 1, 500),
			reorderPoint: r() < 0.6 ? int(r, 1, 10) * 5 : null
		};
	}
	return { suppliers, products };
}
