// Issue 12's conformance round trip on the shared fixtures (../shared/fixtures, or STOWAGE_FIXTURES_DIR): each
// file imported in Node with the code the browser runs, on each database (PGlite; PostgreSQL too when
// DATABASE_URL is set), into an organisation of its own: decoded, parsed, detected as its own format, mapped
// and validated without an error, planned, sealed, signed and uploaded in batches with Idempotency-Keys
// through the real API, read back verified and opened as a member's browser reads it (every line stored
// exactly once), then exported in the file's own format and read again: the same header and, row by row
// (keyed by SKU or supplier name), the same cells as the fixture, quotes, commas, accents, CJK and emoji
// intact. Finally the zero-knowledge check: no distinctive value of the fixtures in any text, json or bytea
// column, while the organisation's display name (stored in clear, documented) is found.
// Node only (node:fs and a database): vitest.conformance.config.ts keeps it out of the Chromium project.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../crypto/index';
import { PRODUCT_FIELDS } from '../../src/lib/catalogue/records';
import { planProducts, planSuppliers } from '../../src/lib/import/drafts';
import { neutralise, unneutralise } from '../../src/lib/import/cells';
import { exportProducts, exportSuppliers } from '../../src/lib/import/export';
import { FORMATS, type FormatId } from '../../src/lib/import/formats';
import { parseTable, type Table } from '../../src/lib/import/parse';
import { createOperations } from '../../src/lib/vault/operations';
import { call } from '../helpers/account-client';
import { testApi } from '../helpers/api';
import { databaseFactories, type TestDatabase } from '../helpers/databases';
import { loadCatalogue, readImport, uploadPlan, type ImportClient } from '../helpers/import-run';
import { columnsHolding, openedOrganisation } from '../helpers/vault-organisation';

await ready();

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = resolve(root, process.env.STOWAGE_FIXTURES_DIR ?? '../shared/fixtures');

type Fixture = { file: string; format: FormatId; key: string; lines: number };
const FIXTURES: Fixture[] = [
	{ file: 'products-200.csv', format: 'products', key: 'sku', lines: 200 },
	{ file: 'suppliers-50.csv', format: 'suppliers', key: 'name', lines: 50 },
	{ file: 'fba-manage-inventory-300.tsv', format: 'fba-inventory', key: 'sku', lines: 300 },
	{ file: 'active-listings-300.tsv', format: 'active-listings', key: 'seller-sku', lines: 300 }
];

function fixtureBytes(file: string): Uint8Array {
	try {
		return new Uint8Array(readFileSync(resolve(dir, file)));
	} catch (error) {
		throw new Error(
			`Import fixture ${file} not found in ${dir}. They are the shared fixtures (seed 42 outputs of ` +
				'make-catalog.mjs) next to the checkout, in ../shared/fixtures; set STOWAGE_FIXTURES_DIR to the folder ' +
				'that holds them.',
			{ cause: error }
		);
	}
}
// Read once, up front: a missing fixture fails the file at once, never passes.
const bytes = new Map(FIXTURES.map((f) => [f.file, fixtureBytes(f.file)]));

/**
 * The cells of a parsed fixture holding a line break: make-catalog.mjs writes none inside a value (its line
 * ends are record ends), so any is the parser's reading of a line end as text.
 */
function cellsWithLineBreaks(table: Table): { line: number; column: string; cell: string }[] {
	return table.rows.flatMap((r) =>
		r.cells.flatMap((cell, i) =>
			/[\r\n]/.test(cell) ? [{ line: r.line, column: table.header[i] ?? `#${i + 1}`, cell }] : []
		)
	);
}

/** Rows of a table by the cell in column `key`, each as column → cell. */
function byKey(table: Table, key: string): Map<string, Record<string, string>> {
	const at = table.header.indexOf(key);
	expect(at, `column ${key}`).toBeGreaterThanOrEqual(0);
	const out = new Map<string, Record<string, string>>();
	for (const r of table.rows)
		out.set(r.cells[at]!, Object.fromEntries(table.header.map((h, i) => [h, r.cells[i]!])));
	return out;
}

/**
 * The export read again against the fixture: the header, then every row keyed by `key`, cell by cell. Cell
 * differences are summed up per column (how many rows, and the first one) so that a failure says which.
 * One difference is the design, not a loss: a text cell starting with = + - @ is written with the formula
 * guard (an apostrophe, cells.ts: "+86 755 …" goes out as "'+86 755 …"), which the import takes off again, so
 * a cell equals the fixture's when it is the fixture's exact text or that text guarded as export guards it.
 * A marketplace report comes back under exactly its header. The templates are exported whole (every column
 * of the template, so that the file is one to fill in and import again): the fixture's columns among them,
 * and the others empty, or holding what the import itself supplied (`supplied`: the default currency).
 */
