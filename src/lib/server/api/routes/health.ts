// GET /health: is the process up, which database, which schema version. Probes the database as `anon`.
import { createRoute, z } from '@hono/zod-openapi';
import type { ApiDeps } from '../env';
import { ProblemSchema } from '../problem';
import { createRouter } from '../router';

const Health = z
	.object({
		ok: z.boolean(),
		db: z.enum(['pglite', 'postgres']),
		schemaVersion: z.string().openapi({ example: '20261122000000' })
	})
	.openapi('Health');

const route = createRoute({
	method: 'get',
	path: '/health',
	tags: ['System'],
	summary: 'Liveness and database reachability',
	responses: {
		200: { description: 'Healthy', content: { 'application/json': { schema: Health } } },
		503: { description: 'The database does not answer', content: { 'application/json': { schema: Health } } },
		500: {
			description: 'Unexpected failure',
			content: { 'application/problem+json': { schema: ProblemSchema } }
		}
	}
});

export const healthRoutes = ({ db, logger }: ApiDeps) =>
	createRouter().openapi(route, async (c) => {
		const body = { db: db.kind, schemaVersion: db.schemaVersion };
		try {
			await db.withClaims({ role: 'anon' }, (tx) => tx.query('select 1'));
			return c.json({ ok: true, ...body }, 200);
		} catch (error) {
			logger.error({ err: error }, 'health check: database did not answer');
			return c.json({ ok: false, ...body }, 503);
		}
	});
