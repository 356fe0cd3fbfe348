// The vault's record operations (crypto/SPEC.md §6): whole batches sealed or opened in one call, so
// bulk work costs one worker message per batch, never one per row.
import {
	domainKeyFromBytes,
	openRecord,
	sealRecords as sealRecordsCore,
	type FieldMap,
	type FieldValue,
	type RecordContext
} from '$crypto';
import { attempt, transferring, type Result } from './result';

export type SealItem = { fields: FieldMap; ctx: RecordContext };
export type OpenItem = { envelope: Uint8Array; ctx: RecordContext };
export type Opened = Result<Record<string, FieldValue>>;

export function recordOperations() {
	return {
		/** One CSPRNG draw per 64 nonces; the envelopes come back as transferables (moved, uncopied). */
		sealRecords(key: Uint8Array, items: readonly SealItem[]): Uint8Array[] {
			const envelopes = sealRecordsCore(domainKeyFromBytes(key), items);
			return transferring(
				envelopes,
				envelopes.map((e) => e.buffer as ArrayBuffer)
			);
		},

		/** One result per envelope: a bad row does not fail the batch. */
		openRecords(key: Uint8Array, items: readonly OpenItem[]): Opened[] {
			const k = domainKeyFromBytes(key);
			return items.map((it) => attempt(() => openRecord(it.envelope, k, it.ctx)));
		}
	};
}
