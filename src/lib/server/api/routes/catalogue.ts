// The sealed catalogue (issue 11 "Records in this issue", "Signed writes"): one signed write statement per
// request with its rows, and pages of products, suppliers, product sources and stock movements for the browser
// to open and verify. The server cannot read an envelope; what it checks, with crypto/verify.ts only, is that
// the statement is signed by the caller's key on the verified chain, that its leaves are exactly those of the
// submitted rows (crypto/SPEC.md §17.1–§17.6), that it cites the chain's head and follows the author's last
// statement, and that every update is a compare-and-swap on the row's version and leaf. All rows or none.
// A tenant the caller is not a member of answers 404, exactly like one that does not exist.
import { createHash } from 'node:crypto';
import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import {
	isCryptoError,
	parseWriteStatement,
	ready,
	verifyChain,
	verifyWriteOnChain,
	writeLeaf,
	WRITE_KINDS,
	type ColumnValue,
	type VerifiedWrite
} from '$crypto/verify';
import {
	apiName,
	CATALOGUE_TABLES,
	insertRows,
	insertWrite,
	lastWriteOf,
	listPage,
	updateRows,
	writeByHash,
	storedSkuIndexes,
	writeByIdempotencyKey,
	writesPage,
	type CatalogueTable,
	type CellValue,
	type RowWrite
} from '../../db/catalogue';
import { chainLinks, ownMembership } from '../../db/organisations';
import type { SqlExecutor } from '../../db/types';
import { clientOf } from '../client-info';
import { jsonText } from '../json-text';
import { authenticate } from '../middleware/authenticate';
import type { ApiDeps, ApiEnv } from '../env';
import { ApiError } from '../problem';
import { jsonBody, problems } from '../openapi';
import { createRouter } from '../router';
import { b64, Bytes, TenantId } from '../schemas';

// Rows per request (all tables together; the body limit is 1 MiB): shared with the import, which cuts its
// batches to fit. Re-exported for the tests and scripts that name it here.
import { MAX_WRITE_ROWS } from '../../../catalogue/limits';
export { MAX_WRITE_ROWS };
/** Rows per page of a list. */
const MAX_PAGE = 1000;
const DEFAULT_PAGE = 500;
/** Chain links the server verifies per request (the teams issue caches verified state). */
const MAX_CHAIN = 100_000;

/** A row id: a lowercase UUID, the spelling PostgreSQL prints and the one the leaf signs. */
const RowId = z
	.string()
	.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a lowercase UUID')
	.openapi({ example: '0190c3b2-7a1e-7c4e-9d2a-3f5b6c7d8e9f' });
const Version = z.number().int().min(1).max(0xffffffff);
const Epoch = z.number().int().min(1).max(0xffffffff);
/** A sealed envelope (SPEC.md §6): padded fields of one domain; 8 KiB holds a product with its extra columns. */
const Envelope = Bytes(40, 8192);
const BlindIndex = Bytes(16);
/** 2000-01-01 … 2200-01-01 in microseconds since the Unix epoch (the signed form, SPEC.md §17.1). */
const Micros = z.number().int().min(946_684_800_000_000).max(7_258_118_400_000_000);
const REASONS = ['count', 'import', 'adjustment'] as const;

const versioned = { id: RowId, version: Version, prevLeaf: Bytes(32).nullable() };
const ProductIn = z.strictObject({
	...versioned,
	catalog: Envelope,
	skuIndex: BlindIndex,
	asinIndex: BlindIndex.nullable(),
	epoch: Epoch,
	reorderPoint: z.number().int().min(0).max(2147483647).nullable(),
	archived: z.boolean()
});
const SupplierIn = z.strictObject({ ...versioned, sourcing: Envelope, epoch: Epoch, archived: z.boolean() });
const SourceIn = z.strictObject({
	...versioned,
	productId: RowId,
	supplierId: RowId,
	sourcing: Envelope,
	epoch: Epoch,
	archived: z.boolean()
});
const MovementIn = z.strictObject({
	id: RowId,
	productId: RowId,
	delta: z.number().int().min(-2147483648).max(2147483647),
	reason: z.enum(REASONS),
	occurredAt: Micros
});

