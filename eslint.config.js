// ESLint flat config: TypeScript (type-aware where it matters), Svelte, Prettier-compatible, and the
// architectural rules that keep secrets where they belong.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Any import specifier that names crypto/internal/rng (relative, $crypto alias, with or without extension). */
const RNG = '/(^|\\/)internal\\/rng(\\.[jt]s)?$/';
/** Any import specifier that names crypto/internal/verified (the VerifiedKeyCommitment minter, SPEC.md §7.6.2). */
const VERIFIED = '/(^|\\/)internal\\/verified(\\.[jt]s)?$/';
/** Server code's crypto/ specifiers, as in the server block's import rule: everything but crypto/verify. */
const SERVER_CRYPTO = '/(^\\$|\\/)crypto(\\/(?!verify(\\.[jt]s)?$).*)?$/';

/** Outside tests, no code may import these test hooks (the first two no-restricted-syntax entries). */
const TEST_ONLY_MODULES = [
	{
		selector: `:matches(ImportDeclaration, ExportNamedDeclaration, ExportAllDeclaration, ImportExpression)[source.value=${RNG}]`,
		message: 'crypto/internal/rng is the core randomness source and its test hook: tests only.'
	},
	{
		// Only the team-chain verifier (crypto/chain.ts, its own block below) and tests mint VerifiedKeyCommitment.
		selector: `:matches(ImportDeclaration, ExportNamedDeclaration, ExportAllDeclaration, ImportExpression)[source.value=${VERIFIED}]`,
		message: 'crypto/internal/verified mints VerifiedKeyCommitment: tests only (crypto/SPEC.md §7.6.2).'
	}
];

