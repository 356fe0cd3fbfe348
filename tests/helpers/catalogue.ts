// The catalogue as a browser writes it: rows sealed with the crypto core (SPEC.md §6), SKU/ASIN blind indexes
// (§10), each row's leaf (§17.1) and one signed write statement per request (§17.3), sent to
// POST /api/orgs/{tenantId}/writes. Tests may import crypto/ freely; the server may not.
import { randomUUID } from 'node:crypto';
import {
	blindIndex,
	deriveBlindIndexKey,
	sealRecord,
	signWrite,
	statementHash,
	writeLeaf,
	type ColumnValue,
	type Domain,
	type DomainKey,
	type UserIdentity
} from '../../crypto/index';
import type { ApiApp } from '../../src/lib/server/api/app';
import { b64, call, unb64 } from './account-client';

export type Table = 'products' | 'suppliers' | 'product_sources' | 'stock_movements';
const FIELD: Record<Table, string> = {
	products: 'products',
	suppliers: 'suppliers',
	product_sources: 'sources',
	stock_movements: 'stockMovements'
};

/** One row version as the browser signs it: SQL column names → values (SPEC.md §17.1). */
export type Draft = {
	table: Table;
	id: string;
	version: number;
	prevLeaf: Uint8Array | null;
	columns: Record<string, ColumnValue>;
};

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

export type Author = {
	tenantId: string;
	memberId: string;
	identity: Pick<UserIdentity, 'signPublicKey' | 'signSecretKey'>;
	domainKeys: Readonly<Record<Domain, DomainKey>>;
	/** The chain head the author verified. */
	head: { seq: number; hash: Uint8Array };
	/** The author's last stored statement. */
	prev: { hash: Uint8Array; counter: number } | null;
};

export function leafOf(tenantId: string, d: Draft): Uint8Array {
	return writeLeaf({
		tenantId,
		table: d.table,
		rowId: d.id,
		version: d.version,
		prevLeaf: d.prevLeaf,
		columns: d.columns,
		tombstone: false
	});
}

const seal = (
	a: Author,
	domain: Domain,
	table: Table,
	column: string,
	id: string,
	fields: Record<string, string>
) =>
	sealRecord(fields, a.domainKeys[domain], {
		tenantId: a.tenantId,
		table,
		column,
		rowId: id,
		domain,
		epoch: 1
	});

export function skuIndex(a: Author, sku: string) {
	return blindIndex(
		deriveBlindIndexKey(a.domainKeys.catalog),
		{ table: 'products', column: 'sku' },
		'sku',
		sku
	);
}

export function newProduct(
	a: Author,
	p: { name: string; sku: string; asin?: string; priceMinor?: number; reorderPoint?: number | null }
): Draft {
	const id = randomUUID();
	const bidx = deriveBlindIndexKey(a.domainKeys.catalog);
	return {
		table: 'products',
		id,
		version: 1,
		prevLeaf: null,
		columns: {
			catalog: seal(a, 'catalog', 'products', 'catalog', id, {
				name: p.name,
				sku: p.sku,
				asin: p.asin ?? '',
				price_minor: String(p.priceMinor ?? 0),
				currency: 'EUR'
			}),
			sku_index: blindIndex(bidx, { table: 'products', column: 'sku' }, 'sku', p.sku),
			asin_index: p.asin ? blindIndex(bidx, { table: 'products', column: 'asin' }, 'asin', p.asin) : null,
			epoch: 1,
			reorder_point: p.reorderPoint ?? null,
			archived: false
		}
	};
}

export function newSupplier(a: Author, s: { name: string; email?: string }): Draft {
	const id = randomUUID();
	return {
		table: 'suppliers',
		id,
		version: 1,
		prevLeaf: null,
		columns: {
			sourcing: seal(a, 'sourcing', 'suppliers', 'sourcing', id, { name: s.name, email: s.email ?? '' }),
			epoch: 1,
			archived: false
		}
	};
}

export function newSource(a: Author, productId: string, supplierId: string, unitCostMinor: number): Draft {
	const id = randomUUID();
	return {
		table: 'product_sources',
		id,
		version: 1,
		prevLeaf: null,
		columns: {
			product_id: productId,
			supplier_id: supplierId,
			sourcing: seal(a, 'sourcing', 'product_sources', 'sourcing', id, {
				supplier_sku: 'S-1',
				unit_cost_minor: String(unitCostMinor),
				currency: 'EUR',
				moq: '10'
			}),
			epoch: 1,
			archived: false
		}
	};
}

