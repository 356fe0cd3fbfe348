// From validated import rows to the vault's drafts (issue 12): what an import writes, as units the upload
// keeps whole (upload.ts). A products file's line is one unit: its product, a source for its supplier, and an
// opening stock count; a supplier the organisation does not have yet (by name) is created first, one unit
// each, under an id fixed here so that the sources naming it point at it whichever batch carries them.
// A SKU the organisation already has (found by forms.skuKey, the rule the SKU blind index follows) is skipped
// or updated, as the person chose: an update is the next version of that product (compare-and-swap on the
// version and leaf the catalogue shows), the file's non-empty fields over the stored ones, extra columns
// merged, and a count that brings its stock on hand to the file's quantity. No keys or plaintext leave here
// except into the vault's prepareWrite.
import { extraColumns, type ProductFields } from '$lib/catalogue/records';
import { skuKey } from '$lib/catalogue/forms';
import type { Draft } from '$lib/vault/catalogue-ops';
import type { ProductImportRow, SupplierImportRow } from './validate';

export type DuplicatePolicy = 'skip' | 'update';

/** What the catalogue holds that an import meets: products by SKU, suppliers by name. */
export type Existing = {
	products: readonly {
		id: string;
		version: number;
		leaf: string;
		fields: ProductFields;
		reorderPoint: number | null;
		archived: boolean;
		onHand: number;
	}[];
	suppliers: readonly { id: string; fields: { name: string } }[];
};

export type Plan = {
	/** Units to write, in order. */
	count: number;
	/** The drafts of units [start, end): new row ids on each call, except new suppliers' (fixed here). */
	drafts(start: number, end: number): Draft[][];
	/** The file's line a unit comes from (null for a supplier a products file creates). */
	lineOf(unit: number): number | null;
	/** Lines whose SKU the organisation has, left alone (policy skip). */
	skipped: number[];
	/** Lines that update a product the organisation has (policy update). */
	updated: number[];
	/** Lines whose product the organisation already holds as the file says (policy update): nothing to write. */
	unchanged: number[];
	/** Supplier names created by this import. */
	newSuppliers: string[];
};

type Ids = { newId(): string; nowMicros(): number };
const defaults: Ids = { newId: () => crypto.randomUUID(), nowMicros: () => Date.now() * 1000 };

/** Fields of the file over the stored ones: an empty cell keeps what was there; extra columns merge. */
function merged(stored: ProductFields, imported: ProductFields): ProductFields {
	const out = { ...stored };
	for (const [k, v] of Object.entries(imported) as [keyof ProductFields, string][]) {
		if (k !== 'extra' && v !== '') out[k] = v;
	}
	const extra = { ...extraColumns(stored.extra), ...extraColumns(imported.extra) };
	out.extra = Object.keys(extra).length ? JSON.stringify(extra) : '';
	return out;
}

function isUnchanged(stored: Existing['products'][number], row: ProductImportRow): boolean {
	const fields = merged(stored.fields, row.fields);
	const same = (Object.keys(fields) as (keyof ProductFields)[]).every(
		(k) => (fields[k] ?? '') === (stored.fields[k] ?? '')
	);
	return (
		same &&
		(row.reorderPoint ?? stored.reorderPoint) === stored.reorderPoint &&
		(row.quantity === null || row.quantity === stored.onHand)
	);
}