const rows = <T extends z.ZodType>(s: T) => z.array(s).max(MAX_WRITE_ROWS).optional();
const WriteBody = z
	.strictObject({
		/** SPEC.md §17.3 signed statement (376–~700 bytes; 2 KiB allows 128-byte ids). */
		statement: Bytes(73, 2048),
		products: rows(ProductIn),
		suppliers: rows(SupplierIn),
		sources: rows(SourceIn),
		stockMovements: rows(MovementIn)
	})
	.refine(
		(b) => {
			const n =
				(b.products?.length ?? 0) +
				(b.suppliers?.length ?? 0) +
				(b.sources?.length ?? 0) +
				(b.stockMovements?.length ?? 0);
			return n >= 1 && n <= MAX_WRITE_ROWS;
		},
		{ message: `must carry 1–${MAX_WRITE_ROWS} rows` }
	)
	.openapi('WriteRequest');
type WriteBodyT = z.infer<typeof WriteBody>;

/** Request field → table, and each table's columns as the body spells them (camelCase of the SQL names). */
const BODY_TABLES = {
	products: 'products',
	suppliers: 'suppliers',
	sources: 'product_sources',
	stockMovements: 'stock_movements'
} as const satisfies Record<string, CatalogueTable>;
type BodyField = keyof typeof BODY_TABLES;

const WriteResult = z
	.object({
		tenantId: z.string(),
		/** statementHash (SPEC.md §17.4): the author's next statement cites it as its previous one. */
		statement: z.string(),
		counter: z.number().int(),
		rows: z.number().int()
	})
	.openapi('WriteResult');

const TenantParams = z.object({ tenantId: TenantId });

const WriteHeaders = z.object({
	/**
	 * A random name for this batch, chosen by the client (no content). A request that brings back a stored
	 * key is answered with the stored statement when it writes the same rows at the same versions (a retry,
	 * even re-sealed and re-signed), and refused when it does not.
	 */
	'idempotency-key': z
		.string()
		.regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be 16–64 base64url characters')
		.optional()
		.openapi({ example: 'k3Jq9v0cX1m2RZp8TqLw4A' })
});

const write = createRoute({
	method: 'post',
	path: '/orgs/{tenantId}/writes',
	tags: ['Catalogue'],
	summary:
		'Store one signed write statement and its rows (all or none; idempotent for the same statement or Idempotency-Key)',
	security: [{ bearer: [] }],
	request: { params: TenantParams, headers: WriteHeaders, body: jsonBody(WriteBody) },
	responses: {
		201: { description: 'Stored', content: { 'application/json': { schema: WriteResult } } },
		200: {
			description:
				'Already stored: a retry of the same statement, or of the same batch under its Idempotency-Key (header Idempotent-Replayed: true; the answer names the stored statement)',
			content: { 'application/json': { schema: WriteResult } }
		},
		...problems(400, 401, 403, 404, 409, 422)
	}
});

const rowOut = {
	id: z.string(),
	version: z.number().int(),
	/** The previous version's leaf (null at version 1): SPEC.md §17.8 needs it to recompute the leaf. */
	prevLeaf: z.string().nullable(),
	leaf: z.string(),
	/** statementHash of the write that made this version; GET …/writes/{hash} serves it. */
	writeHash: z.string(),
	createdAt: z.string(),
	updatedAt: z.string()
};
const PRODUCT_OUT = z
	.object({
		...rowOut,
		catalog: z.string(),
		skuIndex: z.string(),
		asinIndex: z.string().nullable(),
		epoch: z.number().int(),
		reorderPoint: z.number().int().nullable(),
		archived: z.boolean()
	})
	.openapi('Product');
const SUPPLIER_OUT = z
	.object({ ...rowOut, sourcing: z.string(), epoch: z.number().int(), archived: z.boolean() })
	.openapi('Supplier');
const SOURCE_OUT = z
	.object({
		...rowOut,
		productId: z.string(),
		supplierId: z.string(),
		sourcing: z.string(),
		epoch: z.number().int(),
		archived: z.boolean()
	})
	.openapi('ProductSource');
const MOVEMENT_OUT = z
	.object({
		...rowOut,
		productId: z.string(),
		delta: z.number().int(),
		reason: z.enum(REASONS),
		occurredAt: z.number().int()
	})
	.openapi('StockMovement');

