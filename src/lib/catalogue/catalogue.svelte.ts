// The page's catalogue of the current organisation: every product, supplier, source and stock movement the
// role reads, fetched page by page and verified and opened in the crypto worker (vault catalogue-ops.ts), and
// the writes the pages make (sealed and signed in the worker, then sent). Rows that fail verification stay in
// the lists, flagged with their reason. Browser-only; no key or envelope is handled here.
import { session } from '$lib/api/session.svelte';
import { ApiProblem, readJson } from '$lib/api/problem';
import type { Draft, OpenedRow, RowProblem, ServedRow, ServedWrite } from '$lib/vault/catalogue-ops';
import { vault } from '$lib/vault/vault.svelte';
import {
	complete,
	PRODUCT_FIELDS,
	SOURCE_FIELDS,
	SUPPLIER_FIELDS,
	type CatalogueTable,
	type ProductFields,
	type SourceFields,
	type SupplierFields
} from './records';
import { withStock } from './tally';

/** Why a row is unverified, for people (crypto failures never say which check failed). */
export const PROBLEM_TEXT: Record<RowProblem | 'stock', string> = {
	unsigned: 'No valid signature from a member of this organisation covers this row.',
	altered: 'This row differs from what its author signed: it was changed after it was written.',
	unreadable: 'This row is signed, but its sealed fields do not open with this organisation’s key.',
	stock: 'A stock movement of this product differs from what its author signed.'
};

type Common = { id: string; version: number; leaf: string; problem: RowProblem | null; updatedAt: string };
export type ProductView = Common & {
	fields: ProductFields;
	reorderPoint: number | null;
	archived: boolean;
	onHand: number;
	/** A stock movement of it failed verification. */
	stockProblem: boolean;
};
export type SupplierView = Common & { fields: SupplierFields; archived: boolean };
export type SourceView = Common & {
	fields: SourceFields;
	productId: string;
	supplierId: string;
	archived: boolean;
};
export type MovementView = Common & { productId: string; delta: number; reason: string; occurredAt: number };

const PAGE = 1000;
const PATHS = {
	products: 'products',
	suppliers: 'suppliers',
	product_sources: 'sources',
	stock_movements: 'stock-movements'
} as const satisfies Record<CatalogueTable, string>;

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

const common = (r: OpenedRow): Common => ({
	id: r.id,
	version: r.version,
	leaf: r.leaf,
	problem: r.problem,
	updatedAt: r.updatedAt
});

function productOf(r: OpenedRow): ProductView {
	return {
		...common(r),
		fields: complete(PRODUCT_FIELDS, r.fields ?? {}),
		reorderPoint: typeof r.plain.reorderPoint === 'number' ? r.plain.reorderPoint : null,
		archived: r.plain.archived === true,
		onHand: 0,
		stockProblem: false
	};
}
const supplierOf = (r: OpenedRow): SupplierView => ({
	...common(r),
	fields: complete(SUPPLIER_FIELDS, r.fields ?? {}),
	archived: r.plain.archived === true
});
const sourceOf = (r: OpenedRow): SourceView => ({
	...common(r),
	fields: complete(SOURCE_FIELDS, r.fields ?? {}),
	productId: str(r.plain.productId),
	supplierId: str(r.plain.supplierId),
	archived: r.plain.archived === true
});
const movementOf = (r: OpenedRow): MovementView => ({
	...common(r),
	productId: str(r.plain.productId),
	delta: num(r.plain.delta),
	reason: str(r.plain.reason),
	occurredAt: num(r.plain.occurredAt)
});

/** A rejected write, for the page: a stale version is a conflict to resolve, not a failure. */
export class WriteConflict extends Error {
	override readonly name = 'WriteConflict';
	constructor(readonly detail: string) {
		super(detail);
	}
}

