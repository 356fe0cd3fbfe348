// Conformance suite: published Wycheproof vectors through the core's own libsodium wrappers, in Node and in
// headless Chromium; and the shared import fixtures' round trip (issue 12), in Node on each database. Neither
// is committed: the vectors are read from WYCHEPROOF_DIR, the fixtures from STOWAGE_FIXTURES_DIR.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { chromiumLaunchOptions } from './tests/chromium.mjs';

const dir = resolve(process.env.WYCHEPROOF_DIR ?? '../shared/fixtures/wycheproof');
const files = [
	'xchacha20_poly1305_test.json',
	'x25519_test.json',
	'ed25519_test.json',
	'hmac_sha256_test.json'
];
const missing = files.filter((f) => !existsSync(resolve(dir, f)));
if (missing.length > 0) {
	throw new Error(
		`Wycheproof vectors not found in ${dir} (missing: ${missing.join(', ')}).\n` +
			'Get them from https://github.com/C2SP/wycheproof, folder testvectors_v1/ ' +
			'(commit dac1dd4729fd1f8dd9e1e9f3dce51d783da6c166 was used), and set WYCHEPROOF_DIR to that folder.'
	);
}

const fixturesDir = resolve(process.env.STOWAGE_FIXTURES_DIR ?? '../shared/fixtures');
const fixtures = [
	'products-200.csv',
	'suppliers-50.csv',
	'fba-manage-inventory-300.tsv',
	'active-listings-300.tsv'
];
const missingFixtures = fixtures.filter((f) => !existsSync(resolve(fixturesDir, f)));
if (missingFixtures.length > 0) {
	throw new Error(
		`Import fixtures not found in ${fixturesDir} (missing: ${missingFixtures.join(', ')}).\n` +
			'They are the shared fixtures next to the checkout (../shared/fixtures: seed 42 outputs of its ' +
			'make-catalog.mjs, e.g. `node make-catalog.mjs 200 products.csv 42 > products-200.csv`); ' +
			'set STOWAGE_FIXTURES_DIR to the folder that holds them.'
	);
}

export default defineConfig({
	resolve: { alias: { $wycheproof: dir, $crypto: resolve('crypto'), $lib: resolve('src/lib') } },
	server: { fs: { allow: [resolve('.'), dir] } },
	test: {
		testTimeout: 120_000,
		projects: [
			{
				extends: true,
				test: {
					name: 'node',
					include: ['tests/conformance/**/*.test.ts'],
					environment: 'node',
					// The import fixtures' test clones databases migrated once per run (tests/helpers/databases.ts).
					globalSetup: ['tests/helpers/global-setup.ts'],
					hookTimeout: 120_000,
					env: { STOWAGE_FIXTURES_DIR: fixturesDir }
				}
			},
			{
				extends: true,
				test: {
					name: 'chromium',
					// The core's own unit tests and vectors also run here, to show the same code works in Chromium.
					include: [
						'tests/conformance/**/*.test.ts',
						'crypto/**/*.test.ts',
						'src/lib/vault/**/*.browser-test.ts'
					],
					// Source and spec scans and the vector writer use node:fs.
					exclude: [
						'crypto/boundaries.test.ts',
						'crypto/spec.test.ts',
						'crypto/vectors/generate.test.ts',
						// The edge-vector writer uses node:fs; the fences run ESLint's Node API.
						'crypto/vectors/generate-edges.test.ts',
						// The team-chain and write-statement vector writer (SPEC.md §16–§17) uses node:fs too.
						'crypto/vectors/generate-chain.test.ts',
						'crypto/rng-fence.test.ts',
						'crypto/verified-fence.test.ts',
						// Shows node:crypto accepting the forgery that the module refuses: needs node:crypto.
						'crypto/verify.test.ts',
						// The import fixtures' round trip reads files with node:fs and runs a database.
						'tests/conformance/import-fixtures.test.ts'
					],
					// One file at a time: browser test files share the page's main thread, and the worker test
					// measures that the page stays responsive.
					fileParallelism: false,
					browser: {
						enabled: true,
						screenshotFailures: false,
						headless: true,
						provider: playwright({
							launchOptions: chromiumLaunchOptions()
						}),
						instances: [{ browser: 'chromium' }]
					}
				}
			}
		]
	}
});
