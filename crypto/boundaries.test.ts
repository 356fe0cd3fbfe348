// Architectural rules of the core, checked on the source (SPEC.md §2.2): one door to libsodium, no I/O,
// the test hook never reachable from the public face.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = import.meta.dirname;
function sources(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory()
			? sources(join(dir, e.name))
			: e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
				? [join(dir, e.name)]
				: []
	);
}
const files = sources(root).filter((f) => !f.includes('/vectors/'));

describe('crypto/ boundaries', () => {
	it('imports libsodium in exactly one file: sodium.ts', () => {
		const importing = files.filter((f) => /from\s+'libsodium/.test(readFileSync(f, 'utf8')));
		expect(importing.map((f) => relative(root, f))).toEqual(['sodium.ts']);
	});

	it('does no I/O: no node: modules, fetch, storage or timers in the core', () => {
		for (const f of files) {
			const src = readFileSync(f, 'utf8');
			expect(src, f).not.toMatch(/from\s+'node:|\bfetch\(|localStorage|indexedDB|XMLHttpRequest|setTimeout/);
		}
	});

	it('index.ts does not re-export internal/', () => {
		expect(readFileSync(join(root, 'index.ts'), 'utf8')).not.toMatch(/from\s+'\.\/internal/);
	});

	it('error hints are written in the source, never built from data (SPEC.md §2.4)', () => {
		// Allowed: a string literal, or a template interpolating only a length constant or a libsodium name.
		const ok = /^new CryptoError\('ERR_[A-Z_]+'(, '[^']*'|, `([^`$]|\$\{(n|name)\})*`|, name)?\)$/;
		for (const f of files) {
			const calls = readFileSync(f, 'utf8').match(/new CryptoError\((?:'[^']*'|`[^`]*`|[^)'`])*\)/g) ?? [];
			for (const c of calls) expect(c, relative(root, f)).toMatch(ok);
		}
	});

	it('every source file starts with a one-line header', () => {
		for (const f of files) expect(readFileSync(f, 'utf8'), f).toMatch(/^\/\/ \S/);
	});
});
