// The upload's exactly-once promise (upload.ts) against a model of POST …/writes that behaves as the API does
// (tests/integration/write-idempotency.test.ts checks the API itself): a statement must follow the author's
// last one; a stored statement or a stored Idempotency-Key over the same rows is answered with what was
// stored. Lost responses, a crashed tab resumed from its saved state, and another tab writing in between:
// every imported line is stored exactly once.
import { describe, expect, it } from 'vitest';
import type { Draft, WriteRequest } from '$lib/vault/catalogue-ops';
import {
	BatchInProgress,
	BatchRefused,
	settlePending,
	StaleCounter,
	upload,
	type Prev,
	type Stored,
	type UploadState
} from './upload';

/** Draft ids carry the imported line they belong to: `line:random`. */
const lineOf = (id: string) => Number(id.split(':')[0]);

function model() {
	let last: { hash: string; counter: number } | null = null;
	const statements = new Map<string, Stored>();
	const keys = new Map<string, { digest: string; stored: Stored }>();
	const lines: number[] = [];
	let seq = 0;
	const digestOf = (body: Record<string, unknown>) =>
		JSON.stringify((body.ids as string[]).map(lineOf).sort());
	return {
		lines,
		/** Another tab of the same author stores a statement. */
		otherTab() {
			const hash = `other-${++seq}`;
			last = { hash, counter: (last?.counter ?? 0) + 1 };
		},
		last: async (): Promise<Prev> => last,
		prepare: async (drafts: Draft[], prev: Prev): Promise<WriteRequest> => {
			const counter = (prev?.counter ?? 0) + 1;
			const hash = `s-${++seq}`;
			return {
				body: { ids: drafts.map((d) => d.id), prev: prev?.hash ?? null, counter, hash },
				hash,
				counter,
				leaves: []
			};
		},
		send: async (body: Record<string, unknown>, key: string): Promise<Stored> => {
			const hash = body.hash as string;
			const again = statements.get(hash);
			if (again) return again;
			const earlier = keys.get(key);
			if (earlier) {
				if (earlier.digest !== digestOf(body)) throw new Error('idempotency_key_reused');
				return earlier.stored;
			}
			const follows =
				(body.counter as number) === (last?.counter ?? 0) + 1 && body.prev === (last?.hash ?? null);
			if (!follows) throw new StaleCounter('stale_counter');
			const stored = { statement: hash, counter: body.counter as number };
			last = { hash, counter: stored.counter };
			statements.set(hash, stored);
			keys.set(key, { digest: digestOf(body), stored });
			lines.push(...new Set((body.ids as string[]).map(lineOf)));
			return stored;
		}
	};
}

/** Each imported line is a product and its opening count (two rows). */
const drafts = (start: number, end: number): Draft[][] =>
	Array.from({ length: end - start }, (_, i) => {
		const line = start + i;
		const id = () => `${line}:${Math.random().toString(36).slice(2)}`;
		return [{ id: id() } as Draft, { id: id() } as Draft];
	});

function run(m: ReturnType<typeof model>, o: { count: number; state?: UploadState; saved?: UploadState[] }) {
	let keys = 0;
	const saved = o.saved ?? [];
	return upload({
		count: o.count,
		drafts,
		prepare: m.prepare,
		send: m.send,
		last: m.last,
		store: { save: async (s) => void saved.push(structuredClone(s)) },
		state: o.state ?? { done: 0, pending: null },
		maxRows: 10,
		newKey: () => `key-${++keys}-${Math.random()}`
	});
}

const everyLineOnce = (lines: number[], count: number) =>
	expect([...lines].sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));

