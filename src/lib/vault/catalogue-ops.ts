// The vault's catalogue operations (issue 11 "Signed writes"): in the crypto worker, with the keys and the
// verified chain held for an opened organisation (held-organisations.ts).
// - prepareWrite seals each draft's fields under the current epoch of its domain, computes the SKU/ASIN blind
//   indexes (SPEC.md §10), every row's leaf (§17.1) and signs one write statement (§17.3) citing the verified
//   head; the page gets the POST …/writes body, ready to send.
// - openRows verifies a page as the API served it: each statement on the verified chain (§17.6, cached by its
//   own hash for the life of the keys; verifyStatements fills the cache from GET …/writes ahead of pages served
//   without statements), each row against it (§17.8, leaf recomputed from the columns served), then opens the
//   envelopes. A row that fails is returned with why, never dropped and never thrown.
import {
	blindIndex,
	CryptoError,
	deriveBlindIndexKey,
	fromBase64url,
	checkRow,
	openRecord,
	sealRecord,
	signWrite,
	statementHash,
	toBase64url,
	verifyWriteOnChain,
	writeLeaf,
	type BlindIndexKey,
	type ColumnValue,
	type Domain,
	type DomainKey,
	type VerifiedWrite
} from '$crypto';
import { SEALED, type CatalogueTable, type MovementReason, type SealedTable } from '$lib/catalogue/records';
import type { HeldOrganisations } from './held-organisations';

/** How each table's client-written (leaf) columns travel: the server's CATALOGUE_TABLES, as JSON kinds. */
export const LEAF_COLUMNS = {
	products: {
		archived: 'boolean',
		asin_index: 'bytes',
		catalog: 'bytes',
		epoch: 'integer',
		reorder_point: 'integer',
		sku_index: 'bytes'
	},
	suppliers: { archived: 'boolean', epoch: 'integer', sourcing: 'bytes' },
	product_sources: {
		archived: 'boolean',
		epoch: 'integer',
		product_id: 'text',
		sourcing: 'bytes',
		supplier_id: 'text'
	},
	stock_movements: { delta: 'integer', occurred_at: 'integer', product_id: 'text', reason: 'text' }
} as const satisfies Record<CatalogueTable, Record<string, 'boolean' | 'bytes' | 'integer' | 'text'>>;

/** The write request's field for each table (POST /api/orgs/{tenantId}/writes). */
const BODY_FIELD = {
	products: 'products',
	suppliers: 'suppliers',
	product_sources: 'sources',
	stock_movements: 'stockMovements'
} as const satisfies Record<CatalogueTable, string>;

type Versioned = {
	id: string;
	/** 1 for a new row; an edit is the stored version + 1. */
	version: number;
	/** The stored version's leaf (base64url), null for a new row. */
	prevLeaf: string | null;
	fields: Record<string, string>;
	archived: boolean;
};

/** One row version to write, as the page states it: plaintext fields of its sealed domain, and the rest. */
export type Draft =
	| ({ table: 'products'; reorderPoint: number | null } & Versioned)
	| ({ table: 'suppliers' } & Versioned)
	| ({ table: 'product_sources'; productId: string; supplierId: string } & Versioned)
	| {
			table: 'stock_movements';
			id: string;
			productId: string;
			delta: number;
			reason: MovementReason;
			/** Microseconds since the Unix epoch. */
			occurredAt: number;
	  };

export type WriteRequest = {
	/** The body for POST /api/orgs/{tenantId}/writes. */
	body: Record<string, unknown>;
	/** statementHash (base64url) and counter: what this author's next statement follows once stored. */
	hash: string;
	counter: number;
	/** Each row's new leaf (base64url), in the drafts' order: an edit of it cites it as prevLeaf. */
	leaves: string[];
};

/** A row as a list route serves it (camelCase columns, bytes in base64url). */
export type ServedRow = Record<string, unknown> & {
	id: string;
	version: number;
	prevLeaf: string | null;
	writeHash: string;
};
export type ServedWrite = { hash: string; statement: string; leaves: string };

/** Why a row is shown as unverified (the page words it). */
export type RowProblem =
	/** No statement that verifies on the chain, by a member who may write this table, covers the row. */
	| 'unsigned'
	/** The row differs from what its statement signed (changed, swapped, or an older version replayed). */
	| 'altered'
	/** Signed, but its envelope does not open with the domain key of its epoch. */
	| 'unreadable';

export type OpenedRow = {
	id: string;
	version: number;
	/** This version's leaf as recomputed here: what an edit cites as prevLeaf. */
	leaf: string;
	/** Plaintext columns (camelCase), as served. */
	plain: Record<string, string | number | boolean | null>;
	/** The sealed fields, when the envelope opened (even for an unverified row: shown, flagged). */
	fields: Record<string, string> | null;
	problem: RowProblem | null;
	updatedAt: string;
};

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
/** Each table's leaf columns: SQL name, the name served (camelCase) and kind; worked out once, not per row. */
const SERVED_COLUMNS = Object.fromEntries(
	Object.entries(LEAF_COLUMNS).map(([table, columns]) => [
		table,
		Object.entries(columns).map(([name, kind]) => ({ name, served: camel(name), kind }))
	])
) as Record<
	CatalogueTable,
	{ name: string; served: string; kind: 'boolean' | 'bytes' | 'integer' | 'text' }[]
