import { describe, expect, it } from 'vitest';
import { readConfig } from './config';

describe('readConfig', () => {
	it('defaults to the embedded database in ./data', () => {
		expect(readConfig({})).toMatchObject({
			databaseUrl: undefined,
			dataDir: './data',
			migrationsDir: 'supabase/migrations',
			migrate: true,
			apiBodyLimit: 1024 * 1024,
			logLevel: 'info',
			secret: undefined,
			idleLockMinutes: 15
		});
	});

	it('treats empty variables as unset', () => {
		expect(readConfig({ DATABASE_URL: '', STOWAGE_DATA_DIR: '' })).toMatchObject({
			databaseUrl: undefined,
			dataDir: './data'
		});
	});

	it('reads every documented variable', () => {
		expect(
			readConfig({
				DATABASE_URL: 'postgres://u@db:5432/stowage',
				STOWAGE_DATA_DIR: '/var/lib/stowage',
				STOWAGE_MIGRATE: 'off',
				STOWAGE_API_BODY_LIMIT: '2048',
				LOG_LEVEL: 'warn',
				REDIS_URL: 'redis://127.0.0.1:6379',
				STOWAGE_SECRET: 'a'.repeat(43),
				STOWAGE_IDLE_LOCK_MINUTES: '5'
			})
		).toEqual({
			databaseUrl: 'postgres://u@db:5432/stowage',
			dataDir: '/var/lib/stowage',
			migrationsDir: 'supabase/migrations',
			migrate: false,
			apiBodyLimit: 2048,
			logLevel: 'warn',
			redisUrl: 'redis://127.0.0.1:6379',
			secret: 'a'.repeat(43),
			idleLockMinutes: 5
		});
	});

	it('names an invalid variable without echoing its value (it may hold a password)', () => {
		const attempt = () => readConfig({ DATABASE_URL: 'not a url but s3cret-password', LOG_LEVEL: 'loud' });
		expect(attempt).toThrow(/Invalid environment: .*DATABASE_URL/);
		expect(attempt).toThrow(/LOG_LEVEL/);
		expect(attempt).not.toThrow(/s3cret/);
	});
});
