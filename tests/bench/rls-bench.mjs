// The in-database half of the RLS benchmark (issue 11): products for many tenants loaded straight with SQL,
// then EXPLAIN (ANALYZE, BUFFERS) of the catalogue's page query (src/lib/server/db/catalogue.ts listRows,
// as GET /api/orgs/{tenantId}/products runs it) as an `authenticated` member under RLS, against the same
// query as the table owner (a superuser here, so RLS does not apply) with its explicit `tenant_id = $1`.
// Used by scripts/bench-rls.mjs (full size, PostgreSQL) and tests/integration/rls-bench-smoke.test.ts (tiny,
// PGlite and PostgreSQL). Only the what-ifs at the end (scripts/bench-rls.mjs, its scratch database) change a
// policy or a helper, and they put back exactly what the migrations made; no index or constraint is touched.

/** @typedef {string | number | boolean | null} Param */
/** @typedef {{ query(text: string, params?: readonly Param[]): Promise<Record<string, unknown>[]> }} Executor */
/** A connection that runs one transaction (src/lib/server/db/types.ts Driver fits). */
/** @typedef {{ transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T> }} Owner */

// The page query itself is the route's: callers pass pageQuery('products') of src/lib/server/db/catalogue.ts
// (the smoke test imports it; scripts/bench-rls.mjs loads it with Vite's runnerImport), so it cannot drift.

/**
 * The page query before it took two steps and before PostgreSQL serialised the page: the rows in one step,
 * `order by t.id limit $3`. A what-if only, so that each run measures the former query beside the route's.
 */
export const ONE_STEP_QUERY = `select t.id::text as id, t.version::text as version, t.prev_leaf, t.updated_at,
		        t.leaf, t.write_hash, t.created_at, t.archived, t.asin_index, t.catalog, t.epoch::text as epoch, t.reorder_point::text as reorder_point, t.sku_index
		   from app.products t
		  where t.tenant_id = $1 and ($2::uuid is null or t.id > $2::uuid)
		  order by t.id limit $3`;

/** Rows per page, as the benchmarks ask for them. */
export const PAGE = 100;

/** What withClaims sends first (src/lib/server/db/database.ts REQUEST_SETUP). */
export const REQUEST_SETUP = `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`;

/** The envelope size of the loaded rows: about a typical product's catalog envelope. */
export const ENVELOPE_BYTES = 304;

/** Tenant g's id: 64 lowercase hex digits (SPEC.md §16.6). */
export const tenantSql = (/** @type {string} */ g) =>
	`encode(sha256(('rls-bench-tenant:' || ${g})::bytea), 'hex')`;
/** Tenant g's owner. */
const userSql = (/** @type {string} */ g) => `md5('rls-bench-user:' || ${g})::uuid`;
/** n pseudo-random bytes from a seed (sha256 blocks; n a multiple of 16). */
function bytesSql(/** @type {string} */ seed, /** @type {number} */ n) {
	const parts = [];
	for (let i = 0; i < Math.floor(n / 32); i++) parts.push(`sha256((${seed} || ':${i}')::bytea)`);
	if (n % 32) parts.push(`substring(sha256((${seed} || ':r')::bytea) from 1 for ${n % 32})`);
	return parts.join(' || ');
}

/**
 * Tenants 1…`tenants`, each with its owner (an app.users row), create link and membership; the measured
 * member is the owner of tenant `measured`, and also a viewer of the next tenant and the auditor of the one
 * after (three memberships, so the helpers return more than one tenant). Run once, as the owner.
 * @param {Executor} tx
 * @param {number} tenants
 */
async function loadTenants(tx, tenants) {
	const g = 'g::text';
	await tx.query(
		`insert into app.users (id, email, kdf_salt, kdf_ops, kdf_mem, auth_hash, x25519_public, ed25519_public,
		                        master_bundle, recovery_bundle, recovery_auth_hash)
		 select ${userSql(g)}, 'rls-bench-' || g || '@example.com', ${bytesSql(`'salt' || ${g}`, 16)}, 3, 67108864,
		        '$argon2id$v=19$m=65536,t=3,p=1$bench$bench', ${bytesSql(`'x' || ${g}`, 32)}, ${bytesSql(`'e' || ${g}`, 32)},
		        ${bytesSql(`'mb' || ${g}`, 96)}, ${bytesSql(`'rb' || ${g}`, 96)}, '$argon2id$v=19$m=65536,t=3,p=1$bench$bench'
		   from generate_series(1, $1::int) g`,
		[tenants]
	);
	await tx.query(
		`insert into app.organisations (tenant_id, display_name)
		 select ${tenantSql(g)}, 'Bench tenant ' || g from generate_series(1, $1::int) g`,
		[tenants]
	);
	await tx.query(
		`insert into app.chain_links (tenant_id, seq, type, link, link_hash)
		 select ${tenantSql(g)}, 1, 1, ${bytesSql(`'link' || ${g}`, 400)}, ${bytesSql(`'lh' || ${g}`, 32)}
		   from generate_series(1, $1::int) g`,
		[tenants]
	);
	await tx.query(
		`insert into app.members (tenant_id, user_id, role, x25519_public, ed25519_public, since_seq)
		 select ${tenantSql(g)}, ${userSql(g)}, 1, ${bytesSql(`'x' || ${g}`, 32)}, ${bytesSql(`'e' || ${g}`, 32)}, 1
		   from generate_series(1, $1::int) g`,
		[tenants]
	);
}

