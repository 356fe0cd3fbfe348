// Identity bundle: sealed under master, recovery and PRF keys; bound to the user and unlock method (SPEC.md §5).
import { describe, expect, it } from 'vitest';
import { toHex } from './bytes';
import { generateIdentity, openIdentityBundle, sealIdentityBundle } from './identity';
import { bundleKeyFrom, deriveAccountKeys, derivePrfKey } from './kdf';
import type { RootKey } from './keys';
import { generateRecoveryKey } from './recovery';
import { ready } from './sodium';
import { errorCode as code } from './internal/error-code';

await ready();

describe('identity bundle', () => {
	it('the same identity is recovered through master, recovery and PRF copies', () => {
		const id = generateIdentity();
		const userId = 'user-1';
		const keys = {
			master: bundleKeyFrom(
				'master',
				deriveAccountKeys(crypto.getRandomValues(new Uint8Array(32)) as RootKey).masterKey
			),
			recovery: bundleKeyFrom('recovery', generateRecoveryKey()),
			prf: bundleKeyFrom('prf', derivePrfKey(crypto.getRandomValues(new Uint8Array(32))))
		};
		for (const method of ['master', 'recovery', 'prf'] as const) {
			const sealed = sealIdentityBundle(id, keys[method], { userId, method });
			expect(sealed.length).toBe(107);
			const back = openIdentityBundle(sealed, keys[method], { userId, method });
			expect(toHex(back.signSecretKey)).toBe(toHex(id.signSecretKey));
			expect(toHex(back.boxPublicKey)).toBe(toHex(id.boxPublicKey));
			// Bound to the user and the method.
			expect(code(() => openIdentityBundle(sealed, keys[method], { userId: 'user-2', method }))).toBe(
				'ERR_DECRYPTION_FAILED'
			);
			const other = method === 'master' ? 'prf' : 'master';
			expect(code(() => openIdentityBundle(sealed, keys[method], { userId, method: other }))).toBe(
				'ERR_DECRYPTION_FAILED'
			);
		}
		expect(
			code(() =>
				openIdentityBundle(sealIdentityBundle(id, keys.master, { userId, method: 'master' }), keys.recovery, {
					userId,
					method: 'master'
				})
			)
		).toBe('ERR_DECRYPTION_FAILED');
	});

	it('rejects wrong lengths and versions', () => {
		const id = generateIdentity();
		const key = bundleKeyFrom('recovery', generateRecoveryKey());
		const sealed = sealIdentityBundle(id, key, { userId: 'u', method: 'recovery' });
		expect(
			code(() => openIdentityBundle(sealed.subarray(0, 106), key, { userId: 'u', method: 'recovery' }))
		).toBe('ERR_MALFORMED');
		const v2 = sealed.slice();
		v2[0] = 2;
		expect(code(() => openIdentityBundle(v2, key, { userId: 'u', method: 'recovery' }))).toBe(
			'ERR_UNSUPPORTED_VERSION'
		);
	});
});
