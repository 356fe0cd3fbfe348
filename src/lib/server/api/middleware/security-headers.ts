// Security headers on every API response, including errors. A route's own value wins (the docs page
// sets its own CSP): on Node they go out as the response's defaults, elsewhere they fill the gaps.
import { createMiddleware } from 'hono/factory';
import { API_CSP, BASE_SECURITY_HEADERS } from '../../security-headers';
import type { ApiEnv } from '../env';

const API_HEADERS: readonly (readonly [string, string])[] = Object.entries({
	...BASE_SECURITY_HEADERS,
	'Content-Security-Policy': API_CSP,
	'Cache-Control': 'no-store'
});

export const securityHeaders = () =>
	createMiddleware<ApiEnv>(async (c, next) => {
		const node = c.env?.nodeResponse;
		if (node) {
			// Node lets the headers the response is written with override these (ServerResponse.writeHead).
			for (const [name, value] of API_HEADERS) node.setHeader(name, value);
			return next();
		}
		await next();
		const headers = c.res.headers;
		for (const [name, value] of API_HEADERS) if (!headers.has(name)) headers.set(name, value);
	});
