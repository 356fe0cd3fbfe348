#!/usr/bin/env node
// `npm start`: builds when the build is missing or older than the sources, then serves the production
// build on http://localhost:3000 with the embedded database (or PostgreSQL when DATABASE_URL is set).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
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
// The API enforces its own per-route body limits (answering 413); SvelteKit's must not be lower.
process.env.BODY_SIZE_LIMIT ||= 'Infinity';

const database = process.env.DATABASE_URL
	? 'PostgreSQL (DATABASE_URL)'
	: `embedded PGlite in ${process.env.STOWAGE_DATA_DIR || './data'}`;
console.log(
	`Stowage: ${process.env.ORIGIN} · database: ${database} · API reference: ${process.env.ORIGIN}/api/docs`
);
// A computed specifier: the build is an output, not a source to typecheck.
const entry = new URL('../build/index.js', import.meta.url).href;
await import(entry);
