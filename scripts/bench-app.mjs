// Our production build for a browser benchmark (bench-catalogue.mjs, bench-import.mjs): built once into
// tests/.tmp/bench/<name>-app (BENCH_<NAME>_BUILD=0 reuses the last build), started on a free loopback port
// with the environment given, and stopped.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** @returns {Promise<number>} a free loopback port */
export function freePort() {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

/**
 * @param {string} root
 * @param {string} name `catalogue`, `import`: the build's folder and its BENCH_<NAME>_BUILD switch
 */
export function buildApp(root, name) {
	const tmp = join(root, 'tests/.tmp/bench');
	const buildDir = join(tmp, `${name}-app`);
	if (!existsSync(join(root, '.svelte-kit/tsconfig.json'))) {
		spawnSync('npx', ['svelte-kit', 'sync'], { cwd: root, stdio: 'inherit' });
	}
	const reuse = process.env[`BENCH_${name.toUpperCase()}_BUILD`] === '0';
	if (reuse && existsSync(join(buildDir, 'index.js'))) return buildDir;
	console.log('bench: building the app…');
	const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
		cwd: root,
		stdio: ['ignore', 'ignore', 'inherit'],
		env: { ...process.env, STOWAGE_BUILD_DIR: buildDir, STOWAGE_KIT_DIR: join(tmp, `${name}-kit`) }
	});
	if (built.status !== 0) throw new Error('vite build failed');
	return buildDir;
}

/**
 * `node <build>` with `env` over ours (request log off, Redis off); resolves once /api/health answers.
 * @param {string} root
 * @param {string} buildDir
 * @param {Record<string, string>} env
 */
export async function startApp(root, buildDir, env) {
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, [buildDir], {
		cwd: root,
		env: {
			...process.env,
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: base,
			REDIS_URL: '',
			LOG_LEVEL: 'warn',
			...env
		},
		stdio: ['ignore', 'ignore', 'pipe']
	});
	let stderr = '';
	child.stderr?.on('data', (chunk) => (stderr += chunk));
	const deadline = Date.now() + 120_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${stderr}`);
		const ok = await fetch(`${base}/api/health`).then(
			(r) => r.ok,
			() => false
		);
		if (ok) return { base, child };
		await new Promise((r) => setTimeout(r, 200));
	}
	child.kill('SIGKILL');
	throw new Error(`server did not start:\n${stderr}`);
}

/** @param {import('node:child_process').ChildProcess} child */
export async function stopApp(child) {
	if (child.exitCode !== null) return;
	const exited = new Promise((r) => child.once('exit', r));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
	await exited;
	clearTimeout(timer);
}
