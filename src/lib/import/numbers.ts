// Exact decimal text ↔ integer minor units, on strings only: floats would turn 0.29 into 28.999… and
// lose cents on large amounts. Strict on purpose: a number that could be read two ways is refused, since
// a wrong price imported silently is worse than a row to fix.

export type Decimal = '.' | ',';
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };
export type MoneyResult = { ok: true; minor: string } | { ok: false; reason: string };

/** Surrounding spaces, including the no-break spaces spreadsheets write. */
const SPACE = /^[\s\u00a0\u202f]+|[\s\u00a0\u202f]+$/g;
/** Up to 15 digits: every amount stays a safe integer where the rest of the app does arithmetic. */
const MAX_DIGITS = 15;

/**
 * "1.234,56" (decimal ',', digits 2) → "123456". Thousands separators (the other mark, a space or a no-break
 * space) must group by three, so "12.5" with decimal ',' is refused rather than read as 125. More fraction
 * digits than `digits` are refused unless they are zeros ("12.500" is 12.50; "0.001" is an error).
 */
export function parseMoney(text: string, options: { decimal: Decimal; digits: number }): MoneyResult {
	const { decimal, digits } = options;
	let s = text.replace(SPACE, '');
	if (s === '') return { ok: false, reason: 'is empty' };
	const sign = s.startsWith('-') ? '-' : '';
	if (sign) s = s.slice(1);
	const at = s.indexOf(decimal);
	const int = at === -1 ? s : s.slice(0, at);
	const frac = at === -1 ? '' : s.slice(at + 1);
	if (at !== -1 && !/^\d+$/.test(frac)) return { ok: false, reason: 'is not a number' };
	if (at === -1 && int === '') return { ok: false, reason: 'is not a number' };
	// `int` holds no decimal mark here, so the only separators left are thousands separators.
	if (!/^\d*$/.test(int) && !/^\d{1,3}([.,\s\u00a0\u202f])\d{3}(?:\1\d{3})*$/.test(int))
		return {
			ok: false,
			reason: /^[\d.,\s\u00a0\u202f]+$/.test(int)
				? `is not a number with “${decimal}” as the decimal mark`
				: 'is not a number'
		};
	if (/[^0]/.test(frac.slice(digits)))
		return {
			ok: false,
			reason: digits === 0 ? 'has decimals, but this currency has none' : `has more than ${digits} decimals`
		};
	const minor = (int.replace(/\D/g, '') + frac.slice(0, digits).padEnd(digits, '0')).replace(/^0+(?=\d)/, '');
	if (minor.length > MAX_DIGITS) return { ok: false, reason: 'is too large' };
	// "-0.00" is zero, not a negative amount.
	return { ok: true, minor: sign && /[^0]/.test(minor) ? `-${minor}` : minor };
}

/** Minor units → "1234.56" / "-0.05" / "1234,56": no thousands separator, exactly `digits` decimals. */
export function formatMoney(minor: string, options: { decimal: Decimal; digits: number }): string {
	const m = /^(-?)(\d+)$/.exec(minor);
	if (!m) return '';
	const [, sign, abs] = m as unknown as [string, string, string];
	const { decimal, digits } = options;
	if (digits === 0) return `${sign}${abs.replace(/^0+(?=\d)/, '')}`;
	const padded = abs.padStart(digits + 1, '0');
	const int = padded.slice(0, -digits).replace(/^0+(?=\d)/, '');
	return `${sign}${int}${decimal}${padded.slice(-digits)}`;
}

/** Largest count accepted, as the forms' wholeNumber (nine digits). */
export const MAX_COUNT = 999_999_999;

/** A non-negative whole number of units or days (quantity, reorder point, MOQ, lead time). */
export function parseCount(text: string): Parsed<number> {
	const t = text.replace(SPACE, '');
	if (t === '') return { ok: false, reason: 'is empty' };
	if (/^-\d+$/.test(t)) return { ok: false, reason: 'is negative' };
	if (/^\d+[.,]\d+$/.test(t)) return { ok: false, reason: 'is not a whole number' };
	if (!/^\d+$/.test(t)) return { ok: false, reason: 'is not a number' };
	const n = Number(t);
	if (n > MAX_COUNT) return { ok: false, reason: `is too large (at most ${MAX_COUNT})` };
	return { ok: true, value: n };
}
