import { describe, expect, it } from 'vitest';
import { kdfMemoryKey, refuseDowngrade, rememberKdf, type KdfStore } from './kdf-memory';

const MIB = 1024 * 1024;
const store = (): KdfStore & { map: Map<string, string> } => {
	const map = new Map<string, string>();
	return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
};
const code = (f: () => void) => {
	try {
		f();
		return 'OK';
	} catch (e) {
		return (e as { code?: string }).code;
	}
};

describe('no silent downgrade (SPEC.md §4.1)', () => {
	it('accepts anything at first, then nothing below the strongest t and m seen, each on its own', () => {
		const s = store();
		const email = 'Seller@Example.com';
		expect(code(() => refuseDowngrade(s, email, { opsLimit: 3, memLimitBytes: 64 * MIB }))).toBe('OK');
		rememberKdf(s, email, { opsLimit: 4, memLimitBytes: 64 * MIB });
		rememberKdf(s, 'seller@example.com ', { opsLimit: 3, memLimitBytes: 96 * MIB });
		// One entry per normalised email, with the maximum of each parameter.
		expect([...s.map.keys()]).toEqual([kdfMemoryKey('seller@example.com')]);
		expect(JSON.parse(s.map.get(kdfMemoryKey(email))!)).toEqual({ opsLimit: 4, memLimitBytes: 96 * MIB });
		expect(code(() => refuseDowngrade(s, email, { opsLimit: 4, memLimitBytes: 96 * MIB }))).toBe('OK');
		expect(code(() => refuseDowngrade(s, email, { opsLimit: 12, memLimitBytes: 256 * MIB }))).toBe('OK');
		// Less time for more memory (or the reverse) is still a downgrade.
		expect(code(() => refuseDowngrade(s, email, { opsLimit: 3, memLimitBytes: 128 * MIB }))).toBe(
			'ERR_WEAK_PARAMETERS'
		);
		expect(code(() => refuseDowngrade(s, email, { opsLimit: 6, memLimitBytes: 64 * MIB }))).toBe(
			'ERR_WEAK_PARAMETERS'
		);
		// Another account on the device is not affected.
		expect(
			code(() => refuseDowngrade(s, 'other@example.com', { opsLimit: 3, memLimitBytes: 64 * MIB }))
		).toBe('OK');
	});

	it('treats an unreadable entry as none (the floor still holds in the core)', () => {
		const s = store();
		s.setItem(kdfMemoryKey('a@b.co'), '{not json');
		expect(code(() => refuseDowngrade(s, 'a@b.co', { opsLimit: 3, memLimitBytes: 64 * MIB }))).toBe('OK');
		rememberKdf(s, 'a@b.co', { opsLimit: 3, memLimitBytes: 64 * MIB });
		expect(JSON.parse(s.map.get(kdfMemoryKey('a@b.co'))!)).toEqual({ opsLimit: 3, memLimitBytes: 64 * MIB });
	});
});
