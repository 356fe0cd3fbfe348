// Rate limits on every credential endpoint, shaped so that nobody can lock a victim out: attempts are
// counted per client IP and per (account, IP), and the backoff lands on the address that makes them;
// across addresses there is only a slow, high cap per account, which an address that has signed in to
// the account before does not count against. In memory by default; in Redis when REDIS_URL is set, so
// that several API processes share the counts. Accounts appear in keys only as an HMAC.
import { createHmac, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
	RateLimiterMemory,
	RateLimiterRedis,
	RateLimiterRes,
	type RateLimiterAbstract
} from 'rate-limiter-flexible';
import { ApiError } from './problem';

export type LimitName =
	| 'prelogin'
	| 'login'
	| 'signup'
	| 'totp'
	| 'recovery'
	| 'reauth'
	| 'passkey'
	| 'cspReport'
	| 'orgCreate'
	| 'writes';
export type LimitPolicy = { points: number; duration: number; blockDuration?: number };
export type LimitPolicySet = {
	/** Per client IP, across accounts. */
	ip: LimitPolicy;
	/** Per (account, IP): the backoff for guessing one account, on the guesser's address only. */
	accountIp?: LimitPolicy;
	/** Per account, across addresses: the cap on a distributed guesser. Addresses known to the account skip it. */
	account?: LimitPolicy;
	/** One counter for every caller (an endpoint whose cost is not per account, such as CSP reports). */
	global?: LimitPolicy;
};
export type LimitPolicies = Record<LimitName, LimitPolicySet>;

const MINUTE = 60;
const HOUR = 60 * MINUTE;
/**
 * How long an address that signed in to an account stays exempt from that account's global cap. Under
 * 24.8 days: the in-memory store expires keys with setTimeout, which fires at once past 2^31 ms.
 */
const KNOWN_ADDRESS_SECONDS = 14 * 24 * HOUR;

// The numbers, and why (SECURITY.md states them too):
// - Per (account, IP) is where the backoff is: a person who mistypes gets 10 tries (5 for a 6-digit
//   code), then that address waits; nobody else does.
// - The per-account cap only bounds a distributed guesser, so it is far above anything a person does:
//   300 password guesses an hour is ~2.6 M a year, decades against what the pages accept (zxcvbn score
//   3: an estimated 10^8 guesses or more), while an attacker needs 30–40 fresh addresses every hour to
//   hold it (each is blocked for an hour after 10). Reaching it locks out new addresses only: one
//   that has signed in to the account in the last 14 days skips the cap.
// - A TOTP code is 1 in ~333,000 per guess (three accepted steps), and reaching the code step already
//   takes the password (or the recovery key), so its cap is low: 10 an hour, ~0.07 % a day.
// - Prelogin checks no secret (unknown emails get stable fake parameters), so it has no per-account
//   cap: one would only be a lever for locking people out.
// - The recovery key is 256 bits, so recovery is limited for the Argon2id work and the code it may ask for.
export const DEFAULT_LIMITS: LimitPolicies = {
	prelogin: {
		ip: { points: 60, duration: MINUTE },
		accountIp: { points: 20, duration: MINUTE }
	},
	login: {
		ip: { points: 30, duration: MINUTE },
		accountIp: { points: 10, duration: 15 * MINUTE, blockDuration: HOUR },
		account: { points: 300, duration: HOUR }
	},
	signup: { ip: { points: 20, duration: HOUR } },
	totp: {
		ip: { points: 30, duration: MINUTE },
		accountIp: { points: 5, duration: 5 * MINUTE, blockDuration: 15 * MINUTE },
		account: { points: 10, duration: HOUR }
	},
	recovery: {
		ip: { points: 10, duration: HOUR },
		accountIp: { points: 5, duration: HOUR, blockDuration: HOUR },
		account: { points: 30, duration: HOUR }
	},
	// A re-authentication needs a live session first; a thief guessing the password through it is capped
	// like a login, and cannot lock the owner out of "sign out everywhere".
	reauth: {
		ip: { points: 30, duration: MINUTE },
		accountIp: { points: 10, duration: 15 * MINUTE, blockDuration: HOUR },
		account: { points: 100, duration: HOUR }
	},
	// Keyed by credential id: an assertion cannot be guessed, so this bounds the verification work.
	passkey: {
		ip: { points: 30, duration: MINUTE },
		accountIp: { points: 10, duration: 15 * MINUTE, blockDuration: 15 * MINUTE },
		account: { points: 300, duration: HOUR }
	},
	// Browsers batch reports (one request carries many); more than this is a flood. The global cap bounds
	// what a flood from many addresses can write to the logs.
	cspReport: {
		ip: { points: 20, duration: MINUTE },
		global: { points: 600, duration: MINUTE }
	},
	// Signed in, keyed by user id (no known-address exemption: accountIp only). Each organisation costs a
	// chain verification and rows; nobody makes 20 an hour.
	orgCreate: {
		ip: { points: 60, duration: HOUR },
		accountIp: { points: 20, duration: HOUR }
	},
	// Each write request verifies the chain and a statement of up to 512 rows (MAX_WRITE_ROWS). An import of
	// 100k products with their sources and counts is ~600 requests: 1,200 a minute never holds it up, and
	// bounds what one session can make the server verify.
	writes: {
		ip: { points: 2400, duration: MINUTE },
		accountIp: { points: 1200, duration: MINUTE }
	}
};

