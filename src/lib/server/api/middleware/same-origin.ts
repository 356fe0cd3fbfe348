// Cross-site requests are refused: a state-changing request that a browser marks as coming from
// anywhere but the app's own origin gets a 403, whatever cookies or tokens it carries. Browsers send
// `Origin` on every such request and `Sec-Fetch-Site` on every request, and a page cannot forge or
// remove either; Node clients (the demo seeder, a CLI, webhooks) send neither and pass. The refresh
// cookie is the one credential a browser attaches by itself, so where it is used a request must say
// where it came from: SameSite alone would leave it to the browser's idea of a "site" (any subdomain).
import { createMiddleware } from 'hono/factory';
import type { ApiEnv } from '../env';
import { problemResponse } from '../problem';
import { readRefreshCookie, REFRESH_PATH } from '../refresh-cookie';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `origin`: the app's public origin (ORIGIN), as browsers serialise it in the `Origin` header. */
export const sameOrigin = (origin: string) => {
	const expected = new URL(origin).origin;
	return createMiddleware<ApiEnv>(async (c, next) => {
		if (SAFE_METHODS.has(c.req.method)) return next();
		const from = c.req.header('origin');
		const site = c.req.header('sec-fetch-site');
		// `Origin: null` (sandboxed frames, some redirects) and `same-site` (a sibling subdomain) are refused too.
		const foreign =
			(from !== undefined && from !== expected) || (site !== undefined && site !== 'same-origin');
		// c.req.path is decoded the way the router matches it, so `/api/auth/%74oken` counts as the token path.
		const usesRefreshCookie = c.req.path === REFRESH_PATH || readRefreshCookie(c) !== undefined;
		const unmarked = from === undefined && site === undefined;
		if (foreign || (usesRefreshCookie && unmarked)) {
			return problemResponse(c, {
				status: 403,
				code: 'cross_site_request',
				title: 'Cross-site request refused',
				detail: foreign
					? 'This request came from another site.'
					: 'This request must come from the Stowage app in a browser.'
			});
		}
		await next();
	});
};
