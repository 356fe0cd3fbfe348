// Every API route that takes an id in its path, probed with someone else's id (issue 11, "Every API route
// that takes an id is probed"): another tenant's organisation, another user's session or passkey. Each
// answers 404, exactly as for an id that does not exist, and nothing in the database changes. The cases
// are read from the OpenAPI document, so a new route with a path parameter gets a probe or fails here:
// each parameter name needs a filler in FILLERS, and a route with a body needs one in BODIES.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_INFO } from '../../src/lib/server/api/routes/docs';
import type { Database } from '../../src/lib/server/db/types';
import { testApi } from '../helpers/api';
import { call } from '../helpers/account-client';
import { databaseFactories, type TestDatabase } from '../helpers/databases';
import { newProduct, seedCatalogue, signed, type Author } from '../helpers/catalogue';
import { newOrganisation, signedUp, type SignedUp } from '../helpers/organisations';

type Operation = {
	parameters?: { name: string; in: string }[];
	requestBody?: { required?: boolean };
};
const doc = testApi({} as Database).app.getOpenAPI31Document(OPENAPI_INFO) as unknown as {
	paths: Record<string, Record<string, Operation>>;
};
const routes = Object.entries(doc.paths).flatMap(([template, ops]) =>
	Object.entries(ops).map(([method, op]) => ({
		key: `${method.toUpperCase()} ${template}`,
		method: method.toUpperCase(),
		template,
		params: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
		body: op.requestBody !== undefined
	}))
);
const probed = routes.filter((r) => r.params.length > 0);

/** What a person owns that a path can name: the victim's (the probe) and the attacker's own (the control). */
type Holdings = {
	tenantId: string;
	sessionId: string;
	passkeyId: string;
	/** A write statement of the tenant (base64url statement hash), and its author for signing the next one. */
	writeHash: string;
	author?: Author;
};

/** How to fill each path parameter, by name (and, for a generic name, by the route it is in). */
const FILLERS: Record<string, (template: string, h: Holdings) => string> = {
	tenantId: (_, h) => h.tenantId,
	id: (template, h) => {
		if (template.startsWith('/api/auth/sessions/')) return h.sessionId;
		if (template.startsWith('/api/auth/passkeys/')) return h.passkeyId;
		throw new Error(`no filler for {id} in ${template}: add one to FILLERS`);
	},
	hash: (_, h) => h.writeHash
};

/** Bodies of the probed routes that take one: the attacker's own valid request, so only the id is wrong. */
const BODIES: Record<string, (attacker: SignedUp, own: Holdings) => unknown> = {
	'DELETE /api/auth/passkeys/{id}': (a) => ({ reauth: { authKey: a.signupBody.authKey } }),
	// The attacker's own next signed write, about their own organisation.
	'POST /api/orgs/{tenantId}/writes': (_, own) =>
		signed(own.author!, [newProduct(own.author!, { name: 'Probe', sku: `PROBE-${randomUUID()}` })]).body
};

