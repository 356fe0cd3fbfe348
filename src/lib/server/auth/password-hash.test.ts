import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashKey, verifyKey, verifyNothing } from './password-hash';

describe('password-hash', () => {
	it('verifies random binary keys (not only valid UTF-8) and rejects any other key', async () => {
		for (let i = 0; i < 3; i++) {
			const key = new Uint8Array(randomBytes(32));
			const phc = await hashKey(key);
			expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
			expect(await verifyKey(phc, key)).toBe(true);
			const other = key.slice();
			other[31]! ^= 1;
			expect(await verifyKey(phc, other)).toBe(false);
		}
	});

	it('treats a malformed stored hash as a failed verification', async () => {
		expect(await verifyKey('not a hash', new Uint8Array(32))).toBe(false);
		expect(await verifyNothing(new Uint8Array(32))).toBe(false);
	});
});
