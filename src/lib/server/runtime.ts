// The process-wide runtime: one database and one API app, kept on globalThis so Vite's hot reload
// does not open a second PGlite on the same directory (PGlite takes no lock).
import { createApi, type ApiApp } from './api/app';
import { readConfig } from './config';
import { openDatabase } from './db/database';
import type { Database } from './db/types';
import { createLogger, type Logger } from './log';

export type Runtime = { db: Database; api: ApiApp; logger: Logger };

const KEY = Symbol.for('stowage.runtime');
type Holder = { [KEY]?: Promise<Runtime> };
const holder = globalThis as Holder;

export function startRuntime(): Promise<Runtime> {
	holder[KEY] ??= (async () => {
		const config = readConfig();
		const logger = createLogger(config.logLevel);
		const db = await openDatabase({
			databaseUrl: config.databaseUrl,
			dataDir: config.dataDir,
			migrationsDir: config.migrationsDir,
			migrate: config.migrate
		});
		logger.info({ db: db.kind, schemaVersion: db.schemaVersion }, 'database ready');
		const api = createApi({ db, logger, bodyLimit: config.apiBodyLimit });
		return { db, api, logger };
	})();
	return holder[KEY];
}

export async function stopRuntime(): Promise<void> {
	const runtime = holder[KEY];
	delete holder[KEY];
	if (runtime) await (await runtime).db.close();
}