/**
 * Products `from`…`to` (1-based, per tenant) of every tenant, with one signed-write row per 100 products
 * (counter = its block), all satisfying the tables' checks and foreign keys. Run as the owner.
 * @param {Executor} tx
 * @param {number} tenants
 * @param {number} from
 * @param {number} to
 */
async function loadProducts(tx, tenants, from, to) {
	const g = 'g::text';
	const blockSeed = `${g} || '/' || b::text`;
	// Statement blocks not written yet: b = ceil(i / 100) for i in from…to.
	await tx.query(
		`insert into app.writes (tenant_id, hash, statement, leaves, author_id, counter, prev_hash, kind, cited_seq, cited_hash)
		 select ${tenantSql(g)}, ${bytesSql(`'w' || ${blockSeed}`, 32)}, ${bytesSql(`'st' || ${blockSeed}`, 448)},
		        ${bytesSql(`'lv' || ${blockSeed}`, 32)}, ${userSql(g)}, b,
		        case when b = 1 then null else ${bytesSql(`'w' || ${g} || '/' || (b - 1)::text`, 32)} end,
		        1, 1, ${bytesSql(`'lh' || ${g}`, 32)}
		   from generate_series(1, $1::int) g,
		        generate_series((($2::int - 1) / 100) + 1, (($3::int - 1) / 100) + 1) b
		  where not exists (select from app.writes w where w.tenant_id = ${tenantSql(g)} and w.counter = b)`,
		[tenants, from, to]
	);
	const seed = `${g} || '/' || i::text`;
	await tx.query(
		`insert into app.products (tenant_id, id, version, prev_leaf, leaf, catalog, sku_index, asin_index, epoch,
		                           reorder_point, archived, write_hash)
		 select ${tenantSql(g)}, md5('rls-bench-product:' || ${seed})::uuid, 1, null, ${bytesSql(`'leaf' || ${seed}`, 32)},
		        ${bytesSql(`'cat' || ${seed}`, ENVELOPE_BYTES)}, ${bytesSql(`'sku' || ${seed}`, 16)},
		        case when i % 2 = 0 then ${bytesSql(`'asin' || ${seed}`, 16)} end, 1,
		        case when i % 3 = 0 then i % 50 end, false,
		        ${bytesSql(`'w' || ${g} || '/' || ((i - 1) / 100 + 1)::text`, 32)}
		   from generate_series(1, $1::int) g, generate_series($2::int, $3::int) i`,
		[tenants, from, to]
	);
	await tx.query(
		'analyze app.users, app.organisations, app.chain_links, app.members, app.writes, app.products'
	);
}

/**
 * Loads (or grows to) `tenants` × `perTenant` products. `state` remembers what is loaded across calls.
 * @param {Owner} owner
 * @param {{ tenants: number, perTenant: number, loaded?: number }} state
 * @returns {Promise<number>} milliseconds the load took
 */
export async function load(owner, state) {
	const started = performance.now();
	await owner.transaction(async (tx) => {
		if (!state.loaded) await loadTenants(tx, state.tenants);
		await loadProducts(tx, state.tenants, (state.loaded ?? 0) + 1, state.perTenant);
	});
	state.loaded = state.perTenant;
	return performance.now() - started;
}

/** The member whose page is measured: the owner of tenant `measured`, viewer and auditor of the next two. */
async function addMemberships(
	/** @type {Executor} */ tx,
	/** @type {number} */ measured,
	/** @type {number} */ tenants
) {
	const next = (/** @type {number} */ k) => ((measured - 1 + k) % tenants) + 1;
	for (const [k, role] of [
		[1, 2],
		[2, 5]
	]) {
		if (next(k ?? 0) === measured) continue;
		await tx.query(
			`insert into app.members (tenant_id, user_id, role, x25519_public, ed25519_public, since_seq)
			 select ${tenantSql('$1::int::text')}, ${userSql('$2::int::text')}, $3::int, m.x25519_public, m.ed25519_public, 1
			   from app.members m where m.tenant_id = ${tenantSql('$2::int::text')} and m.role = 1
			 on conflict do nothing`,
			[next(k ?? 0), measured, role ?? 2]
		);
	}
}

