// Nobody can lock a victim out: an attacker hammering a victim's account from many addresses gets their
// own addresses blocked, while the victim signs in, steps up, recovers and re-authenticates from theirs.
// Run with the default limits (and one tight cap), on one database: the limits do not depend on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimits, DEFAULT_LIMITS } from '../../src/lib/server/api/rate-limit';
import { totpCode } from '../../src/lib/server/auth/totp';
import { testApi } from '../helpers/api';
import { b64, call, newAccount } from '../helpers/account-client';
import { databaseFactories, type TestDatabase } from '../helpers/databases';

const VICTIM_IP = '198.51.100.10';
const ATTACKER_IP = '203.0.113.66';
/** Many other addresses the attacker rents. */
const botnet = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `192.0.2.${from + i + 1}`);
const wrongKey = b64(new Uint8Array(32));

describe('lockout', () => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await databaseFactories[0]!.create();
	});
	afterAll(() => t.drop());

	/** The API with the shipped limits, not the tests' generous ones. */
	function realLimits(policies?: Parameters<typeof createRateLimits>[0]) {
		const api = testApi(t.db, { limits: createRateLimits(policies) });
		return { ...api, req: call(api.app) };
	}

	async function signUp(req: ReturnType<typeof call>) {
		const account = await newAccount();
		const res = await req('POST', '/api/auth/signup', { body: account.signupBody, ip: VICTIM_IP });
		expect(res.status).toBe(201);
		return { account, token: res.json.accessToken as string, right: account.signupBody.authKey as string };
	}

	it('login: the attacker blocks only their own addresses; the victim signs in from theirs', async () => {
		const { req } = realLimits();
		const { account, right } = await signUp(req);
		const bad = { email: account.email, authKey: wrongKey };

		// One address: ten tries, then that address waits an hour.
		for (let i = 0; i < 10; i++) {
			expect((await req('POST', '/api/auth/login', { body: bad, ip: ATTACKER_IP })).status).toBe(401);
		}
		const blocked = await req('POST', '/api/auth/login', { body: bad, ip: ATTACKER_IP });
		expect(blocked.status).toBe(429);
		expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(50 * 60);
		// Even the right password from the attacker's blocked address waits.
		const guessed = { email: account.email, authKey: right };
		expect((await req('POST', '/api/auth/login', { body: guessed, ip: ATTACKER_IP })).status).toBe(429);

		// Many addresses, two tries each: far past what used to lock the account for everyone.
		for (const ip of botnet(20)) {
			for (let i = 0; i < 2; i++) {
				expect((await req('POST', '/api/auth/login', { body: bad, ip })).status).toBe(401);
			}
		}
		const victim = await req('POST', '/api/auth/login', { body: guessed, ip: VICTIM_IP });
		expect(victim.status).toBe(200);
		expect(victim.json.accessToken).toBeTruthy();
	});

	it('prelogin: a flood of lookups for the victim from many addresses does not refuse the victim', async () => {
		const { req } = realLimits();
		const { account } = await signUp(req);
		const body = { email: account.email };
		for (const ip of botnet(25))
			expect((await req('POST', '/api/auth/prelogin', { body, ip })).status).toBe(200);
		for (let i = 0; i < 20; i++) await req('POST', '/api/auth/prelogin', { body, ip: ATTACKER_IP });
		expect((await req('POST', '/api/auth/prelogin', { body, ip: ATTACKER_IP })).status).toBe(429);
		expect((await req('POST', '/api/auth/prelogin', { body, ip: VICTIM_IP })).status).toBe(200);
	});

	it('second factor: an attacker who has the password cannot lock the victim out of the code step', async () => {
		const { req, clock } = realLimits();
		const { account, token, right } = await signUp(req);
		const reauth = { authKey: right };
		const setup = await req('POST', '/api/auth/totp/setup', { token, body: { reauth }, ip: VICTIM_IP });
		expect(setup.status).toBe(200);
		const secret = setup.json.secret as string;
		const enable = await req('POST', '/api/auth/totp/enable', {
			token,
			body: { reauth, code: totpCode(secret, clock.now) },
			ip: VICTIM_IP
		});
		expect(enable.status).toBe(200);
		clock.now += 60_000;

		const login = { email: account.email, authKey: right };
		const stolen = await req('POST', '/api/auth/login', { body: login, ip: ATTACKER_IP });
		const mfaToken = stolen.json.mfaToken as string;
		const code = totpCode(secret, clock.now);
		const wrong = code === '123456' ? '654321' : '123456';
		for (let i = 0; i < 5; i++) {
			const res = await req('POST', '/api/auth/login/totp', {
				body: { mfaToken, code: wrong },
				ip: ATTACKER_IP
			});
			expect(res.status).toBe(401);
		}
		expect(
			(await req('POST', '/api/auth/login/totp', { body: { mfaToken, code: wrong }, ip: ATTACKER_IP })).status
		).toBe(429);
		for (const ip of botnet(3)) {
			expect(
				(await req('POST', '/api/auth/login/totp', { body: { mfaToken, code: wrong }, ip })).status
			).toBe(401);
		}

		const first = await req('POST', '/api/auth/login', { body: login, ip: VICTIM_IP });
		const victim = await req('POST', '/api/auth/login/totp', {
			body: { mfaToken: first.json.mfaToken, code },
			ip: VICTIM_IP
		});
		expect(victim.status).toBe(200);
	});

	it('recovery: bad attempts from many addresses do not block the owner’s recovery', async () => {
		const { req } = realLimits();
		const { account } = await signUp(req);
		const bad = { email: account.email, recoveryAuthKey: wrongKey };
		for (let i = 0; i < 5; i++) {
			expect((await req('POST', '/api/auth/recovery', { body: bad, ip: ATTACKER_IP })).status).toBe(401);
		}
		const blocked = await req('POST', '/api/auth/recovery', { body: bad, ip: ATTACKER_IP });
		expect(blocked.status).toBe(429);
		for (const ip of botnet(6)) {
			expect((await req('POST', '/api/auth/recovery', { body: bad, ip })).status).toBe(401);
		}
		const owner = await req('POST', '/api/auth/recovery', {
			body: { email: account.email, recoveryAuthKey: b64(account.recoveryAuthKey) },
			ip: VICTIM_IP
		});
		expect(owner.status).toBe(200);
	});

	it('re-auth: a thief guessing the password with a stolen session cannot stop the owner signing out everywhere', async () => {
		const { req } = realLimits();
		const { token, right } = await signUp(req);
		const guess = { reauth: { authKey: wrongKey } };
		const path = '/api/auth/sessions/sign-out-everywhere';
		for (let i = 0; i < 10; i++) {
			expect((await req('POST', path, { token, body: guess, ip: ATTACKER_IP })).status).toBe(403);
		}
		expect((await req('POST', path, { token, body: guess, ip: ATTACKER_IP })).status).toBe(429);
		for (const ip of botnet(5))
			expect((await req('POST', path, { token, body: guess, ip })).status).toBe(403);
		const owner = await req('POST', path, { token, body: { reauth: { authKey: right } }, ip: VICTIM_IP });
		expect(owner.status).toBe(200);
	});

	it('the global per-account cap stops a distributed guesser, but not an address that signed in before', async () => {
		const { req } = realLimits({
			policies: {
				...DEFAULT_LIMITS,
				login: {
					ip: DEFAULT_LIMITS.login.ip,
					accountIp: { points: 3, duration: 60, blockDuration: 600 },
					account: { points: 10, duration: 3600 }
				}
			}
		});
		const { account, right } = await signUp(req);
		const good = { email: account.email, authKey: right };
		const bad = { email: account.email, authKey: wrongKey };
		const login = (body: typeof good, ip: string) => req('POST', '/api/auth/login', { body, ip });
		const home = VICTIM_IP;
		const phone = '198.51.100.11';
		expect((await login(good, home)).status).toBe(200);

		// A success clears that address's count: two misses, a hit, then three misses are all heard; the
		// fourth is the backoff.
		for (let i = 0; i < 2; i++) expect((await login(bad, phone)).status).toBe(401);
		expect((await login(good, phone)).status).toBe(200);
		for (let i = 0; i < 3; i++) expect((await login(bad, phone)).status).toBe(401);
		expect((await login(bad, phone)).status).toBe(429);

		// The attempts so far from addresses not yet known to the account: 4 of the 10. Two rented
		// addresses spend the rest; after that every new address waits, even with the right password.
		const [a, b, c, d] = botnet(4, 100);
		for (const ip of [a!, b!]) for (let i = 0; i < 3; i++) expect((await login(bad, ip)).status).toBe(401);
		const capped = await login(bad, c!);
		expect(capped.status).toBe(429);
		expect(Number(capped.headers.get('retry-after'))).toBeGreaterThan(50 * 60);
		expect((await login(good, d!)).status).toBe(429);

		// Home, where the victim has signed in before, does not count against the cap.
		expect((await login(good, home)).status).toBe(200);
	});
});