export type LimitKeys = { ip: string | undefined; account?: string };

export type RateLimits = {
	/** Counts one attempt; throws a 429 problem with Retry-After when a limit is reached. */
	hit(name: LimitName, keys: LimitKeys): Promise<void>;
	/**
	 * After a success: forgets this address's attempts on the account, so a person who got in is not
	 * penalised, and remembers the address as one that may skip the account's global cap.
	 */
	clear(name: LimitName, keys: { ip: string | undefined; account: string }): Promise<void>;
};

type Limiters = { ip: RateLimiterAbstract } & {
	[K in Exclude<keyof LimitPolicySet, 'ip'>]: RateLimiterAbstract | undefined;
};

export type RateLimitOptions = { policies?: Partial<LimitPolicies> } & (
	| {
			redis: Redis;
			/** Required with Redis: every process must derive the same account keys (ServerKeys.rateLimit). */
			accountKey: Uint8Array;
	  }
	| { redis?: undefined; accountKey?: Uint8Array }
);

export function createRateLimits(options: RateLimitOptions = {}): RateLimits {
	const policies: LimitPolicies = { ...DEFAULT_LIMITS, ...options.policies };
	// In memory, the counts die with the process, and so may the key.
	const accountKey = options.accountKey ?? new Uint8Array(randomBytes(32));
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
		Object.entries(policies).map(([name, set]) => [
			name,
			{
				ip: make(`${name}:ip`, set.ip),
				accountIp: set.accountIp && make(`${name}:account-ip`, set.accountIp),
				account: set.account && make(`${name}:account`, set.account),
				global: set.global && make(`${name}:global`, set.global)
			}
		])
	) as Record<LimitName, Limiters>;
	// Addresses that succeeded for an account, shared by every limit name (one per account identifier).
	const known = make('known', { points: 1, duration: KNOWN_ADDRESS_SECONDS });

	/** The account as it appears in keys: an HMAC, so the store never holds an email. */
	const accountId = (account: string) => createHmac('sha256', accountKey).update(account).digest('base64url');

	return {
		async hit(name, keys) {
			const set = limiters[name];
			const ip = keys.ip ?? 'unknown';
			try {
				// In this order, so that an attempt refused by one limit spends nothing from the next: an
				// attacker's blocked address does not keep eating into the account's global cap.
				await set.ip.consume(ip);
				await set.global?.consume('all');
				if (keys.account === undefined) return;
				const id = accountId(keys.account);
				await set.accountIp?.consume(`${id}:${ip}`);
				if (set.account && !(keys.ip && (await known.get(`${id}:${ip}`)))) await set.account.consume(id);
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
		async clear(name, keys) {
			const id = accountId(keys.account);
			const ip = keys.ip ?? 'unknown';
			await limiters[name].accountIp?.delete(`${id}:${ip}`);
			// Without an address, every caller would share the mark: remember none.
			if (keys.ip) await known.set(`${id}:${keys.ip}`, 1, KNOWN_ADDRESS_SECONDS);
		}
	};
}
