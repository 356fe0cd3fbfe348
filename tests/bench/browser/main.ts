// Chromium entry of the crypto benchmark: runs on the page (production build) and publishes the result.
import { runCryptoBench } from '../crypto-bench';

declare global {
	interface Window {
		__BENCH__?: unknown;
	}
}

runCryptoBench().then(
	(r) => {
		window.__BENCH__ = r;
		document.getElementById('out')!.textContent = JSON.stringify(r, null, 2);
	},
	(e: unknown) => {
		window.__BENCH__ = { error: String(e) };
	}
);
