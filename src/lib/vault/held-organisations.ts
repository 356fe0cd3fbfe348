// What the crypto worker holds per opened organisation: the chain it verified and the domain keys that
// passed §7.6.2 against it (crypto/SPEC.md §16, §7.6), keyed by (tenant, domain, epoch). org-ops.ts fills
// it; catalogue-ops.ts seals, signs and verifies with it. Locking the vault wipes everything held.
import { CryptoError, wipe, type Domain, type DomainKey, type VerifiedChainState } from '$crypto';
import type { VaultSession } from './account-ops';

export type HeldOrganisations = ReturnType<typeof heldOrganisations>;

export function heldOrganisations(session: () => VaultSession) {
	const keys = new Map<string, DomainKey>();
	const chains = new Map<string, VerifiedChainState>();
	/** Per-tenant caches that must go when the tenant's keys go (verified statements, blind-index keys). */
	const caches = new Map<string, Map<string, unknown>>();
	const keyId = (tenantId: string, domain: Domain, epoch: number) => `${tenantId}/${domain}/${epoch}`;

	const forget = (tenantId?: string) => {
		for (const [id, key] of keys) {
			if (tenantId === undefined || id.startsWith(`${tenantId}/`)) {
				wipe(key);
				keys.delete(id);
			}
		}
		for (const t of tenantId === undefined ? [...chains.keys(), ...caches.keys()] : [tenantId]) {
			chains.delete(t);
			for (const c of caches.get(t)?.values() ?? [])
				for (const v of (c as Map<string, unknown>).values()) if (v instanceof Uint8Array) wipe(v);
			caches.delete(t);
		}
	};

	let hooked = false;
	return {
		/** The unlocked identity; the first call registers the wipe on lock. */
		me() {
			const s = session();
			if (!hooked) {
				s.onLock(() => forget());
				hooked = true;
			}
			return s.unlocked();
		},
		forget,
		keyId,
		/** Files what one open verified: the chain and its keys (replacing anything held for the tenant). */
		hold(tenantId: string, state: VerifiedChainState, opened: ReadonlyMap<string, DomainKey>) {
			forget(tenantId);
			for (const [id, k] of opened) keys.set(id, k);
			chains.set(tenantId, state);
		},
		chain(tenantId: string): VerifiedChainState | undefined {
			return chains.get(tenantId);
		},
		/** The verified chain of an opened organisation, or ERR_INVALID_INPUT. */
		openedChain(tenantId: string): VerifiedChainState {
			this.me();
			const state = chains.get(tenantId);
			if (!state) throw new CryptoError('ERR_INVALID_INPUT', 'open the organisation first');
			return state;
		},
		key(tenantId: string, domain: Domain, epoch: number): DomainKey | undefined {
			return keys.get(keyId(tenantId, domain, epoch));
		},
		heldIds(tenantId: string): string[] {
			return [...keys.keys()].filter((id) => id.startsWith(`${tenantId}/`));
		},
		/** A cache living exactly as long as the tenant's keys. */
		cache<V>(tenantId: string, name: string): Map<string, V> {
			let perTenant = caches.get(tenantId);
			if (!perTenant) caches.set(tenantId, (perTenant = new Map()));
			let c = perTenant.get(name) as Map<string, V> | undefined;
			if (!c) perTenant.set(name, (c = new Map<string, V>()));
			return c;
		}
	};
}
