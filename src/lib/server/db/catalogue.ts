// The sealed catalogue's tables (supabase/migrations/20261201030000_catalogue.sql): signed write statements,
// products, suppliers, product sources and stock movements. Everything runs as `authenticated` with the
// caller's claims, so RLS decides which rows a role receives and that only owners write. Batches travel as
// one JSON recordset per table (bytes as hex), so an import costs one statement per table, not per row.
import type { SqlExecutor } from './types';
import { bytes } from './values';

/** A client-written column: its SQL type, and how a JSON recordset value becomes it. */
type ColumnKind = 'bytea' | 'bigint' | 'boolean' | 'uuid' | 'text' | 'micros';

/** The catalogue tables, their client-written columns (SPEC.md §17.1 leaf columns = these SQL columns). */
export const CATALOGUE_TABLES = {
	products: {
		versioned: true,
		columns: {
			archived: 'boolean',
			asin_index: 'bytea',
			catalog: 'bytea',
			epoch: 'bigint',
			reorder_point: 'bigint',
			sku_index: 'bytea'
		}
	},
	suppliers: {
		versioned: true,
		columns: { archived: 'boolean', epoch: 'bigint', sourcing: 'bytea' }
	},
	product_sources: {
		versioned: true,
		columns: {
			archived: 'boolean',
			epoch: 'bigint',
			product_id: 'uuid',
			sourcing: 'bytea',
			supplier_id: 'uuid'
		}
	},
	stock_movements: {
		versioned: false,
		columns: { delta: 'bigint', occurred_at: 'micros', product_id: 'uuid', reason: 'text' }
	}
} as const satisfies Record<string, { versioned: boolean; columns: Record<string, ColumnKind> }>;

export type CatalogueTable = keyof typeof CATALOGUE_TABLES;
export type CellValue = string | number | boolean | Uint8Array | null;

/** One row version as the client wrote it (its leaf already checked against the statement). */
export type RowWrite = {
	id: string;
	version: number;
	prevLeaf: Uint8Array | null;
	leaf: Uint8Array;
	columns: Record<string, CellValue>;
};

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const declType = (k: ColumnKind) => (k === 'bytea' ? 'text' : k === 'micros' ? 'bigint' : k);
const fromRecord = (name: string, k: ColumnKind) =>
	k === 'bytea'
		? `decode(r.${name}, 'hex')`
		: k === 'micros'
			? `timestamptz 'epoch' + r.${name} * interval '1 microsecond'`
			: `r.${name}`;
const toJson = (v: CellValue) => (v instanceof Uint8Array ? hex(v) : v);
function recordset(table: CatalogueTable, rows: readonly RowWrite[]) {
	const spec = CATALOGUE_TABLES[table];
	const names = Object.keys(spec.columns) as string[];
	const kinds = spec.columns as Record<string, ColumnKind>;
	const decl = [
		'id uuid',
		'version bigint',
		'prev_leaf text',
		'leaf text',
		...names.map((n) => `${n} ${declType(kinds[n]!)}`)
	].join(', ');
	const json = JSON.stringify(
		rows.map((r) => ({
			id: r.id,
			version: r.version,
			prev_leaf: r.prevLeaf ? hex(r.prevLeaf) : null,
			leaf: hex(r.leaf),
			...Object.fromEntries(names.map((n) => [n, toJson(r.columns[n] ?? null)]))
		}))
	);
	return { names, kinds, decl, json, versioned: spec.versioned };
}

/** Inserts new rows (version 1). A taken id or SKU index is a unique violation (the caller answers 409). */
export async function insertRows(
	tx: SqlExecutor,
	tenantId: string,
	writeHash: Uint8Array,
	table: CatalogueTable,
	rows: readonly RowWrite[]
): Promise<void> {
	if (rows.length === 0) return;
	const { names, kinds, decl, json, versioned } = recordset(table, rows);
	const cols = [
		'tenant_id',
		'id',
		...(versioned ? ['version', 'prev_leaf'] : []),
		'leaf',
		'write_hash',
		...names
	];
	const values = [
		'$1',
		'r.id',
		...(versioned ? ['r.version', `decode(r.prev_leaf, 'hex')`] : []),
		`decode(r.leaf, 'hex')`,
		'$2',
		...names.map((n) => fromRecord(n, kinds[n]!))
	];
	await tx.query(
		`insert into app.${table} (${cols.join(', ')})
		 select ${values.join(', ')} from json_to_recordset($3::text::json) as r(${decl})`,
		[tenantId, writeHash, json]
	);
}

