// Rate limits on every credential endpoint, per client IP and per account, with backoff: an account
// that exhausts its attempts is blocked for a while. In memory by default; in Redis when REDIS_URL is
// set, so that several API processes share the counts.
import type { Redis } from 'ioredis';
import {
	RateLimiterMemory,
	RateLimiterRedis,
	RateLimiterRes,
	type RateLimiterAbstract
} from 'rate-limiter-flexible';
import { ApiError } from './problem';

export type LimitName = 'prelogin' | 'login' | 'signup' | 'totp' | 'recovery' | 'passkey';
export type LimitPolicy = { points: number; duration: number; blockDuration?: number };
export type LimitPolicies = Record<LimitName, { ip: LimitPolicy; account?: LimitPolicy }>;

const MINUTE = 60;

export const DEFAULT_LIMITS: LimitPolicies = {
	prelogin: { ip: { points: 60, duration: MINUTE }, account: { points: 20, duration: MINUTE } },
	login: {
		ip: { points: 30, duration: MINUTE },
		account: { points: 10, duration: 15 * MINUTE, blockDuration: 15 * MINUTE }
	},
	signup: { ip: { points: 20, duration: 60 * MINUTE } },
	totp: {
		ip: { points: 30, duration: MINUTE },
		account: { points: 5, duration: 5 * MINUTE, blockDuration: 15 * MINUTE }
	},
	recovery: {
		ip: { points: 10, duration: 60 * MINUTE },
		account: { points: 5, duration: 60 * MINUTE, blockDuration: 60 * MINUTE }
	},
	passkey: { ip: { points: 30, duration: MINUTE } }
};

export type RateLimits = {
	/** Counts one attempt; throws a 429 problem with Retry-After when a limit is reached. */
	hit(name: LimitName, keys: { ip: string | undefined; account?: string }): Promise<void>;
	/** Forgets an account's attempts after a success, so a person who got in is not penalised. */
	clear(name: LimitName, account: string): Promise<void>;
};

export function createRateLimits(options: { redis?: Redis; policies?: LimitPolicies } = {}): RateLimits {
	const policies = options.policies ?? DEFAULT_LIMITS;
	const make = (keyPrefix: string, policy: LimitPolicy): RateLimiterAbstract => {
		const memory = new RateLimiterMemory({ keyPrefix, ...policy });
		return options.redis
			? new RateLimiterRedis({
					storeClient: options.redis,
					keyPrefix: `stowage:rl:${keyPrefix}`,
					insuranceLimiter: memory,
					...policy
				})
			: memory;
	};
	const limiters = Object.fromEntries(
		Object.entries(policies).map(([name, p]) => [
			name,
			{ ip: make(`${name}:ip`, p.ip), account: p.account ? make(`${name}:account`, p.account) : undefined }
		])
	) as Record<LimitName, { ip: RateLimiterAbstract; account: RateLimiterAbstract | undefined }>;

	return {
		async hit(name, keys) {
			const { ip, account } = limiters[name];
			try {
				await ip.consume(keys.ip ?? 'unknown');
				if (account && keys.account) await account.consume(keys.account);
			} catch (rejection) {
				if (!(rejection instanceof RateLimiterRes)) throw rejection;
				const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
				throw new ApiError(
					429,
					'rate_limited',
					'Too many attempts',
					`Too many attempts. Try again in ${seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`}.`,
					{ headers: { 'Retry-After': String(seconds) } }
				);
			}
		},
		async clear(name, account) {
			await limiters[name].account?.delete(account);
		}
	};
}
