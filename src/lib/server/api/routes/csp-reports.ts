// POST /csp-reports: browsers report Content-Security-Policy violations here (Reporting API,
// `Reporting-Endpoints: csp=…` + `report-to csp`). A violation is a sign of an injection attempt or
// of a CSP that is too strict, so it is logged — by directive and origin only, never full URLs. Anyone
// can post here, so the endpoint is rate-limited, a request yields at most one log line, and the text
// it carries is logged only escaped and cut short.
import { createRoute, z } from '@hono/zod-openapi';
import { logText } from '../../log-text';
import { clientOf } from '../client-info';
import type { ApiDeps } from '../env';
import { ProblemSchema } from '../problem';
import { createRouter } from '../router';

/** Violations described in one request's log line; the rest are only counted. */
export const LOGGED_VIOLATIONS_PER_REQUEST = 10;

const CspViolation = z.object({
	type: z.literal('csp-violation'),
	age: z.number().optional(),
	// Long values are cut when logged rather than refused: a report is evidence, and the body limit
	// bounds them.
	url: z.string(),
	body: z
		.object({
			effectiveDirective: z.string(),
			blockedURL: z.string().optional(),
			disposition: z.enum(['enforce', 'report']).optional()
		})
		.loose()
});

// At most 100 reports a request (the most a browser's report queue holds), and however many a request
// carries, it is logged as one line.
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
		413: { description: 'Too large', content: { 'application/problem+json': { schema: ProblemSchema } } },
		429: {
			description: 'Too many reports',
			content: { 'application/problem+json': { schema: ProblemSchema } }
		}
	}
});

/** Reduces a URL to its origin: paths and queries are the user's business, not the log's. */
function originOf(value: string | undefined): string | undefined {
	if (value === undefined) return undefined;
	try {
		return logText(new URL(value).origin, 128);
	} catch {
		return logText(value, 32); // 'inline', 'eval', 'wasm-eval', …
	}
}

export const cspReportRoutes = ({ logger, limits }: ApiDeps) =>
	createRouter().openapi(route, async (c) => {
		await limits.hit('cspReport', { ip: clientOf(c).ip });
		const violations = c.req
			.valid('json')
			.map((report) => CspViolation.safeParse(report))
			.filter((parsed) => parsed.success)
			.map(({ data }) => data);
		if (violations.length > 0) {
			logger.warn(
				{
					violations: violations.slice(0, LOGGED_VIOLATIONS_PER_REQUEST).map((v) => ({
						directive: logText(v.body.effectiveDirective),
						blocked: originOf(v.body.blockedURL),
						page: originOf(v.url)
					})),
					count: violations.length
				},
				'csp violation'
			);
		}
		return c.body(null, 204);
	});
