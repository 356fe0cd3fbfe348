// The user's sealed chain checkpoints (crypto/SPEC.md §18): one opaque blob per user, which the browser
// signed and sealed to the user's own keys. The server stores and returns it, and cannot read it; the
// browser merges it with its own (the higher seq wins) and refuses a blob it did not seal itself.
import { createRoute, z } from '@hono/zod-openapi';
import { authenticate } from '../middleware/authenticate';
import type { ApiDeps } from '../env';
import { jsonBody, problems } from '../openapi';
import { createRouter } from '../router';
import { b64, Bytes } from '../schemas';

/** SPEC.md §18.2's smallest blob, and the cap the table's check constraint repeats (256 KiB). */
export const CHECKPOINTS_MIN_BYTES = 1 + 48 + 1 + 8 + 64;
export const CHECKPOINTS_MAX_BYTES = 256 * 1024;

const Blob = z
	.object({ blob: Bytes(CHECKPOINTS_MIN_BYTES, CHECKPOINTS_MAX_BYTES) })
	.strict()
	.openapi('SealedCheckpoints');

const read = createRoute({
	method: 'get',
	path: '/me/checkpoints',
	tags: ['Organisations'],
	summary: "The caller's sealed chain checkpoints (null before the first write)",
	security: [{ bearer: [] }],
	responses: {
		200: {
			description: 'The blob as last stored, or null',
			content: {
				'application/json': {
					schema: z
						.object({ blob: z.string().nullable(), updatedAt: z.string().nullable() })
						.openapi('StoredCheckpoints')
				}
			}
		},
		...problems(401)
	}
});

const write = createRoute({
	method: 'put',
	path: '/me/checkpoints',
	tags: ['Organisations'],
	summary: "Replace the caller's sealed chain checkpoints",
	security: [{ bearer: [] }],
	request: { body: jsonBody(Blob) },
	responses: { 204: { description: 'Stored' }, ...problems(400, 401, 413) }
});

export const checkpointRoutes = (deps: ApiDeps) => {
	const app = createRouter();
	app.use('/me/checkpoints', authenticate(deps));
	const asUser = (userId: string) => ({ role: 'authenticated' as const, sub: userId });

	return app
		.openapi(read, async (c) => {
			const { userId } = c.get('session');
			const [row] = await deps.db.withClaims(asUser(userId), (tx) =>
				tx.query<{ blob: Uint8Array; updated_at: Date }>(
					'select blob, updated_at from app.chain_checkpoints where user_id = $1',
					[userId]
				)
			);
			return c.json(
				row
					? { blob: b64(new Uint8Array(row.blob)), updatedAt: new Date(row.updated_at).toISOString() }
					: { blob: null, updatedAt: null },
				200
			);
		})
		.openapi(write, async (c) => {
			const { userId } = c.get('session');
			const { blob } = c.req.valid('json');
			await deps.db.withClaims(asUser(userId), (tx) =>
				tx.query(
					`insert into app.chain_checkpoints (user_id, blob) values ($1, $2)
					 on conflict (user_id) do update set blob = excluded.blob, updated_at = now()`,
					[userId, blob]
				)
			);
			return c.body(null, 204);
		});
};
