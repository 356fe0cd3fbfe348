// The two API calls an import's upload makes (upload.ts `send` and `last`), with the server's answers
// turned into the upload's own errors: stale counter, still in progress, refused for good. A rate limit is
// waited out (its Retry-After), not an error: a long import outlasts a minute's budget of requests.
import { ApiProblem, readJson } from '$lib/api/problem';
import { session } from '$lib/api/session.svelte';
import { BatchInProgress, BatchRefused, StaleCounter, type Prev, type Stored } from './upload';

const sleep = (ms: number, signal?: AbortSignal) =>
	new Promise<void>((resolve, reject) => {
		const t = setTimeout(resolve, ms);
		signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
	});

export function writesApi(tenantId: string, signal?: AbortSignal) {
	const org = session.api.api.orgs[':tenantId'];
	return {
		async send(body: Record<string, unknown>, key: string): Promise<Stored> {
			for (;;) {
				try {
					return await readJson(
						org.writes.$post({
							param: { tenantId },
							header: { 'idempotency-key': key },
							json: body as never
						})
					);
				} catch (e) {
					if (!(e instanceof ApiProblem)) throw e;
					if (e.status === 429) {
						await sleep((e.retryAfter ?? 1) * 1000, signal);
						continue;
					}
					if (e.status === 409 && e.code === 'stale_counter') throw new StaleCounter(e.detail);
					if (e.status === 409 && e.code === 'idempotency_in_progress') throw new BatchInProgress(e.detail);
					if (e.status >= 400 && e.status < 500 && e.status !== 401 && e.status !== 408)
						throw new BatchRefused(e.detail, { cause: e });
					throw e;
				}
			}
		},
		async last(): Promise<Prev> {
			return (await readJson(org['my-writes'].last.$get({ param: { tenantId } }))).last;
		}
	};
}
