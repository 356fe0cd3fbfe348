// A step token whose account is gone is an expired step (401), not a 500 (found by the route fuzzer).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApi } from '../helpers/api';
import { b64, call, newAccount, newKdf } from '../helpers/account-client';
import { databaseFactories, type TestDatabase } from '../helpers/databases';

describe.each(databaseFactories)('step tokens of a deleted account on $kind', (factory) => {
	let t: TestDatabase;
	let api: ReturnType<typeof testApi>;
	let req: ReturnType<typeof call>;

	beforeAll(async () => {
		t = await factory.create();
		api = testApi(t.db);
		req = call(api.app);
	});
	afterAll(() => t.drop());

	it('answers 401 invalid_token at every step, and writes nothing', async () => {
		const account = await newAccount();
		expect((await req('POST', '/api/auth/signup', { body: account.signupBody })).status).toBe(201);
		const sub = account.userId;
		const [mfa, recovery, cleanup] = await Promise.all([
			api.deps.tokens.sign('mfa', { sub }),
			api.deps.tokens.sign('recovery', { sub }),
			api.deps.tokens.sign('cleanup', { sub, passkeys: [], totp: true })
		]);
		await t.driver.transaction((tx) => tx.query('delete from app.users where id = $1', [sub]));

		const steps = [
			req('POST', '/api/auth/login/totp', { body: { mfaToken: mfa, code: '123456' } }),
			req('POST', '/api/auth/recovery/complete', {
				body: {
					recoveryToken: recovery,
					kdf: newKdf(),
					authKey: b64(new Uint8Array(randomBytes(32))),
					masterBundle: b64(new Uint8Array(randomBytes(64)))
				}
			}),
			req('POST', '/api/auth/security/cleanup', { body: { cleanupToken: cleanup, passkeys: [], totp: true } })
		];
		for (const res of await Promise.all(steps)) {
			expect(res.status).toBe(401);
			expect(res.json.code).toBe('invalid_token');
		}
		const [left] = await t.driver.transaction((tx) =>
			tx.query<{ n: number }>(
				`select (select count(*) from app.security_events where user_id = $1)::int
				      + (select count(*) from app.sessions where user_id = $1)::int as n`,
				[sub]
			)
		);
		expect(left!.n).toBe(0);
	});
});
