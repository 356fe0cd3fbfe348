// Chain checkpoints synced across a user's devices (SPEC.md §18): sealed, signed, merged.
import { describe, expect, it } from 'vitest';
import { pae } from './aad';
import { concat, le64, utf8 } from './bytes';
import { ChainForkError, type Citation } from './chain';
import { CHECKPOINTS_LABEL, mergeCheckpoints, openCheckpoints, sealCheckpoints } from './checkpoints';
import { generateIdentity } from './identity';
import { errorCode as code } from './internal/error-code';
import { boxSeal, ed25519Sign, ready } from './sodium';

await ready();

const me = generateIdentity();
const t1 = 'a1'.repeat(32);
const t2 = 'b2'.repeat(32);
const c = (seq: number, fill: number): Citation => ({ seq, hash: new Uint8Array(32).fill(fill) });
const mine = new Map([
	[t2, c(3, 3)],
	[t1, c(7, 7)]
]);

/** A blob made with any signing key: what a server (which can seal to my public key) could produce. */
function forged(signer = generateIdentity(), userId = 'u-1', entries: Uint8Array[] = []): Uint8Array {
	const m = concat(new Uint8Array([1]), pae([utf8(CHECKPOINTS_LABEL), utf8(userId), le64(0), ...entries]));
	return concat(
		new Uint8Array([1]),
		boxSeal(concat(m, ed25519Sign(m, signer.signSecretKey)), me.boxPublicKey)
	);
}

describe('checkpoint blobs (SPEC.md §18)', () => {
	it('round-trips, sorted by tenant id', () => {
		const blob = sealCheckpoints(mine, me, { userId: 'u-1', written: 1234 });
		const { checkpoints, written } = openCheckpoints(blob, me, { userId: 'u-1' });
		expect(written).toBe(1234);
		expect([...checkpoints.keys()]).toEqual([t1, t2]);
		expect(checkpoints.get(t1)!.seq).toBe(7);
		const empty = openCheckpoints(sealCheckpoints(new Map(), me, { userId: 'u-1', written: 0 }), me, {
			userId: 'u-1'
		});
		expect(empty.checkpoints.size).toBe(0);
	});

	it('refuses a blob for someone else, forged by the server, of another user id, or changed', () => {
		const blob = sealCheckpoints(mine, me, { userId: 'u-1', written: 1 });
		expect(code(() => openCheckpoints(blob, generateIdentity(), { userId: 'u-1' }))).toBe(
			'ERR_DECRYPTION_FAILED'
		);
		expect(code(() => openCheckpoints(forged(), me, { userId: 'u-1' }))).toBe('ERR_SIGNATURE_INVALID');
		expect(code(() => openCheckpoints(forged(me), me, { userId: 'u-1' }))).toBe('OK');
		expect(code(() => openCheckpoints(blob, me, { userId: 'u-2' }))).toBe('ERR_WRONG_CONTEXT');
		const t = blob.slice();
		t[40]! ^= 1;
		expect(code(() => openCheckpoints(t, me, { userId: 'u-1' }))).toBe('ERR_DECRYPTION_FAILED');
		const v = blob.slice();
		v[0] = 2;
		expect(code(() => openCheckpoints(v, me, { userId: 'u-1' }))).toBe('ERR_UNSUPPORTED_VERSION');
		expect(code(() => openCheckpoints(blob.subarray(0, 50), me, { userId: 'u-1' }))).toBe('ERR_MALFORMED');
	});

	it('refuses, even signed by the user, entries out of order, repeated or ill-formed', () => {
		const e = (t: string, seq: number) => pae([utf8(t), le64(seq), new Uint8Array(32)]);
		expect(code(() => openCheckpoints(forged(me, 'u-1', [e(t1, 1), e(t2, 1)]), me, { userId: 'u-1' }))).toBe(
			'OK'
		);
		for (const entries of [
			[e(t2, 1), e(t1, 1)],
			[e(t1, 1), e(t1, 2)],
			[e(t1, 0)],
			[e(t1.toUpperCase(), 1)]
		]) {
			expect(code(() => openCheckpoints(forged(me, 'u-1', entries), me, { userId: 'u-1' }))).toBe(
				'ERR_MALFORMED'
			);
		}
	});

	it('merges: the higher seq wins; the same seq with two hashes is a fork', () => {
		const m = mergeCheckpoints(
			mine,
			new Map([
				[t1, c(9, 9)],
				[t2, c(2, 2)]
			])
		);
		expect(m.get(t1)!.seq).toBe(9);
		expect(m.get(t2)!.seq).toBe(3);
		expect(mergeCheckpoints(mine, new Map([[t1, c(7, 7)]])).get(t1)!.seq).toBe(7);
		const f = (() => {
			try {
				mergeCheckpoints(mine, new Map([[t1, c(7, 8)]]));
			} catch (err) {
				return err;
			}
		})();
		expect(f).toBeInstanceOf(ChainForkError);
		expect(code(() => mergeCheckpoints(mine, new Map([['x', c(1, 1)]])))).toBe('ERR_INVALID_INPUT');
	});
});
