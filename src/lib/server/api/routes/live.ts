// GET /health/live: is the process up and answering? Touches nothing else (no database), so a liveness
// probe does not restart a healthy process while the database is away; /health is the readiness check.
import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../router';

const Live = z.object({ ok: z.literal(true) }).openapi('Live');

const route = createRoute({
	method: 'get',
	path: '/health/live',
	tags: ['System'],
	summary: 'Liveness: the process answers',
	responses: { 200: { description: 'Alive', content: { 'application/json': { schema: Live } } } }
});

export const liveRoutes = () => createRouter().openapi(route, (c) => c.json({ ok: true as const }, 200));
