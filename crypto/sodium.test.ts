// The door to libsodium: nothing works before ready(); ready() checks the build (SPEC.md §2.2).
import { describe, expect, it } from 'vitest';
import { CryptoError } from './errors';
import { blake2b, ready, sodiumVersion } from './sodium';

describe('ready()', () => {
	it('every wrapper throws ERR_NOT_READY before ready() resolves, and works after', async () => {
		expect(() => blake2b(32, new Uint8Array(0))).toThrowError(CryptoError);
		try {
			blake2b(32, new Uint8Array(0));
		} catch (e) {
			expect((e as CryptoError).code).toBe('ERR_NOT_READY');
		}
		await ready();
		await ready(); // idempotent
		expect(blake2b(32, new Uint8Array(0)).length).toBe(32);
		expect(sodiumVersion()).toMatch(/^\d+\.\d+/);
	});
});
