// Password change: a new salt, auth key and master-key bundle (no data is re-encrypted). Every other
// session ends, and what was added in the last 24 hours is listed for removal.
import { createRoute, z } from '@hono/zod-openapi';
import { requireServerSalt } from '../../../accounts/server-salt';
import { keyMaterial, updatePassword } from '../../../db/users';
import { revokeSessions } from '../../../db/sessions';
import { hashKey } from '../../../auth/password-hash';
import { reauth } from '../../../accounts/reauth';
import { offerCleanup } from '../../../accounts/recent-additions';
import { logSecurityEvent } from '../../../accounts/security-log';
import { authenticate } from '../../middleware/authenticate';
import { clientOf } from '../../client-info';
import type { ApiDeps } from '../../env';
import { jsonBody, problems } from '../../openapi';
import { createRouter } from '../../router';
import { Cleanup, DerivedKey, Kdf, Reauth, SealedBundle } from '../../schemas';

const changePassword = createRoute({
	method: 'post',
	path: '/auth/password',
	tags: ['Accounts'],
	summary: 'Change the password: new salt, auth key and master-key bundle; other sessions end',
	security: [{ bearer: [] }],
	request: {
		body: jsonBody(z.object({ reauth: Reauth, kdf: Kdf, authKey: DerivedKey, masterBundle: SealedBundle }))
	},
	responses: {
		200: {
			description: 'Changed',
			content: { 'application/json': { schema: Cleanup.extend({ revokedSessions: z.number() }) } }
		},
		...problems(400, 401, 403, 429)
	}
});

export const passwordRoutes = (deps: ApiDeps) => {
	const app = createRouter();
	app.use('/auth/password', authenticate(deps));
	return app.openapi(changePassword, async (c) => {
		const { userId, sessionId } = c.get('session');
		const body = c.req.valid('json');
		await reauth(deps, c, body.reauth);
		const authHash = await hashKey(body.authKey);
		const result = await deps.db.withClaims({ role: 'stowage_auth' }, async (tx) => {
			const account = await keyMaterial(tx, userId);
			if (account) requireServerSalt(deps.keys, account.email, body.kdf.salt);
			await updatePassword(tx, userId, {
				kdf: { salt: body.kdf.salt, opsLimit: body.kdf.opsLimit, memLimitBytes: body.kdf.memLimitBytes },
				authHash,
				masterBundle: body.masterBundle
			});
			const revokedSessions = await revokeSessions(tx, userId, 'password_changed', sessionId);
			await logSecurityEvent(tx, clientOf(c), {
				userId,
				kind: 'password_changed',
				detail: { revokedSessions }
			});
			return { revokedSessions, ...(await offerCleanup(deps, tx, userId)) };
		});
		return c.json(result, 200);
	});
};
