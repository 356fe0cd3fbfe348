// The upload of an import (issue 12 "Upload in batches"): the rows to write, in batches of at most `maxRows`
// catalogue rows, each batch one signed write statement sent with its own Idempotency-Key. Signing the next
// batches overlaps sending this one (each follows the one before it, whose statement is known once signed).
//
// Resume after a reload or a crashed tab: before a batch is sent, its prepared body and key are saved
// (`JobStore`) with the position before it; after its answer, the position past it is saved with the next
// batch (one save a batch). A job resumed with a batch still pending sends
// exactly that body with exactly that key again: if the first attempt was stored, the server answers with the
// stored statement (Idempotency-Key) and nothing is written twice; if it was not, it is stored now, or, when
// the author has written since (stale counter), the same rows are signed again under the same key. Either way
// every row is stored exactly once. No keys or plaintext here: `prepare` is the vault's prepareWrite.
import type { Draft, WriteRequest } from '$lib/vault/catalogue-ops';

/** What follows: the author's last stored statement (hash base64url, counter), null before the first. */
export type Prev = { hash: string; counter: number } | null;

/** A batch sealed and signed, saved before it is sent. `end`: the units written once it is stored. */
export type PendingBatch = {
	key: string;
	body: Record<string, unknown>;
	hash: string;
	counter: number;
	end: number;
};

/** What a job keeps across reloads: how many units are stored, and the batch in flight, if any. */
export type UploadState = { done: number; pending: PendingBatch | null };

export interface JobStore {
	save(state: UploadState): Promise<void>;
}

/** The server's answer to a stored (or already stored) batch. */
export type Stored = { statement: string; counter: number };

/** Thrown by `send` for the server's refusals the upload handles itself: the author wrote since `prev`. */
export class StaleCounter extends Error {
	override readonly name = 'StaleCounter';
}

/** Thrown by `send` when a request under the same Idempotency-Key is still being processed. */
export class BatchInProgress extends Error {
	override readonly name = 'BatchInProgress';
}

/** Thrown by `send` when the server refused the batch for good (4xx): it was not stored. */
export class BatchRefused extends Error {
	override readonly name = 'BatchRefused';
}

/**
 * A batch saved as pending by a tab that is gone, sent again as it was, under its key: `stored` once the
 * server holds it (stored now, or before and answered under its key), `not stored` when it was refused
 * (the author wrote since, or the batch was invalid: its lines are planned again from the catalogue).
 * A request still in progress under that key is waited for. Anything else (offline, 5xx) is thrown: the
 * pending batch stays saved, to be sent again.
 */
export async function settlePending(
	pending: PendingBatch,
	send: UploadOptions['send'],
	wait = (ms: number) => new Promise((r) => setTimeout(r, ms))
): Promise<'stored' | 'not stored'> {
	for (let attempt = 0; ; attempt++) {
		try {
			await send(pending.body, pending.key);
			return 'stored';
		} catch (e) {
			if (e instanceof StaleCounter || e instanceof BatchRefused) return 'not stored';
			if (!(e instanceof BatchInProgress) || attempt >= 30) throw e;
			await wait(Math.min(250 * 2 ** attempt, 4000));
		}
	}
}

export type UploadOptions = {
	/** Units to write: each unit (one imported line: a product, its source, its opening count) stays in one batch. */
	count: number;
	/** The drafts of units [start, end): new ids each call (a batch's ids are fixed once it is pending). */
	drafts(start: number, end: number): Draft[][] | Promise<Draft[][]>;
	prepare(drafts: Draft[], prev: Prev): Promise<WriteRequest>;
	send(body: Record<string, unknown>, key: string): Promise<Stored>;
	/** The author's last stored statement, asked again after a stale counter. */
	last(): Promise<Prev>;
	store: JobStore;
	/** Where a new job starts (done 0, nothing pending) or a resumed one left off. */
	state: UploadState;
	/** Catalogue rows per request (the API's MAX_WRITE_ROWS). */
	maxRows: number;
	/** The largest body to send (JSON characters; under the API's body limit): a batch over it is halved. */
	maxBytes?: number;
	/** Batches signed ahead of the one being sent (2). */
	ahead?: number;
	newKey(): string;
	onProgress?(done: number): void;
	signal?: AbortSignal;
};