class Catalogue {
	tenantId = $state<string | null>(null);
	phase = $state<'idle' | 'loading' | 'ready' | 'error'>('idle');
	/** Rows fetched, verified and opened so far in a load (shown as progress). */
	loaded = $state(0);
	error = $state<string | null>(null);
	/** Whether the role reads the sourcing domain (suppliers, sources); a distributor does not. */
	sourcing = $state(false);
	/** Whether the role reads the logistics domain (stock movements); a distributor does not. */
	logistics = $state(false);
	products = $state.raw<ProductView[]>([]);
	suppliers = $state.raw<SupplierView[]>([]);
	sources = $state.raw<SourceView[]>([]);
	movements = $state.raw<MovementView[]>([]);
	/** A message for the next page to show once (a created row's page after the new-row page). */
	flash: string | null = null;
	#prev: { hash: string; counter: number } | null | undefined = undefined;
	#run = 0;

	get verifiedCount(): number {
		return this.products.filter((p) => !p.problem && !p.stockProblem).length;
	}

	/** Loads the organisation `tenantId` (opened in the worker), reading only the domains it holds. */
	async load(tenantId: string, domains: readonly string[]): Promise<void> {
		const run = ++this.#run;
		this.tenantId = tenantId;
		this.phase = 'loading';
		this.loaded = 0;
		this.error = null;
		this.#prev = undefined;
		this.sourcing = domains.includes('sourcing');
		this.logistics = domains.includes('logistics');
		this.products = this.suppliers = this.sources = this.movements = [];
		try {
			// Every statement once, verified into the worker's cache, while the rows' first pages (without
			// statements) are fetched; no page is opened before every statement is verified.
			const statements = this.#statements(run, tenantId);
			// The tables load side by side; the worker serves their batches in turn.
			// Each page becomes views as it arrives, so that no one task maps a whole 100k-row table.
			const [, products, movements, suppliers, sources] = await Promise.all([
				statements,
				this.#all(run, tenantId, 'products', statements, productOf),
				this.logistics ? this.#all(run, tenantId, 'stock_movements', statements, movementOf) : [],
				this.sourcing ? this.#all(run, tenantId, 'suppliers', statements, supplierOf) : [],
				this.sourcing ? this.#all(run, tenantId, 'product_sources', statements, sourceOf) : []
			]);
			if (run !== this.#run) return;
			this.movements = movements;
			this.products = withStock(products, movements);
			this.suppliers = suppliers;
			this.sources = sources;
			this.phase = 'ready';
		} catch (e) {
			if (run !== this.#run) return;
			this.error = e instanceof Error ? e.message : 'The catalogue could not be loaded.';
			this.phase = 'error';
		}
	}

	reset(): void {
		this.#run++;
		this.tenantId = null;
		this.phase = 'idle';
		this.products = this.suppliers = this.sources = this.movements = [];
	}

	/**
	 * Every row of `table`, page by page: the next page is fetched while the worker verifies and opens this
	 * one, so the network and the worker overlap. Pages are opened once `statements` (verified) has settled.
	 */
	async #all<V>(
		run: number,
		tenantId: string,
		table: CatalogueTable,
		statements: Promise<void>,
		view: (r: OpenedRow) => V
	): Promise<V[]> {
		const out: V[] = [];
		const route = session.api.api.orgs[':tenantId'][PATHS[table]];
		const fetchPage = (after: string | undefined, writes: 'page' | 'none') =>
			readJson(
				route.$get({
					param: { tenantId },
					query: { limit: String(PAGE), writes, ...(after ? { after } : {}) }
				})
			);
		let after: string | undefined;
		let next: ReturnType<typeof fetchPage> | null = fetchPage(after, 'none');
		while (next) {
			const page: Awaited<ReturnType<typeof fetchPage>> = await next;
			if (run !== this.#run) return out;
			const cursor = after;
			after = page.next ?? undefined;
			next = page.next ? fetchPage(page.next, 'none') : null;
			await statements;
			if (run !== this.#run) return out;
			let opened = await vault.ops.openRows(tenantId, table, page.rows as unknown as ServedRow[], []);
			// A row written after the statements were fetched points at one not yet held: this page again,
			// with its statements (a row whose statement does not verify stays unsigned either way).
			if (opened.some((r) => r.problem === 'unsigned')) {
				const again = await fetchPage(cursor, 'page');
				if (run !== this.#run) return out;
				const rows = again.rows as unknown as ServedRow[];
				opened = await vault.ops.openRows(tenantId, table, rows, again.writes as ServedWrite[]);
			}
			for (const r of opened) out.push(view(r));
			this.loaded += opened.length;
		}
		return out;
	}

	/** Every statement of the organisation, page by page, verified on its chain in the worker (cached there). */
	async #statements(run: number, tenantId: string): Promise<void> {
		const route = session.api.api.orgs[':tenantId'].writes;
		let after: string | undefined;
		do {
			const page = await readJson(
				route.$get({ param: { tenantId }, query: { limit: String(PAGE), ...(after ? { after } : {}) } })
			);
			if (run !== this.#run) return;
			await vault.ops.verifyStatements(tenantId, page.writes);
			after = page.next ?? undefined;
		} while (after);
	}

	async #last(tenantId: string): Promise<{ hash: string; counter: number } | null> {
		const { last } = await readJson(
			session.api.api.orgs[':tenantId']['my-writes'].last.$get({ param: { tenantId } })
		);
		return last;
	}

	/**
	 * Seals, signs and sends `drafts` as one statement, then shows them. A statement that no longer follows
	 * this author's last one (another tab wrote) is signed again once; a stale version throws WriteConflict,
	 * with nothing saved. Any other refusal throws the API's problem.
	 */
	async save(drafts: Draft[]): Promise<void> {
		const tenantId = this.tenantId;
		if (!tenantId) throw new Error('No organisation is open.');
		// One key for this save, whatever its attempts: re-signed after a stale counter it is the same batch.
		const key = crypto.randomUUID().replaceAll('-', '');
		for (let attempt = 0; ; attempt++) {
			if (this.#prev === undefined) this.#prev = await this.#last(tenantId);
			const w = await vault.ops.prepareWrite(tenantId, drafts, this.#prev);
			let stored: { statement: string; counter: number };
			try {
				stored = await readJson(
					session.api.api.orgs[':tenantId'].writes.$post({
						param: { tenantId },
						header: { 'idempotency-key': key },
						json: w.body as never
					})
				);
			} catch (e) {
				if (e instanceof ApiProblem && e.status === 409 && e.code === 'stale_counter' && attempt === 0) {
					this.#prev = undefined;
					continue;
				}
				if (e instanceof ApiProblem && e.status === 409 && e.code === 'stale_version')
					throw new WriteConflict(e.detail);
				throw e;
			}
			this.#prev = { hash: stored.statement, counter: stored.counter };
			if (this.tenantId === tenantId) this.#apply(drafts, w.leaves);
			return;
		}
	}

	/** Shows what was just stored, as the worker signed it (the next load verifies it like any row). */
	#apply(drafts: readonly Draft[], leaves: readonly string[]): void {
		const now = new Date().toISOString();
		const upsert = <T extends { id: string }>(list: T[], row: T) => {
			const i = list.findIndex((x) => x.id === row.id);
			return i === -1 ? [...list, row] : list.map((x, j) => (j === i ? row : x));
		};
		let { products, suppliers, sources, movements } = this;
		drafts.forEach((d, i) => {
			const common = { id: d.id, leaf: leaves[i]!, problem: null, updatedAt: now };
			if (d.table === 'products') {
				const old = products.find((p) => p.id === d.id);
				products = upsert(products, {
					...common,
					version: d.version,
					fields: complete(PRODUCT_FIELDS, d.fields),
					reorderPoint: d.reorderPoint,
					archived: d.archived,
					onHand: old?.onHand ?? 0,
					stockProblem: old?.stockProblem ?? false
				});
			} else if (d.table === 'suppliers') {
				suppliers = upsert(suppliers, {
					...common,
					version: d.version,
					fields: complete(SUPPLIER_FIELDS, d.fields),
					archived: d.archived
				});
			} else if (d.table === 'product_sources') {
				sources = upsert(sources, {
					...common,
					version: d.version,
					fields: complete(SOURCE_FIELDS, d.fields),
					productId: d.productId,
					supplierId: d.supplierId,
					archived: d.archived
				});
			} else {
				movements = [
					...movements,
					{
						...common,
						version: 1,
						productId: d.productId,
						delta: d.delta,
						reason: d.reason,
						occurredAt: d.occurredAt
					}
				];
			}
		});
		this.movements = movements;
		this.products = withStock(products, movements);
		this.suppliers = suppliers;
		this.sources = sources;
	}
}

export const catalogue = new Catalogue();
