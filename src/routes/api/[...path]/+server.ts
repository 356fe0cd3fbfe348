// Forwards every /api/* request, whatever its method, to the Hono API.
import type { RequestHandler } from './$types';
import { startRuntime } from '$lib/server/runtime';

export const fallback: RequestHandler = async ({ request, getClientAddress }) => {
	const { api } = await startRuntime();
	return api.fetch(request, { clientAddress: getClientAddress() });
};