describe('upload', () => {
	it('writes every line once, in batches that fit a request, never splitting a line', async () => {
		const m = model();
		const sizes: number[] = [];
		const send = m.send;
		m.send = async (body, key) => {
			sizes.push((body.ids as string[]).length);
			return send(body, key);
		};
		const state = await run(m, { count: 23 });
		expect(state).toEqual({ done: 23, pending: null });
		everyLineOnce(m.lines, 23);
		expect(sizes).toEqual([10, 10, 10, 10, 6]);
	});

	it('halves a batch whose body is over the size a request may carry, never below one line', async () => {
		const m = model();
		const sizes: number[] = [];
		const send = m.send;
		m.send = async (body, key) => {
			sizes.push(JSON.stringify(body).length);
			return send(body, key);
		};
		let keys = 0;
		const state = await upload({
			count: 23,
			drafts,
			prepare: m.prepare,
			send: m.send,
			last: m.last,
			store: { save: async () => undefined },
			state: { done: 0, pending: null },
			maxRows: 10,
			maxBytes: 150,
			newKey: () => `k${++keys}`
		});
		expect(state.done).toBe(23);
		everyLineOnce(m.lines, 23);
		expect(Math.max(...sizes)).toBeLessThanOrEqual(150);
		// Five lines (ten rows) did not fit; fewer did.
		expect(sizes.length).toBeGreaterThan(5);
	});

	it('signs two batches ahead while one travels, and saves once a batch', async () => {
		const m = model();
		let prepares = 0;
		const prepare = m.prepare;
		m.prepare = async (d, p) => (prepares++, prepare(d, p));
		let release = () => {};
		const first = new Promise<void>((r) => (release = r));
		const seen: number[] = [];
		const send = m.send;
		m.send = async (body, key) => {
			if (seen.length === 0) {
				// While the first batch travels, the next two are signed, and no more.
				await new Promise((r) => setTimeout(r, 20));
				seen.push(prepares);
				release();
			}
			await first;
			return send(body, key);
		};
		const saved: UploadState[] = [];
		await run(m, { count: 50, saved });
		expect(seen).toEqual([3]);
		everyLineOnce(m.lines, 50);
		// Ten batches: each saved once as pending (with the position before it), and the end.
		expect(saved.map((s) => s.done)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
	});

	it('resumes a crashed tab from its saved state, sending the pending batch again: no line lost or doubled', async () => {
		for (let crashAfter = 1; crashAfter <= 8; crashAfter++) {
			const m = model();
			const saved: UploadState[] = [];
			let sends = 0;
			const send = m.send;
			// The tab dies on the crashAfter-th send: before it reaches the server (odd) or after it was stored,
			// its answer lost with the tab (even).
			m.send = async (body, key) => {
				if (++sends === crashAfter) {
					if (crashAfter % 2 === 0) await send(body, key);
					throw new Error('the tab crashed');
				}
				return send(body, key);
			};
			await expect(run(m, { count: 37, saved })).rejects.toThrow('the tab crashed');
			m.send = send;
			// The reloaded page starts from the last state it saved.
			const resumed = await run(m, { count: 37, state: saved.at(-1)! });
			expect(resumed.done).toBe(37);
			everyLineOnce(m.lines, 37);
		}
	});

	it('signs a pending batch again under its key when the author wrote from another tab meanwhile', async () => {
		const m = model();
		const saved: UploadState[] = [];
		const send = m.send;
		let sends = 0;
		m.send = async (body, key) => {
			if (++sends === 2) throw new Error('offline');
			return send(body, key);
		};
		await expect(run(m, { count: 30, saved })).rejects.toThrow('offline');
		m.send = send;
		m.otherTab();
		const pending = saved.at(-1)!.pending!;
		const keysSent: string[] = [];
		m.send = async (body, key) => {
			keysSent.push(key);
			return send(body, key);
		};
		const resumed = await run(m, { count: 30, state: saved.at(-1)! });
		expect(resumed.done).toBe(30);
		everyLineOnce(m.lines, 30);
		// Refused once as stale, then signed again after the other tab's statement, under the same key.
		expect(keysSent.slice(0, 2)).toEqual([pending.key, pending.key]);
	});

	it('stops when cancelled, with the state it saved resumable', async () => {
		const m = model();
		const saved: UploadState[] = [];
		const controller = new AbortController();
		let keys = 0;
		const send = m.send;
		m.send = async (body, key) => {
			const r = await send(body, key);
			if (m.lines.length >= 10) controller.abort(new Error('cancelled'));
			return r;
		};
		const options = {
			count: 40,
			drafts,
			prepare: m.prepare,
			send: m.send,
			last: m.last,
			store: { save: async (s: UploadState) => void saved.push(structuredClone(s)) },
			maxRows: 10,
			newKey: () => `k${++keys}`,
			signal: controller.signal
		};
		await expect(upload({ ...options, state: { done: 0, pending: null } })).rejects.toThrow('cancelled');
		expect(m.lines.length).toBeLessThan(40);
		m.send = send;
		await upload({ ...options, send: m.send, signal: undefined, state: saved.at(-1)! });
		everyLineOnce(m.lines, 40);
	});
});

describe('settlePending: the batch a closed tab left in flight', () => {
	const pending = { key: 'k1', body: { n: 1 }, hash: 'h', counter: 1, end: 5 };
	const noWait = async () => undefined;

	it('is stored once whether or not the first attempt reached the server', async () => {
		const m = model();
		const saved: UploadState[] = [];
		let sends = 0;
		const send = m.send;
		// The tab dies with its second batch stored and the answer lost.
		m.send = async (body, key) => {
			const r = await send(body, key);
			if (++sends === 2) throw new Error('the tab closed');
			return r;
		};
		await expect(run(m, { count: 30, saved })).rejects.toThrow('the tab closed');
		const left = saved.at(-1)!.pending!;
		expect(await settlePending(left, send, noWait)).toBe('stored');
		expect(await settlePending(left, send, noWait)).toBe('stored');
		everyLineOnce(m.lines, left.end);
	});

	it('waits while the first request is still being processed under its key', async () => {
		let calls = 0;
		const waits: number[] = [];
		const send = async () => {
			if (++calls < 4) throw new BatchInProgress();
			return { statement: 'h', counter: 1 };
		};
		expect(await settlePending(pending, send, async (ms) => void waits.push(ms))).toBe('stored');
		expect(waits).toEqual([250, 500, 1000]);
	});

	it('is not stored when refused (stale or invalid), and throws when the server cannot be reached', async () => {
		for (const refusal of [new StaleCounter(), new BatchRefused()])
			expect(
				await settlePending(
					pending,
					async () => {
						throw refusal;
					},
					noWait
				)
			).toBe('not stored');
		await expect(
			settlePending(
				pending,
				async () => {
					throw new TypeError('Failed to fetch');
				},
				noWait
			)
		).rejects.toThrow('Failed to fetch');
	});
});
