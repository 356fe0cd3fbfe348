// Who is calling, as far as the server can tell: the client address the host saw and the user agent.
import type { Context } from 'hono';
import type { ApiEnv } from './env';

export type ClientInfo = { ip: string | undefined; userAgent: string | undefined };

export function clientOf(c: Context<ApiEnv>): ClientInfo {
	return { ip: c.env?.clientAddress, userAgent: c.req.header('user-agent') };
}
