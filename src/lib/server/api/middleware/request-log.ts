// One log line per request: method, path (no query string), status, duration, request id.
// Never bodies, headers, cookies or query strings: those may carry secrets.
import { createMiddleware } from 'hono/factory';
import type { Logger } from '../../log';
import type { ApiEnv } from '../env';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export const requestLog = (logger: Logger) =>
	createMiddleware<ApiEnv>(async (c, next) => {
		const incoming = c.req.header('x-request-id');
		const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
		c.set('requestId', requestId);
		const started = performance.now();
		await next();
		c.header('X-Request-Id', requestId);
		const status = c.res.status;
		logger[status >= 500 ? 'error' : 'info'](
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
