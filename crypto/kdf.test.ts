// Key hierarchy: Argon2id parameter floor and ceiling, subkey separation (SPEC.md §4).
import { describe, expect, it } from 'vitest';
import { toHex } from './bytes';
import { CryptoError } from './errors';
import {
	bundleKeyFrom,
	checkKdfParams,
	deriveAccountKeys,
	derivePrfKey,
	deriveRootKey,
	KDF_DEFAULTS,
	KDF_MINIMUM,
	KDF_OWASP_MINIMUM,
	passwordBytes,
	type KdfParams
} from './kdf';
import type { RootKey } from './keys';
import { ready } from './sodium';
import { errorCode as code } from './internal/error-code';

await ready();

const MIB = 1024 * 1024;

describe('Argon2id parameters', () => {
	it('accepts the defaults and the floor (t=3, m=64 MiB), and refuses the OWASP minimum below it', () => {
		expect(code(() => checkKdfParams(KDF_DEFAULTS))).toBe('OK');
		expect(code(() => checkKdfParams(KDF_MINIMUM))).toBe('OK');
		expect(KDF_MINIMUM).toMatchObject({ opsLimit: 3, memLimitBytes: 64 * MIB });
		expect(code(() => checkKdfParams(KDF_OWASP_MINIMUM))).toBe('ERR_WEAK_PARAMETERS');
		expect(code(() => checkKdfParams({ ...KDF_MINIMUM, opsLimit: 2 }))).toBe('ERR_WEAK_PARAMETERS');
		expect(code(() => checkKdfParams({ ...KDF_MINIMUM, memLimitBytes: 64 * MIB - 1024 }))).toBe(
			'ERR_WEAK_PARAMETERS'
		);
	});

	it.each([
		[{ alg: 'argon2id13', opsLimit: 1, memLimitBytes: 64 * MIB }, 'ERR_WEAK_PARAMETERS'],
		[{ alg: 'argon2id13', opsLimit: 2, memLimitBytes: 19 * MIB - 1024 }, 'ERR_WEAK_PARAMETERS'],
		[{ alg: 'argon2id13', opsLimit: 13, memLimitBytes: 64 * MIB }, 'ERR_WEAK_PARAMETERS'],
		[{ alg: 'argon2id13', opsLimit: 3, memLimitBytes: 257 * MIB }, 'ERR_WEAK_PARAMETERS'],
		[{ alg: 'argon2id13', opsLimit: 2.5, memLimitBytes: 64 * MIB }, 'ERR_INVALID_INPUT'],
		[{ alg: 'argon2id13', opsLimit: 3, memLimitBytes: 64 * MIB + 1 }, 'ERR_INVALID_INPUT'],
		[{ alg: 'argon2i13', opsLimit: 3, memLimitBytes: 64 * MIB }, 'ERR_UNSUPPORTED_VERSION']
	])('refuses %o with %s (a server cannot downgrade or exhaust a client)', (params, expected) => {
		expect(code(() => checkKdfParams(params as unknown as KdfParams))).toBe(expected);
		expect(
			code(() => deriveRootKey(passwordBytes('pw'), new Uint8Array(16), params as unknown as KdfParams))
		).toBe(expected);
	});

	it('requires a 16-byte salt and a non-empty password', () => {
		expect(code(() => deriveRootKey(passwordBytes('pw'), new Uint8Array(15), KDF_MINIMUM))).toBe(
			'ERR_INVALID_INPUT'
		);
		expect(code(() => passwordBytes(''))).toBe('ERR_INVALID_INPUT');
	});

	it('normalises passwords to NFC at the edge', () => {
		expect(toHex(passwordBytes('e\u0301'))).toBe(toHex(passwordBytes('\u00e9')));
	});
});

describe('subkeys', () => {
	const root = new Uint8Array(32).fill(7) as RootKey;

	it('auth and master keys differ and are deterministic', () => {
		const a = deriveAccountKeys(root);
		const b = deriveAccountKeys(root);
		expect(toHex(a.authKey)).toBe(toHex(b.authKey));
		expect(toHex(a.authKey)).not.toBe(toHex(a.masterKey));
	});

	it('bundle keys are separated by unlock method', () => {
		const { masterKey } = deriveAccountKeys(root);
		const prf = derivePrfKey(new Uint8Array(32).fill(7));
		const m = toHex(bundleKeyFrom('master', masterKey));
		expect(m).not.toBe(toHex(masterKey));
		expect(toHex(bundleKeyFrom('prf', prf))).not.toBe(m);
	});

	it('derives a root key at the floor', () => {
		const r = deriveRootKey(passwordBytes('correct horse'), new Uint8Array(16).fill(1), KDF_MINIMUM);
		expect(r.length).toBe(32);
	});
});

describe('recovery keys (SPEC.md §4.2, §11)', () => {
	it('derive the auth key with context "stw-rcau" and the bundle key with "stw-bndr", distinct and deterministic', async () => {
		const { deriveRecoveryKeys } = await import('./kdf');
		const { kdfDerive } = await import('./sodium');
		const recovery = new Uint8Array(32).map((_, i) => i) as Parameters<typeof deriveRecoveryKeys>[0];
		const a = deriveRecoveryKeys(recovery);
		const b = deriveRecoveryKeys(recovery);
		expect(toHex(a.recoveryAuthKey)).toBe(toHex(b.recoveryAuthKey));
		expect(toHex(a.recoveryAuthKey)).toBe(toHex(kdfDerive(32, 1, 'stw-rcau', recovery)));
		expect(toHex(a.bundleKey)).toBe(toHex(bundleKeyFrom('recovery', recovery)));
		expect(toHex(a.recoveryAuthKey)).not.toBe(toHex(a.bundleKey));
		expect(() => deriveRecoveryKeys(new Uint8Array(31) as typeof recovery)).toThrow(CryptoError);
	});
});
