// The production HTTP server (server/http-server.js): /api goes to Hono without SvelteKit, everything else to
// the page handler; the API's headers are the same whether Node or a Fetch host serves it; shutdown waits for
// requests in flight and does not hang on idle keep-alive connections.
import { request as httpRequest, Agent } from 'node:http';
import { Hono } from 'hono';
import { pino } from 'pino';
import { afterEach, describe, expect, test } from 'vitest';
import { isApiPath } from '../../server/http-server.js';
import { clientAddressFrom } from '../../server/client-address.js';
import type { ApiEnv } from '../../src/lib/server/api/env';
import { bodyLimit } from '../../src/lib/server/api/middleware/body-limit';
import { jsonOnly } from '../../src/lib/server/api/middleware/json-only';
import { requestLog } from '../../src/lib/server/api/middleware/request-log';
import { securityHeaders } from '../../src/lib/server/api/middleware/security-headers';
import { pagesStub, startNodeServer } from '../helpers/node-server';

const silent = pino({ level: 'silent' });
const LIMIT = 64 * 1024;

function testApi() {
	const app = new Hono<ApiEnv>().basePath('/api');
	app.use(requestLog(silent));
	app.use(securityHeaders());
	app.use(bodyLimit(LIMIT));
	app.use(jsonOnly());
	app.post('/size', async (c) => c.text(String((await c.req.arrayBuffer()).byteLength)));
	app.post('/bodiless', (c) => c.text('ok'));
	app.get('/plain', (c) => c.json({ ok: true }));
	app.get('/own-csp', (c) =>
		c.json({ ok: true }, 200, { 'Content-Security-Policy': "sandbox; default-src 'none'" })
	);
	app.get('/raw', () => new Response('raw', { headers: { 'cache-control': 'max-age=60' } }));
	app.get('/url', (c) => c.text(c.req.url));
	app.get('/slow', async (c) => {
		await new Promise((r) => setTimeout(r, 300));
		return c.text('done');
	});
	return app;
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
	await stop?.();
	stop = undefined;
});

async function start(options: { origin?: string } = {}) {
	const s = await startNodeServer({
		pages: pagesStub,
		api: testApi(),
		clientAddress: clientAddressFrom({}),
		...options
	});
	stop = s.close;
	return s;
}

describe('which requests are the API’s', () => {
	test.each([
		['/api', true],
		['/api/', true],
		['/api/health', true],
		['/api?x=1', true],
		['/%61pi/health', true],
		['/a%70i', true],
		['/apix', false],
		['/apis/x', false],
		['/', false],
		['/app/settings', false],
		['/_app/immutable/x.js', false],
		['/%zz/api', false],
		['http://evil.example/api/x', false]
	])('%s → API: %s', (url, api) => {
		expect(isApiPath(url)).toBe(api);
	});

	test('the API answers /api/*; pages answer the rest', async () => {
		const s = await start();
		expect(await (await fetch(s.url('/api/plain'))).json()).toEqual({ ok: true });
		expect(await (await fetch(s.url('/apix'))).text()).toBe('page');
		expect(await (await fetch(s.url('/'))).text()).toBe('page');
	});

	test('with ORIGIN set, the API sees the public origin in request URLs, as pages do', async () => {
		const s = await start({ origin: 'https://stowage.example' });
		expect(await (await fetch(s.url('/api/url?q=1'))).text()).toBe('https://stowage.example/api/url?q=1');
	});
});