/** Units [start, end) whose rows fit in one request (at least one unit), or exactly [start, upTo). */
async function nextBatch(
	o: UploadOptions,
	start: number,
	upTo?: number
): Promise<{ drafts: Draft[]; end: number }> {
	const drafts: Draft[] = [];
	let end = start;
	// Ask for a window of units, then keep the ones that fit; units are small (a few rows each).
	const window = await o.drafts(start, upTo ?? Math.min(o.count, start + o.maxRows));
	for (const unit of window) {
		if (upTo === undefined && drafts.length > 0 && drafts.length + unit.length > o.maxRows) break;
		drafts.push(...unit);
		end++;
	}
	return { drafts, end };
}

/** Uploads every unit not yet stored; resolves with the final state (done = count). */
export async function upload(o: UploadOptions): Promise<UploadState> {
	let state: UploadState = { ...o.state };
	let prev: Prev | undefined;
	const checkAbort = () => {
		if (o.signal?.aborted)
			throw o.signal.reason ?? new DOMException('The import was cancelled.', 'AbortError');
	};

	const prepared = async (start: number, after: Prev, upTo?: number): Promise<PendingBatch> => {
		let { drafts, end } = await nextBatch(o, start, upTo);
		let w = await o.prepare(drafts, after);
		// Long cells (descriptions, notes) can make 128 rows more than a request may carry: fewer lines then.
		while (
			upTo === undefined &&
			o.maxBytes &&
			end - start > 1 &&
			JSON.stringify(w.body).length > o.maxBytes
		) {
			({ drafts, end } = await nextBatch(o, start, start + Math.ceil((end - start) / 2)));
			w = await o.prepare(drafts, after);
		}
		return { key: o.newKey(), body: w.body, hash: w.hash, counter: w.counter, end };
	};

	// Batches signed ahead of the one travelling, each after the one before it (its statement is known once it
	// is signed, before the server answers): the crypto worker keeps busy while the server works.
	let ahead: Promise<PendingBatch | null>[] = [];
	const fill = (from: PendingBatch) => {
		let last: Promise<PendingBatch | null> = ahead.at(-1) ?? Promise.resolve(from);
		while (ahead.length < (o.ahead ?? 2)) {
			last = last.then((b) =>
				b && b.end < o.count ? prepared(b.end, { hash: b.hash, counter: b.counter }) : null
			);
			// A rejection is handled where the batch is awaited; one that is dropped goes unhandled nowhere.
			last.catch(() => undefined);
			ahead.push(last);
		}
	};

	let batch: PendingBatch | null = state.pending;
	while (state.done < o.count || batch) {
		checkAbort();
		if (!batch) {
			prev ??= await o.last();
			batch = await prepared(state.done, prev);
			ahead = [];
		}
		state = { done: state.done, pending: batch };
		await o.store.save(state);
		const current: PendingBatch = batch;
		fill(current);
		let stored: Stored;
		try {
			stored = await o.send(current.body, current.key);
		} catch (e) {
			if (!(e instanceof StaleCounter)) throw e;
			// Not stored (a stored batch would have been answered under its key): the author wrote since.
			// The same units again, under the same key, after the author's real last statement.
			ahead = [];
			prev = await o.last();
			batch = { ...(await prepared(state.done, prev, current.end)), key: current.key };
			continue;
		}
		state = { done: current.end, pending: null };
		o.onProgress?.(state.done);
		prev = { hash: stored.statement, counter: stored.counter };
		// The batches signed ahead follow the statement we signed; a replayed answer names another one.
		if (stored.statement === current.hash && ahead.length) batch = await ahead.shift()!;
		else [ahead, batch] = [[], null];
		// With a next batch, its save (done and pending at once) comes first thing; without, this one is saved.
		if (!batch) await o.store.save(state);
	}
	return state;
}
