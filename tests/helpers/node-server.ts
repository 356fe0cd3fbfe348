// Starts the production HTTP server (server/http-server.js) on a free loopback port around any Hono app and
// page handler, for tests of what that server itself decides: routing, client addresses, shutdown.
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '../../server/http-server.js';

type Options = Parameters<typeof createHttpServer>[0];

export async function startNodeServer(options: Options) {
	const { server, shutdown } = createHttpServer(options);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const base = `http://127.0.0.1:${port}`;
	return {
		base,
		server,
		shutdown,
		url: (path: string) => `${base}${path}`,
		close: () => shutdown({ timeoutMs: 1000 })
	};
}

/** A page handler that says it was reached, as SvelteKit's handler.js would answer a page. */
export const pagesStub: Options['pages'] = (_req, res) => {
	res.writeHead(200, { 'content-type': 'text/plain' }).end('page');
};
