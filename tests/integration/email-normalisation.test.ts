// The server's Email schema and the crypto core normalise an email identically (crypto/SPEC.md §4.1.1):
// the browser binds the Argon2id salt to the normalised email and the server stores and HMACs the same
// string, so a difference would lock an account out (or make two spellings two accounts).
import { describe, expect, it } from 'vitest';
import { normaliseEmail as coreNormalise } from '../../crypto/index';
import saltV from '../../crypto/vectors/salt.json';
import { Email, normaliseEmail as serverNormalise } from '../../src/lib/server/api/schemas';

describe('email normalisation (SPEC.md §4.1.1)', () => {
	it('the server schema gives the core’s normalised form for every vector', () => {
		for (const v of saltV.positive) {
			expect(serverNormalise(v.email), v.name).toBe(v.normalised);
			expect(coreNormalise(v.email), v.name).toBe(v.normalised);
			expect(Email.parse(v.email), v.name).toBe(v.normalised);
		}
	});

	it('the server refuses what the core refuses', () => {
		for (const v of saltV.negative.filter((n) => !n.name.startsWith('server salt'))) {
			expect(() => coreNormalise(v.email), v.name).toThrow();
			expect(Email.safeParse(v.email).success, v.name).toBe(false);
		}
	});

	it('agrees on awkward spellings', () => {
		for (const s of ['\u00a0a@b.co', 'A@B.CO\u2028', '\ufeffa@b.co', 'İ@b.co', 'a@b.co\t', 'ß@b.co']) {
			const core = (() => {
				try {
					return coreNormalise(s);
				} catch {
					return null;
				}
			})();
			expect(serverNormalise(s), JSON.stringify(s)).toBe(core ?? serverNormalise(s));
			if (core === null) expect(Email.safeParse(s).success, JSON.stringify(s)).toBe(false);
		}
	});
});
