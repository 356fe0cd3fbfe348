// The browser's catalogue path end to end in Node, on each database: the vault's own operations (the code the
// crypto worker runs) sign up, create and open an organisation, seal and sign writes (catalogue-ops.ts
// prepareWrite), the API stores them, and openRows verifies every served row. Then direct SQL, as a hostile
// database operator would: an envelope sealed with the right key but never signed, a changed plaintext
// quantity, an older signed version replayed under a newer version number, a statement link pointed
// elsewhere. Each row is flagged with its reason, and nothing else is.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../crypto/index';
import { CATALOGUE_TABLES } from '../../src/lib/server/db/catalogue';
import { createOperations } from '../../src/lib/vault/operations';
import {
	LEAF_COLUMNS,
	type Draft,
	type ServedRow,
	type ServedWrite
} from '../../src/lib/vault/catalogue-ops';
import { PRODUCT_FIELDS, SOURCE_FIELDS, SUPPLIER_FIELDS } from '../../src/lib/catalogue/records';
import { testApi } from '../helpers/api';
import { call } from '../helpers/account-client';
import { databaseFactories, type TestDatabase } from '../helpers/databases';
import { columnsHolding, openedOrganisation } from '../helpers/vault-organisation';

await ready();

const blank = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, '']));
const product = (f: Record<string, string>) => ({ ...blank(PRODUCT_FIELDS), currency: 'EUR', ...f });

describe('the vault’s leaf columns', () => {
	it('are exactly the server’s client-written columns, table by table', () => {
		for (const [table, spec] of Object.entries(CATALOGUE_TABLES)) {
			expect(Object.keys(LEAF_COLUMNS[table as keyof typeof LEAF_COLUMNS]).sort()).toEqual(
				Object.keys(spec.columns).sort()
			);
		}
	});
});