export function movement(
	productId: string,
	delta: number,
	reason = 'count',
	occurredAtMs = Date.now()
): Draft {
	return {
		table: 'stock_movements',
		id: randomUUID(),
		version: 1,
		prevLeaf: null,
		columns: { product_id: productId, delta, reason, occurred_at: occurredAtMs * 1000 }
	};
}

/** The next version of a row, with `changes` (SQL column names). */
export function edited(a: Author, d: Draft, changes: Record<string, ColumnValue>): Draft {
	return {
		...d,
		version: d.version + 1,
		prevLeaf: leafOf(a.tenantId, d),
		columns: { ...d.columns, ...changes }
	};
}

/** The request body for `drafts`, as the API takes it. */
export function bodyOf(statement: Uint8Array, drafts: readonly Draft[]) {
	const body: Record<string, unknown> = { statement: b64(statement) };
	for (const d of drafts) {
		const field = FIELD[d.table];
		const row: Record<string, unknown> = { id: d.id };
		if (d.table !== 'stock_movements') {
			row.version = d.version;
			row.prevLeaf = d.prevLeaf ? b64(d.prevLeaf) : null;
		}
		for (const [n, v] of Object.entries(d.columns)) row[camel(n)] = v instanceof Uint8Array ? b64(v) : v;
		((body[field] ??= []) as unknown[]).push(row);
	}
	return body;
}

/** Signs `drafts` as the author's next statement (or with the overrides a test needs). */
export function signed(
	a: Author,
	drafts: readonly Draft[],
	o: {
		cited?: { seq: number; hash: Uint8Array };
		prev?: { hash: Uint8Array; counter: number } | null;
		leaves?: Uint8Array[];
		identity?: Author['identity'];
		memberId?: string;
	} = {}
) {
	const statement = signWrite(
		{
			tenantId: a.tenantId,
			kind: 'write',
			cited: o.cited ?? a.head,
			prev: o.prev === undefined ? a.prev : o.prev,
			leaves: o.leaves ?? drafts.map((d) => leafOf(a.tenantId, d))
		},
		{ memberId: o.memberId ?? a.memberId, identity: o.identity ?? a.identity }
	);
	return { statement, hash: statementHash(statement), body: bodyOf(statement, drafts) };
}

/** Signs and sends; on success the author's history moves on. Returns the response. */
export async function write(app: ApiApp, token: string, a: Author, drafts: readonly Draft[]) {
	const s = signed(a, drafts);
	const res = await call(app)('POST', `/api/orgs/${a.tenantId}/writes`, { token, body: s.body });
	if (res.status === 201 || res.status === 200) {
		a.prev = { hash: unb64(res.json.statement as string), counter: res.json.counter as number };
	}
	return { res, ...s };
}

/** An author from a freshly made organisation (tests/helpers/organisations.ts newOrganisation). */
export function authorOf(
	who: { userId: string; identity: UserIdentity },
	org: { tenantId: string; org: { linkHash: Uint8Array; domainKeys: Readonly<Record<Domain, DomainKey>> } }
): Author {
	return {
		tenantId: org.tenantId,
		memberId: who.userId,
		identity: who.identity,
		domainKeys: org.org.domainKeys,
		head: { seq: 1, hash: org.org.linkHash },
		prev: null
	};
}

/** One product, supplier, source and stock count in a new organisation: a row in every catalogue table. */
export async function seedCatalogue(
	app: ApiApp,
	who: { userId: string; identity: UserIdentity; token: string },
	org: { tenantId: string; org: { linkHash: Uint8Array; domainKeys: Readonly<Record<Domain, DomainKey>> } }
) {
	const a = authorOf(who, org);
	const p = newProduct(a, { name: 'Seed product', sku: `SEED-${randomUUID()}`, asin: 'B0SEED0001' });
	const s = newSupplier(a, { name: 'Seed supplier' });
	const { res } = await write(app, who.token, a, [p, s, newSource(a, p.id, s.id, 100), movement(p.id, 5)]);
	return { status: res.status, author: a, hash: unb64((res.json.statement as string) ?? '') };
}
