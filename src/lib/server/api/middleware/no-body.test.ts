// Body checks skip GET and HEAD without reading `c.req.raw.body`, which on Node builds a full Request.
import { Hono } from 'hono';
import { expect, test } from 'vitest';
import { bodyLimit } from './body-limit';
import { jsonOnly } from './json-only';

test('GET and HEAD pass the body checks without touching the raw body', async () => {
	const app = new Hono().use(bodyLimit(10)).use(jsonOnly());
	app.get('/x', (c) => c.text('ok'));
	for (const method of ['GET', 'HEAD']) {
		const request = new Request('http://localhost/x', { method });
		Object.defineProperty(request, 'body', {
			get: () => {
				throw new Error('read the body of a GET');
			}
		});
		const res = await app.fetch(request);
		expect(res.status, method).toBe(200);
	}
});

test('a POST is still checked', async () => {
	const app = new Hono().use(bodyLimit(10)).use(jsonOnly());
	app.post('/x', (c) => c.text('ok'));
	const post = (body: string, type = 'application/json') =>
		app.request('/x', { method: 'POST', body, headers: { 'content-type': type } });
	expect((await post('{"a":"0123456789"}')).status).toBe(413);
	expect((await post('hi', 'text/plain')).status).toBe(415);
	expect((await post('{}')).status).toBe(200);
});
