// Vitest global set-up: one id and one scratch directory per test run, shared by every worker, so
// that migrated templates are built once per run (tests/helpers/run-once.ts); the teardown drops them.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';

export type TestRun = { id: string; dir: string };

declare module 'vitest' {
	export interface ProvidedContext {
		stowageTestRun: TestRun;
	}
}

export default async function setup(project: TestProject) {
	// Lower-case letters and digits only: it becomes part of database names.
	const id = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
	const dir = await mkdtemp(join(tmpdir(), `stowage-test-run-${id}-`));
	project.provide('stowageTestRun', { id, dir });
	return async () => {
		await rm(dir, { recursive: true, force: true });
		const url = process.env.DATABASE_URL;
		if (!url) return;
		// The template and any database a crashed test left behind.
		const admin = postgres(url, { max: 1, onnotice: () => {} });
		try {
			const rows = await admin<{ datname: string }[]>`
				select datname from pg_database where datname like ${`stowage_t_${id}_%`}`;
			for (const { datname } of rows) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
		} finally {
			await admin.end();
		}
	};
}
