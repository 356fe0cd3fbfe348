import { describe, expect, it } from 'vitest';
import { formatMoney, parseCount, parseMoney } from './numbers';

const eur = { decimal: '.', digits: 2 } as const;
const de = { decimal: ',', digits: 2 } as const;

describe('parseMoney', () => {
	it('reads decimal comma with dot thousands', () => {
		expect(parseMoney('1.234,56', de)).toEqual({ ok: true, minor: '123456' });
		expect(parseMoney('1.234.567,8', de)).toEqual({ ok: true, minor: '123456780' });
	});
	it('pads missing decimals and allows surrounding and grouping spaces', () => {
		expect(parseMoney('12.5', eur)).toEqual({ ok: true, minor: '1250' });
		expect(parseMoney(' 12 ', eur)).toEqual({ ok: true, minor: '1200' });
		expect(parseMoney('\u00a01\u00a0234,5 ', de)).toEqual({ ok: true, minor: '123450' });
		expect(parseMoney('1,234.50', eur)).toEqual({ ok: true, minor: '123450' });
		expect(parseMoney('0.05', eur)).toEqual({ ok: true, minor: '5' });
		expect(parseMoney('.5', eur)).toEqual({ ok: true, minor: '50' });
	});
	it('refuses more decimals than the currency has, but not trailing zeros', () => {
		expect(parseMoney('0.001', eur)).toEqual({ ok: false, reason: 'has more than 2 decimals' });
		expect(parseMoney('12.500', eur)).toEqual({ ok: true, minor: '1250' });
	});
	it('handles currencies without decimals (JPY)', () => {
		const jpy = { decimal: '.', digits: 0 } as const;
		expect(parseMoney('1,500', jpy)).toEqual({ ok: true, minor: '1500' });
		expect(parseMoney('1500.5', jpy)).toEqual({
			ok: false,
			reason: 'has decimals, but this currency has none'
		});
		expect(formatMoney('1500', jpy)).toBe('1500');
	});
	it('reads negatives, and -0 as zero', () => {
		expect(parseMoney('-12,30', de)).toEqual({ ok: true, minor: '-1230' });
		expect(parseMoney('-0.00', eur)).toEqual({ ok: true, minor: '0' });
	});
	it('refuses garbage and ambiguous grouping', () => {
		for (const bad of ['', '  ', 'abc', '12,5x', '1.2.3', '€12', '12-', '--1', '1,2', '12.', '+5', '1e3'])
			expect(parseMoney(bad, eur).ok, bad).toBe(false);
		// With decimal ',' a dot is a thousands separator, so "12.5" is not quietly read as 125.
		expect(parseMoney('12.5', de)).toEqual({
			ok: false,
			reason: 'is not a number with “,” as the decimal mark'
		});
		expect(parseMoney('12,5x', de)).toEqual({ ok: false, reason: 'is not a number' });
		expect(parseMoney('1234567890123456', eur)).toEqual({ ok: false, reason: 'is too large' });
	});
	it('formatMoney is the exact inverse', () => {
		expect(formatMoney('123456', eur)).toBe('1234.56');
		expect(formatMoney('5', eur)).toBe('0.05');
		expect(formatMoney('-1230', de)).toBe('-12,30');
		expect(formatMoney('7', { decimal: '.', digits: 3 })).toBe('0.007');
		expect(formatMoney('', eur)).toBe('');
		for (const minor of ['0', '1', '99', '100', '123456789012345', '-5'])
			for (const o of [eur, de, { decimal: '.', digits: 0 } as const, { decimal: ',', digits: 3 } as const])
				expect(parseMoney(formatMoney(minor, o), o)).toEqual({ ok: true, minor });
	});
});

describe('parseCount', () => {
	it('reads non-negative whole numbers', () => {
		expect(parseCount(' 42 ')).toEqual({ ok: true, value: 42 });
		expect(parseCount('0')).toEqual({ ok: true, value: 0 });
	});
	it('gives readable reasons', () => {
		expect(parseCount('-3')).toEqual({ ok: false, reason: 'is negative' });
		expect(parseCount('2.5')).toEqual({ ok: false, reason: 'is not a whole number' });
		expect(parseCount('ten')).toEqual({ ok: false, reason: 'is not a number' });
		expect(parseCount('')).toEqual({ ok: false, reason: 'is empty' });
		expect(parseCount('1000000000')).toEqual({ ok: false, reason: 'is too large (at most 999999999)' });
	});
});
