// With REDIS_URL, rate limits are shared: two API processes (two limiter instances) count together.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRateLimits, type LimitPolicies } from '../../src/lib/server/api/rate-limit';
import { ApiError } from '../../src/lib/server/api/problem';

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
		const first = createRateLimits({ redis, policies });
		const second = createRateLimits({ redis, policies });
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
});
