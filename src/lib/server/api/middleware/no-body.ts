// Whether a request certainly has no body, decided without reading `c.req.raw.body`: on Node, reading it
// makes @hono/node-server build a full Request (with its AbortSignal) and attach a stream to the request.
import type { Context } from 'hono';
import type { ApiEnv } from '../env';

export function hasNoBody(c: Context<ApiEnv>): boolean {
	const method = c.req.method;
	// The Fetch standard refuses a body on these.
	if (method === 'GET' || method === 'HEAD') return true;
	// Over HTTP/1.1 a body is announced by Content-Length or Transfer-Encoding (RFC 9112 §6.3), and Node's
	// listener hands Hono a body stream even when neither is there. A Request built in-process (tests, the
	// SvelteKit route under `vite dev`) may carry a body without either header, so only Node's word counts.
	if (!c.env?.nodeResponse) return false;
	const length = c.req.header('content-length');
	return c.req.header('transfer-encoding') === undefined && (length === undefined || length === '0');
}
