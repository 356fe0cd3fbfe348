// The one HTTP server: `/api` and `/api/*` go straight to Hono's Node listener, everything else to
// SvelteKit's handler (pages, assets). The API skips SvelteKit's request handling entirely, so its speed,
// body limits and client addresses are Hono's and this server's.
import { createServer } from 'node:http';
import { getRequestListener, RequestError } from '@hono/node-server';

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {(req: IncomingMessage, res: ServerResponse, next: () => void) => unknown} PagesHandler */
/** @typedef {{ fetch: (request: Request, env: { clientAddress?: string, nodeResponse?: ServerResponse }) => Response | Promise<Response> }} FetchApp */

/**
 * Whether a request target is the API's: `/api`, `/api/…` or `/api?…`, also percent-encoded (`/%61pi`),
 * which SvelteKit would otherwise decode and route to its own API catch-all.
 * @param {string} url the request target as received (origin form)
 */
export function isApiPath(url) {
	if (url.startsWith('/api')) {
		const next = url.charCodeAt(4);
		return url.length === 4 || next === 47 /* / */ || next === 63; /* ? */
	}
	if (url.charCodeAt(0) !== 47) return false;
	const end = url.slice(1).search(/[/?]/);
	const segment = end < 0 ? url.slice(1) : url.slice(1, end + 1);
	if (!segment.includes('%')) return false;
	try {
		return decodeURIComponent(segment) === 'api';
	} catch {
		return false;
	}
}

// Only when the request cannot even be turned into a Request (e.g. a backslash in the path): Hono's
// middleware never ran, so the problem carries the API's essential headers itself.
const FALLBACK_HEADERS = {
	'content-type': 'application/problem+json',
	'cache-control': 'no-store',
	'x-content-type-options': 'nosniff',
	'content-security-policy': "default-src 'none'; frame-ancestors 'none'"
};

/** @param {number} status @param {string} code @param {string} title */
const fallbackProblem = (status, code, title) =>
	new Response(JSON.stringify({ type: 'about:blank', status, code, title }), {
		status,
		headers: FALLBACK_HEADERS
	});

/**
 * @param {{
 *   pages: PagesHandler,
 *   api: FetchApp,
 *   clientAddress: import('./client-address.js').ClientAddress,
 *   origin?: string | undefined,
 *   onError?: (error: unknown) => void,
 * }} options `origin`: ORIGIN, which then makes the API's request URLs, as adapter-node does for pages
 */
export function createHttpServer({ pages, api, clientAddress, origin, onError = console.error }) {
	const apiListener = getRequestListener(
		(request, { incoming, outgoing }) =>
			api.fetch(request, {
				nodeResponse: /** @type {ServerResponse} */ (outgoing),
				// Read only by the routes that need it (rate limits, session records), so that a
				// misconfigured ADDRESS_HEADER fails those requests, as it does pages that ask.
				get clientAddress() {
					return clientAddress(/** @type {IncomingMessage} */ (incoming));
				}
			}),
		{
			// @hono/node-server's lightweight Request/Response replace the globals for the whole process,
			// SvelteKit included (they stand in for the real ones, `instanceof` too). They are what makes Hono
			// fast on Node: without them a trivial route costs about three times the CPU (BENCHMARKS.md).
			overrideGlobalObjects: true,
			errorHandler: (error) => {
				if (error instanceof RequestError) return fallbackProblem(400, 'bad_request', 'Bad request');
				onError(error);
				return fallbackProblem(500, 'internal_error', 'Internal error');
			}
		}
	);
	const notFound = /** @param {ServerResponse} res */ (res) => res.writeHead(404).end();
	// What polka did for adapter-node's own server: a handler that throws or rejects answers 500 (and is
	// logged) instead of taking the whole process down as an uncaught error.
	const failed = /** @param {ServerResponse} res @param {unknown} error */ (res, error) => {
		onError(error);
		if (res.headersSent) res.destroy();
		else res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
	};
	/** @param {IncomingMessage} req @param {ServerResponse} res */
	const servePage = (req, res) => {
		try {
			const result = pages(req, res, () => notFound(res));
			if (result instanceof Promise) result.catch((error) => failed(res, error));
		} catch (error) {
			failed(res, error);
		}
	};

	const server = createServer((req, res) => {
		const url = req.url ?? '/';
		if (isApiPath(url)) {
			if (origin) req.url = origin + url;
			apiListener(req, res).catch((error) => failed(res, error));
		} else {
			servePage(req, res);
		}
	});

	/**
	 * Stops accepting connections, lets requests in flight finish, and resolves once the server is
	 * closed; after `timeoutMs` the remaining connections are cut (adapter-node's SHUTDOWN_TIMEOUT).
	 * @param {{ timeoutMs: number }} options
	 * @returns {Promise<void>}
	 */
	const shutdown = ({ timeoutMs }) =>
		new Promise((resolve) => {
			// Keep-alive connections would hold close() open until they time out: end each one as soon as
			// it is idle, i.e. once its request in flight is answered (a sweep, not a per-request listener).
			server.closeIdleConnections();
			const sweep = setInterval(() => server.closeIdleConnections(), 50);
			const cut = setTimeout(() => server.closeAllConnections(), timeoutMs);
			server.close(() => {
				clearInterval(sweep);
				clearTimeout(cut);
				resolve(undefined);
			});
		});
	return { server, shutdown };
}
