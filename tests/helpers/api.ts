// Builds the API the way the runtime does, around a test database, with a movable clock.
import { randomBytes } from 'node:crypto';
import { createApi } from '../../src/lib/server/api/app';
import type { ApiDeps } from '../../src/lib/server/api/env';
import { createRateLimits, DEFAULT_LIMITS, type LimitPolicies } from '../../src/lib/server/api/rate-limit';
import { DEFAULT_SESSION_LIFETIME } from '../../src/lib/server/accounts/session-lifetime';
import { createTokens } from '../../src/lib/server/auth/tokens';
import type { Database } from '../../src/lib/server/db/types';
import { deriveServerKeys } from '../../src/lib/server/secrets';
import { TEST_PRELOGIN_KEY } from './account-client';
import { captureLogs } from './logs';

export const TEST_ORIGIN = 'http://localhost:4173';

export function testApi(db: Database, overrides: Partial<ApiDeps> = {}) {
	const logs = captureLogs();
	const keys = { ...deriveServerKeys(new Uint8Array(randomBytes(32))), prelogin: TEST_PRELOGIN_KEY };
	const clock = { now: Date.now() };
	const deps: ApiDeps = {
		db,
		logger: logs.logger,
		bodyLimit: 64 * 1024,
		keys,
		tokens: createTokens(keys.jwt),
		// Generous limits: the suites sign up many accounts from one address. Limits have their own test.
		limits: createRateLimits({
			accountKey: keys.rateLimit,
			policies: Object.fromEntries(
				Object.entries(DEFAULT_LIMITS).map(([name, set]) => [
					name,
					Object.fromEntries(Object.entries(set).map(([kind, p]) => [kind, { ...p, points: 10_000 }]))
				])
			) as LimitPolicies
		}),
		webauthn: { rpName: 'Stowage', rpID: 'localhost', origin: TEST_ORIGIN },
		idleLockMinutes: 15,
		sessionLifetime: DEFAULT_SESSION_LIFETIME,
		now: () => clock.now,
		...overrides
	};
	return { app: createApi(deps), deps, logs, clock };
}
