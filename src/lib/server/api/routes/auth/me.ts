// The signed-in account and its sealed key material.
import { createRoute } from '@hono/zod-openapi';
import { keyMaterial } from '../../../db/users';
import { authenticate } from '../../middleware/authenticate';
import type { ApiDeps } from '../../env';
import { ApiError } from '../../problem';
import { problems } from '../../openapi';
import { createRouter } from '../../router';
import { Account } from '../../schemas';
import { accountView } from '../../session-grant';

const me = createRoute({
	method: 'get',
	path: '/auth/me',
	tags: ['Accounts'],
	summary: 'The signed-in account and its sealed key material',
	security: [{ bearer: [] }],
	responses: {
		200: { description: 'Account', content: { 'application/json': { schema: Account } } },
		...problems(401)
	}
});

export const meRoutes = (deps: ApiDeps) => {
	const app = createRouter();
	app.use('/auth/me', authenticate(deps));
	return app.openapi(me, async (c) => {
		const { userId } = c.get('session');
		const account = await deps.db.withClaims({ role: 'stowage_auth' }, (tx) => keyMaterial(tx, userId));
		if (!account) throw new ApiError(404, 'not_found', 'Not found');
		return c.json(accountView(account), 200);
	});
};
