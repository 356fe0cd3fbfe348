// The page's organisation state: the caller's organisations, the current one (remembered per user in
// localStorage by tenant id), switching, and creating. Opening an organisation fetches its chain and the
// caller's wraps and hands them to the crypto worker, which verifies the chain against the checkpoints of
// this device and of the sealed blob before it opens any key (fail closed). Browser-only.
import { session } from '$lib/api/session.svelte';
import { readJson } from '$lib/api/problem';
import { browserCheckpointStore, loadCheckpoints, saveCheckpoints } from '$lib/vault/checkpoint-store';
import type { ChainFork, CheckpointMap, Head } from '$lib/vault/org-ops';
import { vault } from '$lib/vault/vault.svelte';
import { isCryptoError } from '$crypto';

export type OrgSummary = { tenantId: string; displayName: string; role: string; createdAt: string };

/** Why the current organisation could not be opened. No key of it is held when this is set. */
export type OrgFailure =
	| { kind: 'fork' | 'rollback'; tenantId: string; displayName: string; fork: ChainFork }
	| { kind: 'invalid'; tenantId: string; displayName: string; code: string }
	| { kind: 'unavailable'; tenantId: string; displayName: string; detail: string };

const currentKey = (userId: string) => `stowage.org.current.v1:${userId}`;

function remembered(userId: string): string | null {
	try {
		return localStorage.getItem(currentKey(userId));
	} catch {
		return null;
	}
}

function remember(userId: string, tenantId: string): void {
	try {
		localStorage.setItem(currentKey(userId), tenantId);
	} catch {
		// Not remembered: the first organisation is opened next time.
	}
}

class Organisations {
	list = $state<OrgSummary[]>([]);
	/** 'idle' before the first load (or after lock), 'loading' while listing or opening. */
	phase = $state<'idle' | 'loading' | 'ready'>('idle');
	/** The organisation opened and verified in the worker, with its verified head and role. */
	current = $state<(OrgSummary & { head: Head; domains: string[] }) | null>(null);
	failure = $state<OrgFailure | null>(null);
	#userId: string | null = null;
	#run = 0;

	get currentName(): string | null {
		return this.current?.displayName ?? this.failure?.displayName ?? null;
	}

	/** After unlock: list the caller's organisations and open the remembered one (or the first). */
	async load(userId: string): Promise<void> {
		this.#userId = userId;
		const run = ++this.#run;
		this.phase = 'loading';
		try {
			const { organisations } = await readJson(session.api.api.orgs.$get());
			if (run !== this.#run) return;
			this.list = organisations;
			const want = remembered(userId);
			const target = organisations.find((o) => o.tenantId === want) ?? organisations[0];
			if (target) await this.#open(target, run);
		} catch (e) {
			if (run !== this.#run) return;
			this.failure = {
				kind: 'unavailable',
				tenantId: '',
				displayName: '',
				detail: e instanceof Error ? e.message : 'Your organisations could not be loaded.'
			};
		} finally {
			if (run === this.#run) this.phase = 'ready';
		}
	}

	/** Locking wipes the keys in the worker; the page forgets what it showed. */
	reset(): void {
		this.#run++;
		this.list = [];
		this.current = null;
		this.failure = null;
		this.phase = 'idle';
	}

	async switchTo(tenantId: string): Promise<void> {
		const target = this.list.find((o) => o.tenantId === tenantId);
		if (!target || !this.#userId) return;
		const run = ++this.#run;
		this.phase = 'loading';
		try {
			if (this.current) await vault.ops.closeOrganisation(this.current.tenantId);
			await this.#open(target, run);
		} finally {
			if (run === this.#run) this.phase = 'ready';
		}
	}

	/** The worker makes the keys and signs the create link; the server verifies and stores it; then it is opened. */
	async create(displayName: string): Promise<OrgSummary> {
		const created = await vault.ops.createOrganisation(displayName);
		const org = await readJson(session.api.api.orgs.$post({ json: created.body }));
		const summary: OrgSummary = {
			tenantId: org.tenantId,
			displayName: org.displayName,
			role: org.role,
			createdAt: org.createdAt
		};
		this.list = [...this.list.filter((o) => o.tenantId !== summary.tenantId), summary];
		await this.switchTo(summary.tenantId);
		return summary;
	}

	async #open(target: OrgSummary, run: number): Promise<void> {
		const userId = this.#userId!;
		this.current = null;
		this.failure = null;
		remember(userId, target.tenantId);
		const base = { tenantId: target.tenantId, displayName: target.displayName };
		try {
			const param = { tenantId: target.tenantId };
			const links: string[] = [];
			for (let more = true; more;) {
				const page = await readJson(
					session.api.api.orgs[':tenantId'].chain.$get({ param, query: { after: String(links.length) } })
				);
				links.push(...page.links.map((l) => l.link));
				more = page.more && page.links.length > 0;
			}
			const { wraps } = await readJson(session.api.api.orgs[':tenantId'].keys.$get({ param }));
			const stored = await readJson(session.api.api.me.checkpoints.$get());
			if (run !== this.#run) return;

			// Where this user's devices left off: this device's checkpoints and the sealed blob, merged.
			const store = browserCheckpointStore();
			const local = loadCheckpoints(store, userId);
			let remote: CheckpointMap = {};
			if (stored.blob) {
				try {
					remote = (await vault.ops.openCheckpoints(stored.blob)).checkpoints;
				} catch {
					// A blob this user did not seal proves nothing: it is ignored (the server could as well
					// have deleted it) and replaced below, once the chain verifies against this device's own.
				}
			}
			const merged = await vault.ops.mergeCheckpoints(local, remote);
			if (!merged.ok) {
				const t = this.list.find((o) => o.tenantId === merged.tenantId);
				this.failure = {
					kind: merged.fork.kind,
					tenantId: merged.tenantId,
					displayName: t?.displayName ?? target.displayName,
					fork: merged.fork
				};
				return;
			}
			const opened = await vault.ops.openOrganisation(
				target.tenantId,
				links,
				wraps,
				merged.checkpoints[target.tenantId] ?? null
			);
			if (run !== this.#run) return;
			if (!opened.verified) {
				this.failure = { ...base, kind: opened.fork.kind, fork: opened.fork };
				return;
			}
			this.current = { ...target, head: opened.head, domains: opened.domains.map((d) => d.domain) };
			// Only now, after verification: this device's checkpoint and the re-sealed blob move forward.
			const next = { ...merged.checkpoints, [target.tenantId]: opened.head };
			saveCheckpoints(store, userId, next);
			const blob = await vault.ops.sealCheckpoints(next);
			await readJson(session.api.api.me.checkpoints.$put({ json: { blob } })).catch(() => undefined);
		} catch (e) {
			if (run !== this.#run) return;
			this.current = null;
			this.failure = isCryptoError(e)
				? { ...base, kind: 'invalid', code: e.code }
				: {
						...base,
						kind: 'unavailable',
						detail: e instanceof Error ? e.message : 'The organisation could not be loaded.'
					};
		}
	}
}

export const orgs = new Organisations();
