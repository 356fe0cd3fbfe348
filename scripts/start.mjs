#!/usr/bin/env node
// `npm start`: builds when the build is missing or older than the sources, then serves the production
// build on http://localhost:3000 with the embedded database (or PostgreSQL when DATABASE_URL is set).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['src', 'crypto', 'static', 'package.json', 'svelte.config.js', 'vite.config.ts'];

/** @param {string} path @returns {number} */
function newestMtime(path) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
	return newest;
}

const built = existsSync('build/index.js') ? statSync('build/index.js').mtimeMs : 0;
if (built < Math.max(...SOURCES.map(newestMtime))) {
	console.log(built ? 'Sources changed since the last build: rebuilding…' : 'First start: building Stowage…');
	const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

process.env.PORT ||= '3000';
process.env.ORIGIN ||= `http://localhost:${process.env.PORT}`;

const database = process.env.DATABASE_URL
	? 'PostgreSQL (DATABASE_URL)'
	: `embedded PGlite in ${process.env.STOWAGE_DATA_DIR || './data'}`;
console.log(
	`Stowage: ${process.env.ORIGIN} · database: ${database} · API reference: ${process.env.ORIGIN}/api/docs`
);
// server/index.js, written there by server/adapter.js: /api goes straight to Hono, pages through SvelteKit.
// A computed specifier: the build is an output, not a source to typecheck.
const entry = new URL('../build/index.js', import.meta.url).href;
await import(entry);

// The demo account: on the embedded database unless STOWAGE_DEMO=off. Its sign-up body is derived here with
// the crypto core (scripts/demo-account.mjs) from prelogin's server salt, which depends on this install's
// server secret, and created through the public API like any other account; its password is public, so
// never enable it on a real deployment.
if (!process.env.DATABASE_URL && process.env.STOWAGE_DEMO !== 'off') {
	const { seedDemoAccount } = await import('./demo-account.mjs');
	const base = `http://127.0.0.1:${process.env.PORT}`;
	const { status, demo } = await seedDemoAccount(
		base,
		join(process.env.STOWAGE_DATA_DIR || './data', 'demo-account-created')
	);
	if (status !== 201 && status !== 409)
		console.warn(`Could not create the demo account (${status || 'no answer'}).`);
	else {
		console.log(
			`\nDemo account${status === 201 ? ' created' : ''}: sign in at ${process.env.ORIGIN}/sign-in\n` +
				`  email:        ${demo.email}\n  password:     ${demo.password}\n  recovery key: ${demo.recoveryKey}\n`
		);
		// Its organisation and sample catalogue (scripts/demo-organisation.mjs), sealed and signed in Node by
		// the vault's operations: when the account was just created, or on a later start until the marker says
		// it has one (the seeder itself does nothing once the account has an organisation).
		const marker = join(process.env.STOWAGE_DATA_DIR || './data', 'demo-organisation-created');
		// A new account has no organisation, whatever a marker left from an earlier database says.
		if (status === 201) rmSync(marker, { force: true });
		if (!existsSync(marker)) {
			const { seedDemoOrganisation } = await import('./demo-organisation.mjs');
			try {
				const org = await seedDemoOrganisation(base, demo, {
					markerPath: marker,
					log: (line) => console.log(`  ${line}`)
				});
				if (org.status === 'created')
					console.log(
						`Demo organisation: ${org.name} — ${org.products} products, ${org.suppliers} suppliers ` +
							`(${(org.ms / 1000).toFixed(1)} s)\n`
					);
			} catch (error) {
				console.warn(
					`Could not create the demo organisation: ${error instanceof Error ? error.message : error}`
				);
			}
		}
	}
}
