// An import as the import page runs it, in Node with the code the browser runs: a file's bytes decoded,
// parsed, detected, mapped and validated (src/lib/import, as import-worker.ts does), a plan uploaded in
// batches of the API's MAX_WRITE_ROWS with an Idempotency-Key each (upload.ts, sealed and signed by the vault's
// own prepareWrite), and the catalogue read back as the page loads it: every list page by page, verified and
// opened (openRows), stock on hand summed from the movements, and the products in the shape the page exports.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import {
	complete,
	PRODUCT_FIELDS,
	SOURCE_FIELDS,
	SUPPLIER_FIELDS,
	type ProductFields,
	type SourceFields,
	type SupplierFields
} from '../../src/lib/catalogue/records';
import { decodeBytes } from '../../src/lib/import/decode';
import type { Existing, Plan } from '../../src/lib/import/drafts';
import { exportableProducts } from '../../src/lib/import/export';
import { detectFormat, FORMATS, guessMapping } from '../../src/lib/import/formats';
import { parseTable } from '../../src/lib/import/parse';
import { StaleCounter, upload, type UploadState } from '../../src/lib/import/upload';
import { validateRows, type ValidateOptions } from '../../src/lib/import/validate';
import { MAX_WRITE_ROWS } from '../../src/lib/catalogue/limits';
import type { OpenedRow, ServedRow, ServedWrite } from '../../src/lib/vault/catalogue-ops';
import type { createOperations } from '../../src/lib/vault/operations';
import type { call } from './account-client';

/** A member's open session on one organisation: the request function, the vault's operations, who and where. */
export type ImportClient = {
	req: ReturnType<typeof call>;
	ops: ReturnType<typeof createOperations>;
	token: string;
	tenantId: string;
};

type Table = Parameters<ReturnType<typeof createOperations>['openRows']>[1];

/** Every row of a list, verified and opened as the browser does; none may have a problem. */
export async function openAll(c: ImportClient, path: string, table: Table): Promise<OpenedRow[]> {
	const out: OpenedRow[] = [];
	let after: string | null = null;
	do {
		const query: string = `limit=1000${after ? `&after=${after}` : ''}`;
		const page = await c.req('GET', `/api/orgs/${c.tenantId}/${path}?${query}`, { token: c.token });
		expect(page.status, JSON.stringify(page.json)).toBe(200);
		out.push(
			...c.ops.openRows(c.tenantId, table, page.json.rows as ServedRow[], page.json.writes as ServedWrite[])
		);
		after = page.json.next as string | null;
	} while (after);
	for (const r of out) expect(r.problem, `${table} ${r.id}`).toBeNull();
	return out;
}

/** The catalogue as the page holds it after a load: for the planner, the checks and the export. */
export async function loadCatalogue(c: ImportClient) {
	const [productRows, movementRows, supplierRows, sourceRows] = [
		await openAll(c, 'products', 'products'),
		await openAll(c, 'stock-movements', 'stock_movements'),
		await openAll(c, 'suppliers', 'suppliers'),
		await openAll(c, 'sources', 'product_sources')
	];
	const movements = movementRows.map((m) => ({
		id: m.id,
		productId: m.plain.productId as string,
		delta: m.plain.delta as number,
		reason: m.plain.reason as string
	}));
	const onHand = new Map<string, number>();
	for (const m of movements) onHand.set(m.productId, (onHand.get(m.productId) ?? 0) + m.delta);
	const products = productRows.map((p) => ({
		id: p.id,
		version: p.version,
		leaf: p.leaf,
		fields: complete(PRODUCT_FIELDS, p.fields ?? {}) as ProductFields,
		reorderPoint: typeof p.plain.reorderPoint === 'number' ? p.plain.reorderPoint : null,
		archived: p.plain.archived === true,
		onHand: onHand.get(p.id) ?? 0
	}));
	const suppliers = supplierRows.map((s) => ({
		id: s.id,
		fields: complete(SUPPLIER_FIELDS, s.fields ?? {}) as SupplierFields,
		archived: s.plain.archived === true
	}));
	const sources = sourceRows.map((s) => ({
		id: s.id,
		productId: s.plain.productId as string,
		supplierId: s.plain.supplierId as string,
		fields: complete(SOURCE_FIELDS, s.fields ?? {}) as SourceFields,
		archived: s.plain.archived === true
	}));
	const existing: Existing = {
		products,
		suppliers: suppliers.map((s) => ({ id: s.id, fields: { name: s.fields.name } }))
	};
	// As the import page builds its export (ExportCard.svelte).
	const exportable = exportableProducts(products, sources, suppliers);
	return { products, movements, suppliers, sources, existing, exportable };
}

/**
 * Uploads a plan as the page does (batches of MAX_WRITE_ROWS rows, a fresh Idempotency-Key each); returns
 * the final state and how many statements the server stored (answered 201).
 */
export async function uploadPlan(
	c: ImportClient,
	plan: Plan
): Promise<{ state: UploadState; stored: number }> {
	let stored = 0;
	const state = await upload({
		count: plan.count,
		drafts: plan.drafts,
		prepare: async (drafts, prev) => c.ops.prepareWrite(c.tenantId, drafts, prev),
		send: async (body, key) => {
			const res = await c.req('POST', `/api/orgs/${c.tenantId}/writes`, {
				token: c.token,
				body,
				headers: { 'idempotency-key': key }
			});
			if (res.status === 409 && res.json.code === 'stale_counter') throw new StaleCounter();
			expect(res.status, JSON.stringify(res.json)).toBe(201);
			stored++;
			return res.json as { statement: string; counter: number };
		},
		last: async () =>
			(await c.req('GET', `/api/orgs/${c.tenantId}/my-writes/last`, { token: c.token })).json.last as {
				hash: string;
				counter: number;
			} | null,
		store: { save: async () => {} },
		state: { done: 0, pending: null },
		maxRows: MAX_WRITE_ROWS,
		newKey: () => randomUUID().replaceAll('-', '')
	});
	return { state, stored };
}

/**
 * A file's bytes as the import worker reads them: decode, parse, detect, map, validate. Problems and errors
 * fail the test but let it go on, so that one run shows what else differs.
 */
export function readImport(bytes: Uint8Array, options: ValidateOptions) {
	const decoded = decodeBytes(bytes);
	const table = parseTable(decoded.text);
	expect.soft(table.problems, 'the parse’s problems').toEqual([]);
	const format = detectFormat(table.header);
	const mapping = guessMapping(format, table.header);
	const kind = FORMATS[format].kind;
	const products = kind === 'products' ? validateRows('products', table, mapping, options) : null;
	const suppliers = kind === 'suppliers' ? validateRows('suppliers', table, mapping, options) : null;
	expect.soft((products ?? suppliers)!.errors, 'the validation’s errors').toEqual([]);
	return { decoded, table, format, mapping, products, suppliers };
}
