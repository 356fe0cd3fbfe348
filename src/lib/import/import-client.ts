// The page's handle on the import's reading worker (import-worker.ts), as crypto-client.ts opens the vault's.
import * as Comlink from 'comlink';
import type { ImportWorker } from './import-worker';

export type ImportReader = { api: Comlink.Remote<ImportWorker>; terminate(): void };

export function openImportWorker(): ImportReader {
	const worker = new Worker(new URL('./import-worker.ts', import.meta.url), {
		type: 'module',
		name: 'stowage-import'
	});
	const api = Comlink.wrap<ImportWorker>(worker);
	return {
		api,
		terminate: () => {
			api[Comlink.releaseProxy]();
			worker.terminate();
		}
	};
}

export const transfer = Comlink.transfer;
