// Types shared by the API's routes and middleware.
import type { SessionLifetime } from '../db/sessions';
import type { Database } from '../db/types';
import type { Logger } from '../log';
import type { ServerKeys } from '../secrets';
import type { Tokens } from '../auth/tokens';
import type { RateLimits } from './rate-limit';

/** What the API needs from its host; injected so tests can build the app around any database. */
export type ApiDeps = {
	db: Database;
	logger: Logger;
	bodyLimit: number;
	keys: ServerKeys;
	tokens: Tokens;
	limits: RateLimits;
	/** WebAuthn relying party: the public origin and its host name. */
	webauthn: { rpName: string; rpID: string; origin: string };
	/** Minutes of inactivity before the browser locks the vault (sent to clients). */
	idleLockMinutes: number;
	/** Days a session lives without a refresh, and in all; enforced at refresh and on every request. */
	sessionLifetime: SessionLifetime;
	/** The clock for TOTP steps (tests move it). */
	now: () => number;
};

export type SessionRef = { userId: string; sessionId: string };

export type ApiEnv = {
	/** Set by the host per request (SvelteKit's getClientAddress, or a test). */
	Bindings: { clientAddress?: string };
	Variables: { requestId: string; session: SessionRef };
};
