// Cross-site request forgery: a page on another site (or a sibling subdomain, or a sandboxed frame)
// makes the victim's browser call the API. State-changing requests a browser marks as not same-origin
// are refused, and the refresh cookie is honoured only on requests that say where they came from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ORIGIN, testApi } from '../helpers/api';
import { call, newAccount } from '../helpers/account-client';
import { databaseFactories, type TestDatabase } from '../helpers/databases';

/** What a browser sends on a fetch from the app's own pages. */
const BROWSER = { origin: TEST_ORIGIN, 'sec-fetch-site': 'same-origin' };

const FOREIGN: Record<string, string>[] = [
	{ origin: 'https://evil.example' },
	{ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
	{ origin: 'null' },
	{ origin: 'http://localhost:4174' },
	{ origin: `${TEST_ORIGIN}.evil.example` },
	{ 'sec-fetch-site': 'cross-site' },
	{ 'sec-fetch-site': 'same-site' },
	{ 'sec-fetch-site': 'none' },
	// One header right and the other wrong is still refused.
	{ origin: TEST_ORIGIN, 'sec-fetch-site': 'cross-site' },
	{ origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' }
];

describe('same-origin checks', () => {
	let t: TestDatabase;
	let api: ReturnType<typeof testApi>;
	beforeAll(async () => {
		t = await databaseFactories[0]!.create();
		api = testApi(t.db);
	});
	afterAll(() => t.drop());

	const send = (...args: Parameters<ReturnType<typeof call>>) => call(api.app)(...args);

	async function signUp(headers: Record<string, string> = {}) {
		const account = await newAccount();
		const res = await send('POST', '/api/auth/signup', { body: account.signupBody, headers });
		expect(res.status).toBe(201);
		return { account, token: res.json.accessToken as string, refresh: res.refresh! };
	}

	it('refuses a state-changing request from another site with a 403 problem, before it does anything', async () => {
		const account = await newAccount();
		for (const headers of FOREIGN) {
			const res = await send('POST', '/api/auth/signup', { body: account.signupBody, headers });
			expect(res.status, JSON.stringify(headers)).toBe(403);
			expect(res.headers.get('content-type')).toBe('application/problem+json');
			expect(res.json).toMatchObject({ status: 403, code: 'cross_site_request' });
		}
		// None of the refused requests created the account.
		expect((await send('POST', '/api/auth/signup', { body: account.signupBody })).status).toBe(201);

		const { token } = await signUp();
		for (const [method, path] of [
			['POST', '/api/auth/sessions/sign-out-everywhere'],
			['DELETE', '/api/auth/passkeys/AAAA'],
			['PUT', '/api/auth/me'],
			['PATCH', '/api/auth/me']
		] as const) {
			const res = await send(method, path, { token, body: {}, headers: { origin: 'https://evil.example' } });
			expect(res.status, `${method} ${path}`).toBe(403);
		}
	});

	it('refuses a token refresh or sign-out that does not say where it came from', async () => {
		const { refresh } = await signUp();
		for (const method of ['POST', 'DELETE']) {
			const bare = await send(method, '/api/auth/token', { cookie: refresh });
			expect(bare.status, method).toBe(403);
			expect(bare.json.code).toBe('cross_site_request');
			const forged = await send(method, '/api/auth/token', { cookie: refresh, headers: FOREIGN[0] });
			expect(forged.status, method).toBe(403);
		}
		// The same route under an encoded path, and the cookie sent anywhere else, are refused too.
		expect((await send('POST', '/api/auth/%74oken', { cookie: refresh })).status).toBe(403);
		expect(
			(await send('POST', '/api/auth/prelogin', { cookie: refresh, body: { email: 'a@b.example' } })).status
		).toBe(403);

		// Nothing above used the cookie: the app's own page still refreshes with it, and signs out.
		const ok = await send('POST', '/api/auth/token', { cookie: refresh, headers: BROWSER });
		expect(ok.status).toBe(200);
		expect(ok.json.accessToken).toBeTruthy();
		const out = await send('DELETE', '/api/auth/token', { cookie: ok.refresh!, headers: BROWSER });
		expect(out.status).toBe(204);
		expect((await send('POST', '/api/auth/token', { cookie: ok.refresh!, headers: BROWSER })).status).toBe(
			401
		);
	});

	it('lets the app’s own pages through, with either header or both', async () => {
		const { account, refresh } = await signUp(BROWSER);
		const body = { email: account.email };
		const partial: Record<string, string>[] = [
			BROWSER,
			{ origin: TEST_ORIGIN },
			{ 'sec-fetch-site': 'same-origin' }
		];
		for (const headers of partial) {
			expect((await send('POST', '/api/auth/prelogin', { body, headers })).status).toBe(200);
		}
		expect(
			(await send('POST', '/api/auth/token', { cookie: refresh, headers: { origin: TEST_ORIGIN } })).status
		).toBe(200);
	});

	it('lets Node clients, which send neither header, use every route but the refresh cookie’s', async () => {
		const { account, token } = await signUp();
		expect((await send('POST', '/api/auth/prelogin', { body: { email: account.email } })).status).toBe(200);
		const login = await send('POST', '/api/auth/login', {
			body: { email: account.email, authKey: account.signupBody.authKey }
		});
		expect(login.status).toBe(200);
		const everywhere = await send('POST', '/api/auth/sessions/sign-out-everywhere', {
			token,
			body: { reauth: { authKey: account.signupBody.authKey } }
		});
		expect(everywhere.status).toBe(200);
	});

	it('does not check safe methods: reads carry no state change', async () => {
		const { token } = await signUp();
		const me = await send('GET', '/api/auth/me', { token, headers: { origin: 'https://evil.example' } });
		expect(me.status).toBe(200);
		expect((await send('GET', '/api/health', { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(
			200
		);
	});
});
