// Only the team-chain verifier (crypto/chain.ts) and tests mint a VerifiedKeyCommitment (SPEC.md §7.6.2, §16.9): eslint.config.js proves it.
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: repo });

async function messages(filePath: string, code: string): Promise<string[]> {
	const [r] = await eslint.lintText(code, { filePath: join(repo, filePath) });
	return r!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const mint =
	"import { verifiedKeyCommitmentForTests } from '$crypto/internal/verified';\nverifiedKeyCommitmentForTests;\n";

describe('eslint fences crypto/internal/verified', () => {
	it('refuses it in application code, through any specifier or re-export', async () => {
		for (const code of [
			mint,
			"import { VerifiedKeyCommitment } from '../../../crypto/internal/verified.ts';\nVerifiedKeyCommitment;\n",
			"import * as v from '../../../crypto/internal/verified';\nv;\n",
			"export { verifiedKeyCommitmentForTests } from '$crypto/internal/verified';\n",
			"export const m = await import('$crypto/internal/verified');\n"
		]) {
			expect(await messages('src/lib/vault/x.ts', code), code).toHaveLength(1);
		}
	}, 30_000);

	it('lets a core module take the class (to check a value), never the minter', async () => {
		expect(
			await messages(
				'crypto/x.ts',
				"import { VerifiedKeyCommitment } from './internal/verified';\nVerifiedKeyCommitment;\n"
			)
		).toEqual([]);
		for (const code of [
			"import { verifiedKeyCommitmentForTests } from './internal/verified';\nverifiedKeyCommitmentForTests;\n",
			"import * as v from './internal/verified';\nv;\n",
			"export { VerifiedKeyCommitment } from './internal/verified';\n"
		]) {
			expect(await messages('crypto/x.ts', code), code).toHaveLength(1);
		}
	}, 30_000);

	it('lets crypto/chain.ts (the chain verifier) mint, never with the test minter', async () => {
		const prod =
			"import { mintVerifiedKeyCommitment, VerifiedKeyCommitment } from './internal/verified';\nmintVerifiedKeyCommitment;\nVerifiedKeyCommitment;\n";
		expect(await messages('crypto/chain.ts', prod)).toEqual([]);
		// Any other core module, and application code, may not.
		expect(await messages('crypto/x.ts', prod)).toHaveLength(1);
		expect(await messages('crypto/organisation.ts', prod)).toHaveLength(1);
		expect(
			await messages(
				'src/lib/vault/x.ts',
				prod.replaceAll('./internal/verified', '$crypto/internal/verified')
			)
		).toHaveLength(1);
		for (const code of [
			"import { verifiedKeyCommitmentForTests } from './internal/verified';\nverifiedKeyCommitmentForTests;\n",
			"import * as v from './internal/verified';\nv;\n",
			"export { mintVerifiedKeyCommitment } from './internal/verified';\n",
			"export const m = await import('./internal/verified');\n",
			"import { randomBytes } from './internal/rng';\nrandomBytes;\n"
		]) {
			expect(await messages('crypto/chain.ts', code), code).toHaveLength(1);
		}
	}, 30_000);

	it('allows tests to mint', async () => {
		expect(await messages('crypto/x.test.ts', mint)).toEqual([]);
	}, 30_000);
});
