// The one reader of API answers: the body of a success, typed from the typed client's route, or an
// ApiProblem that a page can show (its `detail` is written for people).

/** A problem+json answer, as an error a page can show. */
export class ApiProblem extends Error {
	override readonly name = 'ApiProblem';
	constructor(
		readonly status: number,
		readonly code: string,
		readonly detail: string,
		readonly retryAfter?: number,
		/** What the problem names, each by its path (a field, or a row as `products/<id>`). */
		readonly errors: readonly { path: string; message: string }[] = []
	) {
		super(detail);
	}
}

/** What the typed client (and fetch) hand back: enough to read a body or a problem. */
type Answer = { ok: boolean; status: number; headers: Headers; json(): Promise<unknown> };

/** The body of a route's successful (2xx) answers, from the typed client's response union. */
export type OkBody<R> = R extends { ok: true; status: 204 }
	? undefined
	: R extends { ok: true; json(): Promise<infer T> }
		? T
		: never;

/** Reads an answer: its JSON body on success (nothing for a 204), an ApiProblem otherwise. */
export async function readJson<R extends Answer>(answer: R | Promise<R>): Promise<OkBody<R>> {
	const res = await answer;
	if (res.ok) return (res.status === 204 ? undefined : await res.json()) as OkBody<R>;
	let body: { code?: string; detail?: string; title?: string; errors?: unknown } = {};
	try {
		const parsed: unknown = await res.json();
		if (parsed && typeof parsed === 'object') body = parsed as typeof body;
	} catch {
		// not a problem document (a proxy's error page): fall through to a generic message
	}
	const retry = Number(res.headers.get('retry-after'));
	throw new ApiProblem(
		res.status,
		body.code ?? 'error',
		body.detail ?? body.title ?? 'The service did not answer as expected. Try again in a moment.',
		Number.isFinite(retry) && retry > 0 ? retry : undefined,
		Array.isArray(body.errors)
			? body.errors.filter(
					(e): e is { path: string; message: string } =>
						typeof e?.path === 'string' && typeof e?.message === 'string'
				)
			: []
	);
}
