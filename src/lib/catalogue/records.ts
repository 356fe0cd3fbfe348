// The catalogue's records as the browser keeps them (issue 11 "Records in this issue"): which fields each
// table seals in which domain, and which columns stay plaintext (the documented leakage). The vault seals and
// opens these field maps; pages and the demo seed build them. Field values are strings in the envelope
// (crypto/SPEC.md §6.1); money is integer minor units with an ISO 4217 code. No keys, no crypto here.

export const PRODUCT_FIELDS = [
	'name',
	'sku',
	'asin',
	'fnsku',
	'barcode',
	'price_minor',
	'currency',
	'notes',
	'extra'
] as const;
export const SUPPLIER_FIELDS = [
	'name',
	'contact',
	'email',
	'phone',
	'address',
	'country',
	'payment_terms',
	'lead_time_days',
	'notes'
] as const;
export const SOURCE_FIELDS = ['supplier_sku', 'unit_cost_minor', 'currency', 'moq'] as const;

export type ProductFields = Record<(typeof PRODUCT_FIELDS)[number], string>;
export type SupplierFields = Record<(typeof SUPPLIER_FIELDS)[number], string>;
export type SourceFields = Record<(typeof SOURCE_FIELDS)[number], string>;

/** The sealed column of each versioned table, and the domain its key comes from (DESIGN.md domains). */
export const SEALED = {
	products: { column: 'catalog', domain: 'catalog', fields: PRODUCT_FIELDS },
	suppliers: { column: 'sourcing', domain: 'sourcing', fields: SUPPLIER_FIELDS },
	product_sources: { column: 'sourcing', domain: 'sourcing', fields: SOURCE_FIELDS }
} as const;

export type SealedTable = keyof typeof SEALED;
export type CatalogueTable = SealedTable | 'stock_movements';

export const MOVEMENT_REASONS = ['count', 'import', 'adjustment'] as const;
export type MovementReason = (typeof MOVEMENT_REASONS)[number];

/** A field map with every known field present ('' when the envelope lacks it: older or imported rows). */
export function complete<F extends readonly string[]>(
	names: F,
	fields: Readonly<Record<string, unknown>>
): Record<F[number], string> {
	const out = {} as Record<F[number], string>;
	for (const n of names as readonly F[number][]) {
		const v = fields[n];
		out[n] = typeof v === 'string' ? v : '';
	}
	return out;
}

/** Extra imported columns, sealed as one JSON object of strings in the product's `extra` field. */
export function extraColumns(extra: string): Record<string, string> {
	if (!extra) return {};
	try {
		const parsed: unknown = JSON.parse(extra);
		if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
		return Object.fromEntries(
			Object.entries(parsed as Record<string, unknown>).filter(
				(e): e is [string, string] => typeof e[1] === 'string'
			)
		);
	} catch {
		return {};
	}
}

/** Digits after the decimal point in `currency` (EUR 2, JPY 0, KWD 3), from the platform's ISO 4217 data. */
export function minorDigits(currency: string): number {
	try {
		return (
			new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
			2
		);
	} catch {
		return 2;
	}
}

export const CURRENCY = /^[A-Z]{3}$/;

/**
 * "12.50", "12,5", "1 234.5" → integer minor units of `currency`; null when it is not an amount with at most
 * that currency's digits. Negative amounts are refused: prices and costs are not negative.
 */
export function parseMoney(text: string, currency: string): number | null {
	const digits = minorDigits(currency);
	const t = text.trim().replace(/[\s\u00a0\u202f']/g, '');
	if (t === '') return null;
	const m = /^(\d+)(?:[.,](\d*))?$/.exec(t);
	if (!m) return null;
	const frac = m[2] ?? '';
	if (frac.length > digits) return null;
	const minor = Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
	return Number.isSafeInteger(minor) ? minor : null;
}

/** Minor units as a plain amount for an input field ("1250" EUR → "12.50"). */
export function moneyInput(minor: string, currency: string): string {
	if (!/^\d+$/.test(minor)) return '';
	const digits = minorDigits(currency);
	if (digits === 0) return minor;
	const padded = minor.padStart(digits + 1, '0');
	return `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/** Minor units formatted for people in their locale ("1250" EUR → "€12.50"); '' when unset. */
export function formatMoney(minor: string, currency: string, locale?: string): string {
	if (!/^\d+$/.test(minor) || !CURRENCY.test(currency)) return '';
	const digits = minorDigits(currency);
	try {
		return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(
			Number(minor) / 10 ** digits
		);
	} catch {
		return `${moneyInput(minor, currency)} ${currency}`;
	}
}
