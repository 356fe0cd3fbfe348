// This device's chain checkpoints (crypto/SPEC.md §18, DESIGN.md "No forks, no rollback"): the last
// verified `(seq, head hash)` per organisation, per user, in localStorage (public values, not secret).
// Written only after the worker verified a chain; a failed verification never writes here.
import type { CheckpointMap, Head } from './org-ops';

/** The slice of `Storage` this needs (localStorage in the page; a Map-backed stand-in in tests). */
export type CheckpointStore = Pick<Storage, 'getItem' | 'setItem'>;

export const checkpointKey = (userId: string) => `stowage.checkpoints.v1:${userId}`;

const TENANT = /^[0-9a-f]{64}$/;
const HASH = /^[A-Za-z0-9_-]{43}$/;

const isHead = (h: unknown): h is Head =>
	typeof h === 'object' &&
	h !== null &&
	Number.isInteger((h as Head).seq) &&
	(h as Head).seq >= 1 &&
	typeof (h as Head).hash === 'string' &&
	HASH.test((h as Head).hash);

/** The checkpoints this device kept for `userId`; malformed entries are dropped (the server's blob may still hold them). */
export function loadCheckpoints(store: CheckpointStore | null, userId: string): CheckpointMap {
	if (!store) return {};
	try {
		const raw: unknown = JSON.parse(store.getItem(checkpointKey(userId)) ?? '{}');
		if (!raw || typeof raw !== 'object') return {};
		const out: CheckpointMap = {};
		for (const [t, h] of Object.entries(raw))
			if (TENANT.test(t) && isHead(h)) out[t] = { seq: h.seq, hash: h.hash };
		return out;
	} catch {
		return {};
	}
}

/** Stores a merged set the worker produced (mergeCheckpoints, then the verified head). */
export function saveCheckpoints(
	store: CheckpointStore | null,
	userId: string,
	checkpoints: CheckpointMap
): void {
	if (!store) return;
	try {
		store.setItem(checkpointKey(userId), JSON.stringify(checkpoints));
	} catch {
		// A full or disabled storage: the sealed blob on the server still carries the checkpoint.
	}
}

export function browserCheckpointStore(): CheckpointStore | null {
	try {
		return typeof localStorage === 'undefined' ? null : localStorage;
	} catch {
		return null;
	}
}
