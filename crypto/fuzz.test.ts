// Any input to a reader either succeeds or throws a CryptoError: no libsodium or runtime exception escapes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64url, fromHex } from './bytes';
import { openRecord, parseEnvelopeHeader } from './envelope';
import { CryptoError } from './errors';
import { generateIdentity, openIdentityBundle, publicIdentity } from './identity';
import type { BundleKey, DomainKey, Ed25519PublicKey } from './keys';
import { decodeFields, unpad } from './record';
import { decodeRecoveryKey } from './recovery';
import { ready } from './sodium';
import { verifyWrapStatement } from './statements';
import { keyCommitment } from './commitment';
import { verifiedKeyCommitmentForTests } from './internal/verified';
import { unwrapDomainKey } from './wrap';

await ready();

function onlyCryptoErrors(f: () => unknown): void {
	try {
		f();
	} catch (e) {
		expect(e).toBeInstanceOf(CryptoError);
	}
}

const me = generateIdentity();
const wctx = { tenantId: 't', domain: 'catalog' as const, epoch: 1, memberId: 'm' };
const wverified = verifiedKeyCommitmentForTests(wctx, keyCommitment(new Uint8Array(32) as DomainKey, wctx));
const rctx = {
	tenantId: 't',
	table: 'products',
	column: 'env',
	rowId: 'r',
	domain: 'catalog' as const,
	epoch: 1
};

describe('readers on arbitrary bytes', () => {
	it('property: only CryptoError, whatever the bytes and lengths', () => {
		fc.assert(
			fc.property(
				// Half the inputs start with a valid version byte, to get past the first check.
				fc.oneof(
					fc.uint8Array({ maxLength: 400 }),
					fc.uint8Array({ maxLength: 400 }).map((b) => Uint8Array.from([1, ...b])),
					fc.uint8Array({ maxLength: 120 }).map((b) => Uint8Array.from([1, 8, 0, 0, 0, 0, 0, 0, 0, ...b]))
				),
				fc.uint8Array({ maxLength: 40 }),
				(bytes, key) => {
					onlyCryptoErrors(() => openRecord(bytes, key as DomainKey, rctx));
					onlyCryptoErrors(() => openRecord(bytes, new Uint8Array(32) as DomainKey, rctx));
					onlyCryptoErrors(() => parseEnvelopeHeader(bytes));
					onlyCryptoErrors(() => unwrapDomainKey(bytes, me, wverified));
					onlyCryptoErrors(() =>
						openIdentityBundle(bytes, key as BundleKey, { userId: 'u', method: 'master' })
					);
					onlyCryptoErrors(() =>
						verifyWrapStatement(bytes, key as Ed25519PublicKey, {
							...wctx,
							memberKeys: publicIdentity(me),
							wrap: bytes
						})
					);
					onlyCryptoErrors(() => decodeFields(bytes));
					onlyCryptoErrors(() => unpad(bytes));
				}
			),
			{ numRuns: 1000 }
		);
	});

	it('property: text decoders throw only CryptoError', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 80 }), (s) => {
				onlyCryptoErrors(() => decodeRecoveryKey(s));
				onlyCryptoErrors(() => fromBase64url(s));
				onlyCryptoErrors(() => fromHex(s));
			}),
			{ numRuns: 1000 }
		);
	});
});