/**
 * The measured member (see addMemberships), their three memberships in place.
 * @param {Owner} owner
 * @param {{ tenants: number, measured?: number }} o
 * @returns {Promise<{ tenant: string, claims: string }>} their own tenant and their request claims
 */
async function member(owner, o) {
	const measured = o.measured ?? Math.ceil(o.tenants / 2);
	await owner.transaction((tx) => addMemberships(tx, measured, o.tenants));
	const [ids] = await owner.transaction((tx) =>
		tx.query(`select ${tenantSql('$1::int::text')} as tenant, ${userSql('$1::int::text')}::text as sub`, [
			measured
		])
	);
	return {
		tenant: String(ids?.tenant),
		claims: JSON.stringify({ role: 'authenticated', sub: String(ids?.sub) })
	};
}

/** @typedef {{ node: string, estimated: number, actual: number }} Scan */
/** @typedef {{ ms: number, planningMs: number, rows: number, nodes: string[], initPlans: number, scan: Scan, scans: Scan[], indexUsed: boolean, seqScan: boolean, sharedHit: number, sharedRead: number, plan: unknown }} Explained */

/**
 * The node whose rows an aggregate consumed (its one child that is not an InitPlan).
 * @param {Record<string, unknown>} plan
 */
const rowsInto = (plan) =>
	/** @type {Record<string, unknown>[]} */ (plan.Plans ?? []).find(
		(p) => p['Parent Relationship'] !== 'InitPlan'
	) ?? {};

/**
 * @param {unknown} raw the `QUERY PLAN` value (json, parsed or not)
 * @returns {Explained}
 */
function explained(raw) {
	const top = /** @type {Record<string, unknown>[]} */ (typeof raw === 'string' ? JSON.parse(raw) : raw)[0];
	if (!top) throw new Error('EXPLAIN returned no plan');
	const plan = /** @type {Record<string, unknown>} */ (top.Plan);
	/** @type {string[]} */
	const nodes = [];
	let indexUsed = false;
	let seqScan = false;
	let initPlans = 0;
	/** @type {Scan[]} every scan of products, in plan order */
	const scans = [];
	/** @param {Record<string, unknown>} n */
	const walk = (n) => {
		const relation = n['Relation Name'];
		const index = n['Index Name'];
		// InitPlans (the policy's helper calls) are counted, not listed: the list is the path to the rows.
		if (n['Parent Relationship'] === 'InitPlan') {
			initPlans++;
			return;
		}
		const node = `${n['Node Type']}${index ? ` using ${index}` : ''}${relation ? ` on ${relation}` : ''}`;
		nodes.push(node);
		if (typeof index === 'string' && index.startsWith('products_')) indexUsed = true;
		if (n['Node Type'] === 'Seq Scan' && relation === 'products') seqScan = true;
		if (relation === 'products') {
			scans.push({
				node,
				estimated: Number(n['Plan Rows']),
				actual: Number(n['Actual Rows']) * Number(n['Actual Loops'] ?? 1)
			});
		}
		for (const child of /** @type {Record<string, unknown>[]} */ (n.Plans ?? [])) walk(child);
	};
	walk(plan);
	return {
		ms: Number(top['Execution Time']),
		planningMs: Number(top['Planning Time']),
		// The page's rows: the route's query aggregates them into one (json_agg), the former one returned them.
		rows: Number((plan['Node Type'] === 'Aggregate' ? rowsInto(plan) : plan)['Actual Rows']),
		nodes,
		initPlans,
		scan: scans[0] ?? { node: '', estimated: NaN, actual: NaN },
		scans,
		indexUsed,
		seqScan,
		sharedHit: Number(plan['Shared Hit Blocks'] ?? 0),
		sharedRead: Number(plan['Shared Read Blocks'] ?? 0),
		plan
	};
}

/** @param {number[]} xs */
export const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	const mid = Math.floor(s.length / 2);
	return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
};

/**
 * @typedef {{ tenants: number, perTenant: number, runs: number, rlsMs: number[], ownerMs: number[],
 *   rlsMedianMs: number, ownerMedianMs: number, ratio: number, rls: Explained, owner: Explained }} InDbResult
 */

