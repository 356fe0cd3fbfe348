// The RLS benchmark's in-database measurement (tests/bench/rls-bench.mjs, `npm run bench rls`) at a tiny size
// on each test database, so that CI keeps it working: no thresholds, only that it yields finite positive
// figures and that neither side's plan scans products sequentially.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageQuery } from '../../src/lib/server/db/catalogue';
import { load, measureInDb } from '../bench/rls-bench.mjs';
import { databaseFactories, type TestDatabase } from '../helpers/databases';

const TENANTS = 100;

describe.each(databaseFactories)('the RLS benchmark on $kind', (factory) => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await factory.create();
	});
	afterAll(() => t.drop());

	it('measures the products page with and without RLS, growing from 5 to 20 rows per tenant, on the index', async () => {
		const state: { tenants: number; perTenant: number; loaded?: number } = { tenants: TENANTS, perTenant: 0 };
		for (const perTenant of [5, 20]) {
			state.perTenant = perTenant;
			expect(await load(t.driver, state)).toBeGreaterThan(0);
			const r = await measureInDb(t.driver, {
				tenants: TENANTS,
				perTenant,
				runs: 3,
				warmup: 1,
				query: pageQuery('products')
			});
			for (const x of [r.rlsMedianMs, r.ownerMedianMs, r.ratio, ...r.rlsMs, ...r.ownerMs]) {
				expect(Number.isFinite(x) && x > 0, `${x}`).toBe(true);
			}
			expect(r.rls.rows).toBe(Math.min(perTenant, 100));
			// Both sides fetch the page's ids first, as an InitPlan (an array the rows are looked up by); under
			// RLS the policy's helper is one more, for the rows (its call for the ids is inside the ids' InitPlan).
			expect(r.owner.initPlans).toBe(1);
			expect(r.rls.initPlans).toBe(2);
			for (const side of [r.rls, r.owner]) {
				expect(side.seqScan, side.nodes.join(' → ')).toBe(false);
				expect(side.indexUsed, side.nodes.join(' → ')).toBe(true);
			}
		}
	});
});