>;
const invalid = (what: string): never => {
	throw new CryptoError('ERR_INVALID_INPUT', what);
};

/** The catalogue operations over what the worker holds for opened organisations. */
export function catalogueOperations(held: HeldOrganisations) {
	/** The current epoch's key of `domain`, for sealing: DESIGN.md "Writes follow the chain". */
	function currentKey(tenantId: string, domain: Domain): { key: DomainKey; epoch: number } {
		const { epoch } = held.openedChain(tenantId).currentEpoch(domain);
		const key = held.key(tenantId, domain, epoch);
		if (!key) invalid('no key of this domain');
		return { key: key!, epoch };
	}

	function blindIndexKey(tenantId: string, epoch: number, key: DomainKey): BlindIndexKey {
		const cache = held.cache<BlindIndexKey>(tenantId, 'blind-index');
		let k = cache.get(String(epoch));
		if (!k) cache.set(String(epoch), (k = deriveBlindIndexKey(key)));
		return k;
	}

	/** The draft's leaf columns (SQL names, SPEC.md §17.1 values) and its body row (camelCase, base64url). */
	function columnsOf(tenantId: string, d: Draft): Record<string, ColumnValue> {
		if (d.table === 'stock_movements') {
			return { product_id: d.productId, delta: d.delta, reason: d.reason, occurred_at: d.occurredAt };
		}
		const sealed = SEALED[d.table];
		const { key, epoch } = currentKey(tenantId, sealed.domain);
		const fields: Record<string, string> = {};
		for (const n of sealed.fields) fields[n] = d.fields[n] ?? '';
		const envelope = sealRecord(fields, key, {
			tenantId,
			table: d.table,
			column: sealed.column,
			rowId: d.id,
			domain: sealed.domain,
			epoch
		});
		const base = { [sealed.column]: envelope, epoch, archived: d.archived };
		if (d.table === 'suppliers') return base;
		if (d.table === 'product_sources') return { ...base, product_id: d.productId, supplier_id: d.supplierId };
		const bidx = blindIndexKey(tenantId, epoch, key);
		const sku = fields.sku!;
		if (!sku.trim()) invalid('a product needs a SKU');
		const asin = fields.asin!;
		return {
			...base,
			sku_index: blindIndex(bidx, { table: 'products', column: 'sku' }, 'sku', sku),
			asin_index: asin.trim() ? blindIndex(bidx, { table: 'products', column: 'asin' }, 'asin', asin) : null,
			reorder_point: d.reorderPoint
		};
	}

	/** The verified statements of a page, by their own hash (not the hash the server claims). */
	function verifiedWrites(tenantId: string, writes: readonly ServedWrite[]): Map<string, VerifiedWrite> {
		const state = held.openedChain(tenantId);
		const cache = held.cache<VerifiedWrite>(tenantId, 'verified-writes');
		for (const w of writes) {
			if (typeof w?.hash !== 'string' || cache.has(w.hash)) continue;
			try {
				const all = fromBase64url(w.leaves);
				if (all.length % 32 !== 0) continue;
				const leaves: Uint8Array[] = [];
				for (let i = 0; i < all.length; i += 32) leaves.push(all.subarray(i, i + 32));
				const v = verifyWriteOnChain(fromBase64url(w.statement), leaves, state);
				cache.set(toBase64url(v.hash), v);
			} catch (e) {
				// Not verified: its rows show as unsigned. Only crypto failures are expected here.
				if (!(e instanceof CryptoError)) throw e;
			}
		}
		return cache;
	}

	function leafColumnsOf(table: CatalogueTable, row: ServedRow): Record<string, ColumnValue> {
		const out: Record<string, ColumnValue> = {};
		for (const { name, served, kind } of SERVED_COLUMNS[table]) {
			const v = row[served] ?? null;
			if (v === null) out[name] = null;
			else if (kind === 'bytes') out[name] = typeof v === 'string' ? fromBase64url(v) : invalid('column');
			else if (kind === 'integer')
				out[name] = typeof v === 'number' && Number.isSafeInteger(v) ? v : invalid('column');
			else if (kind === 'boolean') out[name] = typeof v === 'boolean' ? v : invalid('column');
			else out[name] = typeof v === 'string' ? v : invalid('column');
		}
		return out;
	}

	return {
		/**
		 * Seals, indexes and signs `drafts` as one write statement after `prev` (the author's last stored
		 * statement, GET …/my-writes/last; null before the first). Sealing uses the verified chain's current
		 * epochs; the statement cites its head.
		 */
		prepareWrite(
			tenantId: string,
			drafts: readonly Draft[],
			prev: { hash: string; counter: number } | null
		): WriteRequest {
			const { identity, userId } = held.me();
			const state = held.openedChain(tenantId);
			if (!Array.isArray(drafts) || drafts.length === 0) invalid('drafts');
			const body: Record<string, unknown[]> = {};
			const leaves: Uint8Array[] = [];
			for (const d of drafts) {
				if (!d || !Object.prototype.hasOwnProperty.call(LEAF_COLUMNS, d.table)) invalid('draft');
				const columns = columnsOf(tenantId, d);
				const versioned = d.table !== 'stock_movements';
				const version = versioned ? d.version : 1;
				const prevLeaf = versioned && d.prevLeaf !== null ? fromBase64url(d.prevLeaf) : null;
				const leaf = writeLeaf({
					tenantId,
					table: d.table,
					rowId: d.id,
					version,
					prevLeaf,
					columns,
					tombstone: false
				});
				leaves.push(leaf);
				const row: Record<string, unknown> = { id: d.id };
				if (versioned) Object.assign(row, { version, prevLeaf: d.prevLeaf });
				for (const [n, v] of Object.entries(columns))
					row[camel(n)] = v instanceof Uint8Array ? toBase64url(v) : v;
				(body[BODY_FIELD[d.table]] ??= []).push(row);
			}
			const statement = signWrite(
				{
					tenantId,
					kind: 'write',
					cited: state.head,
					prev: prev === null ? null : { hash: fromBase64url(prev.hash), counter: prev.counter },
					leaves
				},
				{ memberId: userId, identity }
			);
			return {
				body: { statement: toBase64url(statement), ...body },
				hash: toBase64url(statementHash(statement)),
				counter: prev === null ? 1 : prev.counter + 1,
				leaves: leaves.map(toBase64url)
			};
		},

		/**
		 * Verifies statements served on their own (GET …/writes) into the cache openRows reads, so that pages
		 * of rows can come without them. Returns how many verified; the others are simply not cached.
		 */
		verifyStatements(tenantId: string, writes: readonly ServedWrite[]): { verified: number } {
			if (!Array.isArray(writes)) invalid('statements');
			const cache = verifiedWrites(tenantId, writes);
			return { verified: writes.filter((w) => typeof w?.hash === 'string' && cache.has(w.hash)).length };
		},

		/** Verifies and opens one served page of `table` (see the file comment). One result per row. */
		openRows(
			tenantId: string,
			table: CatalogueTable,
			rows: readonly ServedRow[],
			writes: readonly ServedWrite[]
		): OpenedRow[] {
			if (!Object.prototype.hasOwnProperty.call(LEAF_COLUMNS, table)) invalid('table');
			if (!Array.isArray(rows) || !Array.isArray(writes)) invalid('page');
			const verified = verifiedWrites(tenantId, writes);
			const sealed = table === 'stock_movements' ? null : SEALED[table as SealedTable];
			const openOne = (row: ServedRow): OpenedRow => {
				const columns = leafColumnsOf(table, row);
				const rowVersion = {
					tenantId,
					table,
					rowId: row.id,
					version: row.version,
					prevLeaf: row.prevLeaf === null ? null : fromBase64url(row.prevLeaf),
					columns,
					tombstone: false
				};
				// checkRow computes the leaf it checks: hashed once for a verified row.
				let leaf: Uint8Array | null = null;
				let problem: RowProblem | null = null;
				const statement = verified.get(row.writeHash);
				if (!statement) problem = 'unsigned';
				else {
					try {
						leaf = checkRow(statement, rowVersion);
					} catch (e) {
						if (!(e instanceof CryptoError)) throw e;
						problem = 'altered';
					}
				}
				leaf ??= writeLeaf(rowVersion);
				let fields: Record<string, string> | null = null;
				if (sealed) {
					const epoch = columns.epoch as number;
					const key = held.key(tenantId, sealed.domain, epoch);
					try {
						if (!key) invalid('no key of this epoch');
						const opened = openRecord(columns[sealed.column] as Uint8Array, key!, {
							tenantId,
							table,
							column: sealed.column,
							rowId: row.id,
							domain: sealed.domain,
							epoch
						});
						fields = Object.fromEntries(
							Object.entries(opened).map(([k, v]) => [k, typeof v === 'string' ? v : ''])
						);
					} catch (e) {
						if (!(e instanceof CryptoError)) throw e;
						problem ??= 'unreadable';
					}
				}
				const plain: OpenedRow['plain'] = {};
				for (const { name, served, kind } of SERVED_COLUMNS[table]) {
					if (kind !== 'bytes') plain[served] = columns[name] as string | number | boolean | null;
				}
				return {
					id: row.id,
					version: row.version,
					leaf: toBase64url(leaf),
					plain,
					fields,
					problem,
					updatedAt: typeof row.updatedAt === 'string' ? row.updatedAt : ''
				};
			};
			return rows.map((row) => {
				try {
					return openOne(row);
				} catch (e) {
					// Columns that cannot even be encoded were not written by a client: shown, flagged, unopened.
					if (!(e instanceof CryptoError)) throw e;
					const id = typeof row?.id === 'string' ? row.id : '';
					const version = typeof row?.version === 'number' ? row.version : 0;
					return { id, version, leaf: '', plain: {}, fields: null, problem: 'altered', updatedAt: '' };
				}
			});
		}
	};
}
