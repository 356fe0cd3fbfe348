// `npm start` derives the demo account's sign-up body at first start (scripts/demo-account.mjs), from
// prelogin's server salt, which depends on the install's server secret: no salt or key is committed. This
// test signs it up against a test API, as start.mjs does, and proves the published password and recovery
// key open it, so a crypto or API change cannot silently break the demo.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as core from '../../crypto/index';
import { accountOperations } from '../../src/lib/vault/account-ops';
import { demoSignupBody } from '../../scripts/demo-account.mjs';
import { testApi } from '../helpers/api';
import { call } from '../helpers/account-client';
import { databaseFactories, type TestDatabase } from '../helpers/databases';

const FILE = 'scripts/demo-account.json';
type Demo = { email: string; password: string; recoveryKey: string; userId: string };
type Kdf = { alg: 'argon2id13'; salt: string; opsLimit: number; memLimitBytes: number };

await core.ready();
const demo = JSON.parse(readFileSync(FILE, 'utf8')) as Demo;

describe('the demo account', () => {
	it('commits no salt or key: only the published email, password, recovery key and user id', () => {
		expect(Object.keys(demo).sort()).toEqual(['email', 'password', 'recoveryKey', 'userId']);
	});
});

describe.each(databaseFactories.slice(0, 1))('the demo account on $kind', (factory) => {
	let t: TestDatabase;
	let req: ReturnType<typeof call>;
	beforeAll(async () => {
		t = await factory.create();
		req = call(testApi(t.db).app);
	});
	afterAll(() => t.drop());

	it('is derived from prelogin’s salt, signs up, and opens with its published password and recovery key', async () => {
		const pre = await req('POST', '/api/auth/prelogin', { body: { email: demo.email } });
		const kdf = pre.json.kdf as Kdf;
		expect(kdf).toMatchObject({
			opsLimit: core.KDF_DEFAULTS.opsLimit,
			memLimitBytes: core.KDF_DEFAULTS.memLimitBytes
		});
		const body = demoSignupBody(core, demo, kdf);
		expect(body.kdf.salt).toBe(kdf.salt);
		expect((await req('POST', '/api/auth/signup', { body })).status).toBe(201);
		// A second start finds it (409), as start.mjs expects.
		expect((await req('POST', '/api/auth/signup', { body: demoSignupBody(core, demo, kdf) })).status).toBe(
			409
		);

		// The browser's path: prelogin, derive, log in, open the bundle.
		const vault = accountOperations();
		const again = (await req('POST', '/api/auth/prelogin', { body: { email: demo.email } })).json.kdf as Kdf;
		expect(again).toEqual(body.kdf);
		const { authKey } = vault.deriveForLogin(demo.password, demo.email, again);
		const login = await req('POST', '/api/auth/login', { body: { email: demo.email, authKey } });
		expect(login.status).toBe(200);
		const account = (login.json as { account: { masterBundle: string } }).account;
		expect(vault.openWithMaster(demo.userId, account.masterBundle).unlocked).toBe(true);
		expect(vault.beginRecovery(demo.recoveryKey).recoveryAuthKey).toBe(body.recoveryAuthKey);
		vault.lock();
		expect(vault.openWithRecovery(demo.userId, demo.recoveryKey, body.recoveryBundle).unlocked).toBe(true);
	});
});
