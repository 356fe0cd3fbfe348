// With REDIS_URL, rate limits are shared: two API processes (two limiter instances) count together,
// and what Redis holds names accounts only by an HMAC under a server key, never by email.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRateLimits, type LimitPolicies } from '../../src/lib/server/api/rate-limit';
import { ApiError } from '../../src/lib/server/api/problem';
import { createTokens } from '../../src/lib/server/auth/tokens';
import { deriveServerKeys } from '../../src/lib/server/secrets';
import { testApi } from '../helpers/api';
import { b64, call } from '../helpers/account-client';
import { databaseFactories } from '../helpers/databases';

const redisUrl = process.env.REDIS_URL;

describe('rate-limit store', () => {
	it('is Redis in CI', () => {
		if (process.env.CI)
			expect(redisUrl, 'CI must set REDIS_URL so the shared limiter is tested').toBeTruthy();
	});
});

describe.skipIf(!redisUrl)('rate limits in Redis', () => {
	const redis = new Redis(redisUrl ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
	afterAll(() => redis.disconnect());

	it('are shared between API processes and answer 429 with Retry-After', async () => {
		const policy = { ip: { points: 3, duration: 60 }, account: { points: 100, duration: 60 } };
		const policies = Object.fromEntries(
			['prelogin', 'login', 'signup', 'totp', 'recovery', 'passkey'].map((n) => [n, policy])
		) as LimitPolicies;
		const accountKey = new Uint8Array(randomBytes(32));
		const first = createRateLimits({ redis, policies, accountKey });
		const second = createRateLimits({ redis, policies, accountKey });
		const ip = `test-${randomUUID()}`;
		await first.hit('login', { ip });
		await second.hit('login', { ip });
		await first.hit('login', { ip });
		const error = await second.hit('login', { ip }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ApiError);
		expect((error as ApiError).status).toBe(429);
		expect(Number((error as ApiError).extra.headers?.['Retry-After'])).toBeGreaterThan(0);
		expect(await redis.exists(`stowage:rl:login:ip:${ip}`)).toBe(1);
	});

	it('hold an HMAC of the email under a server key, never the email', async () => {
		const t = await databaseFactories[0]!.create();
		try {
			const keys = deriveServerKeys(new Uint8Array(randomBytes(32)));
			const { app } = testApi(t.db, {
				keys,
				tokens: createTokens(keys.jwt),
				limits: createRateLimits({ redis, accountKey: keys.rateLimit })
			});
			const req = call(app);
			const local = `victim-${randomUUID().slice(0, 8)}`;
			const email = `${local}@example.com`;
			const ip = `2001:db8::${randomBytes(4).toString('hex')}`;
			expect((await req('POST', '/api/auth/prelogin', { body: { email }, ip })).status).toBe(200);
			const login = { email: email.toUpperCase(), authKey: b64(new Uint8Array(32)) };
			expect((await req('POST', '/api/auth/login', { body: login, ip })).status).toBe(401);

			const stored: string[] = [];
			for await (const batch of redis.scanStream({ match: 'stowage:rl:*', count: 1000 })) {
				stored.push(...(batch as string[]));
			}
			const values = await Promise.all(stored.map((k) => redis.get(k).catch(() => '')));
			for (const text of [...stored, ...values].map((s) => (s ?? '').toLowerCase())) {
				expect(text).not.toContain(local);
				expect(text).not.toContain(encodeURIComponent(email));
			}

			// The keys for this attempt: the email normalised, then HMAC-SHA256 under the rate-limit key.
			const mac = createHmac('sha256', keys.rateLimit).update(email).digest('base64url');
			expect(stored.filter((k) => k.includes(ip)).sort()).toEqual(
				[
					`stowage:rl:login:account-ip:${mac}:${ip}`,
					`stowage:rl:login:ip:${ip}`,
					`stowage:rl:prelogin:account-ip:${mac}:${ip}`,
					`stowage:rl:prelogin:ip:${ip}`
				].sort()
			);
			expect(stored).toContain(`stowage:rl:login:account:${mac}`);
			// A key of its own: not the prelogin salt key, which the server's answers are derived from.
			expect(Buffer.from(keys.rateLimit).equals(Buffer.from(keys.prelogin))).toBe(false);
		} finally {
			await t.drop();
		}
	});
});
