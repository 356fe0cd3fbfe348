// Branded key types: the compiler refuses a key of one kind where another is expected (SPEC.md §2.6).
// The @ts-expect-error lines are the test: if a brand stopped working, typechecking would fail on them.
import { describe, expect, it } from 'vitest';
import { bundleKeyFrom, deriveAccountKeys } from './kdf';
import type { DomainKey, MasterKey, RootKey } from './keys';
import { domainKeyFromBytes, masterKeyFromBytes, x25519PublicKey } from './keys';
import { ready } from './sodium';
import { CryptoError } from './errors';

await ready();

describe('branded key types', () => {
	it('reject the wrong kind at compile time and the wrong length at run time', () => {
		const domainKey: DomainKey = domainKeyFromBytes(new Uint8Array(32));
		const masterKey: MasterKey = masterKeyFromBytes(new Uint8Array(32));
		// @ts-expect-error a DomainKey is not a MasterKey
		const wrongKind: MasterKey = domainKey;
		// @ts-expect-error a plain Uint8Array is not a RootKey
		const plain: RootKey = new Uint8Array(32);
		// @ts-expect-error deriveAccountKeys takes a RootKey, not a MasterKey
		deriveAccountKeys(masterKey);
		// @ts-expect-error the recovery bundle key needs a RecoveryKey
		bundleKeyFrom('recovery', masterKey);
		expect(wrongKind).toBe(domainKey);
		expect(plain.length).toBe(32);
		expect(() => x25519PublicKey(new Uint8Array(31))).toThrowError(CryptoError);
	});
});
