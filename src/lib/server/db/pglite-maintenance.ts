// PGlite has no autovacuum: nothing would ever ANALYZE or VACUUM its tables. Without statistics the planner
// takes a 10,000-row tenant for 5 rows and reads and sorts all of it for every page of 1,000 (a catalogue
// page cost O(tenant), a whole load O(tenant²)); without vacuum, updated rows' dead versions pile up. So the
// driver does what autovacuum does, with autovacuum's default thresholds, on a timer between requests
// (PGlite runs one statement at a time, so a run waits for the transaction in progress and delays the next).

import type { PGlite } from '@electric-sql/pglite';

/** autovacuum_analyze_threshold / _scale_factor and autovacuum_vacuum_threshold / _scale_factor. */
const DUE = `select format('%I.%I', schemaname, relname) as name,
                    n_dead_tup > 50 + 0.2 * n_live_tup as vacuum
               from pg_stat_user_tables
              where n_mod_since_analyze > 50 + 0.1 * n_live_tup or n_dead_tup > 50 + 0.2 * n_live_tup
              order by 1`;

export type Maintenance = {
	/** One pass now: the tables that are due, analyzed (and vacuumed when due). Returns their names. */
	run(): Promise<string[]>;
	/** Stops the timer and waits for a pass in progress. */
	stop(): Promise<void>;
};

export function startMaintenance(
	db: PGlite,
	{ everyMs = 2000, onError }: { everyMs?: number; onError: (error: unknown) => void }
): Maintenance {
	let running: Promise<string[]> | null = null;
	const run = () =>
		(running ??= (async () => {
			try {
				// Counters reach pg_stat_* at most once a second, and only when a later statement ends.
				await db.query('select pg_stat_force_next_flush()');
				const due = (await db.query<{ name: string; vacuum: boolean }>(DUE)).rows;
				for (const t of due) await db.exec(`${t.vacuum ? 'vacuum (analyze)' : 'analyze'} ${t.name}`);
				return due.map((t) => t.name);
			} finally {
				running = null;
			}
		})());
	const timer = setInterval(() => {
		if (!db.closed) run().catch(onError);
	}, everyMs);
	timer.unref();
	return {
		run,
		async stop() {
			clearInterval(timer);
			await running?.catch(() => undefined);
		}
	};
}
