import { sveltekit } from '@sveltejs/kit/vite';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	// Strict: the API's same-origin check and WebAuthn expect the dev origin http://localhost:5173.
	server: { port: 5173, strictPort: true },
	test: {
		include: ['src/**/*.test.ts', 'crypto/**/*.test.ts', 'tests/{integration,security}/**/*.test.ts'],
		// The vector writers run only when asked to write (WRITE_VECTORS=1), so a normal run skips nothing.
		exclude:
			process.env.WRITE_VECTORS === '1'
				? configDefaults.exclude
				: [...configDefaults.exclude, 'crypto/vectors/generate*.test.ts'],
		environment: 'node',
		// One id and scratch directory per run: database tests clone templates migrated once per run.
		globalSetup: ['tests/helpers/global-setup.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// PGlite instances are heavy (WASM + a data directory); two workers fit these 2-core machines.
		maxWorkers: 2
	}
});