/**
 * The page of tenant `measured` (default: the middle one), `runs` times each side, alternating, after
 * `warmup` runs each: as `authenticated` with the member's claims (RLS), and as the owner (no RLS).
 * @param {Owner} owner a superuser connection (PGlite's only user; the PostgreSQL migrator)
 * @param {{ tenants: number, perTenant: number, runs?: number, warmup?: number, measured?: number, query: string, ownerQuery?: string }} o
 *   `query`: the route's page query (pageQuery('products'), parameters tenant, after, limit) for the RLS side;
 *   `ownerQuery`: another with the same parameters and rows for the owner's side (a what-if), else `query`
 * @returns {Promise<InDbResult>}
 */
export async function measureInDb(owner, o) {
	const runs = o.runs ?? 15;
	const warmup = o.warmup ?? 3;
	const { tenant, claims } = await member(owner, o);
	const explain = (/** @type {string} */ q) => `explain (analyze, buffers, format json) ${q}`;
	const params = [tenant, null, PAGE];
	const rlsRun = () =>
		owner.transaction(async (tx) => {
			await tx.query(REQUEST_SETUP, ['authenticated', claims]);
			const [r] = await tx.query(explain(o.query), params);
			return explained(r?.['QUERY PLAN']);
		});
	const ownerRun = () =>
		owner.transaction(async (tx) => {
			const [r] = await tx.query(explain(o.ownerQuery ?? o.query), params);
			return explained(r?.['QUERY PLAN']);
		});
	for (let i = 0; i < warmup; i++) {
		await rlsRun();
		await ownerRun();
	}
	/** @type {Explained[]} */
	const rls = [];
	/** @type {Explained[]} */
	const own = [];
	for (let i = 0; i < runs; i++) {
		// Alternating which goes first, so neither side always follows the other.
		if (i % 2) {
			rls.push(await rlsRun());
			own.push(await ownerRun());
		} else {
			own.push(await ownerRun());
			rls.push(await rlsRun());
		}
	}
	const expected = Math.min(PAGE, o.perTenant);
	for (const e of [...rls, ...own]) {
		if (e.rows !== expected) throw new Error(`the page returned ${e.rows} rows, not ${expected}`);
	}
	const rlsMs = rls.map((e) => e.ms);
	const ownerMs = own.map((e) => e.ms);
	const rlsMedianMs = median(rlsMs);
	const ownerMedianMs = median(ownerMs);
	return {
		tenants: o.tenants,
		perTenant: o.perTenant,
		runs,
		rlsMs,
		ownerMs,
		rlsMedianMs,
		ownerMedianMs,
		ratio: rlsMedianMs / ownerMedianMs,
		// The last run's plans (buffers and nodes do not vary between runs).
		rls: /** @type {Explained} */ (rls.at(-1)),
		owner: /** @type {Explained} */ (own.at(-1))
	};
}

// ---- what-if variants (scripts/bench-rls.mjs only, in its scratch database) -----------------------------

const PRODUCTS_POLICY = 'Members whose role reads the catalog read products';

/** The plpgsql helpers of 20261201040000_rls_index_friendly.sql and a call of each as the policies make it. */
export const HELPER_CALLS = /** @type {const} */ ([
	['my_tenants_reading', "private.my_tenants_reading('catalog')"],
	['my_tenants', 'private.my_tenants()'],
	['my_owned_tenants', 'private.my_owned_tenants()']
]);

/**
 * The helper as SQL: the same query, SECURITY DEFINER, `search_path = ''` and owner, but planned on every
 * call (a SQL function with either cannot be inlined), where plpgsql keeps the plan for the session.
 * @param {string} definition pg_get_functiondef of the plpgsql helper
 */
const asSql = (definition) =>
	definition
		.replace(/LANGUAGE plpgsql/i, 'LANGUAGE sql')
		.replace(
			/AS \$function\$\s*begin\s+return query\s+([\s\S]*?);\s*end\s*\$function\$/i,
			(_, body) => `AS $function$ ${String(body).trim()} $function$`
		);

/** @typedef {{ label: string, policy?: (qual: string) => string, sql?: boolean, query?: string, ownerQuery?: string }} Variant */

/** Each keeps the policy's meaning: who sees which rows is the same (see BENCHMARKS.md "## RLS"). */
export const VARIANTS = /** @type {Variant[]} */ ([
	{ label: 'the helper in SQL (planned on every call)', sql: true },
	{
		label: 'the clause wrapped in `coalesce(…, false)` (no row estimate from it)',
		policy: (qual) => `coalesce(${qual}, false)`
	},
	{
		label: "listRows' former one-step query (the rows `order by t.id limit $3`), both sides",
		query: ONE_STEP_QUERY,
		ownerQuery: ONE_STEP_QUERY
	}
]);