/**
 * Compare-and-swap updates: a row changes only if its stored version is one less than the new one and its
 * stored leaf is the new version's previous leaf. Returns the ids that did change; the caller rolls back
 * unless that is all of them.
 */
export async function updateRows(
	tx: SqlExecutor,
	tenantId: string,
	writeHash: Uint8Array,
	table: Exclude<CatalogueTable, 'stock_movements'>,
	rows: readonly RowWrite[]
): Promise<Set<string>> {
	if (rows.length === 0) return new Set();
	const { names, kinds, decl, json } = recordset(table, rows);
	const sets = [
		'version = r.version',
		`prev_leaf = decode(r.prev_leaf, 'hex')`,
		`leaf = decode(r.leaf, 'hex')`,
		'write_hash = $2',
		'updated_at = now()',
		...names.map((n) => `${n} = ${fromRecord(n, kinds[n]!)}`)
	];
	const changed = await tx.query<{ id: string }>(
		`update app.${table} t set ${sets.join(', ')}
		   from json_to_recordset($3::text::json) as r(${decl})
		  where t.tenant_id = $1 and t.id = r.id and t.version = r.version - 1
		    and t.leaf = decode(r.prev_leaf, 'hex')
		 returning t.id::text as id`,
		[tenantId, writeHash, json]
	);
	return new Set(changed.map((r) => r.id));
}

// ---- pages, serialised by the database -----------------------------------------------------------------
// A page leaves PostgreSQL as one JSON text, in the shape the API answers (camelCase, bytes in base64url,
// times in ISO 8601 UTC), and the route splices it into its response unparsed. Decoding every bytea and
// timestamp in the driver and encoding it again in JavaScript was most of a page's time on PGlite
// (BENCHMARKS.md "Catalogue in the browser").

/**
 * base64url without padding, in SQL: PostgreSQL's base64 pads and wraps its lines at 76 characters. (replace,
 * not translate: translate is several times slower here, and it was most of a page's time.)
 */
const b64Sql = (e: string) =>
	`rtrim(replace(replace(replace(encode(${e}, 'base64'), E'\\n', ''), '+', '-'), '/', '_'), '=')`;
