// The production entry point: server/adapter.js writes this file over adapter-node's `<out>/index.js`, so
// `node build` and `npm start` run it. One process: pages through SvelteKit's handler, /api through Hono.
// Reads adapter-node's own variables (PORT, HOST, SOCKET_PATH, ORIGIN, ADDRESS_HEADER, XFF_DEPTH,
// SHUTDOWN_TIMEOUT, KEEP_ALIVE_TIMEOUT, HEADERS_TIMEOUT) with the same meaning.
import process from 'node:process';
import { clientAddressFrom } from './client-address.js';
import { createHttpServer } from './http-server.js';
// Importing SvelteKit's handler awaits `server.init()`, which runs the `init` hook of
// src/hooks.server.ts, which awaits startRuntime() (src/lib/server/runtime.ts): once this import has
// finished, the runtime (database, API app, logger) is ready under RUNTIME_KEY.
import { handler } from './handler.js';

/** The contract with src/lib/server/runtime.ts, which keeps its Promise<Runtime> on globalThis here. */
const RUNTIME_KEY = Symbol.for('stowage.runtime');

const runtimePromise = /** @type {Promise<import('../src/lib/server/runtime').Runtime> | undefined} */ (
	/** @type {Record<symbol, unknown>} */ (globalThis)[RUNTIME_KEY]
);
if (!runtimePromise) throw new Error('SvelteKit’s init hook did not start the Stowage runtime.');
const runtime = await runtimePromise;

const env = process.env;
/** @param {string} name @returns {number | undefined} seconds, as adapter-node reads its timeouts */
function seconds(name) {
	const raw = env[name];
	if (!raw) return undefined;
	if (!/^\d+$/.test(raw)) throw new Error(`Invalid value for environment variable ${name}: ${raw}`);
	return Number(raw);
}

// adapter-node's systemd socket activation is not carried over: refuse rather than listen elsewhere.
if (env.LISTEN_FDS || env.LISTEN_PID) throw new Error('Socket activation (LISTEN_FDS) is not supported');
const socketPath = env.SOCKET_PATH || undefined;
const host = env.HOST ?? '0.0.0.0';
const port = env.PORT ?? (socketPath ? undefined : '3000');
// handler.js has already refused an invalid ORIGIN; this is the same normalised value it uses.
const origin = env.ORIGIN ? new URL(env.ORIGIN.trim()).origin : undefined;

const { server, shutdown } = createHttpServer({
	pages: handler,
	api: runtime.api,
	clientAddress: clientAddressFrom({ addressHeader: env.ADDRESS_HEADER, xffDepth: env.XFF_DEPTH }),
	origin,
	onError: (error) => runtime.logger.error({ err: error }, 'API request failed before reaching Hono')
});
const keepAlive = seconds('KEEP_ALIVE_TIMEOUT');
if (keepAlive !== undefined) server.keepAliveTimeout = keepAlive * 1000;
const headersTimeout = seconds('HEADERS_TIMEOUT');
if (headersTimeout !== undefined) server.headersTimeout = headersTimeout * 1000;

server.listen(socketPath ? { path: socketPath } : { host, port: Number(port) }, () => {
	const address = server.address();
	const where = typeof address === 'string' ? address : `http://${host}:${address?.port ?? port}`;
	runtime.logger.info({ address: where }, 'listening');
});

let stopping = false;
/** @param {NodeJS.Signals} signal */
async function stop(signal) {
	if (stopping) return;
	stopping = true;
	await shutdown({ timeoutMs: (seconds('SHUTDOWN_TIMEOUT') ?? 30) * 1000 });
	// What adapter-node emits once its server is closed; the init hook closes the database on it.
	process.emit(/** @type {never} */ ('sveltekit:shutdown'), /** @type {never} */ (signal));
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

export { host, port, server };
