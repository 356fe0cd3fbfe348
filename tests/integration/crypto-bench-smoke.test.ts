// The crypto benchmark's body (tests/bench/crypto-bench.ts, `npm run bench crypto`) at a small size, so its
// code cannot rot between full runs. No thresholds: the machines are shared; it asserts only that every
// figure came out finite and positive.
import { describe, expect, it } from 'vitest';
import { runCryptoBench, STATEMENT_ROWS, type BenchResult } from '../bench/crypto-bench';

const ROWS = 500;

/** Every number in the result, with its path (arrays included). */
function numbers(x: unknown, path = 'result'): Array<[string, number]> {
	if (typeof x === 'number') return [[path, x]];
	if (x === null || typeof x !== 'object') return [];
	return Object.entries(x).flatMap(([k, v]) => numbers(v, `${path}.${k}`));
}

describe('crypto benchmark (smoke, small size)', () => {
	it('runs every measurement and reports finite positive figures', async () => {
		const r: BenchResult = await runCryptoBench({
			ms: 30,
			argonRuns: 1,
			argonSweep: false,
			verifyRows: ROWS,
			verifyRounds: 1
		});
		expect(r.verify.rows).toBe(ROWS);
		expect(r.verify.statements).toBe(Math.ceil(ROWS / STATEMENT_ROWS));
		const all = numbers(r);
		expect(all.length).toBeGreaterThan(20);
		for (const [path, n] of all) {
			expect(Number.isFinite(n), path).toBe(true);
			expect(n, path).toBeGreaterThan(0);
		}
	}, 30_000);
});
