// A new recovery key: the browser seals the identity bundle under it; the old key stops working.
import { createRoute, z } from '@hono/zod-openapi';
import { updateRecovery } from '../../../db/users';
import { hashKey } from '../../../auth/password-hash';
import { reauth } from '../../../accounts/reauth';
import { logSecurityEvent } from '../../../accounts/security-log';
import { authenticate } from '../../middleware/authenticate';
import { clientOf } from '../../client-info';
import type { ApiDeps } from '../../env';
import { jsonBody, problems } from '../../openapi';
import { createRouter } from '../../router';
import { DerivedKey, Reauth, SealedBundle } from '../../schemas';

const rotate = createRoute({
	method: 'post',
	path: '/auth/recovery/rotate',
	tags: ['Recovery'],
	summary: 'Replace the recovery key (the old one stops working)',
	security: [{ bearer: [] }],
	request: {
		body: jsonBody(z.object({ reauth: Reauth, recoveryBundle: SealedBundle, recoveryAuthKey: DerivedKey }))
	},
	responses: { 204: { description: 'Rotated' }, ...problems(400, 401, 403, 429) }
});

export const recoveryKeyRoutes = (deps: ApiDeps) => {
	const app = createRouter();
	app.use('/auth/recovery/rotate', authenticate(deps));
	return app.openapi(rotate, async (c) => {
		const { userId } = c.get('session');
		const body = c.req.valid('json');
		await reauth(deps, c, body.reauth);
		const recoveryAuthHash = await hashKey(body.recoveryAuthKey);
		await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
			await updateRecovery(tx, userId, { recoveryBundle: body.recoveryBundle, recoveryAuthHash });
			await logSecurityEvent(tx, clientOf(c), { userId, kind: 'recovery_key_rotated' });
		});
		return c.body(null, 204);
	});
};
