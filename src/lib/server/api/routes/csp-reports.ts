// POST /csp-reports: browsers report Content-Security-Policy violations here (Reporting API,
// `Reporting-Endpoints: csp=…` + `report-to csp`). A violation is a sign of an injection attempt or
// of a CSP that is too strict, so each is logged — by directive and origin only, never full URLs.
import { createRoute, z } from '@hono/zod-openapi';
import type { ApiDeps } from '../env';
import { ProblemSchema } from '../problem';
import { createRouter } from '../router';

const CspViolation = z.object({
	type: z.literal('csp-violation'),
	age: z.number().optional(),
	url: z.string().max(2048),
	body: z
		.object({
			effectiveDirective: z.string().max(64),
			blockedURL: z.string().max(2048).optional(),
			disposition: z.enum(['enforce', 'report']).optional()
		})
		.loose()
});

const Reports = z.array(z.union([CspViolation, z.object({ type: z.string().max(64) }).loose()])).max(100);

const route = createRoute({
	method: 'post',
	path: '/csp-reports',
	tags: ['System'],
	summary: 'Receive Content-Security-Policy violation reports',
	request: {
		body: {
			required: true,
			content: {
				'application/reports+json': { schema: Reports },
				'application/json': { schema: Reports }
			}
		}
	},
	responses: {
		204: { description: 'Recorded' },
		400: {
			description: 'Not a report list',
			content: { 'application/problem+json': { schema: ProblemSchema } }
		},
		413: { description: 'Too large', content: { 'application/problem+json': { schema: ProblemSchema } } }
	}
});

/** Reduces a URL to its origin: paths and queries are the user's business, not the log's. */
function originOf(value: string | undefined): string | undefined {
	if (value === undefined) return undefined;
	try {
		return new URL(value).origin;
	} catch {
		return value.slice(0, 32); // 'inline', 'eval', 'wasm-eval', …
	}
}

export const cspReportRoutes = ({ logger }: ApiDeps) =>
	createRouter().openapi(route, (c) => {
		for (const report of c.req.valid('json')) {
			const parsed = CspViolation.safeParse(report);
			if (!parsed.success) continue;
			logger.warn(
				{
					directive: parsed.data.body.effectiveDirective,
					blocked: originOf(parsed.data.body.blockedURL),
					page: originOf(parsed.data.url)
				},
				'csp violation'
			);
		}
		return c.body(null, 204);
	});
