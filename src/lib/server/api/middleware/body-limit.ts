// Caps request bodies and answers 413 as a problem: at once when Content-Length declares too much, and as
// soon as a streamed (chunked) body passes the cap. The rest of an oversized upload is read and dropped
// (up to a bound) so that the client, still sending, gets to read the 413 instead of a reset connection.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { problemFor, problemResponse } from '../problem';
import { hasNoBody } from './no-body';

/** How much of an oversized upload is read and dropped, and for how long, before the connection is cut. */
const DISCARD_BYTES = 8 * 1024 * 1024;
const DISCARD_MS = 5_000;

export const bodyLimit = (maxSize: number) => {
	// No `Connection: close`: Node would then cut the connection as soon as the 413 is written, while the
	// client is still sending, and many clients then report a reset instead of the answer.
	const tooLarge = (c: Context) =>
		problemResponse(c, problemFor(413, `Request bodies are limited to ${maxSize} bytes.`));

	return createMiddleware(async (c, next) => {
		if (hasNoBody(c)) return next();
		// Decided from the headers alone when the length is declared: on Node, even looking at `raw.body`
		// attaches a stream to the request, which then stalls Node's draining of an unread upload.
		const declared = c.req.header('content-length');
		if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
			return Number(declared) > maxSize ? tooLarge(c) : next();
		}
		const raw = c.req.raw;
		const body = raw.body;
		if (!body) return next();

		const reader = body.getReader();
		const chunks: Uint8Array[] = [];
		let size = 0;
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.byteLength;
			if (size > maxSize) {
				discard(reader);
				return tooLarge(c);
			}
			chunks.push(value);
		}
		// The route reads the body again: hand it the bytes already read.
		c.req.raw = new Request(raw, { body: Buffer.concat(chunks, size) });
		return next();
	});
};

function discard(reader: ReadableStreamDefaultReader<Uint8Array>): void {
	const started = Date.now();
	let dropped = 0;
	void (async () => {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return;
			dropped += value.byteLength;
			if (dropped > DISCARD_BYTES || Date.now() - started > DISCARD_MS) {
				await reader.cancel();
				return;
			}
		}
	})().catch(() => {});
}
