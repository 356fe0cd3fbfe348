// GET and HEAD requests never carry a body (the Fetch standard refuses one), so body checks can skip
// them without asking: reading `c.req.raw.body` makes @hono/node-server build a full Request (with its
// AbortSignal) for every request, a large share of a small route's time.
import type { Context } from 'hono';

export const hasNoBody = (c: Context): boolean => c.req.method === 'GET' || c.req.method === 'HEAD';
