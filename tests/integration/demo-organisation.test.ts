// `npm start` gives the demo account an organisation with a sample catalogue (scripts/demo-organisation.mjs):
// sealed and signed in Node by the vault's own operations, sent over HTTP as the browser sends it. This test
// runs both seeders exactly as start.mjs does, against the production HTTP server around a test API, then
// reads everything back as a member's browser would (openRows): every row verifies and opens, and the
// catalogue is whole. A second call does nothing.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../crypto/index';
import { clientAddressFrom } from '../../server/client-address.js';
import { seedDemoAccount } from '../../scripts/demo-account.mjs';
import { DEMO_ORGANISATION_NAME, seedDemoOrganisation } from '../../scripts/demo-organisation.mjs';
import { PRODUCT_FIELDS, SOURCE_FIELDS, SUPPLIER_FIELDS } from '../../src/lib/catalogue/records';
import type { OpenedRow, ServedRow, ServedWrite } from '../../src/lib/vault/catalogue-ops';
import { createOperations } from '../../src/lib/vault/operations';
import { testApi } from '../helpers/api';
import { databaseFactories, type TestDatabase } from '../helpers/databases';
import { pagesStub, startNodeServer } from '../helpers/node-server';

await ready();

type Demo = { email: string; password: string; recoveryKey: string; userId: string };
const demo = JSON.parse(readFileSync('scripts/demo-account.json', 'utf8')) as Demo;
const SIZE = { products: 40, suppliers: 5 };

