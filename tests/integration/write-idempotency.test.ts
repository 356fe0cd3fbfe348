// Idempotent batches (issue 12, supabase/migrations/20261201050000_write_idempotency.sql): each import batch is
// one signed statement sent with an Idempotency-Key. The same batch sent twice is stored once; a batch whose
// response was lost and that comes back re-sealed and re-signed (new nonces, a new statement, the same rows)
// gets the stored answer and stores nothing; a key brought back with other rows is refused; keys are the
// author's own. Checked on each database.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../crypto/index';
import { call, unb64 } from '../helpers/account-client';
import { testApi } from '../helpers/api';
import { authorOf, movement, newProduct, signed, type Author, type Draft } from '../helpers/catalogue';
import { databaseFactories, type TestDatabase } from '../helpers/databases';
import { newOrganisation, signedUp, type SignedUp } from '../helpers/organisations';

describe.each(databaseFactories)('idempotent write batches on $kind', (factory) => {
	let t: TestDatabase;
	let api: ReturnType<typeof testApi>;
	let req: ReturnType<typeof call>;
	let alice: SignedUp;
	let a: Author;

	beforeAll(async () => {
		await ready();
		t = await factory.create();
		api = testApi(t.db);
		req = call(api.app);
		alice = await signedUp(api.app);
		a = authorOf(alice, await newOrganisation(api.app, alice, 'Idempotent Imports'));
	});
	afterAll(() => t.drop());

	const counts = () =>
		t.driver.transaction(async (tx) => {
			const [row] = await tx.query<{ writes: number; products: number; movements: number }>(
				`select (select count(*)::int from app.writes) as writes,
				        (select count(*)::int from app.products) as products,
				        (select count(*)::int from app.stock_movements) as movements`
			);
			return row!;
		});
	const key = () => randomUUID().replaceAll('-', '');
	/** A batch of `n` products with an opening count each, as an import sends it. */
	const batch = (n: number): Draft[] =>
		Array.from({ length: n }, (_, i) => {
			const p = newProduct(a, { name: `Imported ${i}`, sku: `IMP-${randomUUID().slice(0, 8)}` });
			return [p, movement(p.id, 5 + i, 'count')];
		}).flat();
	/** Re-seals the same rows (same ids, new nonces): what a tab that lost its prepared body sends again. */
	const resealed = (drafts: Draft[]): Draft[] =>
		drafts.map((d) => {
			if (d.table !== 'products') return d;
			const again = newProduct(a, { name: 'Imported again', sku: `IMP-${randomUUID().slice(0, 8)}` });
			return { ...again, id: d.id };
		});
	const post = (body: unknown, k?: string) =>
		req('POST', `/api/orgs/${a.tenantId}/writes`, {
			token: alice.token,
			body,
			...(k ? { headers: { 'idempotency-key': k } } : {})
		});
	const moveOn = (res: { json: Record<string, unknown> }) => {
		a.prev = { hash: unb64(res.json.statement as string), counter: res.json.counter as number };
	};

	it('stores a batch sent twice with its key once, and answers the retry with the stored statement', async () => {
		const k = key();
		const s = signed(a, batch(3));
		const before = await counts();
		const first = await post(s.body, k);
		expect(first.status).toBe(201);
		expect(first.headers.get('idempotent-replayed')).toBeNull();
		moveOn(first);
		const again = await post(s.body, k);
		expect(again.status).toBe(200);
		expect(again.headers.get('idempotent-replayed')).toBe('true');
		expect(again.json).toEqual(first.json);
		expect(await counts()).toEqual({
			writes: before.writes + 1,
			products: before.products + 3,
			movements: before.movements + 3
		});
	});

	it('answers a lost response retried as a new statement over the same rows with the stored one, storing nothing', async () => {
		const k = key();
		const rows = batch(2);
		const s = signed(a, rows);
		const first = await post(s.body, k);
		expect(first.status).toBe(201);
		// The response is lost: the client never learns that its counter moved on, re-seals the same rows and
		// signs them again after the same previous statement.
		const before = await counts();
		const retry = signed(a, resealed(rows));
		expect(retry.hash).not.toEqual(s.hash);
		const replay = await post(retry.body, k);
		expect(replay.status).toBe(200);
		expect(replay.headers.get('idempotent-replayed')).toBe('true');
		expect(replay.json).toEqual(first.json);
		expect(await counts()).toEqual(before);
		// The author's next statement follows the stored one, as the replay said.
		moveOn(replay);
		const next = await post(signed(a, batch(1)).body, key());
		expect(next.status).toBe(201);
		moveOn(next);
	});

	it('refuses a stored key brought back with other rows, storing nothing', async () => {
		const k = key();
		const first = await post(signed(a, batch(1)).body, k);
		expect(first.status).toBe(201);
		moveOn(first);
		const before = await counts();
		const other = await post(signed(a, batch(1)).body, k);
		expect(other.status).toBe(422);
		expect(other.headers.get('content-type')).toContain('application/problem+json');
		expect(other.json.code).toBe('idempotency_key_reused');
		expect(await counts()).toEqual(before);
	});

	it('keeps each author’s keys apart: another member’s key is theirs, another tenant’s is no probe', async () => {
		const bob = await signedUp(api.app);
		const b = authorOf(bob, await newOrganisation(api.app, bob, 'Bob Imports'));
		const k = key();
		const mine = await post(signed(a, batch(1)).body, k);
		expect(mine.status).toBe(201);
		moveOn(mine);
		// Bob sends his own batch to his own tenant under the same key: stored, not answered with Alice's.
		const p = newProduct(b, { name: 'Bob item', sku: 'BOB-1' });
		const theirs = await req('POST', `/api/orgs/${b.tenantId}/writes`, {
			token: bob.token,
			body: signed(b, [p]).body,
			headers: { 'idempotency-key': k }
		});
		expect(theirs.status).toBe(201);
		expect(theirs.json.statement).not.toBe(mine.json.statement);
		// And Bob cannot use Alice's tenant to learn anything about her key: not a member, 404.
		const probe = await req('POST', `/api/orgs/${a.tenantId}/writes`, {
			token: bob.token,
			body: signed(b, [newProduct(b, { name: 'x', sku: 'BOB-2' })]).body,
			headers: { 'idempotency-key': k }
		});
		expect(probe.status).toBe(404);
	});

	it('refuses a malformed key with a problem, storing nothing', async () => {
		const before = await counts();
		for (const bad of ['short', 'x'.repeat(65), 'has spaces in it ok', 'é'.repeat(20)]) {
			const res = await post(signed(a, batch(1)).body, bad);
			expect(res.status, bad).toBe(400);
			expect(res.headers.get('content-type')).toContain('application/problem+json');
		}
		expect(await counts()).toEqual(before);
	});
});
