// The vault's crypto worker: Argon2id and bulk seal/open off the main thread (comlink). Browser-only.
import * as Comlink from 'comlink';
import {
	CryptoError,
	domainKeyFromBytes,
	openRecord,
	ready,
	sealRecord,
	type CryptoErrorCode,
	type FieldMap,
	type FieldValue,
	type RecordContext
} from '$crypto';
import { createVaultApi } from './vault-api';

/** Results cross the worker boundary as data: a CryptoError's code would not survive structured cloning. */
export type Result<T> = { ok: true; value: T } | { ok: false; code: CryptoErrorCode };

function attempt<T>(f: () => T): Result<T> {
	try {
		return { ok: true, value: f() };
	} catch (e) {
		if (e instanceof CryptoError) return { ok: false, code: e.code };
		// Not a CryptoError: report without its message, which could in principle echo data.
		return { ok: false, code: 'ERR_INVALID_INPUT' };
	}
}

const api = {
	// The account vault: the identity's secret keys live here, in the worker, and nowhere else.
	...createVaultApi(attempt),

	async ready(): Promise<void> {
		await ready();
	},

	async sealRecords(
		key: Uint8Array,
		items: ReadonlyArray<{ fields: FieldMap; ctx: RecordContext }>
	): Promise<Result<Uint8Array[]>> {
		await ready();
		const r = attempt(() => {
			const k = domainKeyFromBytes(key);
			return items.map((it) => sealRecord(it.fields, k, it.ctx));
		});
		return r.ok
			? Comlink.transfer(
					r,
					r.value.map((e) => e.buffer as ArrayBuffer)
				)
			: r;
	},

	/** One result per envelope: a bad row does not fail the batch. */
	async openRecords(
		key: Uint8Array,
		items: ReadonlyArray<{ envelope: Uint8Array; ctx: RecordContext }>
	): Promise<Result<Array<Result<Record<string, FieldValue>>>>> {
		await ready();
		return attempt(() => {
			const k = domainKeyFromBytes(key);
			return items.map((it) => attempt(() => openRecord(it.envelope, k, it.ctx)));
		});
	}
};

export type CryptoWorkerApi = typeof api;

Comlink.expose(api);
