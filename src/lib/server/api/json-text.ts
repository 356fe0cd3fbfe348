// A 200 JSON response whose body is already serialised (a page PostgreSQL built with json_agg), typed as
// the route's schema says, so the typed client and the OpenAPI document see it like any c.json answer.
import type { Context, TypedResponse } from 'hono';

export const jsonText = <T>(c: Context, text: string) =>
	c.body(text, 200, { 'content-type': 'application/json' }) as unknown as TypedResponse<T, 200, 'json'>;
