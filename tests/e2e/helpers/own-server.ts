// A production server of the spec's own, on an embedded database in a directory the spec owns, so that the
// spec can stop it, open that database directly (as an operator with file access would), change it, and
// start the server on it again. The same build and settings as the shared e2e server (playwright.config.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BUILD_DIR = process.env.STOWAGE_BUILD_DIR || 'build';

export type OwnServer = { origin: string; dataDir: string; stop(): Promise<void> };

export function newDataDir(): string {
	return mkdtempSync(join(tmpdir(), 'stowage-own-e2e-'));
}

/** Starts `node <build>` on `port` over `dataDir`; resolves once /api/health answers. */
export async function startOwnServer(port: number, dataDir: string): Promise<OwnServer> {
	const origin = `http://localhost:${port}`;
	const child: ChildProcess = spawn(process.execPath, [BUILD_DIR], {
		env: {
			...process.env,
			PORT: String(port),
			ORIGIN: origin,
			DATABASE_URL: '',
			REDIS_URL: '',
			STOWAGE_DATA_DIR: dataDir,
			LOG_LEVEL: 'warn',
			STOWAGE_SIGNUPS_PER_HOUR: '500'
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before answering`);
		try {
			if ((await fetch(`${origin}/api/health`)).ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`the server on ${origin} did not answer /api/health within 60 s`);
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	return {
		origin,
		dataDir,
		async stop() {
			// SIGTERM: the server drains and closes the database, so its files are whole when it exits.
			child.kill('SIGTERM');
			const code = await exited;
			if (code !== 0) throw new Error(`the server exited with ${code} on SIGTERM`);
		}
	};
}
