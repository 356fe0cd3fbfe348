// GET /openapi.json and GET /docs (the API reference, rendered here from the same document).
import type { OpenAPIHono } from '@hono/zod-openapi';
import { DOCS_STYLE_HASH, renderDocsPage } from '../docs-page';
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
 * The reference page is static HTML with one inline stylesheet (allowed by its hash) and no script, so it
 * needs nothing from another origin and works offline. It stays sandboxed (an opaque origin) as a second
 * wall.
 */
const DOCS_CSP = [
	'sandbox',
	"default-src 'none'",
	"script-src 'none'",
	`style-src ${DOCS_STYLE_HASH}`,
	"img-src 'self' data:",
	"base-uri 'none'",
	"form-action 'none'",
	"frame-ancestors 'none'"
].join('; ');

export function mountDocs<A extends OpenAPIHono<ApiEnv>>(app: A): A {
	app.doc31('/openapi.json', OPENAPI_INFO);
	let page: string | undefined;
	app.get('/docs', (c) => {
		// Rendered once: the routes do not change after start-up.
		page ??= renderDocsPage(
			app.getOpenAPI31Document(OPENAPI_INFO) as unknown as Parameters<typeof renderDocsPage>[0]
		);
		c.header('Content-Security-Policy', DOCS_CSP);
		return c.html(page);
	});
	return app;
}
