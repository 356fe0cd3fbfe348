// Chromium entry of the crypto benchmark: runs on the page (production build) and publishes the result.
import { runCryptoBench } from '../crypto-bench';

declare global {
	interface Window {
		__BENCH__?: unknown;
	}
}

/** Argon2id at the defaults as the first call in a brand-new worker (compilation and tier-up included). */
function coldInWorker(): Promise<number> {
	return new Promise((resolve, reject) => {
		const w = new Worker(new URL('./cold-worker.ts', import.meta.url), { type: 'module' });
		w.onmessage = (e: MessageEvent<{ ms: number }>) => {
			w.terminate();
			resolve(e.data.ms);
		};
		w.onerror = (e) => reject(new Error(e.message));
	});
}

async function main(): Promise<void> {
	const coldMs: number[] = [];
	for (let i = 0; i < 3; i++) coldMs.push(await coldInWorker());
	// ?rows=N: the signed-write verification at N rows (scripts/bench.mjs --rows=N); the full size otherwise.
	const rows = new URLSearchParams(location.search).get('rows');
	const r = await runCryptoBench({ verifyRows: rows === null ? undefined : Number(rows) });
	window.__BENCH__ = { ...r, coldMs };
	document.getElementById('out')!.textContent = JSON.stringify(window.__BENCH__, null, 2);
}

main().catch((e: unknown) => {
	window.__BENCH__ = { error: String(e) };
});
