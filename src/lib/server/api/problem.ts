// RFC 9457 problem details: the one error type the API throws and the one renderer that answers it.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from '@hono/zod-openapi';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const ProblemSchema = z
	.object({
		type: z.string().openapi({ example: 'about:blank' }),
		title: z.string().openapi({ example: 'Invalid request' }),
		status: z.number().int().openapi({ example: 400 }),
		detail: z.string().optional(),
		code: z.string().openapi({ example: 'validation_failed' }),
		requestId: z.string().optional(),
		errors: z.array(z.object({ path: z.string(), message: z.string() })).optional()
	})
	.openapi('Problem');

export type Problem = z.infer<typeof ProblemSchema>;

/** An expected failure. `detail` is shown to people: it must never contain secrets or input echoes. */
export class ApiError extends Error {
	override readonly name = 'ApiError';
	constructor(
		readonly status: ContentfulStatusCode,
		readonly code: string,
		readonly title: string,
		readonly detail?: string,
		readonly extra: Pick<Problem, 'errors'> & { headers?: Record<string, string> } = {}
	) {
		super(title);
	}
}

/** Status codes whose titles we write ourselves; others come from the thrown error. */
const TITLES: Partial<Record<number, [code: string, title: string]>> = {
	400: ['bad_request', 'Bad request'],
	401: ['unauthenticated', 'Authentication required'],
	403: ['forbidden', 'Forbidden'],
	404: ['not_found', 'Not found'],
	405: ['method_not_allowed', 'Method not allowed'],
	413: ['payload_too_large', 'Request body too large'],
	415: ['unsupported_media_type', 'Unsupported media type'],
	429: ['rate_limited', 'Too many requests'],
	500: ['internal_error', 'Internal error'],
	503: ['unavailable', 'Service unavailable']
};

export function problemResponse(
	c: Context,
	problem: Omit<Problem, 'type'>,
	headers?: Record<string, string>
) {
	const body: Problem = { type: 'about:blank', ...problem };
	const requestId = c.get('requestId' as never) as string | undefined;
	if (requestId) body.requestId = requestId;
	return c.body(JSON.stringify(body), problem.status as ContentfulStatusCode, {
		'Content-Type': PROBLEM_CONTENT_TYPE,
		...headers
	});
}

export function problemFor(status: number, detail?: string): Omit<Problem, 'type'> {
	const [code, title] = TITLES[status] ?? ['error', 'Error'];
	return detail === undefined ? { status, code, title } : { status, code, title, detail };
}

/** Renders any thrown value; unexpected ones become an opaque 500 (logged by the caller). */
export function toProblem(error: unknown): {
	problem: Omit<Problem, 'type'>;
	headers?: Record<string, string>;
	expected: boolean;
} {
	if (error instanceof ApiError) {
		const problem: Omit<Problem, 'type'> = { status: error.status, code: error.code, title: error.title };
		if (error.detail !== undefined) problem.detail = error.detail;
		if (error.extra.errors) problem.errors = error.extra.errors;
		return error.extra.headers
			? { problem, headers: error.extra.headers, expected: true }
			: { problem, expected: true };
	}
	if (error instanceof HTTPException && error.status < 500) {
		// Hono's own 4xx (malformed JSON, media type): fixed strings, safe to show.
		return { problem: problemFor(error.status, error.message || undefined), expected: true };
	}
	const status = clientStatusOf(error);
	if (status !== undefined) {
		// A host's 4xx while the body streamed in (e.g. SvelteKit's BODY_SIZE_LIMIT answering 413).
		return { problem: problemFor(status), expected: true };
	}
	return {
		problem: problemFor(
			500,
			'Something went wrong on our side. Try again; if it persists, quote the request id.'
		),
		expected: false
	};
}

function clientStatusOf(error: unknown): number | undefined {
	if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
	const { status } = error;
	return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
