// SvelteKit: adapter-node with our own server in front (one Node process: pages through SvelteKit, /api
// straight to Hono; server/adapter.js) and a strict CSP for pages.
import adapter from './server/adapter.js';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// Overridable so that two builds (e.g. parallel e2e runs) do not write over each other.
		adapter: adapter({ out: process.env.STOWAGE_BUILD_DIR || 'build' }),
		outDir: process.env.STOWAGE_KIT_DIR || '.svelte-kit',
		alias: { $crypto: 'crypto' },
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				// libsodium compiles WebAssembly; nothing else may evaluate code.
				'script-src': ['self', 'wasm-unsafe-eval'],
				'style-src': ['self'],
				// Style attributes only (SvelteKit's route announcer sets one); they cannot run script,
				// and <style>/stylesheets stay 'self'-only.
				'style-src-attr': ['unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'worker-src': ['self', 'blob:'],
				'object-src': ['none'],
				'base-uri': ['none'],
				'form-action': ['self'],
				'frame-ancestors': ['none'],
				'report-to': ['csp']
			}
		}
	}
};

export default config;
