// The API's conventions, held for every route: problem+json errors, 400 on malformed JSON, 413 on
// oversized bodies, 415 on non-JSON bodies, security headers everywhere, no stack traces, no secrets logged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../src/lib/server/api/app';
import type { Database } from '../../src/lib/server/db/types';
import { databaseFactories, type TestDatabase } from '../helpers/databases';
import { call, newAccount } from '../helpers/account-client';
import { testApi } from '../helpers/api';
import type { captureLogs } from '../helpers/logs';

const LIMIT = 64 * 1024;

type OpenApiDoc = {
	paths: Record<
		string,
		Record<string, { requestBody?: { content: Record<string, unknown> }; security?: unknown[] }>
	>;
};

/** Every operation with a JSON request body, read from the served OpenAPI document. */
async function jsonBodyRoutes(
	app: ApiApp
): Promise<{ method: string; path: string; mediaType: string; secured: boolean }[]> {
	const doc = (await (await app.request('/api/openapi.json')).json()) as OpenApiDoc;
	return Object.entries(doc.paths).flatMap(([path, ops]) =>
		Object.entries(ops)
			.filter(([, op]) => op.requestBody)
			.map(([method, op]) => ({
				method: method.toUpperCase(),
				// A tenant id is 64 hex digits (SPEC.md §16.6); every other path id is a UUID.
				path: path
					.replace(/\{tenantId\}/g, '0'.repeat(64))
					.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000'),
				mediaType: Object.keys(op.requestBody!.content)[0]!,
				secured: (op.security?.length ?? 0) > 0
			}))
	);
}

async function expectProblem(res: Response, status: number, code?: string) {
	expect(res.status).toBe(status);
	expect(res.headers.get('content-type')).toBe('application/problem+json');
	const body = (await res.json()) as Record<string, unknown>;
	expect(body).toMatchObject({ type: 'about:blank', status });
	expect(typeof body.title).toBe('string');
	if (code) expect(body.code).toBe(code);
	expect(JSON.stringify(body)).not.toMatch(/\n\s+at |\.ts:\d+/); // no stack traces
	return body;
}

