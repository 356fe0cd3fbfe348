// Where the page keeps an import's progress (upload.ts JobStore): how many units are stored and the batch in
// flight. For now in memory, so a job lives as long as the tab; a persisted store (IndexedDB, keyed by the
// organisation and the file's hash) is the next step, so that an import resumes after a reload or a crashed
// tab by sending the pending batch again under its Idempotency-Key.
import type { JobStore, UploadState } from './upload';

export class MemoryJobStore implements JobStore {
	state: UploadState = { done: 0, pending: null };

	async save(state: UploadState): Promise<void> {
		this.state = structuredClone(state);
	}
}
