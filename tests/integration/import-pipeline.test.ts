// The import end to end in Node, on each database, with the code the browser runs: a marketplace report's bytes
// decoded, parsed, mapped and validated (src/lib/import), planned into drafts (drafts.ts), sealed and signed by
// the vault's own operations and uploaded in batches with Idempotency-Keys (upload.ts) to the real API, with
// the tab "crashing" after a batch was stored and its answer lost, then resumed from the state it saved.
// Read back as a member's browser reads it (openRows): every line exactly once, every field and extra column
// as in the file, stock on hand as its quantity, and exported in the report's own format the values come
// back cell for cell. Then a products file with SKUs the organisation already has: skipped, or updated.
// Finally the zero-knowledge check: no canary from the file, in any text, json or bytea column.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../crypto/index';
import { PRODUCT_FIELDS, extraColumns, type ProductFields } from '../../src/lib/catalogue/records';
import { decodeBytes } from '../../src/lib/import/decode';
import { planProducts, type Existing } from '../../src/lib/import/drafts';
import { exportProducts } from '../../src/lib/import/export';
import { detectFormat, guessMapping } from '../../src/lib/import/formats';
import { parseTable } from '../../src/lib/import/parse';
import { encode, fbaSheet, joinLines, type Sheet } from '../../src/lib/import/test-files';
import { StaleCounter, upload, type UploadState } from '../../src/lib/import/upload';
import { validateRows } from '../../src/lib/import/validate';
import type { OpenedRow, ServedRow, ServedWrite } from '../../src/lib/vault/catalogue-ops';
import { createOperations } from '../../src/lib/vault/operations';
import { call } from '../helpers/account-client';
import { testApi } from '../helpers/api';
import { databaseFactories, type TestDatabase } from '../helpers/databases';
import { columnsHolding, openedOrganisation, valuesInClear } from '../helpers/vault-organisation';

await ready();