/** The units of a products file. */
export function planProducts(
	rows: readonly ProductImportRow[],
	existing: Existing,
	policy: DuplicatePolicy,
	ids: Ids = defaults
): Plan {
	const bySku = new Map(existing.products.map((p) => [skuKey(p.fields.sku), p]));
	const supplierIds = new Map(existing.suppliers.map((s) => [skuKey(s.fields.name), s.id]));
	const newSuppliers: { id: string; name: string; currency: string }[] = [];
	const skipped: number[] = [];
	const updated: number[] = [];
	const unchanged: number[] = [];
	const lines: { row: ProductImportRow; stored: Existing['products'][number] | undefined }[] = [];
	for (const row of rows) {
		const stored = bySku.get(skuKey(row.fields.sku));
		if (stored && policy === 'skip') {
			skipped.push(row.line);
			continue;
		}
		// An update that changes nothing is not written: importing the same file again (as a resumed import
		// does) leaves the products it already stored as they are.
		if (stored && isUnchanged(stored, row)) {
			unchanged.push(row.line);
			continue;
		}
		if (stored) updated.push(row.line);
		const name = row.source?.supplierName;
		if (row.source && name && !stored && !supplierIds.has(skuKey(name))) {
			const id = ids.newId();
			supplierIds.set(skuKey(name), id);
			newSuppliers.push({ id, name, currency: row.source.currency });
		}
		lines.push({ row, stored });
	}

	const supplierUnit = (s: (typeof newSuppliers)[number]): Draft[] => [
		{
			table: 'suppliers',
			id: s.id,
			version: 1,
			prevLeaf: null,
			fields: { name: s.name },
			archived: false
		}
	];
	const productUnit = ({ row, stored }: (typeof lines)[number]): Draft[] => {
		const id = stored?.id ?? ids.newId();
		const unit: Draft[] = [
			{
				table: 'products',
				id,
				version: stored ? stored.version + 1 : 1,
				prevLeaf: stored ? stored.leaf : null,
				fields: stored ? merged(stored.fields, row.fields) : row.fields,
				reorderPoint: row.reorderPoint ?? stored?.reorderPoint ?? null,
				archived: stored?.archived ?? false
			}
		];
		// Sources come with new products; an update leaves the product's sources as they are.
		const supplierId = row.source && !stored ? supplierIds.get(skuKey(row.source.supplierName)) : undefined;
		if (row.source && supplierId) {
			const { supplierName: _, ...fields } = row.source;
			unit.push({
				table: 'product_sources',
				id: ids.newId(),
				version: 1,
				prevLeaf: null,
				productId: id,
				supplierId,
				fields,
				archived: false
			});
		}
		const delta = row.quantity === null ? 0 : row.quantity - (stored?.onHand ?? 0);
		if (row.quantity !== null && (delta !== 0 || !stored))
			unit.push({
				table: 'stock_movements',
				id: ids.newId(),
				productId: id,
				delta,
				reason: 'count',
				occurredAt: ids.nowMicros()
			});
		return unit;
	};

	const count = newSuppliers.length + lines.length;
	return {
		count,
		drafts: (start, end) =>
			Array.from({ length: Math.min(end, count) - start }, (_, i) => {
				const at = start + i;
				return at < newSuppliers.length
					? supplierUnit(newSuppliers[at]!)
					: productUnit(lines[at - newSuppliers.length]!);
			}),
		lineOf: (unit) =>
			unit < newSuppliers.length ? null : (lines[unit - newSuppliers.length]?.row.line ?? null),
		skipped,
		updated,
		unchanged,
		newSuppliers: newSuppliers.map((s) => s.name)
	};
}

/** The units of a suppliers file: one supplier each; a name the organisation has is skipped. */
export function planSuppliers(
	rows: readonly SupplierImportRow[],
	existing: Existing,
	ids: Pick<Ids, 'newId'> = defaults
): Plan {
	const known = new Set(existing.suppliers.map((s) => skuKey(s.fields.name)));
	const skipped: number[] = [];
	const fresh = rows.filter((r) => {
		if (!known.has(skuKey(r.fields.name))) return true;
		skipped.push(r.line);
		return false;
	});
	const fixed = fresh.map(() => ids.newId());
	return {
		count: fresh.length,
		drafts: (start, end) =>
			fresh.slice(start, end).map((r, i) => [
				{
					table: 'suppliers',
					id: fixed[start + i]!,
					version: 1,
					prevLeaf: null,
					fields: r.fields,
					archived: false
				}
			]),
		lineOf: (unit) => fresh[unit]?.line ?? null,
		skipped,
		updated: [],
		unchanged: [],
		newSuppliers: fresh.map((r) => r.fields.name)
	};
}
