// Types shared by the API's routes and middleware.
import type { ServerResponse } from 'node:http';
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
	/** Set by the host per request. */
	Bindings: {
		/** The client's address (server/client-address.js, SvelteKit's getClientAddress, or a test). */
		clientAddress?: string;
		/**
		 * The Node response, when server/http-server.js serves the API: headers known before the route
		 * runs (security headers, request id) are set on it directly. Setting them on the Fetch Response
		 * instead builds a Headers object per request, which on Node costs more than a small route itself.
		 */
		nodeResponse?: ServerResponse;
	};
	Variables: { requestId: string; session: SessionRef };
};
