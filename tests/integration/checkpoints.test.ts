// The sealed checkpoints blob (crypto/SPEC.md §18) on each database: stored and read back by its owner
// only, replaced by a later PUT, bounded in size, and refused without a session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready, sealCheckpoints } from '../../crypto/index';
import { testApi } from '../helpers/api';
import { b64, call, unb64 } from '../helpers/account-client';
import { databaseFactories, type TestDatabase } from '../helpers/databases';
import { signedUp, type SignedUp } from '../helpers/organisations';

describe.each(databaseFactories)('sealed checkpoints on $kind', (factory) => {
	let t: TestDatabase;
	let req: ReturnType<typeof call>;
	let alice: SignedUp;
	let bob: SignedUp;

	beforeAll(async () => {
		await ready();
		t = await factory.create();
		const api = testApi(t.db);
		req = call(api.app);
		[alice, bob] = await Promise.all([signedUp(api.app), signedUp(api.app)]);
	});
	afterAll(() => t.drop());

	const blobOf = (who: SignedUp, seq: number) =>
		sealCheckpoints(new Map([['a'.repeat(64), { seq, hash: new Uint8Array(32).fill(seq) }]]), who.identity, {
			userId: who.userId,
			written: Date.now()
		});

	it('stores, replaces and returns the owner’s blob; nobody else sees it', async () => {
		const empty = await req('GET', '/api/me/checkpoints', { token: alice.token });
		expect(empty.status).toBe(200);
		expect(empty.json).toEqual({ blob: null, updatedAt: null });

		const first = blobOf(alice, 1);
		expect(
			(await req('PUT', '/api/me/checkpoints', { token: alice.token, body: { blob: b64(first) } })).status
		).toBe(204);
		const second = blobOf(alice, 2);
		expect(
			(await req('PUT', '/api/me/checkpoints', { token: alice.token, body: { blob: b64(second) } })).status
		).toBe(204);
		const read = await req('GET', '/api/me/checkpoints', { token: alice.token });
		expect(unb64(read.json.blob as string)).toEqual(second);
		expect(typeof read.json.updatedAt).toBe('string');

		expect((await req('GET', '/api/me/checkpoints', { token: bob.token })).json.blob).toBeNull();
		expect((await req('GET', '/api/me/checkpoints')).status).toBe(401);
		expect((await req('PUT', '/api/me/checkpoints', { body: { blob: b64(first) } })).status).toBe(401);
	});

	it('refuses a blob too small, too large, not base64url or with extra fields (400 problem)', async () => {
		for (const body of [
			{ blob: b64(new Uint8Array(10)) },
			{ blob: b64(new Uint8Array(256 * 1024 + 1)) },
			{ blob: 'not base64url!' },
			{ blob: b64(blobOf(alice, 1)), userId: bob.userId },
			{}
		]) {
			const res = await req('PUT', '/api/me/checkpoints', { token: alice.token, body });
			expect([400, 413]).toContain(res.status);
			expect(res.headers.get('content-type')).toBe('application/problem+json');
		}
	});
});