function expectSameCells(
	fixture: Table,
	exported: Table,
	key: string,
	template?: { supplied: Record<string, string> }
) {
	expect(exported.problems).toEqual([]);
	if (!template) expect.soft(exported.header, 'the exported header').toEqual(fixture.header);
	else {
		expect(exported.header, 'the fixture’s columns, in its order').toEqual(
			expect.arrayContaining(fixture.header)
		);
		const order = fixture.header.map((h) => exported.header.indexOf(h));
		expect(order, 'the fixture’s columns, in its order').toEqual([...order].sort((a, b) => a - b));
		const added = exported.header.filter((h) => !fixture.header.includes(h));
		for (const r of exported.rows)
			for (const h of added) {
				const cell = r.cells[exported.header.indexOf(h)];
				expect(['', template.supplied[h] ?? ''], `${h} of ${r.cells[0]}`).toContain(cell);
			}
	}
	const want = byKey(fixture, key);
	const got = byKey(exported, key);
	expect(got.size, 'exported rows, one per key').toBe(exported.rows.length);
	expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
	const columns = template ? fixture.header : [...new Set([...fixture.header, ...exported.header])];
	const differ = new Map<
		string,
		{ rows: number; first: { key: string; fixture?: string; exported?: string } }
	>();
	for (const [k, w] of want) {
		const g = got.get(k);
		if (!g) continue;
		for (const c of columns)
			if (w[c] !== g[c] && (w[c] === undefined || g[c] !== neutralise(unneutralise(w[c])))) {
				const d = differ.get(c) ?? { rows: 0, first: { key: k, fixture: w[c], exported: g[c] } };
				d.rows++;
				differ.set(c, d);
			}
	}
	expect.soft(Object.fromEntries(differ), 'columns whose cells differ').toEqual({});
}

