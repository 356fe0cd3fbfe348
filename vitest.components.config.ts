// Svelte components in real Chromium (vitest browser mode): tests/components/**/*.browser-test.ts.
// Run: npx vitest run --config vitest.components.config.ts
// SHOTS=/tmp/dt-shots saves screenshots of the harness (desktop and phone, light and dark) to look at.
import { sveltekit } from '@sveltejs/kit/vite';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { chromiumLaunchOptions } from './tests/chromium.mjs';

export default defineConfig({
	plugins: [sveltekit()],
	// The component's $effect and mount run as in the browser build.
	resolve: { conditions: ['browser'] },
	// Screenshots are written through the dev server: let it write to the SHOTS folder.
	server: { fs: { allow: ['.', ...(process.env.SHOTS ? [process.env.SHOTS] : [])] } },
	test: {
		name: 'components',
		include: ['tests/components/**/*.browser-test.ts'],
		testTimeout: 120_000,
		fileParallelism: false,
		provide: { shots: process.env.SHOTS ?? '' },
		browser: {
			enabled: true,
			headless: true,
			screenshotFailures: false,
			provider: playwright({ launchOptions: chromiumLaunchOptions() }),
			instances: [{ browser: 'chromium', viewport: { width: 1280, height: 800 } }]
		}
	}
});
