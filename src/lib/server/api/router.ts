// The router every resource builds on: zod validation through @hono/zod-openapi, whose failures
// answer as problem+json 400 listing each invalid field (paths only, never the rejected values).
import { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from './env';
import { problemResponse } from './problem';

export function createRouter() {
	return new OpenAPIHono<ApiEnv>({
		defaultHook: (result, c) => {
			if (result.success) return;
			return problemResponse(c, {
				status: 400,
				code: 'validation_failed',
				title: 'Invalid request',
				detail: `The request ${result.target} did not match what this endpoint expects.`,
				errors: result.error.issues.map((issue) => ({
					path: issue.path.map(String).join('.') || '(root)',
					message: issue.message
				}))
			});
		}
	});
}
