// Server hooks: open the database before the first request, close it on shutdown, and add the
// security headers SvelteKit does not (it adds the page CSP itself, from kit.csp).
import type { Handle, ServerInit } from '@sveltejs/kit';
import { applySecurityHeaders } from '$lib/server/security-headers';
import { startRuntime, stopRuntime } from '$lib/server/runtime';

export const init: ServerInit = async () => {
	try {
		await startRuntime();
	} catch (error) {
		// A changed migration or an unreachable database: refuse to serve rather than serve wrongly.
		console.error(`Stowage cannot start: ${(error as Error).message}`);
		process.exit(1);
	}
	process.once('sveltekit:shutdown', () => void stopRuntime());
};

export const handle: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	applySecurityHeaders(response.headers);
	return response;
};
