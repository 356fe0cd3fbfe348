// Server code may import crypto/verify and nothing else from crypto/ (eslint.config.js), checked through ESLint itself.
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root, overrideConfigFile: join(root, 'eslint.config.js') });

/** The import-rule messages ESLint gives `source` as if it were the file at `filePath`. */
async function restricted(source: string, filePath: string): Promise<string[]> {
	const [result] = await eslint.lintText(source, { filePath: join(root, filePath) });
	expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
	return result!.messages
		.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
		.map((m) => m.message);
}

// One file per kind of server code the rule covers, with the relative depth to the repository root.
const serverFiles: Array<[string, string]> = [
	['src/lib/server/api/example.ts', '../../../../'],
	['src/routes/api/example/+server.ts', '../../../../'],
	['src/hooks.server.ts', '../'],
	['server/example.js', '../']
];

const forbidden = [
	'$crypto',
	'$crypto/index',
	'$crypto/sodium',
	'$crypto/statements',
	'$crypto/wrap',
	'$crypto/internal/rng',
	'$crypto/verify-extra',
	'$crypto/internal/../verify',
	'{root}crypto',
	'{root}crypto/index',
	'{root}crypto/identity',
	'{root}crypto/sodium.ts',
	'libsodium-wrappers-sumo'
];
const allowed = ['$crypto/verify', '{root}crypto/verify', '{root}crypto/verify.ts', 'node:crypto'];

describe('lint: server code and crypto/', { timeout: 60_000 }, () => {
	for (const [file, up] of serverFiles) {
		it(`${file}: importing anything from crypto/ but verify fails lint`, async () => {
			for (const spec of forbidden) {
				const s = spec.replace('{root}', up);
				// (internal/rng is also fenced for every file, so it may get two messages.)
				expect(await restricted(`import { x } from '${s}';\nexport { x };\n`, file), s).not.toEqual([]);
				expect(await restricted(`export * from '${s}';\n`, file), s).not.toEqual([]);
				expect(await restricted(`export const x = () => import('${s}');\n`, file), s).not.toEqual([]);
			}
		});

		it(`${file}: a dynamic import of the vault, or of a computed specifier, fails lint`, async () => {
			for (const source of [
				`export const v = () => import('$lib/vault/vault.svelte');\n`,
				`export const v = () => import('${up}src/lib/vault/account-ops');\n`,
				`const where = '$crypto';\nexport const v = () => import(where);\n`
			]) {
				expect(await restricted(source, file), source).toHaveLength(1);
			}
		});

		it(`${file}: importing crypto/verify passes`, async () => {
			for (const spec of allowed) {
				const s = spec.replace('{root}', up);
				expect(await restricted(`import { x } from '${s}';\nexport { x };\n`, file), s).toEqual([]);
				expect(await restricted(`export const x = () => import('${s}');\n`, file), s).toEqual([]);
			}
		});
	}

	it('browser code may still import the whole core', async () => {
		expect(
			await restricted(`import { x } from '$crypto';\nexport { x };\n`, 'src/lib/account/example.ts')
		).toEqual([]);
	});
});