describe.each(databaseFactories)('the vault’s catalogue on $kind', (factory) => {
	let t: TestDatabase;
	let req: ReturnType<typeof call>;
	const ops = createOperations();
	let token: string;
	let tenantId: string;
	let prev: { hash: string; counter: number } | null = null;
	let mugV1Catalog = '';
	const ids = {
		mug: randomUUID(),
		bowl: randomUUID(),
		supplier: randomUUID(),
		source1: randomUUID(),
		source2: randomUUID(),
		count: randomUUID()
	};

	async function send(drafts: Draft[]) {
		const w = ops.prepareWrite(tenantId, drafts, prev);
		const res = await req('POST', `/api/orgs/${tenantId}/writes`, { token, body: w.body });
		if (res.status === 201) prev = { hash: w.hash, counter: w.counter };
		return { res, w };
	}

	async function page(path: string, table: Parameters<typeof ops.openRows>[1]) {
		const res = await req('GET', `/api/orgs/${tenantId}/${path}`, { token });
		expect(res.status).toBe(200);
		const opened = ops.openRows(
			tenantId,
			table,
			res.json.rows as ServedRow[],
			res.json.writes as ServedWrite[]
		);
		return new Map(opened.map((r) => [r.id, r]));
	}

	const sql = (text: string, params: unknown[] = []) =>
		t.driver.transaction((tx) => tx.query(text, params as never[]));

	beforeAll(async () => {
		t = await factory.create();
		req = call(testApi(t.db).app);
		({ token, tenantId } = await openedOrganisation(req, ops, 'Vault Trading'));
	});
	afterAll(() => t.drop());

	it('seals, signs and stores a catalogue the API accepts, and every served row verifies and opens', async () => {
		const { res } = await send([
			{
				table: 'products',
				id: ids.mug,
				version: 1,
				prevLeaf: null,
				fields: product({ name: 'Blue mug', sku: 'MUG-1', asin: 'B000000001', price_minor: '1299' }),
				reorderPoint: 5,
				archived: false
			},
			{
				table: 'products',
				id: ids.bowl,
				version: 1,
				prevLeaf: null,
				fields: product({ name: 'Bowl', sku: 'BOWL-1' }),
				reorderPoint: null,
				archived: false
			},
			{
				table: 'suppliers',
				id: ids.supplier,
				version: 1,
				prevLeaf: null,
				fields: { ...blank(SUPPLIER_FIELDS), name: 'Ceramics Co', country: 'PT' },
				archived: false
			},
			...[ids.source1, ids.source2].map((id, i): Draft => ({
				table: 'product_sources',
				id,
				version: 1,
				prevLeaf: null,
				productId: ids.mug,
				supplierId: ids.supplier,
				fields: { ...blank(SOURCE_FIELDS), supplier_sku: `CC-${i}`, unit_cost_minor: '450', currency: 'EUR' },
				archived: false
			})),
			{
				table: 'stock_movements',
				id: ids.count,
				productId: ids.mug,
				delta: 40,
				reason: 'count',
				occurredAt: Date.now() * 1000
			}
		]);
		expect(res.status, JSON.stringify(res.json)).toBe(201);
		expect(res.json.counter).toBe(1);
		const products = await page('products', 'products');
		expect(products.get(ids.mug)).toMatchObject({
			problem: null,
			version: 1,
			fields: { name: 'Blue mug', sku: 'MUG-1', price_minor: '1299' },
			plain: { reorderPoint: 5, archived: false, epoch: 1 }
		});
		expect(products.get(ids.bowl)!.problem).toBeNull();
		expect((await page('suppliers', 'suppliers')).get(ids.supplier)).toMatchObject({
			problem: null,
			fields: { name: 'Ceramics Co' }
		});
		const sources = await page('sources', 'product_sources');
		expect([...sources.values()].map((s) => s.problem)).toEqual([null, null]);
		expect((await page('stock-movements', 'stock_movements')).get(ids.count)).toMatchObject({
			problem: null,
			plain: { delta: 40, reason: 'count' }
		});
	});

	it('leaves no canary and no sealed value of 8 bytes or more in any text, json or bytea column', async () => {
		const canary = `cnry${randomUUID().slice(0, 8)}`;
		const productId = randomUUID();
		const supplier = randomUUID();
		const sealed = {
			name: `Canary mug ${canary}`,
			sku: `SKU-${canary}`,
			asin: 'B0CANARY01',
			notes: `Fragile, ${canary}`,
			supplierName: `Supplier ${canary}`,
			email: `sales-${canary}@canary.example`,
			supplierSku: `SUP-${canary}`
		};
		const { res } = await send([
			{
				table: 'products',
				id: productId,
				version: 1,
				prevLeaf: null,
				fields: product({ name: sealed.name, sku: sealed.sku, asin: sealed.asin, notes: sealed.notes }),
				reorderPoint: null,
				archived: false
			},
			{
				table: 'suppliers',
				id: supplier,
				version: 1,
				prevLeaf: null,
				fields: { ...blank(SUPPLIER_FIELDS), name: sealed.supplierName, email: sealed.email },
				archived: false
			},
			{
				table: 'product_sources',
				id: randomUUID(),
				version: 1,
				prevLeaf: null,
				productId,
				supplierId: supplier,
				fields: {
					...blank(SOURCE_FIELDS),
					supplier_sku: sealed.supplierSku,
					unit_cost_minor: '1',
					currency: 'EUR'
				},
				archived: false
			}
		]);
		expect(res.status).toBe(201);
		// The control: the organisation's display name is stored in clear (documented leakage), and found.
		expect(await columnsHolding(t, 'Vault Trading')).toEqual(['app.organisations.display_name']);
		for (const needle of [canary, ...Object.values(sealed)]) {
			expect(Buffer.byteLength(needle)).toBeGreaterThanOrEqual(8);
			expect(await columnsHolding(t, needle), `"${needle}" stored in clear`).toEqual([]);
		}
	});

	it('serves every statement once (GET …/writes, in pages) so that pages of rows can come without them', async () => {
		const all: ServedWrite[] = [];
		let after: string | null = null;
		do {
			const res = await req('GET', `/api/orgs/${tenantId}/writes?limit=1${after ? `&after=${after}` : ''}`, {
				token
			});
			expect(res.status).toBe(200);
			all.push(...(res.json.writes as ServedWrite[]));
			after = res.json.next as string | null;
		} while (after);
		expect(all.length).toBe(prev!.counter);
		expect(new Set(all.map((w) => w.hash)).size).toBe(all.length);
		// As the page does: verify them all, then open a page served without statements.
		expect(ops.verifyStatements(tenantId, all)).toEqual({ verified: all.length });
		const bare = await req('GET', `/api/orgs/${tenantId}/products?writes=none`, { token });
		expect(bare.json.writes).toEqual([]);
		const opened = ops.openRows(tenantId, 'products', bare.json.rows as ServedRow[], []);
		expect(opened.length).toBeGreaterThan(0);
		expect(opened.every((r) => r.problem === null)).toBe(true);
		// A statement that does not verify is not cached: what the server claims is not taken.
		const forged = {
			hash: 'A'.repeat(43),
			statement: all[0]!.statement.slice(0, -4) + 'AAAA',
			leaves: all[0]!.leaves
		};
		expect(ops.verifyStatements(tenantId, [forged])).toEqual({ verified: 0 });
	});

	it('edits with compare-and-swap: the next version verifies, a stale edit is a 409 and changes nothing', async () => {
		const v1 = (await page('products', 'products')).get(ids.mug)!;
		const served = await req('GET', `/api/orgs/${tenantId}/products`, { token });
		mugV1Catalog = (served.json.rows as { id: string; catalog: string }[]).find(
			(r) => r.id === ids.mug
		)!.catalog;
		const edit = (name: string): Draft => ({
			table: 'products',
			id: ids.mug,
			version: v1.version + 1,
			prevLeaf: v1.leaf,
			fields: product({ ...v1.fields, name }),
			reorderPoint: 5,
			archived: false
		});
		expect((await send([edit('Blue mug, large')])).res.status).toBe(201);
		const stale = await send([edit('Blue mug, small')]);
		expect(stale.res.status).toBe(409);
		expect(stale.res.json.code).toBe('stale_version');
		const v2 = (await page('products', 'products')).get(ids.mug)!;
		expect(v2).toMatchObject({ version: 2, problem: null, fields: { name: 'Blue mug, large' } });
	});

	it('follows the author’s last statement past counter 9 (counters compare as numbers, not text)', async () => {
		const id = randomUUID();
		let leaf: string | null = null;
		for (let version = 1; (prev?.counter ?? 0) < 11; version++) {
			const fields = { ...blank(SUPPLIER_FIELDS), name: `Supplier v${version}` };
			const { res, w } = await send([
				{ table: 'suppliers', id, version, prevLeaf: leaf, fields, archived: false }
			]);
			expect(res.status, JSON.stringify(res.json)).toBe(201);
			leaf = w.leaves[0]!;
		}
		const last = await req('GET', `/api/orgs/${tenantId}/my-writes/last`, { token });
		expect(last.json.last).toEqual(prev);
		expect(prev!.counter).toBe(11);
	});

	it('flags each row a database operator changed, with its reason, and no other row', async () => {
		// The mug's version 1 envelope, as the API served it before the edit above replaced it.
		expect(mugV1Catalog).toMatch(/^[A-Za-z0-9_-]+$/);
		// 1. An envelope sealed with the right key for this very row, but never signed or sent.
		const unsent = ops.prepareWrite(
			tenantId,
			[
				{
					table: 'products',
					id: ids.bowl,
					version: 1,
					prevLeaf: null,
					fields: product({ name: 'Bowl (cheaper)', sku: 'BOWL-1', price_minor: '1' }),
					reorderPoint: null,
					archived: false
				}
			],
			prev
		);
		const swapped = (unsent.body.products as { catalog: string }[])[0]!.catalog;
		const bytea = (b64url: string) => Buffer.from(b64url, 'base64url');
		await sql(`update app.products set catalog = $1 where id = $2`, [bytea(swapped), ids.bowl]);
		// 2. A plaintext quantity changed.
		await sql(`update app.stock_movements set delta = 4000 where id = $1`, [ids.count]);
		// 3. The mug's older signed version (1) replayed under its newer version number (2).
		await sql(`update app.products set catalog = $1 where id = $2`, [bytea(mugV1Catalog), ids.mug]);
		// 4. A source pointed at another genuine statement (the edit's, which does not cover it) …
		await sql(
			`update app.product_sources set write_hash = (select write_hash from app.products where id = $2)
			  where id = $1`,
			[ids.source1, ids.mug]
		);
		// … and one pointed at a statement no member signed (random bytes, stored as a write).
		const forged = new Uint8Array(32).map(() => Math.floor(Math.random() * 256));
		await sql(
			`insert into app.writes (tenant_id, hash, statement, leaves, author_id, counter, prev_hash, kind,
			                         cited_seq, cited_hash)
			 select tenant_id, $2, $3, $4, author_id, 99, $2, 1, cited_seq, cited_hash
			   from app.writes where tenant_id = $1 and counter = 1`,
			[tenantId, forged, new Uint8Array(400).fill(1), new Uint8Array(32)]
		);
		await sql(`update app.product_sources set write_hash = $2 where id = $1`, [ids.source2, forged]);

		const products = await page('products', 'products');
		expect(products.get(ids.bowl)).toMatchObject({ problem: 'altered', fields: { name: 'Bowl (cheaper)' } });
		expect(products.get(ids.mug)).toMatchObject({ problem: 'altered', fields: { name: 'Blue mug' } });
		const moves = await page('stock-movements', 'stock_movements');
		expect(moves.get(ids.count)).toMatchObject({ problem: 'altered', plain: { delta: 4000 } });
		const sources = await page('sources', 'product_sources');
		expect(sources.get(ids.source1)!.problem).toBe('altered');
		expect(sources.get(ids.source2)!.problem).toBe('unsigned');
		// Nothing else is flagged.
		expect((await page('suppliers', 'suppliers')).get(ids.supplier)!.problem).toBeNull();
	});

	it('holds nothing after lock: no page opens and nothing is signed', () => {
		ops.lock();
		expect(() => ops.openRows(tenantId, 'products', [], [])).toThrow(/open the organisation first|locked/);
		expect(() => ops.prepareWrite(tenantId, [], null)).toThrow();
	});
});
