// Queries over organisations, their team chain, members and key wraps. They run as `authenticated`
// (the caller's claims set), so RLS shows only the caller's organisations; writes go through the one
// SECURITY DEFINER function private.create_organisation (supabase/migrations/20261201010000_organisations.sql).
import type { SqlExecutor } from './types';
import { bytes } from './values';

export type NewOrganisation = {
	tenantId: string;
	displayName: string;
	link: Uint8Array;
	linkHash: Uint8Array;
	x25519Public: Uint8Array;
	ed25519Public: Uint8Array;
	/** The epoch-1 wrap and its wrap statement, per domain. */
	wraps: Record<'catalog' | 'sourcing' | 'logistics', { wrap: Uint8Array; statement: Uint8Array }>;
};

/** 'created', or 'exists' when the tenant id was taken (nothing written). */
export async function createOrganisation(tx: SqlExecutor, o: NewOrganisation): Promise<'created' | 'exists'> {
	const [row] = await tx.query<{ outcome: 'created' | 'exists' }>(
		`select private.create_organisation($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) as outcome`,
		[
			o.tenantId,
			o.displayName,
			o.link,
			o.linkHash,
			o.x25519Public,
			o.ed25519Public,
			o.wraps.catalog.wrap,
			o.wraps.catalog.statement,
			o.wraps.sourcing.wrap,
			o.wraps.sourcing.statement,
			o.wraps.logistics.wrap,
			o.wraps.logistics.statement
		]
	);
	return row!.outcome;
}

export type Membership = { tenantId: string; displayName: string; role: number; createdAt: Date };

/** The caller's organisations, oldest first. */
export async function listOwnOrganisations(tx: SqlExecutor): Promise<Membership[]> {
	const rows = await tx.query<{ tenant_id: string; display_name: string; role: number; created_at: Date }>(
		`select o.tenant_id, o.display_name, m.role, o.created_at
		   from app.organisations o
		   join app.members m on m.tenant_id = o.tenant_id and m.user_id = (select auth.uid())
		  order by o.created_at, o.tenant_id`
	);
	return rows.map((r) => ({
		tenantId: r.tenant_id,
		displayName: r.display_name,
		role: Number(r.role),
		createdAt: new Date(r.created_at)
	}));
}

/** The caller's membership of one organisation (null: not a member, or no such organisation). */
export async function ownMembership(tx: SqlExecutor, tenantId: string): Promise<Membership | null> {
	const [r] = await tx.query<{ tenant_id: string; display_name: string; role: number; created_at: Date }>(
		`select o.tenant_id, o.display_name, m.role, o.created_at
		   from app.organisations o
		   join app.members m on m.tenant_id = o.tenant_id and m.user_id = (select auth.uid())
		  where o.tenant_id = $1`,
		[tenantId]
	);
	return r
		? {
				tenantId: r.tenant_id,
				displayName: r.display_name,
				role: Number(r.role),
				createdAt: new Date(r.created_at)
			}
		: null;
}

export type StoredLink = { seq: number; link: Uint8Array; linkHash: Uint8Array };

/** Links after `after`, in seq order, at most `limit`. */
export async function chainLinks(
	tx: SqlExecutor,
	tenantId: string,
	after: number,
	limit: number
): Promise<StoredLink[]> {
	const rows = await tx.query<{ seq: string | number; link: Uint8Array; link_hash: Uint8Array }>(
		`select seq, link, link_hash from app.chain_links
		  where tenant_id = $1 and seq > $2 order by seq limit $3`,
		[tenantId, after, limit]
	);
	return rows.map((r) => ({ seq: Number(r.seq), link: bytes(r.link), linkHash: bytes(r.link_hash) }));
}

export type StoredWrap = { domain: string; epoch: number; wrap: Uint8Array; statement: Uint8Array };

/** The caller's own wraps in one organisation (RLS: only the domains their role decrypts). */
export async function ownWraps(tx: SqlExecutor, tenantId: string): Promise<StoredWrap[]> {
	const rows = await tx.query<{
		domain: string;
		epoch: string | number;
		wrap: Uint8Array;
		statement: Uint8Array;
	}>(
		`select domain, epoch, wrap, statement from app.domain_key_wraps
		  where tenant_id = $1 and user_id = (select auth.uid())
		  order by domain, epoch`,
		[tenantId]
	);
	return rows.map((r) => ({
		domain: r.domain,
		epoch: Number(r.epoch),
		wrap: bytes(r.wrap),
		statement: bytes(r.statement)
	}));
}