describe.each(databaseFactories)('the demo organisation on $kind', (factory) => {
	let t: TestDatabase;
	let server: Awaited<ReturnType<typeof startNodeServer>>;
	let dir: string;
	const reader = createOperations();
	let token = '';

	async function get(path: string) {
		const res = await fetch(`${server.base}${path}`, { headers: { authorization: `Bearer ${token}` } });
		expect(res.status, path).toBe(200);
		return (await res.json()) as Record<string, unknown>;
	}

	/** Every row of a list, page by page, each page opened and verified on its own. */
	async function openAll(tenantId: string, path: string, table: Parameters<typeof reader.openRows>[1]) {
		const out: OpenedRow[] = [];
		let after: string | null = null;
		do {
			const page = await get(`/api/orgs/${tenantId}/${path}?limit=50${after ? `&after=${after}` : ''}`);
			out.push(...reader.openRows(tenantId, table, page.rows as ServedRow[], page.writes as ServedWrite[]));
			after = page.next as string | null;
		} while (after);
		return out;
	}

	beforeAll(async () => {
		t = await factory.create();
		server = await startNodeServer({
			pages: pagesStub,
			api: testApi(t.db).app,
			clientAddress: clientAddressFrom({})
		});
		dir = mkdtempSync(join(tmpdir(), 'stowage-demo-org-'));
	});
	afterAll(async () => {
		reader.lock();
		await server?.close();
		await t?.drop();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it(
		'seals, signs and stores a whole sample catalogue that every reader verifies',
		{ timeout: 120_000 },
		async () => {
			expect((await seedDemoAccount(server.base)).status).toBe(201);
			const lines: string[] = [];
			const seeded = await seedDemoOrganisation(server.base, demo, {
				...SIZE,
				markerPath: join(dir, 'demo-organisation-created'),
				log: (line) => lines.push(line)
			});
			expect(seeded).toMatchObject({ status: 'created', name: DEMO_ORGANISATION_NAME, ...SIZE, counts: 40 });
			expect(seeded.tenantId).toMatch(/^[0-9a-f]{64}$/);
			expect(lines.join('\n')).toContain(DEMO_ORGANISATION_NAME);
			// Suppliers in one request, then products with their sources and counts in requests of ≤ 128 rows.
			const rows = SIZE.suppliers + SIZE.products * 2 + seeded.sources;
			expect(seeded.writes).toBeGreaterThanOrEqual(1 + Math.ceil((rows - SIZE.suppliers) / 128));

			// A member's browser: sign in, open the organisation, read every list.
			const kdf = (
				await (
					await fetch(`${server.base}/api/auth/prelogin`, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ email: demo.email })
					})
				).json()
			).kdf;
			const { authKey } = reader.deriveForLogin(demo.password, demo.email, kdf);
			const login = await fetch(`${server.base}/api/auth/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ email: demo.email, authKey })
			});
			expect(login.status).toBe(200);
			const grant = (await login.json()) as { accessToken: string; account: { masterBundle: string } };
			token = grant.accessToken;
			expect(reader.openWithMaster(demo.userId, grant.account.masterBundle).unlocked).toBe(true);
			const orgs = (await get('/api/orgs')).organisations as { tenantId: string; displayName: string }[];
			expect(orgs).toEqual([
				expect.objectContaining({ tenantId: seeded.tenantId, displayName: DEMO_ORGANISATION_NAME })
			]);
			const tenantId = seeded.tenantId;
			const chain = await get(`/api/orgs/${tenantId}/chain`);
			const keys = await get(`/api/orgs/${tenantId}/keys`);
			const opened = reader.openOrganisation(
				tenantId,
				(chain.links as { link: string }[]).map((l) => l.link),
				keys.wraps as never,
				null
			);
			expect(opened.verified).toBe(true);

			const suppliers = await openAll(tenantId, 'suppliers', 'suppliers');
			const products = await openAll(tenantId, 'products', 'products');
			const sources = await openAll(tenantId, 'sources', 'product_sources');
			const counts = await openAll(tenantId, 'stock-movements', 'stock_movements');
			for (const r of [...suppliers, ...products, ...sources, ...counts]) expect(r.problem, r.id).toBeNull();
			expect(suppliers).toHaveLength(SIZE.suppliers);
			expect(products).toHaveLength(SIZE.products);
			expect(sources).toHaveLength(seeded.sources);
			expect(counts).toHaveLength(SIZE.products);

			for (const s of suppliers) expect(Object.keys(s.fields!).sort()).toEqual([...SUPPLIER_FIELDS].sort());
			for (const p of products) expect(Object.keys(p.fields!).sort()).toEqual([...PRODUCT_FIELDS].sort());
			for (const s of sources) expect(Object.keys(s.fields!).sort()).toEqual([...SOURCE_FIELDS].sort());
			const skus = products.map((p) => p.fields!.sku);
			expect(new Set(skus).size).toBe(SIZE.products);
			expect(products.every((p) => p.fields!.name !== '' && p.fields!.currency === 'EUR')).toBe(true);

			const supplierIds = new Set(suppliers.map((s) => s.id));
			const productIds = new Set(products.map((p) => p.id));
			const sourcesOf = new Map<string, number>();
			for (const s of sources) {
				expect(productIds.has(s.plain.productId as string)).toBe(true);
				expect(supplierIds.has(s.plain.supplierId as string)).toBe(true);
				sourcesOf.set(s.plain.productId as string, (sourcesOf.get(s.plain.productId as string) ?? 0) + 1);
			}
			const countsOf = new Map<string, number>();
			for (const c of counts) {
				expect(c.plain.reason).toBe('count');
				expect(c.plain.delta as number).toBeGreaterThanOrEqual(0);
				expect(c.plain.delta as number).toBeLessThanOrEqual(500);
				countsOf.set(c.plain.productId as string, (countsOf.get(c.plain.productId as string) ?? 0) + 1);
			}
			for (const id of productIds) {
				expect(sourcesOf.get(id) ?? 0).toBeGreaterThanOrEqual(1);
				expect(countsOf.get(id)).toBe(1);
			}
			// Row ids are lowercase UUIDs, as the API requires.
			for (const r of [...products, ...sources]) expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
		}
	);

	it(
		'does nothing a second time: neither with the marker nor, without it, once an organisation exists',
		{ timeout: 60_000 },
		async () => {
			const marked = await seedDemoOrganisation(server.base, demo, {
				...SIZE,
				markerPath: join(dir, 'demo-organisation-created')
			});
			expect(marked.status).toBe('exists');
			const again = await seedDemoOrganisation(server.base, demo, SIZE);
			expect(again).toMatchObject({ status: 'exists', name: DEMO_ORGANISATION_NAME, products: 0 });
			expect(((await get('/api/orgs')).organisations as unknown[]).length).toBe(1);
		}
	);

	it(
		'with force (the CLI), adds another organisation, its statements chained well past ten',
		{ timeout: 60_000 },
		async () => {
			const more = await seedDemoOrganisation(server.base, demo, {
				products: 12,
				suppliers: 3,
				name: 'Second catalogue',
				force: true,
				maxRows: 4
			});
			expect(more).toMatchObject({ status: 'created', name: 'Second catalogue', products: 12 });
			expect(more.writes).toBeGreaterThan(10);
			const last = await get(`/api/orgs/${more.tenantId}/my-writes/last`);
			expect(last.last).toMatchObject({ counter: more.writes });
			const orgs = (await get('/api/orgs')).organisations as { displayName: string }[];
			expect(orgs.map((o) => o.displayName).sort()).toEqual(
				[DEMO_ORGANISATION_NAME, 'Second catalogue'].sort()
			);
		}
	);
});
