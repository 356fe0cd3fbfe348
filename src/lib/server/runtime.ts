// The process-wide runtime: one database and one API app, kept on globalThis so Vite's hot reload
// does not open a second PGlite on the same directory (PGlite takes no lock).
import { createApi, type ApiApp } from './api/app';
import { readConfig } from './config';
import { openDatabase } from './db/database';
import type { Database } from './db/types';
import { createLogger, asyncDestination, type Logger } from './log';
import { Redis } from 'ioredis';
import { createRateLimits, DEFAULT_LIMITS } from './api/rate-limit';
import { createTokens } from './auth/tokens';
import { deriveServerKeys, loadServerSecret } from './secrets';

export type Runtime = { db: Database; api: ApiApp; logger: Logger; close: () => Promise<void> };

// Also a contract with the production server (server/index.js): it imports SvelteKit's handler, whose
// init hook awaits startRuntime(), then reads the API app and logger from this key.
const KEY = Symbol.for('stowage.runtime');
type Holder = { [KEY]?: Promise<Runtime> };
const holder = globalThis as Holder;

export function startRuntime(): Promise<Runtime> {
	holder[KEY] ??= (async () => {
		const config = readConfig();
		const logger = createLogger(config.logLevel, asyncDestination());
		const db = await openDatabase({
			databaseUrl: config.databaseUrl,
			ownerUrl: config.databaseOwnerUrl,
			dataDir: config.dataDir,
			migrationsDir: config.migrationsDir,
			migrate: config.migrate,
			onWarning: (message, findings) => logger.warn({ findings }, message)
		});
		logger.info({ db: db.kind, schemaVersion: db.schemaVersion }, 'database ready');
		const keys = deriveServerKeys(await loadServerSecret(config));
		const redis = config.redisUrl
			? new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 })
			: undefined;
		const origin = process.env.ORIGIN || 'http://localhost:5173';
		const api = createApi({
			db,
			logger,
			bodyLimit: config.apiBodyLimit,
			keys,
			tokens: createTokens(keys.jwt),
			limits: createRateLimits({
				...(redis ? { redis } : {}),
				accountKey: keys.rateLimit,
				policies: { signup: { ip: { ...DEFAULT_LIMITS.signup.ip, points: config.signupsPerHour } } }
			}),
			webauthn: { rpName: 'Stowage', rpID: new URL(origin).hostname, origin },
			idleLockMinutes: config.idleLockMinutes,
			sessionLifetime: config.sessionLifetime,
			now: Date.now
		});
		return { db, api, logger, close: async () => void redis?.disconnect() };
	})();
	return holder[KEY];
}

export async function stopRuntime(): Promise<void> {
	const runtime = holder[KEY];
	delete holder[KEY];
	if (!runtime) return;
	const { db, close } = await runtime;
	await close();
	await db.close();
}
