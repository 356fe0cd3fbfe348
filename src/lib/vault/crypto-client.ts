// The page's handle on the crypto worker: typed calls, CryptoError on failure, one worker per client.
import * as Comlink from 'comlink';
import { CryptoError, type FieldMap, type FieldValue, type RecordContext } from '$crypto';
import type { KdfJson } from './account-ops';
import type { CryptoWorkerApi, Result } from './crypto-worker';

export interface CryptoClient {
	/** Login step 1 in the vault: the auth key for the server; the master key stays in the worker. */
	deriveForLogin(password: string, email: string, kdf: KdfJson): Promise<{ authKey: string; ms: number }>;
	sealRecords(
		key: Uint8Array,
		items: ReadonlyArray<{ fields: FieldMap; ctx: RecordContext }>
	): Promise<Uint8Array[]>;
	openRecords(
		key: Uint8Array,
		items: ReadonlyArray<{ envelope: Uint8Array; ctx: RecordContext }>
	): Promise<Array<Result<Record<string, FieldValue>>>>;
	terminate(): void;
}

export function unwrap<T>(r: Result<T>): T {
	if (!r.ok) throw new CryptoError(r.code);
	return r.value;
}

/** Starts the crypto worker; the vault and the bulk client share one (one libsodium instance). */
export function openCryptoWorker(): { worker: Worker; api: Comlink.Remote<CryptoWorkerApi> } {
	const worker = new Worker(new URL('./crypto-worker.ts', import.meta.url), {
		type: 'module',
		name: 'stowage-crypto'
	});
	return { worker, api: Comlink.wrap<CryptoWorkerApi>(worker) };
}

export function createCryptoClient(opened = openCryptoWorker()): CryptoClient {
	const { worker, api } = opened;
	// Load and compile libsodium now, while the person is still typing; failures surface on the first call.
	api.ready().catch(() => undefined);
	return {
		deriveForLogin: async (password, email, kdf) =>
			unwrap(await api.vaultDeriveForLogin(password, email, kdf)),
		sealRecords: async (key, items) => unwrap(await api.sealRecords(key, items)),
		openRecords: async (key, items) => unwrap(await api.openRecords(key, items)),
		terminate: () => {
			api[Comlink.releaseProxy]();
			worker.terminate();
		}
	};
}
