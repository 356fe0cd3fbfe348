// Form rules shared by the product and supplier editors: what a field accepts and the message when it does
// not. Pure functions, tested in forms.test.ts.
import { CURRENCY, parseMoney } from './records';

export type Errors = Record<string, string>;

/** Currencies offered first; any ISO 4217 code can be typed. */
export const COMMON_CURRENCIES = ['EUR', 'USD', 'GBP', 'CAD', 'AUD', 'JPY', 'CHF', 'SEK', 'PLN', 'MXN'];

/** The currency select's options: the common ones, and the row's own if it is another. */
export const currencyOptions = (current: string) =>
	[...new Set([...COMMON_CURRENCIES, current])].map((c) => ({ value: c, label: c }));

export const ASIN = /^[A-Z0-9]{10}$/;
const BARCODE = /^\d{8}$|^\d{12,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** SKUs compare as the blind index does (SPEC.md §10.1 'sku'): trimmed, NFC, lower-cased. */
export const skuKey = (sku: string) => sku.normalize('NFC').trim().toLowerCase().normalize('NFC');

function required(errors: Errors, key: string, value: string, what: string, max: number) {
	const v = value.trim();
	if (!v) errors[key] = `Enter ${what}.`;
	else if (v.length > max) errors[key] = `Use at most ${max} characters.`;
}

function optionalMax(errors: Errors, key: string, value: string, max: number) {
	if (value.trim().length > max) errors[key] = `Use at most ${max} characters.`;
}

/** A non-negative whole number, or empty (null) when `optional`. */
export function wholeNumber(text: string): number | null | 'invalid' {
	const t = text.trim();
	if (t === '') return null;
	if (!/^\d{1,9}$/.test(t)) return 'invalid';
	return Number(t);
}

export type ProductForm = {
	name: string;
	sku: string;
	asin: string;
	fnsku: string;
	barcode: string;
	price: string;
	currency: string;
	reorderPoint: string;
	notes: string;
	openingStock: string;
};

export function checkProduct(f: ProductForm, otherSkus: ReadonlyMap<string, string>): Errors {
	const e: Errors = {};
	required(e, 'name', f.name, 'a product name', 200);
	required(e, 'sku', f.sku, 'a SKU', 64);
	if (!e.sku && otherSkus.has(skuKey(f.sku)))
		e.sku = `Another product (${otherSkus.get(skuKey(f.sku))}) already has this SKU. SKUs are unique.`;
	if (f.asin.trim() && !ASIN.test(f.asin.trim().toUpperCase()))
		e.asin = 'An ASIN is 10 letters and digits, e.g. B0C1234567.';
	optionalMax(e, 'fnsku', f.fnsku, 20);
	if (f.barcode.trim() && !BARCODE.test(f.barcode.trim()))
		e.barcode = 'A barcode is 8, 12, 13 or 14 digits (EAN-8, UPC-A, EAN-13, GTIN-14).';
	if (!CURRENCY.test(f.currency)) e.currency = 'Choose a currency (a 3-letter ISO code, e.g. EUR).';
	if (f.price.trim() && !e.currency && parseMoney(f.price, f.currency) === null)
		e.price = `Enter an amount in ${f.currency}, e.g. 12.50.`;
	if (wholeNumber(f.reorderPoint) === 'invalid')
		e.reorderPoint = 'Enter a whole number of units, or leave it empty.';
	if (wholeNumber(f.openingStock) === 'invalid')
		e.openingStock = 'Enter a whole number of units, or leave it empty.';
	optionalMax(e, 'notes', f.notes, 2000);
	return e;
}

export type SupplierForm = {
	name: string;
	contact: string;
	email: string;
	phone: string;
	address: string;
	country: string;
	paymentTerms: string;
	leadTimeDays: string;
	notes: string;
};

export function checkSupplier(f: SupplierForm): Errors {
	const e: Errors = {};
	required(e, 'name', f.name, 'the supplier’s name', 200);
	optionalMax(e, 'contact', f.contact, 200);
	if (f.email.trim() && (!EMAIL.test(f.email.trim()) || f.email.length > 254))
		e.email = 'Enter an email address like sales@example.com, or leave it empty.';
	optionalMax(e, 'phone', f.phone, 40);
	optionalMax(e, 'address', f.address, 500);
	if (f.country.trim() && !/^[A-Za-z]{2}$/.test(f.country.trim()))
		e.country = 'Use the 2-letter country code, e.g. DE, US or CN.';
	optionalMax(e, 'paymentTerms', f.paymentTerms, 100);
	if (wholeNumber(f.leadTimeDays) === 'invalid')
		e.leadTimeDays = 'Enter a whole number of days, or leave it empty.';
	optionalMax(e, 'notes', f.notes, 2000);
	return e;
}

export type SourceForm = {
	supplierId: string;
	supplierSku: string;
	unitCost: string;
	currency: string;
	moq: string;
};

export function checkSource(f: SourceForm): Errors {
	const e: Errors = {};
	if (!f.supplierId) e.supplierId = 'Choose a supplier.';
	optionalMax(e, 'supplierSku', f.supplierSku, 64);
	if (!CURRENCY.test(f.currency)) e.currency = 'Choose a currency (a 3-letter ISO code, e.g. EUR).';
	if (!f.unitCost.trim()) e.unitCost = 'Enter the unit cost.';
	else if (!e.currency && parseMoney(f.unitCost, f.currency) === null)
		e.unitCost = `Enter an amount in ${f.currency}, e.g. 4.20.`;
	if (wholeNumber(f.moq) === 'invalid') e.moq = 'Enter a whole number of units, or leave it empty.';
	return e;
}
