// Caps request bodies (declared and streamed) and answers 413 as a problem.
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { problemFor, problemResponse } from '../problem';

export const bodyLimit = (maxSize: number) =>
	honoBodyLimit({
		maxSize,
		onError: (c) => problemResponse(c, problemFor(413, `Request bodies are limited to ${maxSize} bytes.`))
	});
