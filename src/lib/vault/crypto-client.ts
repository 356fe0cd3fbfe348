// The page's handle on the crypto worker: every operation of operations.ts, typed, resolving to its
// value or rejecting with a CryptoError. One worker per handle (one libsodium instance).
import * as Comlink from 'comlink';
import type { Operations } from './operations';
import { called, type Called, type Served } from './result';

export type VaultWorker = { ops: Called<Operations>; worker: Worker; terminate(): void };

export function openVaultWorker(): VaultWorker {
	const worker = new Worker(new URL('./crypto-worker.ts', import.meta.url), {
		type: 'module',
		name: 'stowage-crypto'
	});
	const remote = Comlink.wrap<Served<Operations>>(worker);
	return {
		ops: called<Operations>(remote),
		worker,
		terminate: () => {
			remote[Comlink.releaseProxy]();
			worker.terminate();
		}
	};
}

/** Hands a batch's buffers to the worker instead of copying them (the page's copies become empty). */
export const transfer = Comlink.transfer;
