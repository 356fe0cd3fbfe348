// The user's chain checkpoints, synced across devices in a blob signed and sealed to the user's own keys (SPEC.md §18).
import { idBytes, pae, parsePae } from './aad';
import { concat, readLe64, expectBytes, fromUtf8, le64, utf8 } from './bytes';
import { ChainForkError, type Citation } from './chain';
import { CryptoError } from './errors';
import type { UserIdentity } from './keys';
import { boxSeal, boxSealOpen, ed25519Sign, ed25519Verify, equalConstantTime } from './sodium';

export const CHECKPOINTS_VERSION = 0x01;
export const CHECKPOINTS_LABEL = 'stowage/checkpoints/v1';
/** SPEC.md §18.1: at most 4096 organisations in one blob. */
export const MAX_CHECKPOINTS = 4096;

/** Tenant id (§16.6) → the last `(seq, head hash)` this user verified for it. */
export type Checkpoints = ReadonlyMap<string, Citation>;

const TENANT = /^[0-9a-f]{64}$/;

function checkEntry(tenantId: string, c: Citation): void {
	if (typeof tenantId !== 'string' || !TENANT.test(tenantId))
		throw new CryptoError('ERR_INVALID_INPUT', 'tenant id');
	if (c === null || typeof c !== 'object' || !Number.isInteger(c.seq) || c.seq < 1 || c.seq > 0xffffffff) {
		throw new CryptoError('ERR_INVALID_INPUT', 'checkpoint');
	}
	expectBytes(c.hash, 32);
}

/** SPEC.md §18.1: message = 0x01 ‖ PAE(label, UTF-8(userId), LE64(written), entry_1, …, entry_n). */
function encodeMessage(userId: string, written: number, checkpoints: Checkpoints): Uint8Array {
	const ids = [...checkpoints.keys()].sort();
	if (ids.length > MAX_CHECKPOINTS) throw new CryptoError('ERR_INVALID_INPUT', 'too many checkpoints');
	const entries = ids.map((t) => {
		const c = checkpoints.get(t)!;
		checkEntry(t, c);
		return pae([utf8(t), le64(c.seq), c.hash]);
	});
	return concat(
		new Uint8Array([CHECKPOINTS_VERSION]),
		pae([utf8(CHECKPOINTS_LABEL), idBytes(userId), le64(written), ...entries])
	);
}

/**
 * SPEC.md §18.1: sign the checkpoints with the user's Ed25519 key, then seal them to the user's own X25519
 * key: blob = 0x01 ‖ crypto_box_seal(message ‖ signature). `written` is the time of writing, in ms.
 */
export function sealCheckpoints(
	checkpoints: Checkpoints,
	me: UserIdentity,
	opts: { userId: string; written: number }
): Uint8Array {
	expectBytes(me.boxPublicKey, 32);
	expectBytes(me.signPublicKey, 32);
	expectBytes(me.signSecretKey, 64);
	if (!(checkpoints instanceof Map)) throw new CryptoError('ERR_INVALID_INPUT', 'checkpoints');
	if (!Number.isSafeInteger(opts.written) || opts.written < 0)
		throw new CryptoError('ERR_INVALID_INPUT', 'time');
	const message = encodeMessage(opts.userId, opts.written, checkpoints);
	const signed = concat(message, ed25519Sign(message, me.signSecretKey));
	return concat(new Uint8Array([CHECKPOINTS_VERSION]), boxSeal(signed, me.boxPublicKey));
}

const malformed = (): never => {
	throw new CryptoError('ERR_MALFORMED', 'checkpoints');
};

/** SPEC.md §18.2: open a blob this user sealed; the order of checks and their codes are there. */
export function openCheckpoints(
	blob: Uint8Array,
	me: UserIdentity,
	opts: { userId: string }
): { checkpoints: Checkpoints; written: number } {
	expectBytes(me.boxPublicKey, 32);
	expectBytes(me.boxSecretKey, 32);
	expectBytes(me.signPublicKey, 32);
	idBytes(opts.userId);
	if (!(blob instanceof Uint8Array) || blob.length < 1) malformed();
	if (blob[0] !== CHECKPOINTS_VERSION) throw new CryptoError('ERR_UNSUPPORTED_VERSION', 'checkpoints');
	if (blob.length < 1 + 48 + 1 + 8 + 64) malformed();
	const signed = boxSealOpen(blob.subarray(1), me.boxPublicKey, me.boxSecretKey);
	if (signed === null) throw new CryptoError('ERR_DECRYPTION_FAILED');
	// Anyone can seal to a public key: nothing inside is read before the user's own signature verifies.
	if (signed.length < 1 + 8 + 64) throw new CryptoError('ERR_SIGNATURE_INVALID');
	const message = signed.subarray(0, signed.length - 64);
	if (!ed25519Verify(signed.subarray(signed.length - 64), message, me.signPublicKey)) {
		throw new CryptoError('ERR_SIGNATURE_INVALID');
	}
	if (message[0] !== CHECKPOINTS_VERSION) throw new CryptoError('ERR_UNSUPPORTED_VERSION', 'checkpoints');
	const body = message.subarray(1);
	if (body.length < 8) malformed();
	const count = readLe64(body.subarray(0, 8), 3 + MAX_CHECKPOINTS) ?? malformed();
	if (count < 3) malformed();
	const p = parsePae(body, count);
	if (fromUtf8(p[0]!) !== CHECKPOINTS_LABEL) malformed();
	if (p[1]!.length < 1 || p[1]!.length > 128) malformed();
	if (fromUtf8(p[1]!) !== opts.userId)
		throw new CryptoError('ERR_WRONG_CONTEXT', 'checkpoints of another user');
	const written = readLe64(p[2]!, Number.MAX_SAFE_INTEGER) ?? malformed();
	const out = new Map<string, Citation>();
	let last = '';
	for (const e of p.slice(3)) {
		const [t, s, h] = parsePae(e, 3);
		const tenantId = fromUtf8(t!);
		if (!TENANT.test(tenantId) || tenantId <= last) malformed();
		const seq = readLe64(s!, 0xffffffff) ?? malformed();
		if (seq < 1 || h!.length !== 32) malformed();
		out.set(tenantId, { seq, hash: h!.slice() });
		last = tenantId;
	}
	return { checkpoints: out, written };
}

/**
 * SPEC.md §18.3: the union of two sets of checkpoints, keeping the higher seq per organisation. The same seq
 * with different hashes is a fork between the user's own devices: ChainForkError (kind `fork`).
 */
export function mergeCheckpoints(a: Checkpoints, b: Checkpoints): Map<string, Citation> {
	if (!(a instanceof Map) || !(b instanceof Map)) throw new CryptoError('ERR_INVALID_INPUT', 'checkpoints');
	const out = new Map<string, Citation>();
	for (const [t, c] of a) {
		checkEntry(t, c);
		out.set(t, { seq: c.seq, hash: c.hash.slice() });
	}
	for (const [t, c] of b) {
		checkEntry(t, c);
		const mine = out.get(t);
		if (mine === undefined || c.seq > mine.seq) out.set(t, { seq: c.seq, hash: c.hash.slice() });
		else if (c.seq === mine.seq && !equalConstantTime(c.hash, mine.hash))
			throw new ChainForkError('fork', mine, c);
	}
	return out;
}
