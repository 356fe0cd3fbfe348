// Creating organisations and writing to the catalogue are rate-limited per (user, address) and per address:
// each costs the server a chain verification and a statement check. Past the limit: 429 with Retry-After,
// as problem+json, and nothing stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../crypto/index';
import { MAX_WRITE_ROWS } from '../../src/lib/catalogue/limits';
import { createRateLimits, DEFAULT_LIMITS } from '../../src/lib/server/api/rate-limit';
import { testApi } from '../helpers/api';
import { call } from '../helpers/account-client';
import { authorOf, newProduct, write } from '../helpers/catalogue';
import { databaseFactories, type TestDatabase } from '../helpers/databases';
import { createBody, newOrganisation, signedUp } from '../helpers/organisations';

describe.each(databaseFactories.slice(0, 1))('catalogue rate limits on $kind', (factory) => {
	let t: TestDatabase;
	let api: ReturnType<typeof testApi>;
	beforeAll(async () => {
		await ready();
		t = await factory.create();
		api = testApi(t.db, {
			limits: createRateLimits({
				policies: {
					...DEFAULT_LIMITS,
					signup: { ip: { points: 100, duration: 3600 } },
					orgCreate: { ip: { points: 100, duration: 3600 }, accountIp: { points: 1, duration: 3600 } },
					writes: { ip: { points: 100, duration: 60 }, accountIp: { points: 2, duration: 60 } }
				}
			})
		});
	});
	afterAll(() => t.drop());

	it('answers 429 with Retry-After past the organisation and write limits, storing nothing', async () => {
		const alice = await signedUp(api.app);
		const org = await newOrganisation(api.app, alice, 'Limited');
		const { body } = await createBody(alice.identity, alice.userId, 'One too many');
		const refused = await call(api.app)('POST', '/api/orgs', { token: alice.token, body });
		expect(refused.status).toBe(429);
		expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
		expect(refused.json.code).toBe('rate_limited');
		const orgs = await call(api.app)('GET', '/api/orgs', { token: alice.token });
		expect((orgs.json.organisations as unknown[]).length).toBe(1);

		const a = authorOf(alice, org);
		for (let i = 0; i < 2; i++) {
			const { res } = await write(api.app, alice.token, a, [newProduct(a, { name: `P${i}`, sku: `P-${i}` })]);
			expect(res.status).toBe(201);
		}
		const { res } = await write(api.app, alice.token, a, [newProduct(a, { name: 'P2', sku: 'P-2' })]);
		expect(res.status).toBe(429);
		expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
		const products = await call(api.app)('GET', `/api/orgs/${a.tenantId}/products`, { token: alice.token });
		expect((products.json.rows as unknown[]).length).toBe(2);

		// Another user from the same address has limits of their own.
		const bob = await signedUp(api.app);
		expect(
			(
				await call(api.app)('POST', '/api/orgs', {
					token: bob.token,
					body: (await createBody(bob.identity, bob.userId)).body
				})
			).status
		).toBe(201);
	});

	it('takes a statement of MAX_WRITE_ROWS rows, and refuses one more with a 400 naming the limit, storing nothing', async () => {
		// The runtime's body limit (1 MiB): the rows' size is not what this checks.
		const big = testApi(t.db, { bodyLimit: 1024 * 1024 });
		const carol = await signedUp(big.app);
		const a = authorOf(carol, await newOrganisation(big.app, carol, 'Big batches'));
		const products = (n: number, from: number) =>
			Array.from({ length: n }, (_, i) => newProduct(a, { name: `P${from + i}`, sku: `P-${from + i}` }));
		const over = await write(big.app, carol.token, a, products(MAX_WRITE_ROWS + 1, 0));
		expect(over.res.status).toBe(400);
		expect(over.res.headers.get('content-type')).toMatch(/application\/problem\+json/);
		expect(JSON.stringify(over.res.json.errors)).toContain(`${MAX_WRITE_ROWS}`);
		const none = await call(big.app)('GET', `/api/orgs/${a.tenantId}/products`, { token: carol.token });
		expect(none.json.rows).toEqual([]);
		const full = await write(big.app, carol.token, a, products(MAX_WRITE_ROWS, 0));
		expect(full.res.status).toBe(201);
		expect(full.res.json.rows).toBe(MAX_WRITE_ROWS);
	});
});
