import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
	argon2Salt,
	CryptoError,
	deriveAccountKeys,
	deriveRootKey,
	fromBase64url,
	KDF_MINIMUM,
	passwordBytes,
	ready,
	toBase64url
} from '$crypto';
import { accountOperations } from './account-ops';

await ready();
const FAST = KDF_MINIMUM;

function signUp(password = 'correct horse battery staple') {
	const vault = accountOperations();
	const userId = randomUUID();
	const created = vault.createAccount({ userId, email: 'a@example.com', password, params: FAST });
	return { vault, userId, password, ...created };
}

describe('account operations', () => {
	it('creates an account unlocked, and hands out only public values and sealed bundles', () => {
		const { vault, signup, recoveryKey, userId } = signUp();
		expect(vault.status()).toMatchObject({ unlocked: true, userId });
		expect(vault.status().fingerprint).toMatch(/\d/);
		expect(recoveryKey).toMatch(/^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$/);
		expect(signup.kdf).toMatchObject({
			alg: 'argon2id13',
			opsLimit: FAST.opsLimit,
			memLimitBytes: FAST.memLimitBytes
		});
		for (const v of [
			signup.authKey,
			signup.recoveryAuthKey,
			signup.publicKeys.x25519,
			signup.publicKeys.ed25519
		]) {
			expect(v).toMatch(/^[A-Za-z0-9_-]{43}$/);
		}
		expect(signup.authKey).not.toBe(signup.recoveryAuthKey);
	});

	it('unlocks with the right password only, and locking forgets the keys', () => {
		const { vault, signup, userId, password } = signUp();
		const fingerprint = vault.status().fingerprint;
		vault.lock();
		expect(vault.status()).toMatchObject({ unlocked: false, fingerprint: null });

		const login = vault.deriveForLogin(password, 'a@example.com', signup.kdf);
		expect(login.authKey).toBe(signup.authKey);
		expect(vault.openWithMaster(userId, signup.masterBundle).fingerprint).toBe(fingerprint);

		vault.lock();
		const wrong = () =>
			vault.unlockWithPassword('wrong password', 'a@example.com', signup.kdf, userId, signup.masterBundle);
		expect(wrong).toThrow(CryptoError);
		expect(vault.status().unlocked).toBe(false);
		// A bundle presented for another user does not open either.
		expect(() =>
			vault.unlockWithPassword(password, 'a@example.com', signup.kdf, randomUUID(), signup.masterBundle)
		).toThrow(CryptoError);
	});

	it('derives with the salt bound to the email (SPEC.md §4.1.1): same server salt, other email, other keys', () => {
		const { vault, signup, password } = signUp();
		vault.lock();
		expect(vault.deriveForLogin(password, ' A@Example.com ', signup.kdf).authKey).toBe(signup.authKey);
		expect(vault.deriveForLogin(password, 'b@example.com', signup.kdf).authKey).not.toBe(signup.authKey);
		const raw = deriveAccountKeys(
			deriveRootKey(passwordBytes(password), fromBase64url(signup.kdf.salt), signup.kdf)
		).authKey;
		expect(signup.authKey).not.toBe(toBase64url(raw));
		const bound = argon2Salt('a@example.com', fromBase64url(signup.kdf.salt));
		expect(signup.authKey).toBe(
			toBase64url(deriveAccountKeys(deriveRootKey(passwordBytes(password), bound, signup.kdf)).authKey)
		);
	});

	it('recovers with the recovery key as typed (spaces, lower case) and catches a typo', () => {
		const { vault, signup, userId, recoveryKey } = signUp();
		const fingerprint = vault.status().fingerprint;
		vault.lock();
		const typed = recoveryKey.toLowerCase().replaceAll('-', ' ');
		expect(vault.beginRecovery(typed).recoveryAuthKey).toBe(signup.recoveryAuthKey);
		expect(vault.openWithRecovery(userId, typed, signup.recoveryBundle).fingerprint).toBe(fingerprint);

		const typo = (recoveryKey[0] === 'A' ? 'B' : 'A') + recoveryKey.slice(1);
		expect(() => vault.beginRecovery(typo)).toThrow(expect.objectContaining({ code: 'ERR_MALFORMED' }));
	});

	it('sets a new password over the same identity, and rotates the recovery key', () => {
		const { vault, userId } = signUp();
		const fingerprint = vault.status().fingerprint;
		const next = vault.newPassword('a new passphrase', 'a@example.com', undefined, FAST);
		const rotated = vault.rotateRecovery();
		vault.lock();
		expect(
			vault.unlockWithPassword('a new passphrase', 'a@example.com', next.kdf, userId, next.masterBundle)
				.fingerprint
		).toBe(fingerprint);
		vault.lock();
		expect(vault.openWithRecovery(userId, rotated.recoveryKey, rotated.recoveryBundle).fingerprint).toBe(
			fingerprint
		);
	});

	it('seals for a passkey and unlocks with the same PRF output only', () => {
		const { vault, userId } = signUp();
		const fingerprint = vault.status().fingerprint;
		const prf = () => new Uint8Array(32).fill(7);
		const bundle = vault.sealForPasskey(prf());
		vault.lock();
		expect(() => vault.unlockWithPasskey(userId, new Uint8Array(32).fill(8), bundle)).toThrow(CryptoError);
		expect(vault.unlockWithPasskey(userId, prf(), bundle).fingerprint).toBe(fingerprint);
	});

	it('refuses operations that need the identity while locked', () => {
		const { vault } = signUp();
		vault.lock();
		expect(() => vault.newPassword('x', 'a@example.com', undefined, FAST)).toThrow(CryptoError);
		expect(() => vault.sealForPasskey(new Uint8Array(32))).toThrow(CryptoError);
		expect(() => vault.rotateRecovery()).toThrow(CryptoError);
	});
});
