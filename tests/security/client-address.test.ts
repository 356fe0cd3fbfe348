// Whose address the API sees (rate limits, the security log): the socket's peer unless the operator names a
// trusted proxy header (ADDRESS_HEADER, XFF_DEPTH, as adapter-node reads them). A client that sends its own
// X-Forwarded-For must not choose its rate-limit key.
import { Hono } from 'hono';
import { afterEach, describe, expect, test } from 'vitest';
import { clientAddressFrom } from '../../server/client-address.js';
import type { ApiEnv } from '../../src/lib/server/api/env';
import { pagesStub, startNodeServer } from '../helpers/node-server';

const echo = new Hono<ApiEnv>()
	.get('/api/ip', (c) => c.text(c.env.clientAddress ?? 'none'))
	// As the API's own onError answers an unexpected error (without Hono's default console output).
	.onError((_error, c) => c.text('failed', 500));

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
	await stop?.();
	stop = undefined;
});

async function addressSeen(
	env: { addressHeader?: string; xffDepth?: string },
	headers: Record<string, string>
) {
	const s = await startNodeServer({ pages: pagesStub, api: echo, clientAddress: clientAddressFrom(env) });
	stop = s.close;
	const res = await fetch(s.url('/api/ip'), { headers });
	return { status: res.status, body: await res.text() };
}

describe('the client address the API sees', () => {
	test('is the socket peer by default: a spoofed X-Forwarded-For or X-Real-IP is ignored', async () => {
		const seen = await addressSeen({}, { 'x-forwarded-for': '203.0.113.66', 'x-real-ip': '203.0.113.67' });
		expect(seen).toEqual({ status: 200, body: expect.stringMatching(/^(::ffff:)?127\.0\.0\.1$/) });
	});

	test('with ADDRESS_HEADER=X-Forwarded-For, is the entry the proxy appended (XFF_DEPTH=1)', async () => {
		// The client wrote the first entry itself; the proxy appended the address it saw.
		const seen = await addressSeen(
			{ addressHeader: 'X-Forwarded-For' },
			{ 'x-forwarded-for': '198.51.100.1, 203.0.113.66' }
		);
		expect(seen).toEqual({ status: 200, body: '203.0.113.66' });
	});

	test('XFF_DEPTH counts proxies from the right', async () => {
		const seen = await addressSeen(
			{ addressHeader: 'x-forwarded-for', xffDepth: '2' },
			{ 'x-forwarded-for': '198.51.100.1, 203.0.113.66, 192.0.2.10' }
		);
		expect(seen.body).toBe('203.0.113.66');
	});

	test('another named header is taken whole', async () => {
		const seen = await addressSeen({ addressHeader: 'X-Real-IP' }, { 'x-real-ip': '203.0.113.70' });
		expect(seen.body).toBe('203.0.113.70');
	});

	test('a configured header that is missing fails the request rather than guessing', async () => {
		const seen = await addressSeen({ addressHeader: 'x-forwarded-for' }, {});
		expect(seen.status).toBe(500);
		const tooShort = clientAddressFrom({ addressHeader: 'x-forwarded-for', xffDepth: '3' });
		const req = { headers: { 'x-forwarded-for': '203.0.113.66' }, socket: {} };
		expect(() => tooShort(req as never)).toThrow(/only found 1 addresses/);
	});

	test('an invalid XFF_DEPTH stops the server at start-up', () => {
		for (const xffDepth of ['0', '-1', 'two', '1.5', '']) {
			expect(() => clientAddressFrom({ addressHeader: 'x-forwarded-for', xffDepth })).toThrow(/XFF_DEPTH/);
		}
	});
});
