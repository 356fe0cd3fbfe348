// The typed API client the pages use: routes, inputs and outputs come from the Hono app's type.
import { hc } from 'hono/client';
import type { ApiApp } from '$lib/server/api/app';

export function createApiClient(origin: string, fetchImpl: typeof fetch = fetch) {
	return hc<ApiApp>(origin, { fetch: fetchImpl });
}

export type ApiClient = ReturnType<typeof createApiClient>;