/**
 * Swaps the products policy and the helpers for what-ifs, and puts back exactly what the migrations made.
 * @param {Owner} owner
 */
async function swapper(owner) {
	const snapshot = () =>
		owner.transaction(async (tx) => {
			const [policy] = await tx.query(
				`select qual from pg_policies where schemaname = 'app' and policyname = $1`,
				[PRODUCTS_POLICY]
			);
			const functions = await tx.query(
				`select p.proname, pg_get_functiondef(p.oid) as def from pg_proc p join pg_namespace n on n.oid = p.pronamespace
				  where n.nspname = 'private' and p.proname = any ($1::text[]) order by p.proname`,
				[`{${HELPER_CALLS.map(([name]) => name).join(',')}}`]
			);
			return { qual: String(policy?.qual), functions: functions.map((f) => String(f.def)) };
		});
	const original = await snapshot();
	if (original.functions.length !== HELPER_CALLS.length) throw new Error('a helper is missing');
	/** @param {string} qual @param {string[]} functions */
	const apply = (qual, functions) =>
		owner.transaction(async (tx) => {
			await tx.query('grant create on schema private to stowage_membership');
			for (const f of functions) await tx.query(f);
			await tx.query('revoke create on schema private from stowage_membership');
			await tx.query(`alter policy "${PRODUCTS_POLICY}" on app.products using (${qual})`);
		});
	return {
		original,
		/** @param {{ policy?: (qual: string) => string, sql?: boolean }} v */
		apply: (v) => {
			const functions = v.sql ? original.functions.map(asSql) : original.functions;
			if (v.sql && functions.some((f) => !/LANGUAGE sql/i.test(f) || /return query/i.test(f)))
				throw new Error('could not restate a helper in SQL');
			return apply(v.policy ? v.policy(original.qual) : original.qual, functions);
		},
		restore: async () => {
			await apply(original.qual, original.functions);
			if (JSON.stringify(await snapshot()) !== JSON.stringify(original))
				throw new Error('the policy or its helpers were not restored');
		}
	};
}

/**
 * Measures each variant at the loaded size, then puts the migrations' definitions back.
 * @param {Owner} owner
 * @param {{ tenants: number, perTenant: number, runs?: number, warmup?: number, query: string }} o
 *   `query`: the route's page query, for the variants that change the policy, not the query
 */
export async function measureVariants(owner, o) {
	const swap = await swapper(owner);
	const results = [];
	try {
		for (const v of VARIANTS) {
			await swap.apply(v);
			results.push({
				label: v.label,
				...(await measureInDb(owner, {
					...o,
					query: v.query ?? o.query,
					ownerQuery: v.ownerQuery ?? v.query ?? o.query
				}))
			});
		}
	} finally {
		await swap.restore();
	}
	return results;
}

/**
 * What one call of each helper costs the member, as plpgsql (the migrations) and restated in SQL: `calls`
 * calls in one DO loop, in the member's RLS transaction, best of `rounds` (each round both languages).
 * @param {Owner} owner
 * @param {{ tenants: number, calls?: number, rounds?: number }} o
 * @returns {Promise<{ helper: string, plpgsqlUs: number, sqlUs: number }[]>} microseconds per call
 */
export async function measureHelperCalls(owner, o) {
	const calls = o.calls ?? 2000;
	const rounds = o.rounds ?? 5;
	const { claims } = await member(owner, o);
	const swap = await swapper(owner);
	/** @param {string} call @returns {Promise<number>} µs per call */
	const time = (call) =>
		owner.transaction(async (tx) => {
			await tx.query(REQUEST_SETUP, ['authenticated', claims]);
			const started = performance.now();
			await tx.query(`do $$ begin for i in 1..${calls} loop perform array(select ${call}); end loop; end $$`);
			return ((performance.now() - started) * 1000) / calls;
		});
	const best = HELPER_CALLS.map(([helper]) => ({ helper, plpgsqlUs: Infinity, sqlUs: Infinity }));
	try {
		for (let r = 0; r < rounds; r++) {
			for (const sql of [false, true]) {
				await swap.apply({ sql });
				for (const [i, [, call]] of HELPER_CALLS.entries()) {
					await time(call); // the session's first call plans plpgsql's query
					const us = await time(call);
					const b = /** @type {(typeof best)[number]} */ (best[i]);
					if (sql) b.sqlUs = Math.min(b.sqlUs, us);
					else b.plpgsqlUs = Math.min(b.plpgsqlUs, us);
				}
			}
		}
	} finally {
		await swap.restore();
	}
	return best;
}
