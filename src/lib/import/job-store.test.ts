// The import's saved jobs (job-store.ts): written through on every save, found again by person and
// organisation only, malformed entries ignored, cleared when the import ends.
import { describe, expect, it } from 'vitest';
import { clearJob, fileDigest, loadJob, memoryKeyValue, SavedJobStore, type SavedJob } from './job-store';

const job: Omit<SavedJob, 'state'> = {
	v: 1,
	file: { name: 'fba.txt', size: 3, digest: 'ab'.repeat(32) },
	settings: {
		format: 'fba-inventory',
		encoding: 'utf-16le',
		delimiter: '\t',
		decimal: '.',
		currency: 'GBP',
		policy: 'skip',
		mapping: [{ column: 0, header: 'sku', target: 'sku' }]
	},
	total: 10,
	supplierUnits: 0,
	startedAt: 1
};

describe('SavedJobStore', () => {
	it('keeps every state the upload saves, for this person in this organisation only', async () => {
		const kv = memoryKeyValue();
		const store = new SavedJobStore(kv, { userId: 'u1', tenantId: 't1' }, job, { done: 0, pending: null });
		const pending = { key: 'k', body: { rows: [1] }, hash: 'h', counter: 2, end: 6 };
		await store.save({ done: 3, pending });
		expect(await loadJob(kv, 'u1', 't1')).toEqual({ ...job, state: { done: 3, pending } });
		expect(await loadJob(kv, 'u2', 't1')).toBeNull();
		expect(await loadJob(kv, 'u1', 't2')).toBeNull();
		// The saved state is a copy: the upload changing its object later changes nothing saved.
		pending.end = 99;
		expect((await loadJob(kv, 'u1', 't1'))!.state.pending!.end).toBe(6);
		await store.clear();
		expect(await loadJob(kv, 'u1', 't1')).toBeNull();
	});

	it('ignores what is not a job of this version', async () => {
		const kv = memoryKeyValue();
		for (const bad of [null, 'x', { ...job, v: 2, state: { done: 0, pending: null } }, { ...job }]) {
			await kv.set('import.v1:u:t', bad);
			expect(await loadJob(kv, 'u', 't')).toBeNull();
		}
		await clearJob(kv, 'u', 't');
	});

	it('recognises a file by its SHA-256', async () => {
		expect(await fileDigest(new TextEncoder().encode('abc'))).toBe(
			'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
		);
	});
});
