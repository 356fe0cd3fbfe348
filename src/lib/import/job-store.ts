// Where an import's progress lives (upload.ts JobStore), so that it resumes after a reload or a crashed tab:
// IndexedDB (idb-keyval), one job per person and organisation on this device. A job holds how the file was
// read (its SHA-256, so the same file is recognised when chosen again, and the settings and mapping chosen),
// how many lines were stored, and the batch in flight: its body is sealed and signed (ciphertext, row ids,
// signatures; no plaintext and no keys), kept with its Idempotency-Key so that it is sent again exactly as
// it was. The file's name stays on this device only, to say which file to choose again.
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import type { DuplicatePolicy } from './drafts';
import type { FormatId, Mapping } from './formats';
import type { Decimal } from './numbers';
import type { Delimiter } from './parse';
import type { JobStore, UploadState } from './upload';

export type JobSettings = {
	format: FormatId;
	encoding: string;
	delimiter: Delimiter;
	decimal: Decimal;
	currency: string;
	policy: DuplicatePolicy;
	mapping: Mapping;
};

export type SavedJob = {
	v: 1;
	file: { name: string; size: number; digest: string };
	settings: JobSettings;
	/** Lines this run writes, and when it started (ms since the epoch). */
	total: number;
	/** Units written before the first line: the suppliers a products file creates. */
	supplierUnits: number;
	startedAt: number;
	state: UploadState;
};

/** The slice of idb-keyval a job needs: a Map-backed stand-in in unit tests. */
export type KeyValue = {
	get(key: string): Promise<unknown>;
	set(key: string, value: unknown): Promise<void>;
	del(key: string): Promise<void>;
};

/** In memory: a job lives as long as the tab (a browser without IndexedDB, and unit tests). */
export function memoryKeyValue(): KeyValue {
	const m = new Map<string, unknown>();
	return {
		get: async (k) => structuredClone(m.get(k)),
		set: async (k, v) => void m.set(k, structuredClone(v)),
		del: async (k) => void m.delete(k)
	};
}

let store: UseStore | null = null;
/** This browser's IndexedDB, or null where it cannot be opened (some private modes). */
export async function browserKeyValue(): Promise<KeyValue | null> {
	try {
		store ??= createStore('stowage-imports', 'jobs');
		const s = store;
		await get('probe', s);
		return { get: (k) => get(k, s), set: (k, v) => set(k, v, s), del: (k) => del(k, s) };
	} catch {
		store = null;
		return null;
	}
}

const jobKey = (userId: string, tenantId: string) => `import.v1:${userId}:${tenantId}`;

const isJob = (j: unknown): j is SavedJob => {
	const x = j as SavedJob | null;
	return (
		typeof x === 'object' &&
		x !== null &&
		x.v === 1 &&
		typeof x.file?.digest === 'string' &&
		typeof x.settings === 'object' &&
		Number.isInteger(x.total) &&
		Number.isInteger(x.supplierUnits) &&
		Number.isInteger(x.state?.done)
	);
};

/** The interrupted import of `userId` in `tenantId` on this device, if any (a malformed entry is none). */
export async function loadJob(kv: KeyValue, userId: string, tenantId: string): Promise<SavedJob | null> {
	const j = await kv.get(jobKey(userId, tenantId));
	return isJob(j) ? j : null;
}

export const clearJob = (kv: KeyValue, userId: string, tenantId: string) => kv.del(jobKey(userId, tenantId));

/** A running job's store: every state the upload saves is written through before the upload goes on. */
export class SavedJobStore implements JobStore {
	state: UploadState;

	constructor(
		private readonly kv: KeyValue,
		private readonly key: { userId: string; tenantId: string },
		private readonly job: Omit<SavedJob, 'state'>,
		state: UploadState
	) {
		this.state = state;
	}

	async save(state: UploadState): Promise<void> {
		this.state = structuredClone(state);
		await this.kv.set(jobKey(this.key.userId, this.key.tenantId), { ...this.job, state: this.state });
	}

	clear(): Promise<void> {
		return clearJob(this.kv, this.key.userId, this.key.tenantId);
	}
}

/** The file's SHA-256, hex: how a job recognises the file chosen again. */
export async function fileDigest(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
	const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
	return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * This person's import lock on an organisation in this browser (Web Locks: held by one tab at a time, and
 * released when that tab closes or crashes), so that two tabs never upload, or settle a pending batch, for
 * the same organisation at once: a function that releases it, or null when another tab holds it. With
 * `wait`, it waits for that tab to let go instead (null if `wait` is aborted first). Where the browser has no
 * Web Locks, nothing is locked.
 */
export async function acquireJobLock(
	userId: string,
	tenantId: string,
	wait?: AbortSignal
): Promise<(() => void) | null> {
	const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
	if (!locks) return () => {};
	const options: LockOptions = wait ? { signal: wait } : { ifAvailable: true };
	return new Promise((resolve) => {
		locks
			.request(`stowage-import:${userId}:${tenantId}`, options, (lock) => {
				if (!lock) return resolve(null);
				return new Promise<void>((release) => resolve(() => release()));
			})
			// Aborted while waiting: the page that asked is gone.
			.catch(() => resolve(null));
	});
}