export default ts.config(
	{
		ignores: [
			'build/',
			'build-*/',
			'.svelte-kit-*/',
			'.svelte-kit/',
			'node_modules/',
			'data/',
			'test-results*/',
			'playwright-report/',
			'tests/.tmp/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
			'no-console': ['error', { allow: ['warn', 'error'] }],
			// Stowage is served at the root (no `paths.base`), so plain hrefs are already resolved.
			'svelte/no-navigation-without-resolve': 'off',
			// One door to libsodium: crypto/sodium.ts (crypto/SPEC.md, "Conventions").
			'no-restricted-imports': [
				'error',
				{
					paths: [
						{
							name: 'libsodium-wrappers-sumo',
							message: 'Import libsodium only in crypto/sodium.ts; use the crypto core.'
						},
						{ name: 'libsodium-wrappers', message: 'Use the crypto core (crypto/index.ts).' }
					]
				}
			]
		}
	},
	{
		files: ['crypto/sodium.ts'],
		rules: { 'no-restricted-imports': 'off' }
	},
	{
		// The server never holds keys or plaintext: from the crypto core it may import crypto/verify.ts alone
		// (verification only, no secret-key operation), so it checks signatures exactly as browsers do and never
		// with node:crypto's lenient Ed25519 (crypto/SPEC.md §7.5). No vault either. A regex, not globs: the
		// glob form cannot exempt one file, and it let `../crypto` (index.ts) through. Tested by
		// tests/security/lint-boundaries.test.ts.
		files: ['src/lib/server/**/*.ts', 'src/routes/**/+server.ts', 'src/hooks.server.ts', 'server/**/*.js'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					paths: [{ name: 'libsodium-wrappers-sumo', message: 'The server holds no keys.' }],
					patterns: [
						{
							// `$crypto`, `$crypto/x`, `../crypto`, `../crypto/x`; not `node:crypto`, not `crypto/verify`.
							regex: '(^\\$|/)crypto(/(?!verify(\\.[jt]s)?$).*)?$',
							message:
								'The server holds no keys: from crypto/ it may import crypto/verify alone (verification only).'
						},
						{ group: ['$lib/vault', '$lib/vault/*', '**/vault/*'], message: 'The vault is browser-only.' }
					]
				}
			]
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		files: ['scripts/**/*.mjs', 'tests/**/*.ts'],
		rules: { 'no-console': 'off' }
	},
	{
		// The randomness test hook is for tests only (crypto/SPEC.md §2.5): outside tests, no file may import
		// crypto/internal/rng, except the core's own modules, which may take `randomBytes` and nothing else.
		// no-restricted-syntax, not no-restricted-imports, so these blocks never replace the import rules above
		// (a later flat-config block replaces a rule's options); the crypto/ block below replaces this one there.
		files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.svelte'],
		ignores: ['**/*.test.ts', 'crypto/vectors/**', 'crypto/internal/rng.ts'],
		rules: {
			'no-restricted-syntax': ['error', ...TEST_ONLY_MODULES]
		}
	},
	{
		files: ['crypto/**/*.ts'],
		ignores: ['**/*.test.ts', 'crypto/vectors/**', 'crypto/internal/rng.ts'],
		rules: {
			'no-restricted-syntax': [
				'error',
				{
					selector: `ImportDeclaration[source.value=${RNG}] > :matches(ImportDefaultSpecifier, ImportNamespaceSpecifier, ImportSpecifier[imported.name!='randomBytes'])`,
					message: 'The core takes only randomBytes from internal/rng; the pinning hook is for tests.'
				},
				{
					selector: `:matches(ExportNamedDeclaration, ExportAllDeclaration, ImportExpression)[source.value=${RNG}]`,
					message: 'Never re-export or dynamically import internal/rng (crypto/SPEC.md §2.5).'
				},
				{
					selector: `ImportDeclaration[source.value=${VERIFIED}] > :matches(ImportDefaultSpecifier, ImportNamespaceSpecifier, ImportSpecifier[imported.name!='VerifiedKeyCommitment'])`,
					message:
						'The core takes only the VerifiedKeyCommitment class from internal/verified; its minter is for tests.'
				},
				{
					selector: `:matches(ExportNamedDeclaration, ExportAllDeclaration, ImportExpression)[source.value=${VERIFIED}]`,
					message: 'Never re-export or dynamically import internal/verified (crypto/SPEC.md §7.6.2).'
				}
			]
		}
	},
	{
		// The team-chain verifier is the one production minter of VerifiedKeyCommitment (crypto/SPEC.md §16.9):
		// crypto/chain.ts may take mintVerifiedKeyCommitment too, never the test minter. This block replaces the
		// crypto/ block above for that file, so it repeats its rng rules.
		files: ['crypto/chain.ts'],
		rules: {
			'no-restricted-syntax': [
				'error',
				{
					selector: `ImportDeclaration[source.value=${RNG}]`,
					message: 'The chain verifier draws no randomness.'
				},
				{
					selector: `ImportDeclaration[source.value=${VERIFIED}] > :matches(ImportDefaultSpecifier, ImportNamespaceSpecifier, ImportSpecifier[imported.name!=/^(VerifiedKeyCommitment|mintVerifiedKeyCommitment)$/])`,
					message:
						'The chain verifier takes VerifiedKeyCommitment and mintVerifiedKeyCommitment from internal/verified; the test minter is for tests.'
				},
				{
					selector: `:matches(ExportNamedDeclaration, ExportAllDeclaration, ImportExpression)[source.value=${VERIFIED}]`,
					message: 'Never re-export or dynamically import internal/verified (crypto/SPEC.md §7.6.2).'
				},
				{
					selector: `:matches(ExportNamedDeclaration, ExportAllDeclaration, ImportExpression)[source.value=${RNG}]`,
					message: 'Never re-export or dynamically import internal/rng (crypto/SPEC.md §2.5).'
				}
			]
		}
	},
	{
		// no-restricted-imports does not see import(): the server's boundary again, for dynamic imports. Last, so
		// it extends (not replaces) the test-hook fence above for these files.
		files: ['src/lib/server/**/*.ts', 'src/routes/**/+server.ts', 'src/hooks.server.ts', 'server/**/*.js'],
		ignores: ['**/*.test.ts'],
		rules: {
			'no-restricted-syntax': [
				'error',
				...TEST_ONLY_MODULES,
				{
					selector: `ImportExpression[source.value=${SERVER_CRYPTO}]`,
					message:
						'The server holds no keys: from crypto/ it may import crypto/verify alone (verification only).'
				},
				{
					selector: 'ImportExpression[source.value=/^libsodium-wrappers/]',
					message: 'The server holds no keys.'
				},
				{
					selector: 'ImportExpression[source.value=/(^\\$lib\\/vault|\\/vault\\/)/]',
					message: 'The vault is browser-only.'
				},
				{
					selector: 'ImportExpression:not([source.type="Literal"])',
					message: 'Server code imports only literal specifiers, so the boundary rules can see them.'
				}
			]
		}
	}
);
