// Sessions end on the server: past either lifetime, refresh and access are refused, revoked and logged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionLifetime } from '../../src/lib/server/db/sessions';
import { testApi, TEST_ORIGIN } from '../helpers/api';
import { call, newAccount } from '../helpers/account-client';
import { databaseFactories, type TestDatabase } from '../helpers/databases';

const DAY = 86_400;

describe.each(databaseFactories)('session lifetime on $kind', (factory) => {
	let t: TestDatabase;

	beforeAll(async () => {
		t = await factory.create();
	});
	afterAll(() => t.drop());

	async function signUp(req: ReturnType<typeof call>) {
		const account = await newAccount();
		const res = await req('POST', '/api/auth/signup', { body: account.signupBody });
		expect(res.status).toBe(201);
		const [session] = await t.driver.transaction((tx) =>
			tx.query<{ id: string }>('select id from app.sessions where user_id = $1', [account.userId])
		);
		return {
			userId: account.userId,
			sessionId: session!.id,
			token: res.json.accessToken as string,
			refresh: res.refresh!,
			setCookie: res.setCookie
		};
	}

	/** Ages a session in the database, as the owner: created and last used that many days ago. */
	async function age(sessionId: string, days: { created: number; lastUsed: number }) {
		await t.driver.transaction((tx) =>
			tx.query(
				`update app.sessions set created_at = now() - $2::float8 * interval '1 day',
				        last_used_at = now() - $3::float8 * interval '1 day' where id = $1`,
				[sessionId, days.created, days.lastUsed]
			)
		);
	}

	async function sessionRow(sessionId: string) {
		const [row] = await t.driver.transaction((tx) =>
			tx.query<{ revoked: boolean; revoked_reason: string | null }>(
				'select revoked_at is not null as revoked, revoked_reason from app.sessions where id = $1',
				[sessionId]
			)
		);
		return row!;
	}

	async function expiryEvents(userId: string) {
		return t.driver.transaction((tx) =>
			tx.query<{ reason: string }>(
				`select detail->>'reason' as reason from app.security_events
				  where user_id = $1 and kind = 'session_expired'`,
				[userId]
			)
		);
	}

	const maxAgeOf = (setCookie: string) => Number(/Max-Age=(\d+)/.exec(setCookie)?.[1]);

	/** `call()`, and a refresh sent as the browser sends it (same origin: the token route requires it). */
	function api(sessionLifetime?: SessionLifetime) {
		const { app } = testApi(t.db, sessionLifetime ? { sessionLifetime } : {});
		const req = call(app);
		const refresh = async (cookie: string) => {
			const res = await app.request(
				'/api/auth/token',
				{ method: 'POST', headers: { cookie, origin: TEST_ORIGIN, 'sec-fetch-site': 'same-origin' } },
				{ clientAddress: '203.0.113.7' }
			);
			return {
				status: res.status,
				json: (await res.json()) as Record<string, unknown>,
				headers: res.headers,
				setCookie: res.headers.get('set-cookie') ?? ''
			};
		};
		return Object.assign(req, { refresh });
	}

	it('a fresh session refreshes, and its cookie lasts the idle lifetime (30 days by default)', async () => {
		const req = api();
		const s = await signUp(req);
		expect(maxAgeOf(s.setCookie)).toBe(30 * DAY);
		const res = await req.refresh(s.refresh);
		expect(res.status).toBe(200);
		expect(maxAgeOf(res.setCookie)).toBe(30 * DAY);
		expect((await req('GET', '/api/auth/me', { token: res.json.accessToken as string })).status).toBe(200);
	});

	it('a session created 400 days ago no longer refreshes: revoked as expired, and logged', async () => {
		const req = api();
		const s = await signUp(req);
		await age(s.sessionId, { created: 400, lastUsed: 0.01 });
		const res = await req.refresh(s.refresh);
		expect(res.status).toBe(401);
		expect(res.json.code).toBe('session_expired');
		expect(res.headers.get('content-type')).toBe('application/problem+json');
		expect(res.setCookie).toMatch(/__Secure-stowage_refresh=;.*Max-Age=0/);
		expect(await sessionRow(s.sessionId)).toEqual({ revoked: true, revoked_reason: 'expired_absolute' });
		expect(await expiryEvents(s.userId)).toEqual([{ reason: 'absolute' }]);
		// Revoked: the next try is refused too, without a second log entry.
		expect((await req.refresh(s.refresh)).status).toBe(401);
		expect(await expiryEvents(s.userId)).toHaveLength(1);
	});

	it('a session idle past the idle lifetime no longer refreshes', async () => {
		const req = api();
		const s = await signUp(req);
		await age(s.sessionId, { created: 31, lastUsed: 30.01 });
		const res = await req.refresh(s.refresh);
		expect(res.status).toBe(401);
		expect(res.json.code).toBe('session_expired');
		expect(await sessionRow(s.sessionId)).toEqual({ revoked: true, revoked_reason: 'expired_idle' });
		expect(await expiryEvents(s.userId)).toEqual([{ reason: 'idle' }]);
	});

	it('a session used within both lifetimes refreshes; its cookie ends with the session', async () => {
		const req = api();
		const s = await signUp(req);
		await age(s.sessionId, { created: 80, lastUsed: 29 });
		const res = await req.refresh(s.refresh);
		expect(res.status).toBe(200);
		// 10 days remain of the absolute 90: the browser need not keep the cookie longer.
		expect(maxAgeOf(res.setCookie)).toBeLessThanOrEqual(10 * DAY);
		expect(maxAgeOf(res.setCookie)).toBeGreaterThan(10 * DAY - 60);
		expect(await sessionRow(s.sessionId)).toEqual({ revoked: false, revoked_reason: null });
	});

	it('an access token is refused once its session passes the absolute lifetime (logged once)', async () => {
		const req = api();
		const s = await signUp(req);
		expect((await req('GET', '/api/auth/me', { token: s.token })).status).toBe(200);
		await age(s.sessionId, { created: 90.01, lastUsed: 0 });
		const [a, b] = await Promise.all([
			req('GET', '/api/auth/me', { token: s.token }),
			req('GET', '/api/auth/sessions', { token: s.token })
		]);
		for (const res of [a, b]) {
			expect(res.status).toBe(401);
			expect(res.json.code).toBe('session_expired');
			expect(res.headers.get('www-authenticate')).toBe('Bearer');
		}
		expect(await sessionRow(s.sessionId)).toEqual({ revoked: true, revoked_reason: 'expired_absolute' });
		expect(await expiryEvents(s.userId)).toHaveLength(1);
	});

	it('takes the configured lifetimes: shorter ones end sessions the defaults would keep, and longer ones keep them', async () => {
		const short = api({ idleDays: 2, maxDays: 5 });
		const idle = await signUp(short);
		expect(maxAgeOf(idle.setCookie)).toBe(2 * DAY);
		await age(idle.sessionId, { created: 3, lastUsed: 2.01 });
		expect((await short.refresh(idle.refresh)).status).toBe(401);
		expect(await sessionRow(idle.sessionId)).toMatchObject({ revoked_reason: 'expired_idle' });

		const old = await signUp(short);
		await age(old.sessionId, { created: 5.01, lastUsed: 1 });
		expect((await short.refresh(old.refresh)).status).toBe(401);
		expect(await sessionRow(old.sessionId)).toMatchObject({ revoked_reason: 'expired_absolute' });

		const kept = await signUp(short);
		await age(kept.sessionId, { created: 4, lastUsed: 1.9 });
		const fine = await short.refresh(kept.refresh);
		expect(fine.status).toBe(200);
		// One day of the absolute five remains.
		expect(maxAgeOf(fine.setCookie)).toBeLessThanOrEqual(DAY);

		const long = api({ idleDays: 60, maxDays: 500 });
		const veteran = await signUp(long);
		await age(veteran.sessionId, { created: 400, lastUsed: 45 });
		expect((await long.refresh(veteran.refresh)).status).toBe(200);
	});
});