describe.each(databaseFactories)('API on $kind', (factory) => {
	let t: TestDatabase;
	let app: ApiApp;
	let logs: ReturnType<typeof captureLogs>;
	let token: string;
	const auth = (route: { secured: boolean }): Record<string, string> =>
		route.secured ? { authorization: `Bearer ${token}` } : {};

	beforeAll(async () => {
		t = await factory.create();
		({ app, logs } = testApi(t.db, { bodyLimit: LIMIT }));
		// A signed-in caller, so that secured routes get as far as reading the body.
		const signup = await call(app)('POST', '/api/auth/signup', { body: (await newAccount()).signupBody });
		token = signup.json.accessToken as string;
	});
	afterAll(() => t.drop());

	it('GET /api/health reports the database and schema version', async () => {
		const res = await app.request('/api/health');
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ ok: true, db: factory.kind, schemaVersion: t.db.schemaVersion });
		expect(t.db.schemaVersion).toMatch(/^\d{14}$/);
	});

	it('serves the OpenAPI document and a sandboxed reference page', async () => {
		const doc = (await (await app.request('/api/openapi.json')).json()) as OpenApiDoc & { openapi: string };
		expect(doc.openapi).toBe('3.1.0');
		expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/csp-reports']));
		const docs = await app.request('/api/docs');
		expect(docs.status).toBe(200);
		expect(docs.headers.get('content-type')).toMatch(/text\/html/);
		const csp = docs.headers.get('content-security-policy') ?? '';
		expect(csp).toMatch(/^sandbox;/);
		expect(csp).toContain("script-src 'none'");
		expect(await docs.text()).toContain('Stowage API');
	});

	it('answers malformed JSON with a 400 problem on every route that takes a body', async () => {
		const routes = await jsonBodyRoutes(app);
		expect(routes.length).toBeGreaterThan(0);
		for (const route of routes) {
			const res = await app.request(route.path, {
				method: route.method,
				headers: { 'content-type': route.mediaType, ...auth(route) },
				body: '{"truncated": '
			});
			await expectProblem(res, 400, 'bad_request');
		}
	});

	it('answers an oversized body with 413 on every route that takes a body, declared or streamed', async () => {
		for (const route of await jsonBodyRoutes(app)) {
			const big = JSON.stringify([{ type: 'x', pad: 'a'.repeat(LIMIT) }]);
			const declared = await app.request(route.path, {
				method: route.method,
				headers: { 'content-type': route.mediaType },
				body: big
			});
			await expectProblem(declared, 413, 'payload_too_large');

			const streamed = await app.request(route.path, {
				method: route.method,
				headers: { 'content-type': route.mediaType },
				body: new Blob([big]).stream(),
				duplex: 'half'
			} as RequestInit);
			await expectProblem(streamed, 413, 'payload_too_large');
		}
	});

	it('refuses bodies that are not JSON with 415', async () => {
		for (const route of await jsonBodyRoutes(app)) {
			for (const type of [
				'text/plain',
				'application/x-www-form-urlencoded',
				'multipart/form-data; boundary=x'
			]) {
				const res = await app.request(route.path, {
					method: route.method,
					headers: { 'content-type': type, ...auth(route) },
					body: 'a=1'
				});
				await expectProblem(res, 415, 'unsupported_media_type');
			}
		}
	});

	it('lists each invalid field of a well-formed but wrong body, without echoing values', async () => {
		const res = await app.request('/api/csp-reports', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ reports: 'secret-looking-value-123' })
		});
		const body = await expectProblem(res, 400, 'validation_failed');
		expect(body.errors).toEqual([expect.objectContaining({ path: '(root)' })]);
		expect(JSON.stringify(body)).not.toContain('secret-looking-value-123');
	});

	it('logs CSP violations by directive and origin only', async () => {
		const res = await app.request('/api/csp-reports', {
			method: 'POST',
			headers: { 'content-type': 'application/reports+json' },
			body: JSON.stringify([
				{
					type: 'csp-violation',
					age: 1,
					url: 'https://app.example/app/products?q=private-search',
					body: { effectiveDirective: 'script-src-elem', blockedURL: 'https://evil.example/x.js?k=v' }
				}
			])
		});
		expect(res.status).toBe(204);
		const line = logs.lines().find((l) => l.msg === 'csp violation');
		expect(line).toMatchObject({
			violations: [
				{ directive: 'script-src-elem', blocked: 'https://evil.example', page: 'https://app.example' }
			],
			count: 1
		});
		expect(logs.text()).not.toContain('private-search');
	});

	it('answers unknown routes with a 404 problem', async () => {
		await expectProblem(await app.request('/api/nope'), 404, 'not_found');
	});

	it('sets the security headers on successes and errors alike', async () => {
		for (const res of [await app.request('/api/health'), await app.request('/api/nope')]) {
			expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
			expect(res.headers.get('x-content-type-options')).toBe('nosniff');
			expect(res.headers.get('referrer-policy')).toBe('no-referrer');
			expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
			expect(res.headers.get('x-request-id')).toBeTruthy();
		}
	});

	it('never logs bodies, query strings or headers', async () => {
		await app.request('/api/health?token=hunter2', { headers: { authorization: 'Bearer hunter2' } });
		await app.request('/api/csp-reports', {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie: 'refresh=hunter2' },
			body: JSON.stringify([{ type: 'note', password: 'hunter2' }])
		});
		expect(logs.text()).not.toContain('hunter2');
		expect(
			logs
				.lines()
				.filter((l) => l.msg === 'request')
				.at(-2)
		).toMatchObject({
			method: 'GET',
			path: '/api/health',
			status: 200
		});
	});
});

describe('API failures', () => {
	const brokenDb: Database = {
		kind: 'postgres',
		schemaVersion: '20261122000000',
		withClaims: () => Promise.reject(new Error('connect ECONNREFUSED postgres://admin:pw@db')),
		close: async () => {}
	};

	it('health answers 503 when the database does not', async () => {
		const { app } = testApi(brokenDb, { bodyLimit: LIMIT });
		const res = await app.request('/api/health');
		expect(res.status).toBe(503);
		expect(await res.json()).toMatchObject({ ok: false, db: 'postgres' });
	});

	it('an unexpected error is an opaque 500 problem with a request id; the details go to the log only', async () => {
		const { app, logs } = testApi(brokenDb, { bodyLimit: LIMIT });
		app.get('/explode', () => {
			throw new Error('internal detail: constraint users_email_key');
		});
		const res = await app.request('/api/explode', { headers: { 'x-request-id': 'req-12345678' } });
		const body = await expectProblem(res, 500, 'internal_error');
		expect(body.requestId).toBe('req-12345678');
		expect(JSON.stringify(body)).not.toContain('users_email_key');
		expect(logs.text()).toContain('users_email_key');
	});

	it('maps a host-side 4xx raised while the body streams in (SvelteKit BODY_SIZE_LIMIT) to a problem', async () => {
		const { app } = testApi(brokenDb, { bodyLimit: LIMIT });
		const failing = new ReadableStream({
			pull(controller) {
				controller.error(Object.assign(new Error('Content-length of 600000 exceeds limit'), { status: 413 }));
			}
		});
		const res = await app.request('/api/csp-reports', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: failing,
			duplex: 'half'
		} as RequestInit);
		await expectProblem(res, 413, 'payload_too_large');
	});
});
