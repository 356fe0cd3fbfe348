// The browser's path to an open organisation, in Node with the vault's own operations (the code the crypto
// worker runs): sign up, unlock, create the organisation, verify its chain and unwrap its keys. And the
// zero-knowledge check the catalogue tests share: where a value appears in clear in the database.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { KDF_MINIMUM } from '../../crypto/index';
import type { createOperations } from '../../src/lib/vault/operations';
import type { call } from './account-client';
import type { TestDatabase } from './databases';

/** Signs up a new account with `ops`, creates organisation `name` and opens it; its token and tenant id. */
export async function openedOrganisation(
	req: ReturnType<typeof call>,
	ops: ReturnType<typeof createOperations>,
	name: string
): Promise<{ token: string; tenantId: string }> {
	const email = `vault-${randomUUID().slice(0, 8)}@example.com`;
	const kdf = (await req('POST', '/api/auth/prelogin', { body: { email } })).json.kdf as { salt: string };
	const userId = randomUUID();
	const { signup } = ops.createAccount({
		userId,
		email,
		password: 'correct horse',
		serverSalt: kdf.salt,
		params: KDF_MINIMUM
	});
	const res = await req('POST', '/api/auth/signup', { body: signup });
	expect(res.status).toBe(201);
	const token = res.json.accessToken as string;
	ops.unlockWithPassword('correct horse', email, signup.kdf, userId, signup.masterBundle);
	const created = ops.createOrganisation(name);
	expect((await req('POST', '/api/orgs', { token, body: created.body })).status).toBe(201);
	const tenantId = created.tenantId;
	const chain = await req('GET', `/api/orgs/${tenantId}/chain`, { token });
	const keys = await req('GET', `/api/orgs/${tenantId}/keys`, { token });
	const opened = ops.openOrganisation(
		tenantId,
		(chain.json.links as { link: string }[]).map((l) => l.link),
		keys.json.wraps as never,
		null
	);
	expect(opened.verified).toBe(true);
	return { token, tenantId };
}

/** Every text, json and bytea column of the database's tables (the zero-knowledge checks read them all). */
async function textColumns(t: TestDatabase) {
	const columns = (await t.driver.transaction((tx) =>
		tx.query(
			`select c.table_schema as s, c.table_name as t, c.column_name as c, c.data_type as type
		   from information_schema.columns c
		   join information_schema.tables t using (table_schema, table_name)
		  where t.table_type = 'BASE TABLE' and c.table_schema not in ('pg_catalog', 'information_schema')
		    and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY')`,
			[]
		)
	)) as { s: string; t: string; c: string; type: string }[];
	expect(columns.length).toBeGreaterThan(20);
	return columns;
}

/**
 * The columns (schema.table.column) of every text, json and bytea column that hold `needle` in clear: the
 * zero-knowledge check (a positive control, such as the organisation's display name, shows it can find).
 */
export async function columnsHolding(t: TestDatabase, needle: string): Promise<string[]> {
	const sql = (text: string, params: unknown[] = []) =>
		t.driver.transaction((tx) => tx.query(text, params as never[]));
	const columns = await textColumns(t);
	const found: string[] = [];
	for (const { s, t: table, c, type } of columns) {
		const test =
			type === 'bytea'
				? `position(convert_to($1, 'UTF8') in "${c}") > 0`
				: `"${c}"::text like '%' || $1 || '%'`;
		const [row] = (await sql(`select count(*)::int as n from "${s}"."${table}" where ${test}`, [needle])) as {
			n: number;
		}[];
		if (row!.n > 0) found.push(`${s}.${table}.${c}`);
	}
	return found;
}

/**
 * Which of `values` appear in clear anywhere in the database: every text, json and bytea column read once
 * (bytea as its raw bytes) and searched for each value's UTF-8 bytes. The import's zero-knowledge check:
 * no sealed value of 8 bytes or more may appear (shorter ones occur by chance in ciphertext and ids).
 */
export async function valuesInClear(t: TestDatabase, values: readonly string[]): Promise<string[]> {
	const sql = (text: string) => t.driver.transaction((tx) => tx.query(text, []));
	const columns = await textColumns(t);
	const chunks: Buffer[] = [];
	for (const { s, t: table, c, type } of columns) {
		const rows = (await sql(
			type === 'bytea'
				? `select "${c}" as v from "${s}"."${table}" where "${c}" is not null`
				: `select "${c}"::text as v from "${s}"."${table}" where "${c}" is not null`
		)) as { v: Uint8Array | string }[];
		for (const { v } of rows) chunks.push(typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v));
	}
	// One haystack, values separated by a byte no UTF-8 text holds.
	const all = Buffer.concat(chunks.flatMap((b) => [b, Buffer.from([0xff])]));
	return values.filter((v) => Buffer.byteLength(v) >= 8 && all.includes(Buffer.from(v, 'utf8')));
}
