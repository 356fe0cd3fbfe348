// POST /auth/signup/check: the sign-up page asks it before deriving keys and showing a recovery kit, so a
// taken email is refused before the kit. It answers as sign-up does (same normalisation, same 409), and
// is rate-limited under sign-up's policy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimits } from '../../src/lib/server/api/rate-limit';
import { TEST_ORIGIN, testApi } from '../helpers/api';
import { call, newAccount } from '../helpers/account-client';
import { databaseFactories, type TestDatabase } from '../helpers/databases';

/** What a browser sends with a same-origin fetch, as the sign-up page does. */
const browser = { origin: TEST_ORIGIN, 'sec-fetch-site': 'same-origin' };

describe.each(databaseFactories)('sign-up check on $kind', (factory) => {
	let t: TestDatabase;
	let req: ReturnType<typeof call>;

	beforeAll(async () => {
		t = await factory.create();
		req = call(testApi(t.db).app);
	});
	afterAll(() => t.drop());

	const check = (email: unknown, headers: Record<string, string> = browser) =>
		req('POST', '/api/auth/signup/check', { body: { email }, headers });

	it('answers 204 for a free email and 409 account_exists once it has an account', async () => {
		const account = await newAccount();
		const free = await check(account.email);
		expect(free.status).toBe(204);
		expect(free.json).toEqual({});

		expect((await req('POST', '/api/auth/signup', { body: account.signupBody })).status).toBe(201);
		const taken = await check(account.email);
		expect(taken.status).toBe(409);
		expect(taken.headers.get('content-type')).toBe('application/problem+json');
		expect(taken.json).toMatchObject({ status: 409, code: 'account_exists' });
		expect(taken.json.detail).toMatch(/already exists/);
	});

	it('normalises the email as sign-up does: case and surrounding whitespace do not hide an account', async () => {
		const account = await newAccount();
		expect((await req('POST', '/api/auth/signup', { body: account.signupBody })).status).toBe(201);
		expect((await check(` \t${account.email.toUpperCase()}\n`)).status).toBe(409);
	});

	it('gives the same answer as sign-up for the same email', async () => {
		const account = await newAccount();
		expect((await req('POST', '/api/auth/signup', { body: account.signupBody })).status).toBe(201);
		const again = await req('POST', '/api/auth/signup', {
			body: { ...(await newAccount(account.email)).signupBody }
		});
		const checked = await check(account.email);
		expect(checked.status).toBe(again.status);
		expect(checked.json.code).toBe(again.json.code);
		expect(checked.json.detail).toBe(again.json.detail);
	});

	it('refuses what is not an email with a 400 validation problem, and creates nothing', async () => {
		for (const email of ['', 'not-an-email', 'a@b', `${'a'.repeat(250)}@example.com`, 'ü@example.com', 42]) {
			const res = await check(email);
			expect(res.status, String(email)).toBe(400);
			expect(res.json.code).toBe('validation_failed');
		}
		const extra = await req('POST', '/api/auth/signup/check', { body: {} });
		expect(extra.status).toBe(400);
		const [row] = await t.driver.transaction((tx) =>
			tx.query<{ n: number | string }>(
				"select count(*) as n from app.users where email = 'not-an-email' or email = 'a@b'"
			)
		);
		expect(Number(row!.n)).toBe(0);
	});

	it('is refused from another site, like every state-changing request', async () => {
		const res = await check('someone@example.com', {
			origin: 'https://evil.example',
			'sec-fetch-site': 'cross-site'
		});
		expect(res.status).toBe(403);
		expect(res.json.code).toBe('cross_site_request');
	});
});

describe('sign-up check rate limit', () => {
	let t: TestDatabase;
	afterAll(() => t?.drop());

	it("counts under sign-up's policy per IP, with a 429 and Retry-After, on counters apart from sign-up's", async () => {
		t = await databaseFactories[0]!.create();
		const { app } = testApi(t.db, {
			limits: createRateLimits({ policies: { signup: { ip: { points: 3, duration: 3600 } } } })
		});
		const req = call(app);
		const ip = '198.51.100.4';
		for (let i = 0; i < 3; i++) {
			const res = await req('POST', '/api/auth/signup/check', { body: { email: `c${i}@example.com` }, ip });
			expect(res.status).toBe(204);
		}
		const limited = await req('POST', '/api/auth/signup/check', { body: { email: 'c9@example.com' }, ip });
		expect(limited.status).toBe(429);
		expect(limited.json.code).toBe('rate_limited');
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

		// Another address is not affected, and the checks did not spend this address's sign-ups.
		expect(
			(await req('POST', '/api/auth/signup/check', { body: { email: 'c9@example.com' }, ip: '198.51.100.5' }))
				.status
		).toBe(204);
		const account = await newAccount();
		expect((await req('POST', '/api/auth/signup', { body: account.signupBody, ip })).status).toBe(201);
	});
});