describe.each(databaseFactories)('id probes on $kind', (factory) => {
	let t: TestDatabase;
	let api: ReturnType<typeof testApi>;
	let req: ReturnType<typeof call>;
	let victim: SignedUp;
	let attacker: SignedUp;
	let victimHoldings: Holdings;
	let attackerHoldings: Holdings;

	async function addPasskey(userId: string) {
		const id = randomBytes(16).toString('base64url');
		await t.driver.transaction((tx) =>
			tx.query(
				`insert into app.passkeys (id, user_id, name, public_key, counter, device_type, backed_up)
				 values ($1, $2, 'Probe key', $3, 0, 'singleDevice', false)`,
				[id, userId, new Uint8Array(77)]
			)
		);
		return id;
	}

	const sessionOf = (token: string) =>
		(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;

	/** A second session of `who` (so the control can sign one out without ending the one in use). */
	async function secondSession(who: SignedUp) {
		const res = await req('POST', '/api/auth/login', {
			body: { email: who.email, authKey: who.signupBody.authKey }
		});
		expect(res.status).toBe(200);
		return sessionOf(res.json.accessToken as string);
	}

	/** Row counts of every table in schema app, and every row of the victim's, as the owner sees them. */
	async function snapshot() {
		return t.driver.transaction(async (tx) => {
			const tables = await tx.query<{ name: string; tenant: boolean; has_user: boolean }>(
				`select c.relname::text as name,
				        exists (select from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id') as tenant,
				        exists (select from pg_attribute a where a.attrelid = c.oid and a.attname = 'user_id') as has_user
				   from pg_class c join pg_namespace n on n.oid = c.relnamespace
				  where n.nspname = 'app' and c.relkind in ('r', 'p') order by 1`
			);
			const out: Record<string, unknown> = {};
			for (const { name, tenant, has_user: user } of tables) {
				const where = tenant
					? `tenant_id = '${victimHoldings.tenantId}'`
					: user
						? `user_id = '${victim.userId}'`
						: name === 'users'
							? `id = '${victim.userId}'`
							: 'false';
				const [row] = await tx.query<{ n: number; mine: string | null }>(
					`select (select count(*)::int from app.${name}) as n,
					        (select string_agg(t::text, E'\\n' order by t::text) from app.${name} t where ${where}) as mine`
				);
				out[name] = row;
			}
			return out;
		});
	}

	beforeAll(async () => {
		t = await factory.create();
		api = testApi(t.db);
		req = call(api.app);
		[victim, attacker] = await Promise.all([signedUp(api.app), signedUp(api.app)]);
		const victimOrg = await newOrganisation(api.app, victim, 'Victim Ltd');
		const victimSeed = await seedCatalogue(api.app, victim, victimOrg);
		victimHoldings = {
			tenantId: victimOrg.tenantId,
			sessionId: sessionOf(victim.token),
			passkeyId: await addPasskey(victim.userId),
			writeHash: Buffer.from(victimSeed.hash).toString('base64url')
		};
		const attackerOrg = await newOrganisation(api.app, attacker, 'Attacker Ltd');
		const attackerSeed = await seedCatalogue(api.app, attacker, attackerOrg);
		attackerHoldings = {
			tenantId: attackerOrg.tenantId,
			sessionId: await secondSession(attacker),
			passkeyId: await addPasskey(attacker.userId),
			writeHash: Buffer.from(attackerSeed.hash).toString('base64url'),
			author: attackerSeed.author
		};
	});
	afterAll(() => t.drop());

	it('probes at least the routes this issue added', () => {
		expect(probed.map((r) => r.key)).toEqual(
			expect.arrayContaining(['GET /api/orgs/{tenantId}/chain', 'GET /api/orgs/{tenantId}/keys'])
		);
	});

	const urlOf = (template: string, h: Holdings) =>
		template.replace(/\{(\w+)\}/g, (_, name: string) => {
			const filler = FILLERS[name];
			if (!filler)
				throw new Error(`no filler for path parameter {${name}} in ${template}: add one to FILLERS`);
			return encodeURIComponent(filler(template, h));
		});

	it.each(probed.map((r) => [r.key, r] as const))(
		"%s answers 404 to another tenant's or user's id and changes nothing",
		async (_, route) => {
			let body: unknown;
			if (route.body) {
				const make = BODIES[route.key];
				if (!make) throw new Error(`no body for ${route.key}: add one to BODIES`);
				body = make(attacker, attackerHoldings);
			}
			const before = await snapshot();
			const probe = await req(route.method, urlOf(route.template, victimHoldings), {
				token: attacker.token,
				...(body !== undefined ? { body } : {})
			});
			expect(probe.status, JSON.stringify(probe.json)).toBe(404);
			expect(probe.json.code).toBe('not_found');
			expect(await snapshot()).toEqual(before);

			// The same answer as for an id nobody has.
			const nobody = {
				tenantId: randomBytes(32).toString('hex'),
				sessionId: '00000000-0000-4000-8000-000000000000',
				passkeyId: randomBytes(16).toString('base64url'),
				writeHash: randomBytes(32).toString('base64url')
			};
			const none = await req(route.method, urlOf(route.template, nobody), {
				token: attacker.token,
				...(body !== undefined ? { body } : {})
			});
			expect(none.status).toBe(404);
			expect({ ...none.json, requestId: undefined }).toEqual({ ...probe.json, requestId: undefined });

			// Control: the attacker's own id gets past the lookup, so the 404 above was about whose id it is.
			const own = await req(route.method, urlOf(route.template, attackerHoldings), {
				token: attacker.token,
				...(body !== undefined ? { body } : {})
			});
			expect(own.status, JSON.stringify(own.json)).toBeLessThan(300);

			// And the victim is still signed in and still holds what was probed.
			expect((await req('GET', '/api/auth/me', { token: victim.token })).status).toBe(200);
		}
	);
});