describe.each(databaseFactories)('the shared import fixtures on $kind', (factory) => {
	let t: TestDatabase;
	let req: ReturnType<typeof call>;
	/** Values the zero-knowledge check looks for, gathered from the files as they are imported. */
	const canaries = new Set<string>();

	beforeAll(async () => {
		t = await factory.create();
		// The runtime's default body limit (1 MiB): batches of MAX_WRITE_ROWS rows, as the page sends.
		req = call(testApi(t.db, { bodyLimit: 1024 * 1024 }).app);
	});
	afterAll(() => t?.drop());

	const writesStored = async () =>
		(
			(await t.driver.transaction((tx) => tx.query(`select count(*)::int as n from app.writes`))) as {
				n: number;
			}[]
		)[0]!.n;

	async function client(file: string): Promise<ImportClient> {
		const ops = createOperations();
		const { token, tenantId } = await openedOrganisation(req, ops, `Fixture Trading ${file}`);
		return { req, ops, token, tenantId };
	}

	it.each(FIXTURES.filter((f) => f.format !== 'suppliers'))(
		'imports $file as $format, every line once, and exports it back cell for cell',
		async ({ file, format, key, lines }) => {
			const c = await client(file);
			const read = readImport(bytes.get(file)!, { decimal: '.', currency: 'EUR' });
			expect(read.decoded.encoding).toBe('utf-8');
			expect(read.format).toBe(format);
			expect(read.table.rows).toHaveLength(lines);
			expect.soft(cellsWithLineBreaks(read.table), 'cells with a line break').toEqual([]);
			const rows = read.products!.rows;
			expect(rows).toHaveLength(lines);

			const supplierNames = [...new Set(rows.flatMap((r) => (r.source ? [r.source.supplierName] : [])))];
			const plan = planProducts(rows, (await loadCatalogue(c)).existing, 'skip');
			expect(plan.skipped).toEqual([]);
			expect(plan.newSuppliers.sort()).toEqual([...supplierNames].sort());
			expect(plan.count).toBe(supplierNames.length + lines);
			const before = await writesStored();
			const { state, stored } = await uploadPlan(c, plan);
			expect(state).toEqual({ done: plan.count, pending: null });
			// Every statement the upload sent is stored, and no other.
			expect((await writesStored()) - before).toBe(stored);

			// Every line once: one product per line, one opening count each (its quantity), and for the template
			// one source per line, on the supplier it names, each supplier created once.
			const cat = await loadCatalogue(c);
			expect(cat.products).toHaveLength(lines);
			const bySku = new Map(cat.products.map((p) => [p.fields.sku, p]));
			expect(bySku.size).toBe(lines);
			expect(cat.movements).toHaveLength(lines);
			expect(new Set(cat.movements.map((m) => m.productId)).size).toBe(lines);
			expect(cat.suppliers.map((s) => s.fields.name).sort()).toEqual([...supplierNames].sort());
			expect(cat.sources).toHaveLength(rows.filter((r) => r.source).length);
			const supplierName = new Map(cat.suppliers.map((s) => [s.id, s.fields.name]));
			for (const row of rows) {
				const sku = row.fields.sku;
				const p = bySku.get(sku)!;
				expect(p, sku).toBeDefined();
				for (const f of PRODUCT_FIELDS) expect(p.fields[f], `${sku} ${f}`).toBe(row.fields[f]);
				expect(p.reorderPoint, `${sku} reorder point`).toBe(row.reorderPoint);
				expect(p.onHand, `${sku} on hand`).toBe(row.quantity ?? 0);
				const mine = cat.sources.filter((s) => s.productId === p.id);
				if (!row.source) {
					expect(mine, sku).toEqual([]);
					continue;
				}
				const { supplierName: name, ...fields } = row.source;
				expect(mine, sku).toHaveLength(1);
				expect(supplierName.get(mine[0]!.supplierId), `${sku} supplier`).toBe(name);
				expect(mine[0]!.fields, `${sku} source`).toEqual(fields);
			}

			// Exported in the file's own format and read again: the fixture's cells.
			const exported = exportProducts(format as Exclude<FormatId, 'suppliers'>, cat.exportable);
			const again = parseTable(exported, { delimiter: FORMATS[format].delimiter });
			expectSameCells(
				read.table,
				again,
				key,
				format === 'products' ? { supplied: { currency: 'EUR' } } : undefined
			);

			// A product name with CJK and one with an emoji (a few: each is a scan of every column).
			const cjk = rows.find((r) => /[\u4e00-\u9fff]/.test(r.fields.name));
			const emoji = rows.find((r) => /\p{Extended_Pictographic}/u.test(r.fields.name));
			for (const r of [cjk, emoji]) if (r) canaries.add(r.fields.name);
			canaries.add(rows[0]!.fields.sku);
			if (supplierNames[0]) canaries.add(supplierNames[0]);
		}
	);

	it('imports suppliers-50.csv as suppliers, every line once, and exports it back cell for cell', async () => {
		const { file, key, lines } = FIXTURES.find((f) => f.format === 'suppliers')!;
		const c = await client(file);
		const read = readImport(bytes.get(file)!, { decimal: '.', currency: 'EUR' });
		expect(read.decoded.encoding).toBe('utf-8');
		expect(read.format).toBe('suppliers');
		expect(read.table.rows).toHaveLength(lines);
		expect.soft(cellsWithLineBreaks(read.table), 'cells with a line break').toEqual([]);
		const { rows, ignored } = read.suppliers!;
		expect(ignored, 'columns with nowhere to go').toEqual([]);
		expect(rows).toHaveLength(lines);

		const plan = planSuppliers(rows, (await loadCatalogue(c)).existing);
		expect(plan.count).toBe(lines);
		const before = await writesStored();
		const { state, stored } = await uploadPlan(c, plan);
		expect(state).toEqual({ done: lines, pending: null });
		expect((await writesStored()) - before).toBe(stored);

		const cat = await loadCatalogue(c);
		expect(cat.products).toEqual([]);
		expect(cat.suppliers).toHaveLength(lines);
		const byName = new Map(cat.suppliers.map((s) => [s.fields.name, s]));
		expect(byName.size).toBe(lines);
		for (const row of rows) expect(byName.get(row.fields.name)?.fields, row.fields.name).toEqual(row.fields);

		const exported = exportSuppliers(cat.suppliers);
		const again = parseTable(exported, { delimiter: FORMATS.suppliers.delimiter });
		expectSameCells(read.table, again, key, { supplied: {} });

		for (const r of rows.slice(0, 3)) canaries.add(r.fields.email).add(r.fields.phone);
		canaries.add(rows.find((r) => /"/.test(r.fields.notes))?.fields.notes ?? rows[0]!.fields.name);
	});

	it('stores none of the fixtures’ values in clear in any text, json or bytea column', async () => {
		// The control: the organisations' display names are stored in clear (documented leakage), and found.
		expect(await columnsHolding(t, 'Fixture Trading')).toEqual(['app.organisations.display_name']);
		// A product name with CJK, one with an emoji, a SKU, supplier names, emails and phone numbers.
		expect(canaries.size).toBeGreaterThanOrEqual(8);
		expect([...canaries].some((v) => /[\u4e00-\u9fff]/.test(v))).toBe(true);
		expect([...canaries].some((v) => /\p{Extended_Pictographic}/u.test(v))).toBe(true);
		for (const value of canaries) expect(await columnsHolding(t, value), value).toEqual([]);
	});
});
