// GET /openapi.json and GET /docs (Scalar API reference).
import { Scalar } from '@scalar/hono-api-reference';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from '../env';

export const OPENAPI_INFO = {
	openapi: '3.1.0',
	info: {
		title: 'Stowage API',
		version: '0.1.0',
		description:
			'The thin API of a zero-knowledge back office: it stores and returns ciphertext, and validates ' +
			'everything it is sent. Errors are RFC 9457 problem details (application/problem+json).'
	}
};

/**
 * The reference page loads Scalar from its CDN. It is sandboxed (an opaque origin): a compromised CDN
 * script cannot read cookies, storage or make same-origin requests as the user. The spec is inlined
 * because a sandboxed page cannot fetch it from us.
 */
const DOCS_CSP = [
	'sandbox allow-scripts allow-popups',
	"default-src 'none'",
	"script-src https://cdn.jsdelivr.net 'unsafe-inline'",
	"style-src https://cdn.jsdelivr.net https://fonts.scalar.com 'unsafe-inline'",
	'font-src https://fonts.scalar.com https://cdn.jsdelivr.net',
	'img-src data:',
	"frame-ancestors 'none'"
].join('; ');

export function mountDocs<A extends OpenAPIHono<ApiEnv>>(app: A): A {
	app.doc31('/openapi.json', OPENAPI_INFO);
	app.get('/docs', async (c, next) => {
		const spec = app.getOpenAPI31Document(OPENAPI_INFO);
		const res = await Scalar<ApiEnv>({ content: spec, pageTitle: 'Stowage API reference' })(c, next);
		if (!res) throw new Error('The API reference page rendered nothing');
		res.headers.set('Content-Security-Policy', DOCS_CSP);
		return res;
	});
	return app;
}
