import { describe, expect, it } from 'vitest';
import { readConfig } from './config';

describe('readConfig', () => {
	it('defaults to the embedded database in ./data', () => {
		expect(readConfig({})).toMatchObject({
			databaseUrl: undefined,
			databaseOwnerUrl: undefined,
			dataDir: './data',
			migrationsDir: 'supabase/migrations',
			migrate: true,
			apiBodyLimit: 1024 * 1024,
			logLevel: 'info',
			secret: undefined,
			idleLockMinutes: 15,
			sessionLifetime: { idleDays: 30, maxDays: 90 }
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
				DATABASE_OWNER_URL: 'postgresql://owner@db:5432/stowage',
				STOWAGE_DATA_DIR: '/var/lib/stowage',
				STOWAGE_API_BODY_LIMIT: '2048',
				LOG_LEVEL: 'warn',
				REDIS_URL: 'redis://127.0.0.1:6379',
				STOWAGE_SECRET: 'a'.repeat(43),
				STOWAGE_IDLE_LOCK_MINUTES: '5',
				STOWAGE_SESSION_IDLE_DAYS: '7',
				STOWAGE_SESSION_MAX_DAYS: '14',
				STOWAGE_SIGNUPS_PER_HOUR: '50'
			})
		).toEqual({
			databaseUrl: 'postgres://u@db:5432/stowage',
			databaseOwnerUrl: 'postgresql://owner@db:5432/stowage',
			dataDir: '/var/lib/stowage',
			migrationsDir: 'supabase/migrations',
			migrate: true,
			apiBodyLimit: 2048,
			logLevel: 'warn',
			redisUrl: 'redis://127.0.0.1:6379',
			secret: 'a'.repeat(43),
			idleLockMinutes: 5,
			sessionLifetime: { idleDays: 7, maxDays: 14 },
			signupsPerHour: 50
		});
	});

	it('refuses session lifetimes that are not whole positive days, or an idle one past the absolute one', () => {
		for (const env of [
			{ STOWAGE_SESSION_IDLE_DAYS: '0' },
			{ STOWAGE_SESSION_IDLE_DAYS: '1.5' },
			{ STOWAGE_SESSION_IDLE_DAYS: 'forever' },
			{ STOWAGE_SESSION_IDLE_DAYS: '60', STOWAGE_SESSION_MAX_DAYS: '30' }
		]) {
			expect(() => readConfig(env)).toThrow(/Invalid environment: STOWAGE_SESSION_IDLE_DAYS/);
		}
		expect(() => readConfig({ STOWAGE_SESSION_MAX_DAYS: '-1' })).toThrow(/STOWAGE_SESSION_MAX_DAYS/);
		// An absolute lifetime below the default idle one (30) needs the idle one set too.
		expect(() => readConfig({ STOWAGE_SESSION_MAX_DAYS: '20' })).toThrow(/STOWAGE_SESSION_IDLE_DAYS/);
	});

	it('reads the sign-ups allowed per address an hour, 20 unless set, and refuses nonsense', () => {
		expect(readConfig({}).signupsPerHour).toBe(20);
		expect(readConfig({ STOWAGE_SIGNUPS_PER_HOUR: '200' }).signupsPerHour).toBe(200);
		for (const v of ['0', 'many', '1.5']) {
			expect(() => readConfig({ STOWAGE_SIGNUPS_PER_HOUR: v })).toThrow(/STOWAGE_SIGNUPS_PER_HOUR/);
		}
	});

	it('reads STOWAGE_MIGRATE=off', () => {
		expect(readConfig({ STOWAGE_MIGRATE: 'off' }).migrate).toBe(false);
	});

	it('refuses an owner URL without an app URL, or with migrations off, and URLs that are not PostgreSQL', () => {
		const owner = 'postgres://owner:0wner-s3cret@db/stowage';
		expect(() => readConfig({ DATABASE_OWNER_URL: owner })).toThrow(
			/Invalid environment: DATABASE_OWNER_URL$/
		);
		expect(() =>
			readConfig({
				DATABASE_URL: 'postgres://app@db/stowage',
				DATABASE_OWNER_URL: owner,
				STOWAGE_MIGRATE: 'off'
			})
		).toThrow(/Invalid environment: DATABASE_OWNER_URL$/);
		for (const url of ['https://db.example/stowage', 'mysql://app@db/stowage']) {
			expect(() => readConfig({ DATABASE_URL: url })).toThrow(/Invalid environment: DATABASE_URL$/);
		}
		expect(() => readConfig({ DATABASE_OWNER_URL: owner })).not.toThrow(/s3cret/);
	});

	it('names an invalid variable without echoing its value (it may hold a password)', () => {
		const attempt = () =>
			readConfig({
				DATABASE_URL: 'not a url but s3cret-password',
				DATABASE_OWNER_URL: 'postgres://owner:0wner-s3cret@db:notaport/stowage',
				LOG_LEVEL: 'loud'
			});
		expect(attempt).toThrow(/Invalid environment: .*DATABASE_URL/);
		expect(attempt).toThrow(/DATABASE_OWNER_URL/);
		expect(attempt).not.toThrow(/0wner-s3cret/);
		expect(attempt).toThrow(/LOG_LEVEL/);
		expect(attempt).not.toThrow(/s3cret/);
	});
});
