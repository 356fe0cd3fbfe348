// The test helpers' shortcuts must not change what a test sees: a cloned database is the migrated
// schema and is nobody else's; a cached key derivation gives the keys Argon2id gives.
import { describe, expect, it } from 'vitest';
import { deriveAccountKeys, deriveRootKey, passwordBytes, ready } from '../../crypto/index';
import { readMigrations } from '../../src/lib/server/db/migrations';
import { deriveFromPassword, keyDerivations, newKdf, unb64 } from '../helpers/account-client';
import { databaseFactories, MIGRATIONS_DIR } from '../helpers/databases';

describe.each(databaseFactories)('test databases on $kind', (factory) => {
	it('are clones of the migrated schema, independent of each other', async () => {
		const [a, b] = await Promise.all([factory.create(), factory.create()]);
		try {
			const latest = (await readMigrations(MIGRATIONS_DIR)).at(-1)!.version;
			expect([a.db.schemaVersion, b.db.schemaVersion]).toEqual([latest, latest]);
			await a.driver.transaction((tx) => tx.exec('create table app.only_in_a (x int)'));
			const seen = (t: typeof b) =>
				t.driver.transaction((tx) =>
					tx.query<{ present: boolean }>(`select to_regclass('app.only_in_a') is not null as present`)
				);
			expect((await seen(a))[0]!.present).toBe(true);
			expect((await seen(b))[0]!.present).toBe(false);
			// And a database created after the write is not a copy of the changed one.
			const c = await factory.create();
			expect((await seen(c))[0]!.present).toBe(false);
			await c.drop();
		} finally {
			await Promise.all([a.drop(), b.drop()]);
		}
	});
});

describe('cached key derivations', () => {
	it('give the keys Argon2id gives, deriving once per password, salt and parameters', async () => {
		await ready();
		const kdf = newKdf();
		const runs = keyDerivations();
		const [first, second] = await Promise.all([
			deriveFromPassword('correct horse', kdf),
			deriveFromPassword('correct horse', kdf)
		]);
		expect(keyDerivations() - runs).toBe(1);
		const direct = deriveAccountKeys(deriveRootKey(passwordBytes('correct horse'), unb64(kdf.salt), kdf));
		expect(first).toEqual(direct);
		expect(second).toEqual(direct);

		// A caller that wipes its copy does not wipe the next caller's.
		first.authKey.fill(0);
		expect(await deriveFromPassword('correct horse', kdf)).toEqual(direct);
		expect(keyDerivations() - runs).toBe(1);

		const otherSalt = await deriveFromPassword('correct horse', newKdf());
		const otherPassword = await deriveFromPassword('correct horse!', kdf);
		const harder = await deriveFromPassword('correct horse', { ...kdf, opsLimit: kdf.opsLimit + 1 });
		expect(keyDerivations() - runs).toBe(4);
		for (const other of [otherSalt, otherPassword, harder]) expect(other.authKey).not.toEqual(direct.authKey);
	});
});
