// ESLint flat config: TypeScript (type-aware where it matters), Svelte, Prettier-compatible, and the
// architectural rules that keep secrets where they belong.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

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
		// The server never holds keys or plaintext: it may not import the crypto core or the vault.
		files: ['src/lib/server/**/*.ts', 'src/routes/**/+server.ts', 'src/hooks.server.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					paths: [{ name: 'libsodium-wrappers-sumo', message: 'The server holds no keys.' }],
					patterns: [
						{
							group: ['$crypto', '$crypto/*', '**/crypto/*', '!node:crypto'],
							message: 'The server holds no keys.'
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
	}
);
