// Builds something once per test run and shares it across vitest's worker processes through the
// run's directory (tests/helpers/global-setup.ts): the first process to claim a lock file builds,
// the others wait for the result. Failures are shared too, so no process waits forever.
import { open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { TestRun } from './global-setup';

export function testRun(): TestRun {
	const run = inject('stowageTestRun');
	if (!run)
		throw new Error('No test run: the vitest config must list tests/helpers/global-setup.ts as globalSetup');
	return run;
}

const WAIT_MS = 180_000;

/** Returns the path of `name` in the run's directory, calling `build(tmpPath)` if no one has yet. */
export async function oncePerRun(name: string, build: (tmpPath: string) => Promise<void>): Promise<string> {
	const path = join(testRun().dir, name);
	try {
		const lock = await open(`${path}.lock`, 'wx');
		await lock.close();
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		return waitFor(path);
	}
	const tmp = `${path}.${process.pid}.tmp`;
	try {
		await build(tmp);
		// Atomic: a waiter sees the whole result or none of it.
		await rename(tmp, path);
	} catch (error) {
		await writeFile(`${path}.failed`, String((error as Error).stack ?? error));
		throw error;
	}
	return path;
}

async function waitFor(path: string): Promise<string> {
	const deadline = Date.now() + WAIT_MS;
	while (Date.now() < deadline) {
		if (await exists(path)) return path;
		const failure = await readFile(`${path}.failed`, 'utf8').catch(() => undefined);
		if (failure !== undefined) throw new Error(`Another test process failed to build ${path}:\n${failure}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error(`Timed out waiting for another test process to build ${path}`);
}

const exists = (path: string) =>
	open(path, 'r').then(
		(handle) => handle.close().then(() => true),
		() => false
	);
