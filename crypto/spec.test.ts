// SPEC.md and the code agree on the constants an auditor reads: error codes, KDF contexts, labels, limits.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLIND_INDEX_LABEL } from './blind-index';
import { CRYPTO_ERROR_CODES } from './errors';
import { FINGERPRINT_LABEL } from './fingerprint';
import { BUNDLE_LABEL } from './identity';
import { INVITE_LABEL } from './invite';
import { KDF_CEILING, KDF_CONTEXTS, KDF_DEFAULTS, KDF_FLOOR } from './kdf';
import { RECORD_LABEL } from './aad';
import { RECOVERY_CHECKSUM_LABEL } from './recovery';
import { STATEMENT_LABEL } from './statements';
import { WRAP_LABEL } from './wrap';
import { KEY_COMMIT_LABEL } from './commitment';
import {
	CREATE_LABEL,
	GENESIS_LABEL,
	LINK_HASH_LABEL,
	LINK_LABEL,
	LINK_TYPES,
	ROLES,
	TENANT_ID_LABEL
} from './chain';
import {
	WRITE_LEAF_LABEL,
	WRITE_LEAVES_LABEL,
	WRITE_STATEMENT_HASH_LABEL,
	WRITE_STATEMENT_LABEL
} from './writes';
import { CHECKPOINTS_LABEL } from './checkpoints';

const spec = readFileSync(join(import.meta.dirname, 'SPEC.md'), 'utf8');
const MIB = 2 ** 20;

describe('SPEC.md agrees with the code', () => {
	it('lists exactly the error codes of errors.ts', () => {
		const table = spec.slice(spec.indexOf('### 2.4'), spec.indexOf('### 2.5'));
		const inSpec = [...table.matchAll(/^\| `(ERR_[A-Z_]+)`\s*\|/gm)].map((m) => m[1]);
		expect(inSpec).toEqual([...CRYPTO_ERROR_CODES]);
	});

	it('names every KDF context and label', () => {
		for (const ctx of Object.values(KDF_CONTEXTS)) expect(spec).toContain(`"${ctx}"`);
		for (const label of [
			RECORD_LABEL,
			BUNDLE_LABEL,
			WRAP_LABEL,
			STATEMENT_LABEL,
			FINGERPRINT_LABEL,
			INVITE_LABEL,
			BLIND_INDEX_LABEL,
			RECOVERY_CHECKSUM_LABEL,
			KEY_COMMIT_LABEL,
			LINK_LABEL,
			LINK_HASH_LABEL,
			CREATE_LABEL,
			GENESIS_LABEL,
			TENANT_ID_LABEL,
			WRITE_LEAF_LABEL,
			WRITE_LEAVES_LABEL,
			WRITE_STATEMENT_LABEL,
			WRITE_STATEMENT_HASH_LABEL,
			CHECKPOINTS_LABEL
		]) {
			expect(spec).toContain(`"${label}"`);
		}
	});

	it('lists every link type and role code of chain.ts (§16.3, §16.4)', () => {
		const types = spec.slice(spec.indexOf('### 16.3'), spec.indexOf('### 16.4'));
		for (const [name, c] of Object.entries(LINK_TYPES))
			expect(types).toMatch(new RegExp(`\\| ${c} +\\| \`${name}\``));
		const roles = spec.slice(spec.indexOf('### 16.4'), spec.indexOf('### 16.5'));
		for (const [name, c] of Object.entries(ROLES)) expect(roles).toContain(`\`${name}\` ${c}`);
	});

	it('states the Argon2id floor, ceiling and defaults the code enforces', () => {
		expect(KDF_FLOOR).toEqual({ opsLimit: 3, memLimitBytes: 64 * MIB });
		expect(spec).toContain('refuse `opsLimit < 3` or `memLimitBytes < 64 MiB`');
		expect(KDF_CEILING).toEqual({ opsLimit: 12, memLimitBytes: 256 * MIB });
		expect(spec).toContain('refuse `opsLimit > 12` or `memLimitBytes > 256 MiB`');
		expect(KDF_DEFAULTS).toEqual({ alg: 'argon2id13', opsLimit: 3, memLimitBytes: 96 * MIB });
		expect(spec).toContain('`opsLimit = 3`, `memLimitBytes = 96 MiB`');
	});
});