describe('API response headers', () => {
	const names = (h: Headers) =>
		Object.fromEntries(
			[...h].filter(
				([k]) => !['date', 'connection', 'keep-alive', 'content-length', 'x-request-id'].includes(k)
			)
		);

	test.each(['/api/plain', '/api/own-csp', '/api/raw', '/api/nope'])(
		'%s: the same through Node as through app.request, a route’s own value winning',
		async (path) => {
			const s = await start();
			const viaNode = await fetch(s.url(path));
			const viaFetch = await testApi().request(path);
			expect(viaNode.status).toBe(viaFetch.status);
			expect(names(viaNode.headers)).toEqual(names(viaFetch.headers));
			expect(viaNode.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
			expect(viaNode.headers.get('x-content-type-options')).toBe('nosniff');
		}
	);

	test('a route’s own CSP and Cache-Control replace the defaults', async () => {
		const s = await start();
		const own = await fetch(s.url('/api/own-csp'));
		expect(own.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
		const raw = await fetch(s.url('/api/raw'));
		expect(raw.headers.get('cache-control')).toBe('max-age=60');
	});

	test('a request Hono cannot even parse gets a problem, not an empty answer', async () => {
		const s = await start();
		const { status, headers, body } = await rawGet(s.base, '/api/a\\b');
		expect(status).toBe(400);
		expect(headers['content-type']).toBe('application/problem+json');
		expect(headers['x-content-type-options']).toBe('nosniff');
		expect(JSON.parse(body)).toMatchObject({ status: 400, code: 'bad_request' });
	});
});

describe('body limits over a real connection', () => {
	test('a client still uploading an oversized body reads the 413, declared or chunked, again and again', async () => {
		const s = await start();
		const big = 'x'.repeat(2 * 1024 * 1024);
		const post = async (body: BodyInit) => {
			const res = await fetch(s.url('/api/size'), {
				method: 'POST',
				body,
				headers: { 'content-type': 'application/json' },
				duplex: 'half'
			} as RequestInit);
			return `${res.status} ${res.status === 200 ? await res.text() : ''}`.trim();
		};
		// The same keep-alive pool throughout: a connection left half-read would fail the next request.
		for (let round = 0; round < 3; round++) {
			expect(await post(big)).toBe('413');
			expect(await post('y'.repeat(LIMIT))).toBe(`200 ${LIMIT}`);
			expect(await post(new Blob([big]).stream())).toBe('413');
			expect(await post(new Blob(['z'.repeat(LIMIT)]).stream())).toBe(`200 ${LIMIT}`);
		}
	});
});

describe('bodiless POSTs over a real connection', () => {
	test('a POST without a body needs no content type (as the refresh-cookie token request sends it)', async () => {
		const s = await start();
		const post = (init: RequestInit = {}) => fetch(s.url('/api/bodiless'), { method: 'POST', ...init });
		expect((await post()).status).toBe(200);
		expect((await post({ headers: { 'content-length': '0' } })).status).toBe(200);
		expect((await post({ body: 'hi', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
		expect((await post({ body: new Blob(['hi']).stream(), duplex: 'half' } as RequestInit)).status).toBe(415);
	});
});

describe('a page handler that fails', () => {
	test.each([
		[
			'throws',
			() => {
				throw new Error('sync');
			}
		],
		['rejects', () => Promise.reject(new Error('async'))]
	])('that %s answers 500 and the server keeps serving', async (_name, pages) => {
		const errors: unknown[] = [];
		const s = await startNodeServer({
			pages,
			api: testApi(),
			clientAddress: clientAddressFrom({}),
			onError: (error) => errors.push(error)
		});
		stop = s.close;
		const res = await fetch(s.url('/some/page'));
		expect([res.status, await res.text()]).toEqual([500, 'Internal Server Error']);
		expect(errors).toHaveLength(1);
		expect((await fetch(s.url('/api/plain'))).status).toBe(200);
	});
});

describe('shutdown', () => {
	test('lets a request in flight finish, then closes, without waiting for idle keep-alive connections', async () => {
		const s = await start();
		const agent = new Agent({ keepAlive: true });
		// An idle keep-alive connection, and one busy with a slow request when shutdown starts.
		await rawGet(s.base, '/api/plain', agent);
		const slow = rawGet(s.base, '/api/slow', agent);
		await new Promise((r) => setTimeout(r, 50));
		const started = Date.now();
		await s.shutdown({ timeoutMs: 10_000 });
		stop = undefined;
		expect((await slow).body).toBe('done');
		// Node's keep-alive timeout is 5 s: closing idle connections promptly is what keeps this short.
		expect(Date.now() - started).toBeLessThan(2000);
		expect(s.server.listening).toBe(false);
		agent.destroy();
	});
});

/** A GET whose path is sent exactly as given (fetch would normalise a backslash). */
function rawGet(base: string, path: string, agent?: Agent) {
	return new Promise<{ status: number; headers: Record<string, string>; body: string }>((resolve, reject) => {
		const { hostname, port } = new URL(base);
		const req = httpRequest({ hostname, port, path, agent }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk) => (body += chunk));
			res.on('end', () =>
				resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body })
			);
		});
		req.on('error', reject);
		req.end();
	});
}