const Limit = z
	.string()
	.regex(/^\d{1,4}$/, 'must be a number')
	.transform(Number)
	.refine((n) => n >= 1 && n <= MAX_PAGE, `must be 1–${MAX_PAGE}`)
	.optional()
	.openapi({ type: 'string', pattern: '^\\d{1,4}$', example: String(DEFAULT_PAGE) });
const PageQuery = z.object({
	after: RowId.optional(),
	limit: Limit,
	/**
	 * `page` (the default): the statements the page's rows point at come with it. `none`: a reader that has
	 * them already (GET …/writes) gets the rows alone — a page of rows in id order points at most statements.
	 */
	writes: z.enum(['page', 'none']).optional()
});

const PAGE_WRITE = z
	.object({
		hash: z.string(),
		statement: z.string(),
		/** The statement's leaves as stored: 32-byte leaves concatenated in ascending order, base64url. */
		leaves: z.string()
	})
	.openapi('PageWrite');

const LISTS = [
	{ path: 'products', table: 'products', schema: PRODUCT_OUT, what: 'Products (catalog envelopes)' },
	{ path: 'suppliers', table: 'suppliers', schema: SUPPLIER_OUT, what: 'Suppliers (sourcing envelopes)' },
	{
		path: 'sources',
		table: 'product_sources',
		schema: SOURCE_OUT,
		what: 'Product sources (sourcing envelopes)'
	},
	{ path: 'stock-movements', table: 'stock_movements', schema: MOVEMENT_OUT, what: 'Stock movements' }
] as const;

const listRoute = <L extends (typeof LISTS)[number]>(l: L) =>
	createRoute({
		method: 'get',
		path: `/orgs/{tenantId}/${l.path}`,
		tags: ['Catalogue'],
		summary: `${l.what} in id order, a page after \`after\`; none of a domain the caller's role does not read`,
		security: [{ bearer: [] }],
		request: { params: TenantParams, query: PageQuery },
		responses: {
			200: {
				description: 'A page; `next` is the cursor of the next one, null at the end',
				content: {
					'application/json': {
						schema: z.object({
							tenantId: z.string(),
							rows: z.array(l.schema),
							/** The statements the page's rows point at, so a reader verifies the page in one request. */
							writes: z.array(PAGE_WRITE),
							next: z.string().nullable()
						})
					}
				}
			},
			...problems(400, 401, 404)
		}
	});

const StatementHash = z
	.string()
	.regex(/^[A-Za-z0-9_-]{43}$/, 'must be a 32-byte statement hash in base64url')
	.openapi({ example: 'A'.repeat(43) });

const lastWrite = createRoute({
	method: 'get',
	path: '/orgs/{tenantId}/my-writes/last',
	tags: ['Catalogue'],
	summary: "The caller's last write statement here (its hash and counter): what their next statement follows",
	security: [{ bearer: [] }],
	request: { params: TenantParams },
	responses: {
		200: {
			description: 'null before the caller\u2019s first write in this organisation',
			content: {
				'application/json': {
					schema: z
						.object({
							tenantId: z.string(),
							last: z.object({ hash: z.string(), counter: z.number().int() }).nullable()
						})
						.openapi('LastWrite')
				}
			}
		},
		...problems(400, 401, 404)
	}
});

const WritesQuery = z.object({
	/** The last statement hash of the previous page (base64url). */
	after: z
		.string()
		.regex(/^[A-Za-z0-9_-]{43}$/, 'must be a 32-byte statement hash in base64url')
		.optional(),
	limit: Limit
});

const listWrites = createRoute({
	method: 'get',
	path: '/orgs/{tenantId}/writes',
	tags: ['Catalogue'],
	summary: 'Every write statement of the organisation with its leaves, in hash order, a page after `after`',
	security: [{ bearer: [] }],
	request: { params: TenantParams, query: WritesQuery },
	responses: {
		200: {
			description: 'A page; `next` is the cursor of the next one, null at the end',
			content: {
				'application/json': {
					schema: z
						.object({ tenantId: z.string(), writes: z.array(PAGE_WRITE), next: z.string().nullable() })
						.openapi('WritesPage')
				}
			}
		},
		...problems(400, 401, 404)
	}
});