/** As Date.prototype.toISOString writes it. */
const isoSql = (e: string) => `to_char(${e} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** A column as the API spells it (camelCase). */
export const apiName = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const jsonCell = (name: string, k: ColumnKind) =>
	k === 'bytea'
		? b64Sql(`t.${name}`)
		: k === 'micros'
			? `(extract(epoch from t.${name}) * 1000000)::bigint`
			: `t.${name}`;

/**
 * The ids of a page, in id order, after `$2` (a uuid) when given, at most `$3`. Asked for ids only, PostgreSQL
 * walks the primary key (tenant_id, id) index-only in id order and stops at the limit, where, asked for whole
 * rows under the read policies (`tenant_id = any (array(select …))`), it underestimates a tenant's rows and
 * reads and sorts the tenant through a smaller index (BENCHMARKS.md "## RLS"). The rows are then fetched as
 * `id = any (array(…))`, an index condition on the primary key: as `id in (…)` PostgreSQL hash-joined the page
 * against a sequential scan of the whole table (100k products: 97 of a page's 168 ms).
 */
const pageIds = (table: CatalogueTable) =>
	`select p.id from app.${table} p
	  where p.tenant_id = $1 and ($2::uuid is null or p.id > $2::uuid)
	  order by p.id limit $3`;

/** A page's rows as one JSON array (`rows`), how many (`n`) and the last id (`last`). Exported for the RLS bench. */
export function pageQuery(table: CatalogueTable): string {
	const spec = CATALOGUE_TABLES[table];
	const kinds = spec.columns as Record<string, ColumnKind>;
	const fields = [
		`'id', t.id`,
		`'version', ${spec.versioned ? 't.version' : '1'}`,
		`'prevLeaf', ${spec.versioned ? b64Sql('t.prev_leaf') : 'null'}`,
		`'leaf', ${b64Sql('t.leaf')}`,
		`'writeHash', ${b64Sql('t.write_hash')}`,
		`'createdAt', ${isoSql('t.created_at')}`,
		`'updatedAt', ${isoSql(spec.versioned ? 't.updated_at' : 't.created_at')}`,
		...Object.keys(kinds).map((n) => `'${apiName(n)}', ${jsonCell(n, kinds[n]!)}`)
	];
	return `select count(*)::int as n, (array_agg(t.id order by t.id desc))[1]::text as last,
	        coalesce(json_agg(json_build_object(${fields.join(', ')}) order by t.id), '[]')::text as rows
	   from app.${table} t
	  where t.tenant_id = $1 and t.id = any (array(${pageIds(table)}))`;
}

/** A write statement as the API answers it: hash, statement and leaves (concatenated), base64url. */
const WRITE_JSON = `json_build_object('hash', ${b64Sql('w.hash')}, 'statement', ${b64Sql('w.statement')}, 'leaves', ${b64Sql('w.leaves')})`;

/** The statements a page's rows point at, as one JSON array. Exported for the RLS bench. */
export const pageWritesQuery = (table: CatalogueTable) =>
	`select coalesce(json_agg(${WRITE_JSON}), '[]')::text as writes
	   from app.writes w
	  where w.tenant_id = $1 and w.hash in (select t.write_hash from app.${table} t
	                                         where t.tenant_id = $1 and t.id = any (array(${pageIds(table)})))`;

/** Whether a row follows `$2` (the page's last id): a full page is the last one only when none does. */
export const moreQuery = (table: CatalogueTable) =>
	`select 1 from app.${table} where tenant_id = $1 and id > $2::uuid limit 1`;

/** A page as JSON text, with `next`: the cursor of the next page, null at the end. */
export type JsonPage = { rows: string; writes: string | null; next: string | null };

/**
 * A page of a table in id order after `after` (a uuid) when given, at most `limit` rows, serialised by the
 * database; with the statements its rows point at when `withWrites` (SPEC.md §17.8 needs both).
 */
export async function listPage(
	tx: SqlExecutor,
	tenantId: string,
	table: CatalogueTable,
	after: string | null,
	limit: number,
	withWrites: boolean
): Promise<JsonPage> {
	const params = [tenantId, after, limit];
	const [page] = await tx.query<{ n: number; last: string | null; rows: string }>(pageQuery(table), params);
	const writes = withWrites
		? (await tx.query<{ writes: string }>(pageWritesQuery(table), params))[0]!.writes
		: null;
	const full = page!.n === limit && page!.last !== null;
	const more = full && (await tx.query(moreQuery(table), [tenantId, page!.last])).length > 0;
	return { rows: page!.rows, writes, next: more ? page!.last : null };
}

// ---- write statements ------------------------------------------------------------------------------------

export type NewWrite = {
	tenantId: string;
	hash: Uint8Array;
	statement: Uint8Array;
	/** Sorted (SPEC.md §17.2), 32 bytes each. */
	leaves: readonly Uint8Array[];
	authorId: string;
	counter: number;
	prevHash: Uint8Array | null;
	kind: number;
	citedSeq: number;
	citedHash: Uint8Array;
	/** The request's Idempotency-Key and the digest of the rows it writes (both or neither). */
	idempotency: { key: string; digest: Uint8Array } | null;
};

export type StoredWrite = {
	hash: Uint8Array;
	statement: Uint8Array;
	leaves: Uint8Array[];
	authorId: string;
	counter: number;
	createdAt: Date;
};

export async function insertWrite(tx: SqlExecutor, w: NewWrite): Promise<void> {
	const leaves = new Uint8Array(w.leaves.length * 32);
	w.leaves.forEach((l, i) => leaves.set(l, i * 32));
	await tx.query(
		`insert into app.writes (tenant_id, hash, statement, leaves, author_id, counter, prev_hash, kind, cited_seq, cited_hash,
		                         idempotency_key, request_digest)
		 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		[
			w.tenantId,
			w.hash,
			w.statement,
			leaves,
			w.authorId,
			w.counter,
			w.prevHash,
			w.kind,
			w.citedSeq,
			w.citedHash,
			w.idempotency?.key ?? null,
			w.idempotency?.digest ?? null
		]
	);
}

