// Tests only: generated import files in the shapes of the real ones (the shared fixtures' make-catalog.mjs),
// so the tests need nothing outside the repository. Deterministic: a seeded LCG.
import type { Delimiter } from './parse';

export function random(seed = 42) {
	let s = seed >>> 0;
	const next = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
	return { next, pick: <T>(a: readonly T[]): T => a[Math.floor(next() * a.length)] as T };
}

/** RFC 4180 quoting as spreadsheets write it: only when needed. */
export const quoteCell = (v: string, delimiter: string) =>
	v.includes(delimiter) || /["\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;

export const joinLines = (rows: string[][], delimiter: Delimiter, eol: string) =>
	rows.map((r) => r.map((c) => quoteCell(c, delimiter)).join(delimiter)).join(eol) + eol;

const adjectives = ['Organic', 'Stainless', 'Bamboo', 'Heavy-Duty', 'Compact', 'Café'];
const nouns = ['Water Bottle', 'Yoga Mat', 'Chef Knife', 'Phone Stand', 'Dog Leash', 'Desk Lamp'];
const extras = [
	'',
	', 750 ml',
	' (2-Pack)',
	' "Pro" Edition',
	' – Blue/Green',
	', 12" x 18"',
	' für Küche',
	' 日本製',
	' 🌿'
];
const suppliers = [
	'Shenzhen Brightway Trading Co., Ltd.',
	'Müller & Söhne GmbH',
	'Yiwu "Star" Packaging',
	"O'Brien Outdoor Ltd"
];
const ASIN_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789'.split('');

export type Sheet = { header: string[]; rows: string[][] };

/** Rows of the "Manage FBA Inventory" report, raw TSV as Amazon writes it (no quoting). */
export function fbaSheet(n: number, seed = 7): Sheet {
	const r = random(seed);
	const header =
		'sku\tfnsku\tasin\tproduct-name\tcondition\tyour-price\tmfn-listing-exists\tmfn-fulfillable-quantity\tafn-listing-exists\tafn-warehouse-quantity\tafn-fulfillable-quantity\tafn-unsellable-quantity\tafn-reserved-quantity\tafn-total-quantity\tper-unit-volume\tafn-inbound-working-quantity\tafn-inbound-shipped-quantity\tafn-inbound-receiving-quantity'.split(
			'\t'
		);
	const rows = Array.from({ length: n }, (_, i) => {
		const a = 'B0' + Array.from({ length: 8 }, () => r.pick(ASIN_CHARS)).join('');
		const qty = Math.floor(r.next() * 500);
		return [
			`${r.pick(['WB', 'YM', 'CK'])}-${String(i).padStart(6, '0')}`,
			'X00' + a.slice(4),
			a,
			`${r.pick(adjectives)} ${r.pick(nouns)}${r.pick(extras)}`,
			'New',
			(5 + r.next() * 95).toFixed(2),
			'No',
			'0',
			'Yes',
			String(qty + 3),
			String(qty),
			'1',
			'2',
			String(qty + 3),
			(r.next() * 0.2).toFixed(4),
			'0',
			String(Math.floor(r.next() * 20)),
			'0'
		];
	});
	return { header, rows };
}

export function listingsSheet(n: number, seed = 8): Sheet {
	const r = random(seed);
	const header =
		'item-name\titem-description\tlisting-id\tseller-sku\tprice\tquantity\topen-date\timage-url\titem-is-marketplace\tproduct-id-type\titem-note\titem-condition\tasin1\tproduct-id\tfulfillment-channel'.split(
			'\t'
		);
	const rows = Array.from({ length: n }, (_, i) => {
		const a = 'B0' + Array.from({ length: 8 }, () => r.pick(ASIN_CHARS)).join('');
		return [
			`${r.pick(adjectives)} ${r.pick(nouns)}${r.pick(extras)}`,
			i % 3 ? '' : 'Gift box; "see photos"',
			`${1000000000 + i}`,
			`${r.pick(['PS', 'DL'])}-${String(i).padStart(6, '0')}`,
			(5 + r.next() * 95).toFixed(2),
			String(Math.floor(r.next() * 500)),
			'2025-03-01 10:00:00 PST',
			'',
			'y',
			'1',
			'',
			'11',
			a,
			a,
			r.pick(['DEFAULT', 'AMAZON_NA'])
		];
	});
	return { header, rows };
}

/** The generic products template in the subset the shared fixture uses. */
export function productsSheet(n: number, seed = 9): Sheet {
	const r = random(seed);
	const header = ['sku', 'name', 'asin', 'supplier', 'unit_cost', 'quantity', 'reorder_point'];
	const rows = Array.from({ length: n }, (_, i) => [
		`${r.pick(['WB', 'YM'])}-${String(i).padStart(6, '0')}`,
		`${r.pick(adjectives)} ${r.pick(nouns)}${r.pick(extras)}`,
		'B0' + Array.from({ length: 8 }, () => r.pick(ASIN_CHARS)).join(''),
		r.pick(suppliers),
		(r.next() * 20 + 1).toFixed(2),
		String(Math.floor(r.next() * 500)),
		String(Math.floor(r.next() * 50))
	]);
	return { header, rows };
}

export function suppliersSheet(n: number, seed = 10): Sheet {
	const r = random(seed);
	const header = ['name', 'contact_name', 'email', 'phone', 'country', 'notes'];
	const rows = Array.from({ length: n }, (_, i) => [
		i < suppliers.length ? (suppliers[i] as string) : `${r.pick(suppliers)} #${i}`,
		r.pick(['Li Wei', 'Anna Berg', 'José Núñez', 'Nguyễn Văn An']),
		`sales${i}@supplier${i}.example`,
		`+86 755 ${String(1000000 + i).slice(-7)}`,
		r.pick(['CN', 'AU', 'SE', 'DE']),
		r.pick(['', 'MOQ 500', 'Pays 30% deposit, "net 30" after'])
	]);
	return { header, rows };
}

/** Text → bytes in the few encodings the tests need (TextEncoder only writes UTF-8). */
const CP1252: Record<string, number> = {
	'€': 0x80,
	'–': 0x96,
	'“': 0x93,
	'”': 0x94,
	é: 0xe9,
	ü: 0xfc,
	ö: 0xf6
};
export function encode(
	text: string,
	encoding: 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252'
) {
	if (encoding === 'utf-8') return new TextEncoder().encode(text);
	if (encoding === 'utf-8-bom') return new TextEncoder().encode('\uFEFF' + text);
	if (encoding === 'windows-1252')
		return Uint8Array.from([...text], (ch) => {
			const code = ch.charCodeAt(0);
			const b = code < 0x80 ? code : CP1252[ch];
			if (b === undefined) throw new Error(`no 1252 byte for ${ch}`);
			return b;
		});
	const units = '\uFEFF' + text;
	const out = new Uint8Array(units.length * 2);
	for (let i = 0; i < units.length; i++) {
		const u = units.charCodeAt(i);
		const [first, second] = encoding === 'utf-16le' ? [u & 0xff, u >> 8] : [u >> 8, u & 0xff];
		out[2 * i] = first;
		out[2 * i + 1] = second;
	}
	return out;
}