const getWrite = createRoute({
	method: 'get',
	path: '/orgs/{tenantId}/writes/{hash}',
	tags: ['Catalogue'],
	summary: 'One signed write statement and its leaf list, for readers to verify (SPEC.md §17.5)',
	security: [{ bearer: [] }],
	request: { params: z.object({ tenantId: TenantId, hash: StatementHash }) },
	responses: {
		200: {
			description: 'The statement as signed, and its sorted leaves',
			content: {
				'application/json': {
					schema: z
						.object({
							tenantId: z.string(),
							hash: z.string(),
							statement: z.string(),
							leaves: z.array(z.string()),
							authorId: z.string(),
							counter: z.number().int(),
							createdAt: z.string()
						})
						.openapi('WriteStatement')
				}
			}
		},
		...problems(400, 401, 404)
	}
});

const notFound = () => new ApiError(404, 'not_found', 'Not found', 'No such organisation.');
const bad = (code: string, detail: string) => new ApiError(400, code, 'Invalid write', detail);
const conflict = (code: string, detail: string, errors?: { path: string; message: string }[]) =>
	new ApiError(409, code, 'Conflict', detail, errors ? { errors } : {});

/** The body's row (camelCase, bytes decoded) as its table's leaf columns (SQL names). */
function toRow(
	table: CatalogueTable,
	input: Record<string, unknown>
): { id: string; version: number; prevLeaf: Uint8Array | null; columns: Record<string, CellValue> } {
	const names = Object.keys(CATALOGUE_TABLES[table].columns);
	const columns = Object.fromEntries(names.map((n) => [n, (input[apiName(n)] ?? null) as CellValue]));
	const versionedRow = CATALOGUE_TABLES[table].versioned;
	return {
		id: input.id as string,
		version: versionedRow ? (input.version as number) : 1,
		prevLeaf: versionedRow ? ((input.prevLeaf as Uint8Array | null) ?? null) : null,
		columns
	};
}

/**
 * What a request writes, for Idempotency-Key: SHA-256 of each row's table, id and version, sorted. A retry
 * of the same batch has it even when re-sealed and re-signed (other nonces, another statement).
 */