/** The author's statement stored with Idempotency-Key `key` in the tenant, if any. */
export async function writeByIdempotencyKey(
	tx: SqlExecutor,
	tenantId: string,
	authorId: string,
	key: string
): Promise<{ hash: Uint8Array; counter: number; rows: number; digest: Uint8Array } | null> {
	const [r] = await tx.query<Record<string, unknown>>(
		`select hash, counter::text as counter, octet_length(leaves) / 32 as rows, request_digest
		   from app.writes where tenant_id = $1 and author_id = $2 and idempotency_key = $3`,
		[tenantId, authorId, key]
	);
	return r
		? {
				hash: bytes(r.hash),
				counter: Number(r.counter),
				rows: Number(r.rows),
				digest: bytes(r.request_digest)
			}
		: null;
}

function storedWrite(r: Record<string, unknown>): StoredWrite {
	const all = bytes(r.leaves);
	const leaves: Uint8Array[] = [];
	for (let i = 0; i < all.length; i += 32) leaves.push(all.slice(i, i + 32));
	return {
		hash: bytes(r.hash),
		statement: bytes(r.statement),
		leaves,
		authorId: String(r.author_id),
		counter: Number(r.counter),
		createdAt: new Date(r.created_at as string)
	};
}

/** Which of these SKU indexes (hex) the tenant's products already hold: a refused batch names its rows. */
export async function storedSkuIndexes(
	tx: SqlExecutor,
	tenantId: string,
	indexes: readonly string[]
): Promise<Set<string>> {
	const rows = (await tx.query(
		`select encode(sku_index, 'hex') as i from app.products
		  where tenant_id = $1
		    and sku_index in (select decode(x, 'hex') from json_array_elements_text($2::text::json) as x)`,
		[tenantId, JSON.stringify(indexes)]
	)) as { i: string }[];
	return new Set(rows.map((r) => r.i));
}

export async function writeByHash(
	tx: SqlExecutor,
	tenantId: string,
	hash: Uint8Array
): Promise<StoredWrite | null> {
	const [r] = await tx.query(
		`select hash, statement, leaves, author_id::text as author_id, counter::text as counter, created_at
		   from app.writes where tenant_id = $1 and hash = $2`,
		[tenantId, hash]
	);
	return r ? storedWrite(r) : null;
}

/** A page of the tenant's statements in hash order after `after` (a hash) when given, as JSON text. */
export async function writesPage(
	tx: SqlExecutor,
	tenantId: string,
	after: Uint8Array | null,
	limit: number
): Promise<{ writes: string; next: string | null }> {
	const [page] = await tx.query<{ n: number; writes: string; last: Uint8Array | null }>(
		`select count(*)::int as n, coalesce(json_agg(${WRITE_JSON} order by w.hash), '[]')::text as writes,
		        (array_agg(w.hash order by w.hash desc))[1] as last
		   from (select w.hash, w.statement, w.leaves from app.writes w
		          where w.tenant_id = $1 and ($2::bytea is null or w.hash > $2::bytea)
		          order by w.hash limit $3) w`,
		[tenantId, after, limit]
	);
	const last = page!.last == null ? null : bytes(page!.last);
	const more =
		page!.n === limit &&
		last !== null &&
		(await tx.query(`select 1 from app.writes where tenant_id = $1 and hash > $2 limit 1`, [tenantId, last]))
			.length > 0;
	return { writes: page!.writes, next: more ? Buffer.from(last).toString('base64url') : null };
}

/** The author's last statement in the tenant (highest counter), or null before their first. */
export async function lastWriteOf(
	tx: SqlExecutor,
	tenantId: string,
	authorId: string
): Promise<{ hash: Uint8Array; counter: number } | null> {
	const [r] = await tx.query<{ hash: Uint8Array; counter: string }>(
		// Ordered by the bigint column (w.counter), not the text alias, which would put "9" after "10".
		`select w.hash, w.counter::text as counter from app.writes w
		  where w.tenant_id = $1 and w.author_id = $2 order by w.counter desc limit 1`,
		[tenantId, authorId]
	);
	return r ? { hash: bytes(r.hash), counter: Number(r.counter) } : null;
}

/** How many rows of each table point at a statement (for a retry's answer). */
export async function rowsOfWrite(
	tx: SqlExecutor,
	tenantId: string,
	hash: Uint8Array
): Promise<Record<CatalogueTable, number>> {
	const [r] = await tx.query<Record<CatalogueTable, number>>(
		`select ${(Object.keys(CATALOGUE_TABLES) as CatalogueTable[])
			.map((t) => `(select count(*)::int from app.${t} where tenant_id = $1 and write_hash = $2) as ${t}`)
			.join(', ')}`,
		[tenantId, hash]
	);
	return r!;
}
