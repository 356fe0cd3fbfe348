// Server configuration, read once from the environment and validated, so a typo fails at start-up.
import { z } from 'zod';

// postgres:// or postgresql://, as both drivers' URLs; anything else is a typo, not a database.
const PostgresUrl = z.url({ protocol: /^postgres(ql)?$/ });

const Env = z.object({
	/** The app's own connection: on PostgreSQL, the NOINHERIT login role (README, "PostgreSQL roles"). */
	DATABASE_URL: PostgresUrl.optional(),
	/** The schema owner's connection, used only to apply migrations; unset = DATABASE_URL applies them. */
	DATABASE_OWNER_URL: PostgresUrl.optional(),
	STOWAGE_DATA_DIR: z.string().min(1).default('./data'),
	STOWAGE_MIGRATIONS_DIR: z.string().min(1).default('supabase/migrations'),
	/** `off` when migrations are deployed by other means (e.g. `supabase db push`). */
	STOWAGE_MIGRATE: z.enum(['on', 'off']).default('on'),
	STOWAGE_API_BODY_LIMIT: z.coerce
		.number()
		.int()
		.positive()
		.default(1024 * 1024),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
	REDIS_URL: z.url().optional(),
	/** Root of the server's own keys (JWT signing, TOTP secrets at rest): ≥ 32 random bytes, base64url. */
	STOWAGE_SECRET: z
		.string()
		.regex(/^[A-Za-z0-9_-]{43,}$/)
		.optional(),
	/** Minutes of inactivity after which the browser locks the vault (wiping keys). */
	STOWAGE_IDLE_LOCK_MINUTES: z.coerce
		.number()
		.int()
		.min(1)
		.max(24 * 60)
		.default(15),
	/** Days a session lives without a refresh (idle), and in all (absolute). */
	STOWAGE_SESSION_IDLE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
	STOWAGE_SESSION_MAX_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
	// Sign-ups per client address an hour: an office behind one NAT may need more than the default.
	STOWAGE_SIGNUPS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(20)
});

// An idle lifetime beyond the absolute one would never apply: a misreading of the two, so refuse it.
const CheckedEnv = Env.refine((e) => e.STOWAGE_SESSION_IDLE_DAYS <= e.STOWAGE_SESSION_MAX_DAYS, {
	path: ['STOWAGE_SESSION_IDLE_DAYS'],
	message: 'must not exceed STOWAGE_SESSION_MAX_DAYS'
})
	// An owner URL alone would leave the app on PGlite while someone meant PostgreSQL.
	.refine((e) => !e.DATABASE_OWNER_URL || e.DATABASE_URL, {
		path: ['DATABASE_OWNER_URL'],
		message: 'needs DATABASE_URL'
	})
	// With migrations off nothing uses it: the owner's password should not sit in the app's environment.
	.refine((e) => !e.DATABASE_OWNER_URL || e.STOWAGE_MIGRATE === 'on', {
		path: ['DATABASE_OWNER_URL'],
		message: 'unused with STOWAGE_MIGRATE=off'
	});

export type ServerConfig = {
	databaseUrl: string | undefined;
	databaseOwnerUrl: string | undefined;
	dataDir: string;
	migrationsDir: string;
	migrate: boolean;
	apiBodyLimit: number;
	logLevel: z.infer<typeof Env>['LOG_LEVEL'];
	redisUrl: string | undefined;
	secret: string | undefined;
	idleLockMinutes: number;
	sessionLifetime: { idleDays: number; maxDays: number };
	signupsPerHour: number;
};

export function readConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
	const parsed = CheckedEnv.safeParse(
		// An empty variable means "unset", as in a shell `FOO= cmd`.
		Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''))
	);
	if (!parsed.success) {
		// Name the variables, never their values: the database URLs may hold passwords.
		const names = [...new Set(parsed.error.issues.map((i) => i.path.join('.')))].join(', ');
		throw new Error(`Invalid environment: ${names}`);
	}
	const e = parsed.data;
	return {
		databaseUrl: e.DATABASE_URL,
		databaseOwnerUrl: e.DATABASE_OWNER_URL,
		dataDir: e.STOWAGE_DATA_DIR,
		migrationsDir: e.STOWAGE_MIGRATIONS_DIR,
		migrate: e.STOWAGE_MIGRATE === 'on',
		apiBodyLimit: e.STOWAGE_API_BODY_LIMIT,
		logLevel: e.LOG_LEVEL,
		redisUrl: e.REDIS_URL,
		secret: e.STOWAGE_SECRET,
		idleLockMinutes: e.STOWAGE_IDLE_LOCK_MINUTES,
		sessionLifetime: { idleDays: e.STOWAGE_SESSION_IDLE_DAYS, maxDays: e.STOWAGE_SESSION_MAX_DAYS },
		signupsPerHour: e.STOWAGE_SIGNUPS_PER_HOUR
	};
}
