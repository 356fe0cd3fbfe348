// The chain and write-statement readers (SPEC.md §16.8, §17.5) on arbitrary and mutated bytes: only CryptoError escapes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLink, verifyChain } from './chain';
import { CryptoError } from './errors';
import { generateIdentity } from './identity';
import { createOrganisation } from './organisation';
import { signWrite } from './sign-write';
import { ready } from './sodium';
import { parseWriteStatement, verifyWrite, writeLeaf } from './writes';

await ready();

function onlyCryptoErrors(f: () => unknown): void {
	try {
		f();
	} catch (e) {
		expect(e).toBeInstanceOf(CryptoError);
	}
}

const owner = generateIdentity();
const org = createOrganisation(owner, 'm', 0);
const leaf = writeLeaf({
	tenantId: org.tenantId,
	table: 'products',
	rowId: 'r',
	version: 1,
	prevLeaf: null,
	columns: { a: 1 },
	tombstone: false
});
const head = { seq: 1, hash: org.linkHash };
const signed = signWrite(
	{ tenantId: org.tenantId, kind: 'write', cited: head, prev: null, leaves: [leaf] },
	{ memberId: 'm', identity: owner }
);
const expected = { tenantId: org.tenantId, authorSignPublicKey: owner.signPublicKey };

describe('chain and write readers on arbitrary bytes', () => {
	it('property: random bytes', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 700 }), (b) => {
				onlyCryptoErrors(() => parseLink(b));
				onlyCryptoErrors(() => verifyChain([b]));
				onlyCryptoErrors(() => verifyChain([org.link, b]));
				onlyCryptoErrors(() => parseWriteStatement(b));
				onlyCryptoErrors(() => verifyWrite(b, [leaf], expected));
			}),
			{ numRuns: 300 }
		);
	});

	it('property: a valid link or statement with bytes changed, cut or appended never verifies', () => {
		const mutate = (base: Uint8Array) =>
			fc
				.tuple(
					fc.nat(base.length - 1),
					fc.integer({ min: 1, max: 255 }),
					fc.nat(base.length - 1),
					fc.uint8Array({ maxLength: 8 })
				)
				.map(([at, x, cut, extra]) => {
					const m = base.slice();
					m[at]! ^= x;
					return [m, base.slice(0, cut), new Uint8Array([...base, ...extra, 0])];
				});
		fc.assert(
			fc.property(mutate(org.link), (variants) => {
				for (const v of variants) expect(() => verifyChain([v])).toThrow(CryptoError);
			}),
			{ numRuns: 200 }
		);
		fc.assert(
			fc.property(mutate(signed), (variants) => {
				for (const v of variants) expect(() => verifyWrite(v, [leaf], expected)).toThrow(CryptoError);
			}),
			{ numRuns: 200 }
		);
	});
});
