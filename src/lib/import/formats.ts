// The file shapes the import knows: the generic templates and two marketplace reports. Each records its
// canonical header (order included) and delimiter, so that export can write the same shape back, and which
// of its columns feed which catalogue field. Every other column is 'extra': kept verbatim, under its header,
// in the product's sealed `extra` map, so nothing the seller had is dropped.
import { SUPPLIER_FIELDS } from '$lib/catalogue/records';
import { unneutralise } from './cells';
import type { Delimiter } from './parse';

export const PRODUCT_TARGETS = [
	'name',
	'sku',
	'asin',
	'fnsku',
	'barcode',
	'price',
	'currency',
	'notes',
	'reorder_point',
	'quantity',
	'supplier',
	'supplier_sku',
	'unit_cost',
	'moq'
] as const;
/** A suppliers file's columns feed the supplier's sealed fields one to one. */
export const SUPPLIER_TARGETS = SUPPLIER_FIELDS;
export type ProductTarget = (typeof PRODUCT_TARGETS)[number];
export type SupplierTarget = (typeof SUPPLIER_TARGETS)[number];
export type Target = ProductTarget | SupplierTarget | 'extra';

export type Kind = 'products' | 'suppliers';
export type FormatId = 'products' | 'suppliers' | 'fba-inventory' | 'active-listings';

export type Format = {
	id: FormatId;
	kind: Kind;
	label: string;
	delimiter: Delimiter;
	/** The header export writes, in this order (extra columns not in it follow). */
	header: readonly string[];
	/** Canonical column → field, for the columns that feed one. */
	fields: Readonly<Record<string, Exclude<Target, 'extra'>>>;
	/** Other spellings seen in sellers' files (after `normalise`) → field. */
	aliases: Readonly<Record<string, Exclude<Target, 'extra'>>>;
	/** Columns that only this format has: their presence identifies it. */
	signature: readonly string[];
};

/** Header names compare ignoring case, spaces, underscores and hyphens ("Seller SKU" = "seller-sku"). */
export const normalise = (header: string) =>
	unneutralise(header)
		.replace(/^\uFEFF/, '')
		.toLowerCase()
		.replace(/[\s_-]+/g, '');

const PRODUCT_ALIASES: Record<string, ProductTarget> = {
	title: 'name',
	productname: 'name',
	itemname: 'name',
	sellersku: 'sku',
	merchantsku: 'sku',
	ean: 'barcode',
	upc: 'barcode',
	gtin: 'barcode',
	cost: 'unit_cost',
	unitcost: 'unit_cost',
	stock: 'quantity',
	onhand: 'quantity',
	reorder: 'reorder_point',
	suppliername: 'supplier'
};
const SUPPLIER_ALIASES: Record<string, SupplierTarget> = {
	contactname: 'contact',
	suppliername: 'name',
	leadtime: 'lead_time_days',
	terms: 'payment_terms'
};

const identity = <T extends string>(names: readonly T[]) =>
	Object.fromEntries(names.map((n) => [n, n])) as Record<string, T>;