describe.each(databaseFactories)('an import on $kind', (factory) => {
	let t: TestDatabase;
	let req: ReturnType<typeof call>;
	const ops = createOperations();
	let token: string;
	let tenantId: string;
	const canary = `cnry${randomUUID().slice(0, 8)}`;
	/** Every cell the tests import: none of 8 bytes or more may be found in clear afterwards. */
	const imported = new Set<string>();

	beforeAll(async () => {
		t = await factory.create();
		req = call(testApi(t.db).app);
		({ token, tenantId } = await openedOrganisation(req, ops, 'Import Trading'));
	});
	afterAll(() => t.drop());

	const sql = (text: string, params: unknown[] = []) =>
		t.driver.transaction((tx) => tx.query(text, params as never[]));

	/** Every row of a list, verified and opened as the browser does. */
	async function openAll(path: string, table: Parameters<typeof ops.openRows>[1]): Promise<OpenedRow[]> {
		const out: OpenedRow[] = [];
		let after: string | null = null;
		do {
			const page = await req(
				'GET',
				`/api/orgs/${tenantId}/${path}?limit=1000${after ? `&after=${after}` : ''}`,
				{
					token
				}
			);
			expect(page.status).toBe(200);
			out.push(
				...ops.openRows(tenantId, table, page.json.rows as ServedRow[], page.json.writes as ServedWrite[])
			);
			after = page.json.next as string | null;
		} while (after);
		for (const r of out) expect(r.problem, r.id).toBeNull();
		return out;
	}

	/** The catalogue as the page holds it, for the planner and the export. */
	async function catalogue() {
		const products = await openAll('products', 'products');
		const movements = await openAll('stock-movements', 'stock_movements');
		const suppliers = await openAll('suppliers', 'suppliers');
		const onHand = new Map<string, number>();
		for (const m of movements)
			onHand.set(
				m.plain.productId as string,
				(onHand.get(m.plain.productId as string) ?? 0) + (m.plain.delta as number)
			);
		const existing: Existing = {
			products: products.map((p) => ({
				id: p.id,
				version: p.version,
				leaf: p.leaf,
				fields: p.fields as ProductFields,
				reorderPoint: (p.plain.reorderPoint as number | null) ?? null,
				archived: p.plain.archived === true,
				onHand: onHand.get(p.id) ?? 0
			})),
			suppliers: suppliers.map((s) => ({ id: s.id, fields: { name: s.fields!.name! } }))
		};
		return { existing, movements };
	}

	/** Uploads a plan as the page does, `crash` after the n-th stored batch (its answer lost with the tab). */
	async function run(plan: ReturnType<typeof planProducts>, crashAfter?: number) {
		const saved: UploadState[] = [];
		let stored = 0;
		const options = (state: UploadState, crashing: boolean) => ({
			count: plan.count,
			drafts: plan.drafts,
			prepare: async (
				drafts: Parameters<typeof ops.prepareWrite>[1],
				prev: Parameters<typeof ops.prepareWrite>[2]
			) => ops.prepareWrite(tenantId, drafts, prev),
			send: async (body: Record<string, unknown>, key: string) => {
				const res = await req('POST', `/api/orgs/${tenantId}/writes`, {
					token,
					body,
					headers: { 'idempotency-key': key }
				});
				if (res.status === 409 && res.json.code === 'stale_counter') throw new StaleCounter();
				expect([200, 201], JSON.stringify(res.json)).toContain(res.status);
				if (crashing && ++stored === crashAfter) throw new Error('the tab crashed');
				return res.json as { statement: string; counter: number };
			},
			last: async () =>
				(await req('GET', `/api/orgs/${tenantId}/my-writes/last`, { token })).json.last as {
					hash: string;
					counter: number;
				} | null,
			store: { save: async (s: UploadState) => void saved.push(structuredClone(s)) },
			state,
			maxRows: 40,
			newKey: () => randomUUID().replaceAll('-', '')
		});
		if (crashAfter === undefined) return upload(options({ done: 0, pending: null }, false));
		await expect(upload(options({ done: 0, pending: null }, true))).rejects.toThrow('the tab crashed');
		expect(saved.at(-1)!.pending).not.toBeNull();
		return upload(options(saved.at(-1)!, false));
	}

	/** A report's bytes through decode, parse, format detection, mapping and validation. */
	function read(bytes: Uint8Array) {
		const decoded = decodeBytes(bytes);
		const table = parseTable(decoded.text);
		expect(table.problems).toEqual([]);
		const format = detectFormat(table.header);
		const mapping = guessMapping(format, table.header);
		const validated = validateRows('products', table, mapping, { decimal: '.', currency: 'USD' });
		expect(validated.errors).toEqual([]);
		return { format, table, validated };
	}

	it('imports an FBA report in UTF-16 through a crash, every line once, and exports it back cell for cell', async () => {
		const sheet: Sheet = fbaSheet(150);
		sheet.rows[3]![3] = `Canary lamp ${canary}`;
		const bytes = encode(joinLines([sheet.header, ...sheet.rows], '\t', '\r\n'), 'utf-16le');
		for (const cell of sheet.rows.flat()) imported.add(cell);
		const { format, validated } = read(bytes);
		expect(format).toBe('fba-inventory');
		expect(validated.rows).toHaveLength(150);

		const plan = planProducts(validated.rows, (await catalogue()).existing, 'skip');
		expect(plan.count).toBe(150);
		const before = (await sql(`select count(*)::int as n from app.writes`)) as { n: number }[];
		const done = await run(plan, 2);
		expect(done).toEqual({ done: 150, pending: null });

		// Every line once: 150 products, one opening count each, and no statement stored twice.
		const { existing, movements } = await catalogue();
		expect(existing.products).toHaveLength(150);
		expect(movements).toHaveLength(150);
		const bySku = new Map(existing.products.map((p) => [p.fields.sku, p]));
		expect(bySku.size).toBe(150);
		const writes = (await sql(`select count(*)::int as n from app.writes`)) as { n: number }[];
		// 150 lines of two rows in batches of at most 40 rows: 8 statements.
		expect(writes[0]!.n - before[0]!.n).toBe(8);
		for (const row of validated.rows) {
			const p = bySku.get(row.fields.sku)!;
			for (const f of PRODUCT_FIELDS) expect(p.fields[f], `${row.fields.sku} ${f}`).toBe(row.fields[f]);
			expect(extraColumns(p.fields.extra)).toEqual(extraColumns(row.fields.extra));
			expect(p.onHand).toBe(row.quantity);
		}

		// Exported in the report's own format, then read again: the same cells as the file.
		const exported = exportProducts(
			'fba-inventory',
			existing.products.map((p) => ({ fields: p.fields, reorderPoint: p.reorderPoint, onHand: p.onHand })),
			{ delimiter: '\t' }
		);
		const again = parseTable(exported.replace(/^\uFEFF/, ''), { delimiter: '\t' });
		expect(again.header).toEqual(sheet.header);
		const original = new Map(sheet.rows.map((r) => [r[0], r]));
		expect(again.rows).toHaveLength(150);
		for (const r of again.rows) expect(r.cells, r.cells[0]).toEqual(original.get(r.cells[0]));
	});

	it('skips or updates the SKUs the organisation already has, as chosen', async () => {
		const { existing } = await catalogue();
		const some = existing.products.slice(0, 3);
		const header = ['sku', 'name', 'quantity'];
		const rows = [
			...some.map((p, i) => [p.fields.sku, `Renamed ${i}`, String(p.onHand + 10)]),
			['NEW-000001', 'A new lamp', '4']
		];
		const bytes = encode(joinLines([header, ...rows], ',', '\n'), 'utf-8');
		for (const cell of rows.flat()) imported.add(cell);
		const { validated } = read(bytes);

		const skip = planProducts(validated.rows, existing, 'skip');
		expect(skip.count).toBe(1);
		expect(skip.skipped).toEqual([2, 3, 4]);

		const update = planProducts(validated.rows, existing, 'update');
		expect(update.count).toBe(4);
		expect(update.updated).toEqual([2, 3, 4]);
		await run(update);
		const after = (await catalogue()).existing;
		expect(after.products).toHaveLength(151);
		for (const [i, p] of some.entries()) {
			const now = after.products.find((x) => x.id === p.id)!;
			expect(now.version).toBe(p.version + 1);
			expect(now.fields.name).toBe(`Renamed ${i}`);
			// What the file did not say stays: the ASIN, FNSKU, price and extra columns.
			expect(now.fields.asin).toBe(p.fields.asin);
			expect(now.fields.price_minor).toBe(p.fields.price_minor);
			expect(now.fields.extra).toBe(p.fields.extra);
			// A count brought it to the file's quantity.
			expect(now.onHand).toBe(p.onHand + 10);
		}
	});

	it('stores no canary, and no imported value of 8 bytes or more, in any text, json or bytea column', async () => {
		// The control: the organisation's display name is stored in clear (documented leakage), and found.
		expect(await columnsHolding(t, 'Import Trading')).toEqual(['app.organisations.display_name']);
		expect(await columnsHolding(t, canary)).toEqual([]);
		const long = [...imported].filter((v) => Buffer.byteLength(v) >= 8);
		expect(long.length).toBeGreaterThan(400);
		expect(await valuesInClear(t, ['Import Trading', ...long])).toEqual(['Import Trading']);
	});
});
