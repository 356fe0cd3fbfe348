// One log line per request: method, path (no query string), status, duration, request id.
// Never bodies, headers, cookies or query strings: those may carry secrets.
import { createMiddleware } from 'hono/factory';
import type { Logger } from '../../log';
import type { ApiEnv } from '../env';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export const requestLog = (logger: Logger) => {
	// Request lines hold only the five fields below, none of them a redacted name (log.ts), so they skip
	// the redaction pass: it was most of a line's cost, and a line is written for every request.
	const lines = logger.child({}, { redact: [] });
	return createMiddleware<ApiEnv>(async (c, next) => {
		const incoming = c.req.header('x-request-id');
		const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
		c.set('requestId', requestId);
		const started = performance.now();
		const node = c.env?.nodeResponse;
		// See env.ts (nodeResponse) for why Node gets the header directly.
		if (node) node.setHeader('X-Request-Id', requestId);
		await next();
		// On the response's own headers: after the handler, `c.header()` would rebuild the response.
		if (!node) c.res.headers.set('X-Request-Id', requestId);
		const status = c.res.status;
		lines[status >= 500 ? 'error' : 'info'](
			{
				requestId,
				method: c.req.method,
				path: c.req.path,
				status,
				ms: Math.round((performance.now() - started) * 10) / 10
			},
			'request'
		);
	});
};
