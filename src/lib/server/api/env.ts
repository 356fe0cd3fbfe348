// Types shared by the API's routes and middleware.
import type { Database } from '../db/types';
import type { Logger } from '../log';

/** What the API needs from its host; injected so tests can build the app around any database. */
export type ApiDeps = {
	db: Database;
	logger: Logger;
	bodyLimit: number;
};

export type ApiEnv = {
	/** Set by the host per request (SvelteKit's getClientAddress, or a test). */
	Bindings: { clientAddress?: string };
	Variables: { requestId: string };
};
