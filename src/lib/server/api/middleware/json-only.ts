// Bodies must be JSON. Without this, a body sent as text/plain or a form would skip JSON validation,
// and form-encoded requests are also what a cross-site form could forge.
import { createMiddleware } from 'hono/factory';
import { problemFor, problemResponse } from '../problem';
import { hasNoBody } from './no-body';

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

export const jsonOnly = () =>
	createMiddleware(async (c, next) => {
		if (hasNoBody(c) || c.req.raw.body === null) return next();
		const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
		if (!JSON_MEDIA_TYPE.test(mediaType)) {
			return problemResponse(c, problemFor(415, 'Send the request body as application/json.'));
		}
		await next();
	});