export const FORMATS: Record<FormatId, Format> = {
	products: {
		id: 'products',
		kind: 'products',
		label: 'Products (Stowage template)',
		delimiter: ',',
		header: [
			'sku',
			'name',
			'asin',
			'fnsku',
			'barcode',
			'price',
			'currency',
			'supplier',
			'supplier_sku',
			'unit_cost',
			'moq',
			'quantity',
			'reorder_point',
			'notes'
		],
		fields: identity(PRODUCT_TARGETS),
		aliases: PRODUCT_ALIASES,
		signature: []
	},
	suppliers: {
		id: 'suppliers',
		kind: 'suppliers',
		label: 'Suppliers (Stowage template)',
		delimiter: ',',
		// The supplier's fields, in order, with the contact spelled as the template's column.
		header: SUPPLIER_TARGETS.map((f) => (f === 'contact' ? 'contact_name' : f)),
		fields: { ...identity(SUPPLIER_TARGETS), contact_name: 'contact' },
		aliases: SUPPLIER_ALIASES,
		signature: ['contact_name', 'payment_terms', 'lead_time_days', 'email']
	},
	'fba-inventory': {
		id: 'fba-inventory',
		kind: 'products',
		label: 'Amazon Manage FBA Inventory report',
		delimiter: '\t',
		header: [
			'sku',
			'fnsku',
			'asin',
			'product-name',
			'condition',
			'your-price',
			'mfn-listing-exists',
			'mfn-fulfillable-quantity',
			'afn-listing-exists',
			'afn-warehouse-quantity',
			'afn-fulfillable-quantity',
			'afn-unsellable-quantity',
			'afn-reserved-quantity',
			'afn-total-quantity',
			'per-unit-volume',
			'afn-inbound-working-quantity',
			'afn-inbound-shipped-quantity',
			'afn-inbound-receiving-quantity'
		],
		fields: {
			sku: 'sku',
			fnsku: 'fnsku',
			asin: 'asin',
			'product-name': 'name',
			'your-price': 'price',
			'afn-fulfillable-quantity': 'quantity'
		},
		aliases: {},
		signature: ['afn-fulfillable-quantity', 'your-price', 'mfn-listing-exists', 'afn-total-quantity']
	},
	'active-listings': {
		id: 'active-listings',
		kind: 'products',
		label: 'Amazon Active Listings report',
		delimiter: '\t',
		header: [
			'item-name',
			'item-description',
			'listing-id',
			'seller-sku',
			'price',
			'quantity',
			'open-date',
			'image-url',
			'item-is-marketplace',
			'product-id-type',
			'item-note',
			'item-condition',
			'asin1',
			'product-id',
			'fulfillment-channel'
		],
		fields: { 'seller-sku': 'sku', 'item-name': 'name', asin1: 'asin', price: 'price', quantity: 'quantity' },
		aliases: {},
		signature: ['listing-id', 'seller-sku', 'item-name', 'asin1', 'fulfillment-channel']
	}
};

/**
 * The format of a file from its header. A marketplace report is recognised when at least half its signature
 * columns are present; otherwise suppliers when the header has more supplier-only columns than product
 * columns; otherwise the generic products template.
 */
export function detectFormat(header: readonly string[]): FormatId {
	const names = new Set(header.map(normalise));
	const share = (cols: readonly string[]) => cols.filter((c) => names.has(normalise(c))).length / cols.length;
	for (const id of ['fba-inventory', 'active-listings'] as const)
		if (share(FORMATS[id].signature) >= 0.5) return id;
	const count = (f: Format) =>
		[...names].filter((n) => {
			const t = lookup(f, n);
			return t !== undefined && t !== 'name' && t !== 'notes';
		}).length;
	return count(FORMATS.suppliers) > count(FORMATS.products) ? 'suppliers' : 'products';
}

function lookup(f: Format, normalised: string): Exclude<Target, 'extra'> | undefined {
	for (const [col, target] of Object.entries(f.fields)) if (normalise(col) === normalised) return target;
	return Object.hasOwn(f.aliases, normalised) ? f.aliases[normalised] : undefined;
}

export type MappingEntry = { column: number; header: string; target: Target };
export type Mapping = MappingEntry[];

/**
 * One entry per column, in file order. A field is fed by one column only: when two columns would map to the
 * same field, the first does and the second is extra. `header` is the column's name as it reads (without a
 * BOM or export's formula guard).
 */
export function guessMapping(format: FormatId, header: readonly string[]): Mapping {
	const f = FORMATS[format];
	const taken = new Set<Target>();
	return header.map((h, column) => {
		let target: Target = lookup(f, normalise(h)) ?? 'extra';
		if (taken.has(target)) target = 'extra';
		if (target !== 'extra') taken.add(target);
		return { column, header: unneutralise(h).replace(/^\uFEFF/, ''), target };
	});
}
