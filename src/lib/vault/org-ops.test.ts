import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CryptoError, fromBase64url, KDF_MINIMUM, ready, toBase64url } from '$crypto';
import { createOperations } from './operations';
import type { CreateOrganisationBody } from './org-ops';

await ready();

function unlockedVault() {
	const ops = createOperations();
	const userId = randomUUID();
	ops.createAccount({
		userId,
		email: `${userId}@example.com`,
		password: 'correct horse',
		params: KDF_MINIMUM
	});
	return { ops, userId };
}

/** What GET /api/orgs/{id}/chain and …/keys return for the body POST /api/orgs stored. */
const served = (body: CreateOrganisationBody) => ({
	links: [body.link],
	wraps: body.wraps.map(({ domain, epoch, wrap }) => ({ domain, epoch, wrap }))
});

function codeOf(f: () => unknown): string | undefined {
	try {
		f();
	} catch (e) {
		return e instanceof CryptoError ? e.code : 'not a CryptoError';
	}
	return undefined;
}

describe('organisation operations', () => {
	it('creates an organisation, opens it from its verified chain, holds its keys, and locking wipes them', () => {
		const { ops } = unlockedVault();
		const created = ops.createOrganisation('Acme Trading');
		expect(created.tenantId).toMatch(/^[0-9a-f]{64}$/);
		expect(created.body.displayName).toBe('Acme Trading');
		expect(created.body.wraps.map((w) => w.domain).sort()).toEqual(['catalog', 'logistics', 'sourcing']);
		// Nothing secret in what the page receives: only the link, wraps and statements.
		expect(Object.keys(created.body).sort()).toEqual(['displayName', 'link', 'wraps']);
		expect(ops.heldKeys(created.tenantId)).toEqual([]);

		const { links, wraps } = served(created.body);
		const opened = ops.openOrganisation(created.tenantId, links, wraps, null);
		expect(opened).toEqual({
			verified: true,
			tenantId: created.tenantId,
			head: created.head,
			role: 'owner',
			domains: expect.arrayContaining([
				{ domain: 'catalog', epoch: 1 },
				{ domain: 'sourcing', epoch: 1 },
				{ domain: 'logistics', epoch: 1 }
			])
		});
		expect(ops.heldKeys(created.tenantId)).toHaveLength(3);

		// The held keys seal and sign a write citing the verified head; the raw-key API is still served beside it.
		const write = ops.prepareWrite(
			created.tenantId,
			[
				{
					table: 'suppliers',
					id: randomUUID(),
					version: 1,
					prevLeaf: null,
					fields: { name: 'W' },
					archived: false
				}
			],
			null
		);
		expect(write.counter).toBe(1);
		expect(Object.keys(write.body).sort()).toEqual(['statement', 'suppliers']);
		expect(typeof ops.sealRecords).toBe('function');

		// Again from the checkpoint it left: still verified.
		expect(ops.openOrganisation(created.tenantId, links, wraps, created.head)).toMatchObject({
			verified: true
		});

		ops.lock();
		expect(ops.heldKeys(created.tenantId)).toEqual([]);
		expect(codeOf(() => ops.prepareWrite(created.tenantId, [], null))).toBe('ERR_INVALID_INPUT');
		expect(codeOf(() => ops.openOrganisation(created.tenantId, links, wraps, null))).toBe(
			'ERR_INVALID_INPUT'
		);
	});

	it('refuses a chain of another tenant, holding no key', () => {
		const { ops } = unlockedVault();
		const a = ops.createOrganisation('A');
		const b = ops.createOrganisation('B');
		const { links, wraps } = served(b.body);
		expect(codeOf(() => ops.openOrganisation(a.tenantId, links, wraps, null))).toBe('ERR_WRONG_CONTEXT');
		expect(ops.heldKeys(a.tenantId)).toEqual([]);
		// A's chain with B's wraps: the commitments do not match, nothing held.
		expect(codeOf(() => ops.openOrganisation(a.tenantId, [a.body.link], wraps, null))).toBe(
			'ERR_DECRYPTION_FAILED'
		);
		expect(ops.heldKeys(a.tenantId)).toEqual([]);
	});

	it('refuses a tampered link, holding no key', () => {
		const { ops } = unlockedVault();
		const created = ops.createOrganisation('Acme');
		const { wraps } = served(created.body);
		const link = fromBase64url(created.body.link);
		link[link.length - 100]! ^= 0x01;
		expect(codeOf(() => ops.openOrganisation(created.tenantId, [toBase64url(link)], wraps, null))).toMatch(
			/ERR_SIGNATURE_INVALID|ERR_MALFORMED|ERR_WRONG_CONTEXT/
		);
		expect(ops.heldKeys(created.tenantId)).toEqual([]);
	});

	it('reports a rollback or fork against the checkpoint as data, and holds no key', () => {
		const { ops } = unlockedVault();
		const created = ops.createOrganisation('Acme');
		const { links, wraps } = served(created.body);
		const ahead = { seq: 3, hash: toBase64url(new Uint8Array(32).fill(7)) };
		expect(ops.openOrganisation(created.tenantId, links, wraps, ahead)).toEqual({
			verified: false,
			tenantId: created.tenantId,
			fork: { kind: 'rollback', trusted: ahead, observed: created.head }
		});
		expect(ops.heldKeys(created.tenantId)).toEqual([]);
		const other = { seq: 1, hash: toBase64url(new Uint8Array(32).fill(9)) };
		expect(ops.openOrganisation(created.tenantId, links, wraps, other)).toEqual({
			verified: false,
			tenantId: created.tenantId,
			fork: { kind: 'fork', trusted: other, observed: created.head }
		});
		expect(ops.heldKeys(created.tenantId)).toEqual([]);
	});

	it('seals checkpoints to the user only, and merges them with the higher seq winning', () => {
		const { ops } = unlockedVault();
		const t1 = 'a'.repeat(64);
		const t2 = 'b'.repeat(64);
		const h = (n: number) => toBase64url(new Uint8Array(32).fill(n));
		const blob = ops.sealCheckpoints({ [t1]: { seq: 2, hash: h(1) } });
		expect(ops.openCheckpoints(blob).checkpoints).toEqual({ [t1]: { seq: 2, hash: h(1) } });
		const stranger = unlockedVault().ops;
		expect(codeOf(() => stranger.openCheckpoints(blob))).toBe('ERR_DECRYPTION_FAILED');

		expect(
			ops.mergeCheckpoints(
				{ [t1]: { seq: 2, hash: h(1) } },
				{ [t1]: { seq: 3, hash: h(2) }, [t2]: { seq: 1, hash: h(3) } }
			)
		).toEqual({ ok: true, checkpoints: { [t1]: { seq: 3, hash: h(2) }, [t2]: { seq: 1, hash: h(3) } } });
		expect(ops.mergeCheckpoints({ [t1]: { seq: 2, hash: h(1) } }, { [t1]: { seq: 2, hash: h(5) } })).toEqual({
			ok: false,
			tenantId: t1,
			fork: { kind: 'fork', trusted: { seq: 2, hash: h(1) }, observed: { seq: 2, hash: h(5) } }
		});
	});
});
