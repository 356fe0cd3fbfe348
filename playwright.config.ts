// End-to-end tests: the production build (`node build`) on a fresh embedded database, driven in
// Debian's Chromium. Playwright's own browser downloads are never used.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './tests/chromium.mjs';

const launchOptions = chromiumLaunchOptions();
const BUILD_DIR = process.env.STOWAGE_BUILD_DIR || 'build';
if (!existsSync(`${BUILD_DIR}/index.js`)) {
	throw new Error('No production build: run `npm run build` first (`npm run test:e2e` does it for you).');
}

const PORT = Number(process.env.E2E_PORT || 4173);
export const ORIGIN = `http://localhost:${PORT}`;

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
	use: {
		baseURL: ORIGIN,
		trace: 'retain-on-failure',
		launchOptions
	},
	webServer: {
		command: `node ${BUILD_DIR}`,
		url: `${ORIGIN}/api/health`,
		reuseExistingServer: false,
		timeout: 60_000,
		stdout: 'ignore',
		stderr: 'pipe',
		env: {
			...(process.env as Record<string, string>),
			PORT: String(PORT),
			ORIGIN,
			// The e2e suite runs on the embedded database, fresh each run, and so are its rate-limit counts:
			// with the machine's Redis they would carry over between runs and trip the sign-up limit.
			DATABASE_URL: '',
			REDIS_URL: '',
			STOWAGE_DATA_DIR: mkdtempSync(join(tmpdir(), 'stowage-e2e-')),
			LOG_LEVEL: 'warn',
			// Every spec signs up from this one address; the axe and keyboard suites add more than 20 an hour.
			STOWAGE_SIGNUPS_PER_HOUR: '500'
		}
	}
});
