// Small builders for route declarations, so every route documents its bodies and problems alike.
import type { z } from '@hono/zod-openapi';
import { ProblemSchema } from './problem';

/** The problem+json responses a route can give, by status. */
export const problems = (...statuses: number[]) =>
	Object.fromEntries(
		statuses.map((status) => [
			status,
			{ description: 'Problem', content: { 'application/problem+json': { schema: ProblemSchema } } }
		])
	);

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
	required: true,
	content: { 'application/json': { schema } }
});
