// crypto/SPEC.md §4.1: a login whose stored parameters are below the current defaults re-derives with
// the defaults and re-wraps the bundle through the password-change API (src/lib/account/kdf-upgrade.ts),
// as the sign-in page does after a login; the server refuses parameters below the floor.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KDF_DEFAULTS, KDF_MINIMUM, ready } from '../../crypto/index';
import { belowDefaults, upgradeKdf } from '../../src/lib/account/kdf-upgrade';
import { accountOperations, type KdfJson } from '../../src/lib/vault/account-ops';
import { testApi } from '../helpers/api';
import { call } from '../helpers/account-client';
import { databaseFactories, type TestDatabase } from '../helpers/databases';

await ready();

describe.each(databaseFactories)('KDF upgrade on $kind', (factory) => {
	let t: TestDatabase;
	let req: ReturnType<typeof call>;
	beforeAll(async () => {
		t = await factory.create();
		req = call(testApi(t.db).app);
	});
	afterAll(() => t.drop());

	const prelogin = async (email: string) =>
		(await req('POST', '/api/auth/prelogin', { body: { email } })).json.kdf as KdfJson;

	it('a login below the defaults re-derives at the defaults and re-wraps; the next login uses them', async () => {
		const email = `up-${randomUUID().slice(0, 8)}@example.com`;
		const password = 'a long enough passphrase';
		const userId = randomUUID();
		const vault = accountOperations();
		const { kdf: serverKdf } = { kdf: await prelogin(email) };
		const { signup } = vault.createAccount({
			userId,
			email,
			password,
			serverSalt: serverKdf.salt,
			params: KDF_MINIMUM
		});
		expect((await req('POST', '/api/auth/signup', { body: signup })).status).toBe(201);
		vault.lock();

		// Log in as the sign-in page does.
		const kdf = await prelogin(email);
		expect(belowDefaults(kdf)).toBe(true);
		const { authKey } = vault.deriveForLogin(password, email, kdf);
		const login = await req('POST', '/api/auth/login', { body: { email, authKey } });
		expect(login.status).toBe(200);
		const token = login.json.accessToken as string;
		const account = login.json.account as { masterBundle: string };
		const fingerprint = vault.openWithMaster(userId, account.masterBundle).fingerprint;

		const upgraded = await upgradeKdf({
			password,
			email,
			kdf,
			authKey,
			seal: (pw, em, salt, params) => vault.newPassword(pw, em, salt, params),
			send: async (json) => {
				const res = await req('POST', '/api/auth/password', { token, body: json });
				if (res.status !== 200) throw new Error(`password change: ${res.status}`);
			}
		});
		expect(upgraded).toMatchObject({
			opsLimit: KDF_DEFAULTS.opsLimit,
			memLimitBytes: KDF_DEFAULTS.memLimitBytes
		});

		// Prelogin now answers the defaults with the same server salt; the same password signs in and opens.
		const after = await prelogin(email);
		expect(after).toEqual({
			...kdf,
			opsLimit: KDF_DEFAULTS.opsLimit,
			memLimitBytes: KDF_DEFAULTS.memLimitBytes
		});
		expect(belowDefaults(after)).toBe(false);
		vault.lock();
		const again = vault.deriveForLogin(password, email, after);
		const second = await req('POST', '/api/auth/login', { body: { email, authKey: again.authKey } });
		expect(second.status).toBe(200);
		expect(
			vault.openWithMaster(userId, (second.json.account as { masterBundle: string }).masterBundle).fingerprint
		).toBe(fingerprint);
		// The old parameters' key no longer signs in.
		expect((await req('POST', '/api/auth/login', { body: { email, authKey } })).status).toBe(401);
		// At the defaults there is nothing to do.
		expect(
			await upgradeKdf({
				password,
				email,
				kdf: after,
				authKey: again.authKey,
				seal: () => {
					throw new Error('must not derive');
				},
				send: () => Promise.reject(new Error('must not send'))
			})
		).toBeNull();
	});

	it('the server refuses parameters below the floor (t=3, m=64 MiB)', async () => {
		const email = `low-${randomUUID().slice(0, 8)}@example.com`;
		const { signup } = accountOperations().createAccount({
			userId: randomUUID(),
			email,
			password: 'a long enough passphrase',
			serverSalt: (await prelogin(email)).salt,
			params: KDF_MINIMUM
		});
		for (const kdf of [
			{ ...signup.kdf, opsLimit: 2 },
			{ ...signup.kdf, memLimitBytes: 64 * 1024 * 1024 - 1024 }
		]) {
			const res = await req('POST', '/api/auth/signup', { body: { ...signup, kdf } });
			expect(res.status).toBe(400);
		}
	});
});
