// The randomness test hook stays in tests (SPEC.md §2.5): eslint.config.js refuses crypto/internal/rng
// outside tests, and lets the core take randomBytes alone. Checked by linting small sources in place.
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: repo });

async function messages(filePath: string, code: string): Promise<string[]> {
	const [r] = await eslint.lintText(code, { filePath: join(repo, filePath) });
	return r!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

describe('eslint fences crypto/internal/rng', () => {
	it('refuses it in application code, through any specifier or re-export', async () => {
		for (const code of [
			"import { withPinnedRandom } from '$crypto/internal/rng';\nwithPinnedRandom([], () => 0);\n",
			"import { randomBytes } from '../../../crypto/internal/rng';\nrandomBytes(1);\n",
			"import * as rng from '../../../crypto/internal/rng.ts';\nrng.randomBytes(1);\n",
			"export { __setRandomSource } from '$crypto/internal/rng';\n",
			"export const m = await import('$crypto/internal/rng');\n"
		]) {
			expect(await messages('src/lib/vault/x.ts', code), code).toHaveLength(1);
		}
		expect(await messages('src/lib/server/x.ts', "export * from '$crypto/internal/rng';\n")).toHaveLength(1);
	}, 30_000);

	it('lets a core module take randomBytes, and nothing else', async () => {
		expect(
			await messages('crypto/x.ts', "import { randomBytes } from './internal/rng';\nrandomBytes(1);\n")
		).toEqual([]);
		for (const code of [
			"import { withPinnedRandom } from './internal/rng';\nwithPinnedRandom([], () => 0);\n",
			"import { randomBytes, __setRandomSource } from './internal/rng';\nrandomBytes(1);\n__setRandomSource(null);\n",
			"import * as rng from './internal/rng';\nrng.randomBytes(1);\n",
			"export { randomBytes } from './internal/rng';\n"
		]) {
			expect(await messages('crypto/x.ts', code), code).toHaveLength(1);
		}
	}, 30_000);

	it('allows tests to use the hook', async () => {
		expect(
			await messages(
				'crypto/x.test.ts',
				"import { withPinnedRandom } from './internal/rng';\nwithPinnedRandom([], () => 0);\n"
			)
		).toEqual([]);
	}, 30_000);
});
