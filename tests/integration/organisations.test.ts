// Organisations on each database: created from a create link the crypto core signed in Node (as the browser
// does), checked by the server with crypto/verify.ts before anything is stored; listed, the chain and the
// caller's wraps read back; forged, tampered and foreign links refused; a retry is idempotent, a twin
// link for the same tenant id a conflict; another user gets 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	generateIdentity,
	linkHash,
	ready,
	unwrapDomainKey,
	verifiedKeyCommitment,
	verifyChain,
	verifyWrapStatement
} from '../../crypto/index';
import { testApi } from '../helpers/api';
import { b64, call, unb64 } from '../helpers/account-client';
import { databaseFactories, type TestDatabase } from '../helpers/databases';
import { createBody, newOrganisation, signedUp, type SignedUp } from '../helpers/organisations';

describe.each(databaseFactories)('organisations on $kind', (factory) => {
	let t: TestDatabase;
	let api: ReturnType<typeof testApi>;
	let req: ReturnType<typeof call>;
	let alice: SignedUp;
	let bob: SignedUp;

	beforeAll(async () => {
		await ready();
		t = await factory.create();
		api = testApi(t.db);
		req = call(api.app);
		[alice, bob] = await Promise.all([signedUp(api.app), signedUp(api.app)]);
	});
	afterAll(() => t.drop());

	const counts = () =>
		t.driver.transaction(async (tx) => {
			const [row] = await tx.query<Record<string, number>>(
				`select (select count(*)::int from app.organisations) as organisations,
				        (select count(*)::int from app.chain_links) as links,
				        (select count(*)::int from app.members) as members,
				        (select count(*)::int from app.domain_key_wraps) as wraps`
			);
			return row!;
		});

	it('creates an organisation, lists it, serves its chain and the creator’s wraps', async () => {
		const { org, body } = await createBody(alice.identity, alice.userId, '  Acme Trading  ');
		const res = await req('POST', '/api/orgs', { token: alice.token, body });
		expect(res.status, JSON.stringify(api.logs.lines().filter((l) => l.err))).toBe(201);
		expect(res.json).toMatchObject({
			tenantId: org.tenantId,
			displayName: 'Acme Trading',
			role: 'owner',
			createLink: { seq: 1, hash: b64(org.linkHash) }
		});

		const listed = await req('GET', '/api/orgs', { token: alice.token });
		expect(listed.status).toBe(200);
		expect(listed.json.organisations).toEqual([
			expect.objectContaining({ tenantId: org.tenantId, displayName: 'Acme Trading', role: 'owner' })
		]);

		// The browser's side: verify the chain from seq 1 against the tenant it asked for.
		const chain = await req('GET', `/api/orgs/${org.tenantId}/chain`, { token: alice.token });
		expect(chain.status).toBe(200);
		const links = (chain.json.links as { seq: number; link: string }[]).map((l) => unb64(l.link));
		expect(chain.json.more).toBe(false);
		const state = verifyChain(links, { tenantId: org.tenantId });
		expect(state.head.seq).toBe(1);
		expect(linkHash(links[0]!)).toEqual(org.linkHash);
		const after = await req('GET', `/api/orgs/${org.tenantId}/chain?after=1`, { token: alice.token });
		expect(after.json.links).toEqual([]);

		// The wraps open against the commitments of the verified chain.
		const keys = await req('GET', `/api/orgs/${org.tenantId}/keys`, { token: alice.token });
		expect(keys.status).toBe(200);
		const wraps = keys.json.wraps as { domain: string; epoch: number; wrap: string; statement: string }[];
		expect(wraps.map((w) => w.domain).sort()).toEqual(['catalog', 'logistics', 'sourcing']);
		for (const w of wraps) {
			const domain = w.domain as 'catalog' | 'sourcing' | 'logistics';
			verifyWrapStatement(unb64(w.statement), alice.identity.signPublicKey, {
				tenantId: org.tenantId,
				domain,
				epoch: 1,
				memberId: alice.userId,
				memberKeys: alice.identity,
				wrap: unb64(w.wrap)
			});
			const commitment = verifiedKeyCommitment(state, { domain, epoch: 1, memberId: alice.userId });
			const key = unwrapDomainKey(unb64(w.wrap), alice.identity, commitment);
			expect(new Uint8Array(key)).toEqual(new Uint8Array(org.domainKeys[domain]));
		}
	});

	it('answers a retry of the same link with the same organisation, and stores nothing twice', async () => {
		const { org, body } = await createBody(alice.identity, alice.userId, 'Retry Ltd');
		const first = await req('POST', '/api/orgs', { token: alice.token, body });
		expect(first.status).toBe(201);
		const before = await counts();
		const again = await req('POST', '/api/orgs', { token: alice.token, body });
		expect(again.status).toBe(200);
		expect(again.json).toEqual(first.json);
		expect(again.json.tenantId).toBe(org.tenantId);
		expect(await counts()).toEqual(before);
	});

	it('refuses a second create link for a taken tenant id with 409', async () => {
		// Same genesis (creator, keys, nonce) → same tenant id, but another time and other commitments: a
		// fork at seq 1 only the creator could sign. Made by re-signing with a changed time byte.
		const { org, body } = await createBody(alice.identity, alice.userId, 'Fork Ltd');
		expect((await req('POST', '/api/orgs', { token: alice.token, body })).status).toBe(201);
		const twin = await relinkWithTime(org.link, alice.identity);
		const before = await counts();
		const res = await req('POST', '/api/orgs', { token: alice.token, body: { ...body, link: b64(twin) } });
		expect(res.status).toBe(409);
		expect(res.json.code).toBe('organisation_exists');
		expect(await counts()).toEqual(before);
	});

	it('refuses a forged or tampered link with 400, storing nothing', async () => {
		const { org, body } = await createBody(alice.identity, alice.userId);
		const before = await counts();
		const tampered = org.link.slice();
		tampered[tampered.length - 100]! ^= 0x01; // inside the body: the signature no longer verifies
		const badSignature = org.link.slice();
		badSignature[badSignature.length - 1]! ^= 0x80;
		for (const link of [tampered, badSignature, org.link.slice(0, -1), new Uint8Array(100)]) {
			const res = await req('POST', '/api/orgs', { token: alice.token, body: { ...body, link: b64(link) } });
			expect(res.status).toBe(400);
			expect(res.headers.get('content-type')).toBe('application/problem+json');
		}
		// A genuine link with a wrap statement of another organisation.
		const other = await createBody(alice.identity, alice.userId);
		const mixed = { ...body, wraps: [other.body.wraps[0]!, ...body.wraps.slice(1)] };
		const res = await req('POST', '/api/orgs', { token: alice.token, body: mixed });
		expect(res.status).toBe(400);
		expect(res.json.code).toBe('invalid_wrap');
		expect(await counts()).toEqual(before);
	});

	it('refuses a link authored by another user or key (403), storing nothing', async () => {
		const before = await counts();
		// Bob's own link, sent with Alice's token.
		const bobs = await createBody(bob.identity, bob.userId);
		expect((await req('POST', '/api/orgs', { token: alice.token, body: bobs.body })).status).toBe(403);
		// Alice's user id, but a key that is not her registered one.
		const stranger = await createBody(generateIdentity(), alice.userId);
		expect((await req('POST', '/api/orgs', { token: alice.token, body: stranger.body })).status).toBe(403);
		// Alice's keys, but another member id.
		const renamed = await createBody(alice.identity, bob.userId);
		expect((await req('POST', '/api/orgs', { token: alice.token, body: renamed.body })).status).toBe(403);
		expect(await counts()).toEqual(before);
	});

	it('answers 404 to a non-member for the chain and the keys, and lists nothing of others', async () => {
		const { tenantId } = await newOrganisation(api.app, alice, 'Private Ltd');
		for (const path of [`/api/orgs/${tenantId}/chain`, `/api/orgs/${tenantId}/keys`]) {
			const res = await req('GET', path, { token: bob.token });
			expect(res.status).toBe(404);
			expect(res.json.code).toBe('not_found');
			// The same answer as for a tenant that does not exist.
			const none = await req('GET', path.replace(tenantId, 'ab'.repeat(32)), { token: bob.token });
			expect({ ...none.json, requestId: undefined }).toEqual({ ...res.json, requestId: undefined });
		}
		const listed = await req('GET', '/api/orgs', { token: bob.token });
		expect(listed.json.organisations).toEqual([]);
		expect((await req('GET', `/api/orgs/${tenantId}/chain`)).status).toBe(401);
		expect(
			(await req('GET', `/api/orgs/${tenantId.toUpperCase()}/chain`, { token: alice.token })).status
		).toBe(400);
	});

	it('creates one organisation from two concurrent requests with the same link', async () => {
		const { org, body } = await createBody(alice.identity, alice.userId, 'Twins Ltd');
		const results = await Promise.all([
			req('POST', '/api/orgs', { token: alice.token, body }),
			req('POST', '/api/orgs', { token: alice.token, body })
		]);
		expect(results.map((r) => r.status).sort()).toEqual([200, 201]);
		const rows = await t.driver.transaction((tx) =>
			tx.query<{ n: number }>(
				`select (select count(*)::int from app.organisations where tenant_id = $1)
				      + (select count(*)::int from app.chain_links where tenant_id = $1)
				      + (select count(*)::int from app.members where tenant_id = $1) as n`,
				[org.tenantId]
			)
		);
		expect(rows[0]!.n).toBe(3);
	});
});

/** The same create link with another time, re-signed by the creator: same tenant id, another link. */
async function relinkWithTime(link: Uint8Array, identity: ReturnType<typeof generateIdentity>) {
	const { parseLink } = await import('../../crypto/index');
	const { signLink } = await import('../../crypto/organisation');
	const parsed = parseLink(link).link;
	return signLink(
		{
			tenantId: null,
			seq: 1,
			prev: null,
			time: parsed.time + 1,
			authorMemberId: parsed.authorMemberId,
			type: parsed.type,
			body: parsed.body
		},
		identity
	);
}