function requestDigest(rowsByTable: ReadonlyMap<CatalogueTable, readonly RowWrite[]>): Uint8Array {
	const rows = [...rowsByTable].flatMap(([table, rs]) => rs.map((r) => `${table}/${r.id}/${r.version}`));
	return new Uint8Array(createHash('sha256').update(rows.sort().join('\n')).digest());
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
	return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A database refusal the request caused, as the problem it is; anything else is rethrown. */
function databaseProblem(error: unknown): ApiError | null {
	const e = error as { code?: string; message?: string };
	const msg = e?.message ?? '';
	if (e?.code === '23505') {
		if (msg.includes('products_sku_unique'))
			return conflict(
				'duplicate_sku',
				'Another product already has this SKU. SKUs are unique: nothing of this batch was saved.'
			);
		if (msg.includes('writes_idempotency_key'))
			return conflict(
				'idempotency_in_progress',
				'Another request with this Idempotency-Key was stored at the same moment: send it again to get its answer.'
			);
		if (msg.includes('writes_'))
			return conflict(
				'stale_counter',
				'Another write by you was stored first: refresh and sign again with your next counter.'
			);
		return conflict(
			'stale_version',
			'A row with this id already exists: refresh, and edit the current version.'
		);
	}
	if (e?.code === '23503')
		return bad('unknown_reference', 'A row refers to a product or supplier that does not exist.');
	if (e?.code === '23514' || e?.code === '22003')
		return bad('invalid_row', 'A row is outside what its table accepts.');
	if (e?.code === '42501')
		return new ApiError(403, 'no_write_right', 'Forbidden', 'Your role may not write these rows.');
	return null;
}

export const catalogueRoutes = (deps: ApiDeps) => {
	const app = createRouter();
	app.use('/orgs/*', authenticate(deps));
	const asUser = (userId: string) => ({ role: 'authenticated' as const, sub: userId });

	/** Verifies the statement on the tenant's chain against the rows' leaves (SPEC.md §17.6). */
	async function verifyRequest(
		tx: SqlExecutor,
		tenantId: string,
		userId: string,
		body: WriteBodyT,
		rowsByTable: Map<CatalogueTable, (RowWrite & { field: BodyField })[]>
	): Promise<{ verified: VerifiedWrite; head: { seq: number; hash: Uint8Array } }> {
		const links = await chainLinks(tx, tenantId, 0, MAX_CHAIN);
		const state = verifyChain(
			links.map((l) => l.link),
			{ tenantId }
		);
		let statement;
		try {
			statement = parseWriteStatement(body.statement).statement;
		} catch (error) {
			if (!isCryptoError(error)) throw error;
			throw bad('invalid_statement', `The write statement does not parse (${error.code}).`);
		}
		if (statement.tenantId !== tenantId)
			throw bad('wrong_tenant', 'The write statement is about another organisation.');
		if (statement.authorMemberId !== userId)
			throw new ApiError(
				403,
				'not_your_statement',
				'Forbidden',
				'A write statement must be signed by your own account, as your user id.'
			);
		if (statement.kind !== 'write')
			throw bad('unsupported_kind', 'Only `write` statements are accepted here so far.');
		const leaves: Uint8Array[] = [];
		for (const [table, rows] of rowsByTable) {
			for (const r of rows) {
				try {
					r.leaf = writeLeaf({
						tenantId,
						table,
						rowId: r.id,
						version: r.version,
						prevLeaf: r.prevLeaf,
						columns: r.columns as Record<string, ColumnValue>,
						tombstone: false
					});
				} catch (error) {
					if (!isCryptoError(error)) throw error;
					throw bad('invalid_row', `A ${table} row has no leaf (${error.code}): ${error.message}.`);
				}
				leaves.push(r.leaf);
			}
		}
		let verified: VerifiedWrite;
		try {
			verified = verifyWriteOnChain(body.statement, leaves, state);
		} catch (error) {
			if (!isCryptoError(error)) throw error;
			if (error.code === 'ERR_SIGNATURE_INVALID')
				throw new ApiError(
					403,
					'invalid_signature',
					'Forbidden',
					'The statement is not signed by your key on this organisation’s chain, or your role does not write.'
				);
			if (error.code === 'ERR_CHAIN_FORK')
				throw bad('not_on_chain', 'The statement cites a chain position that is not on this chain.');
			if (error.code === 'ERR_WRONG_CONTEXT')
				throw bad(
					'leaves_mismatch',
					'The statement does not sign these rows (or cites a position beyond the head).'
				);
			throw bad('invalid_statement', `The write statement does not verify (${error.code}).`);
		}
		// Write rights (SPEC.md §17.7) as the database enforces them for now: owners write everything;
		// three_pl's stock movements arrive with locations (operations issue).
		if (verified.authorRole !== 'owner')
			throw new ApiError(403, 'no_write_right', 'Forbidden', 'Your role may not write these rows.');
		return { verified, head: state.head };
	}

	const router = app.openapi(write, async (c) => {
		const { userId } = c.get('session');
		await deps.limits.hit('writes', { ip: clientOf(c).ip, account: userId });
		const { tenantId } = c.req.valid('param');
		const key = c.req.valid('header')['idempotency-key'];
		const body = c.req.valid('json');
		await ready();
		const rowsByTable = new Map<CatalogueTable, (RowWrite & { field: BodyField })[]>();
		for (const field of Object.keys(BODY_TABLES) as BodyField[]) {
			const table = BODY_TABLES[field];
			const input = (body[field] ?? []) as Record<string, unknown>[];
			if (input.length === 0) continue;
			const rows = input.map((r) => ({ ...toRow(table, r), leaf: new Uint8Array(0), field }));
			if (new Set(rows.map((r) => r.id)).size !== rows.length)
				throw bad('duplicate_row', `A ${table} row appears twice; one statement signs each row once.`);
			rowsByTable.set(table, rows);
		}
		try {
			const result = await deps.db.withClaims(asUser(userId), async (tx) => {
				if (!(await ownMembership(tx, tenantId))) throw notFound();
				const { verified, head } = await verifyRequest(tx, tenantId, userId, body, rowsByTable);
				const s = verified.statement;
				const answer = {
					tenantId,
					statement: b64(verified.hash),
					counter: s.counter,
					rows: verified.leafCount
				};
				// A retry of a stored statement: the same answer (its rows are these, the leaves say so).
				if (await writeByHash(tx, tenantId, verified.hash))
					return { answer, status: 200 as const, replayed: true };
				const idempotency = key ? { key, digest: requestDigest(rowsByTable) } : null;
				const earlier = key ? await writeByIdempotencyKey(tx, tenantId, userId, key) : null;
				if (earlier && idempotency) {
					if (!equal(earlier.digest, idempotency.digest))
						throw new ApiError(
							422,
							'idempotency_key_reused',
							'Idempotency-Key reused',
							'This Idempotency-Key was stored with other rows: nothing was saved. Send new rows under a new key.'
						);
					const stored = {
						tenantId,
						statement: b64(earlier.hash),
						counter: earlier.counter,
						rows: earlier.rows
					};
					return { answer: stored, status: 200 as const, replayed: true };
				}
				if (s.cited.seq !== head.seq || !equal(s.cited.hash, head.hash))
					throw conflict(
						'stale_head',
						`The statement cites chain position ${s.cited.seq}, but the head is ${head.seq}: refresh the chain and sign again.`
					);
				const last = await lastWriteOf(tx, tenantId, userId);
				const follows =
					last === null
						? s.counter === 1 && s.prevStatement === null
						: s.counter === last.counter + 1 && s.prevStatement !== null && equal(s.prevStatement, last.hash);
				if (!follows)
					throw conflict(
						'stale_counter',
						`The statement's counter ${s.counter} does not follow your last one (${last?.counter ?? 0}): refresh and sign again.`
					);
				const sorted = [...rowsByTable.values()].flat().map((r) => r.leaf);
				sorted.sort(Buffer.compare);
				await insertWrite(tx, {
					tenantId,
					hash: verified.hash,
					statement: body.statement,
					leaves: sorted,
					authorId: userId,
					counter: s.counter,
					prevHash: s.prevStatement,
					kind: WRITE_KINDS[s.kind],
					citedSeq: s.cited.seq,
					citedHash: s.cited.hash,
					idempotency
				});
				// Parents before children: suppliers and products, then sources and movements that point at them.
				const order: CatalogueTable[] = ['suppliers', 'products', 'product_sources', 'stock_movements'];
				const stale: { path: string; message: string }[] = [];
				for (const table of order) {
					const rows = rowsByTable.get(table) ?? [];
					await insertRows(
						tx,
						tenantId,
						verified.hash,
						table,
						rows.filter((r) => r.version === 1)
					);
					const updates = rows.filter((r) => r.version > 1);
					if (table !== 'stock_movements' && updates.length) {
						const changed = await updateRows(tx, tenantId, verified.hash, table, updates);
						for (const r of updates)
							if (!changed.has(r.id))
								stale.push({
									path: `${r.field}/${r.id}`,
									message: `not at version ${r.version - 1} with that previous leaf`
								});
					}
				}
				if (stale.length)
					throw conflict(
						'stale_version',
						'Someone changed these rows since you opened them (or they do not exist): nothing was saved. Refresh, and edit the current version.',
						stale.slice(0, 100)
					);
				return { answer, status: 201 as const, replayed: false };
			});
			if (result.replayed) c.header('Idempotent-Replayed', 'true');
			return c.json(result.answer, result.status);
		} catch (error) {
			if (error instanceof ApiError) throw error;
			const problem = databaseProblem(error);
			if (problem?.code === 'duplicate_sku') {
				// The rows it is about: SKUs the organisation has, or that come twice in this batch.
				const products = rowsByTable.get('products') ?? [];
				const indexOf = (r: RowWrite) => {
					const i = r.columns.sku_index;
					return i instanceof Uint8Array ? Buffer.from(i).toString('hex') : '';
				};
				const stored = await deps.db.withClaims(asUser(userId), (tx) =>
					storedSkuIndexes(tx, tenantId, products.filter((r) => r.version === 1).map(indexOf))
				);
				const seen = new Set<string>();
				const rows = products.filter((r) => {
					const i = indexOf(r);
					const twice = seen.has(i);
					seen.add(i);
					return r.version === 1 && (stored.has(i) || twice);
				});
				throw conflict(
					'duplicate_sku',
					problem.detail ?? 'Another product already has this SKU.',
					rows
						.slice(0, 100)
						.map((r) => ({ path: `${r.field}/${r.id}`, message: 'another product has this SKU' }))
				);
			}
			if (problem) throw problem;
			throw error;
		}
	});

	/** One list route's handler: a page of rows and the statements they point at (SPEC.md §17.8 needs both). */
	const list =
		<L extends (typeof LISTS)[number]>(l: L): RouteHandler<ReturnType<typeof listRoute<L>>, ApiEnv> =>
		async (c) => {
			const { userId } = c.get('session');
			const { tenantId } = c.req.valid('param');
			const { after, limit, writes } = c.req.valid('query');
			const page = await deps.db.withClaims(asUser(userId), async (tx) => {
				if (!(await ownMembership(tx, tenantId))) return null;
				return listPage(tx, tenantId, l.table, after ?? null, limit ?? DEFAULT_PAGE, writes !== 'none');
			});
			if (!page) throw notFound();
			return jsonText<
				z.infer<ReturnType<typeof listRoute<L>>['responses'][200]['content']['application/json']['schema']>
			>(
				c,
				`{"tenantId":${JSON.stringify(tenantId)},"rows":${page.rows},"writes":${page.writes ?? '[]'},"next":${JSON.stringify(page.next)}}`
			);
		};

	return router
		.openapi(listRoute(LISTS[0]), list(LISTS[0]))
		.openapi(listRoute(LISTS[1]), list(LISTS[1]))
		.openapi(listRoute(LISTS[2]), list(LISTS[2]))
		.openapi(listRoute(LISTS[3]), list(LISTS[3]))
		.openapi(listWrites, async (c) => {
			const { userId } = c.get('session');
			const { tenantId } = c.req.valid('param');
			const { after, limit } = c.req.valid('query');
			const page = await deps.db.withClaims(asUser(userId), async (tx) => {
				if (!(await ownMembership(tx, tenantId))) return null;
				const from = after ? new Uint8Array(Buffer.from(after, 'base64url')) : null;
				return writesPage(tx, tenantId, from, limit ?? DEFAULT_PAGE);
			});
			if (!page) throw notFound();
			return jsonText<{ tenantId: string; writes: z.infer<typeof PAGE_WRITE>[]; next: string | null }>(
				c,
				`{"tenantId":${JSON.stringify(tenantId)},"writes":${page.writes},"next":${JSON.stringify(page.next)}}`
			);
		})
		.openapi(lastWrite, async (c) => {
			const { userId } = c.get('session');
			const { tenantId } = c.req.valid('param');
			const found = await deps.db.withClaims(asUser(userId), async (tx) => {
				if (!(await ownMembership(tx, tenantId))) return null;
				return { last: await lastWriteOf(tx, tenantId, userId) };
			});
			if (!found) throw notFound();
			const { last } = found;
			return c.json({ tenantId, last: last && { hash: b64(last.hash), counter: last.counter } }, 200);
		})
		.openapi(getWrite, async (c) => {
			const { userId } = c.get('session');
			const { tenantId, hash } = c.req.valid('param');
			const found = await deps.db.withClaims(asUser(userId), async (tx) => {
				if (!(await ownMembership(tx, tenantId))) return { member: false as const };
				return {
					member: true as const,
					write: await writeByHash(tx, tenantId, new Uint8Array(Buffer.from(hash, 'base64url')))
				};
			});
			if (!found.member) throw notFound();
			if (!found.write)
				throw new ApiError(
					404,
					'no_such_write',
					'Not found',
					'No such write statement in this organisation.'
				);
			const w = found.write;
			return c.json(
				{
					tenantId,
					hash: b64(w.hash),
					statement: b64(w.statement),
					leaves: w.leaves.map(b64),
					authorId: w.authorId,
					counter: w.counter,
					createdAt: w.createdAt.toISOString()
				},
				200
			);
		});
};
