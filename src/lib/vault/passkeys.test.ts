import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PRF_SALT, PRF_SALT_LABEL, takePrfOutput, withPrf } from './passkeys';

describe('PRF_SALT', () => {
	it('is SHA-256 of "stowage/passkey-prf/v1"', () => {
		expect(PRF_SALT_LABEL).toBe('stowage/passkey-prf/v1');
		const expected = createHash('sha256').update('stowage/passkey-prf/v1', 'utf8').digest();
		expect(Buffer.from(PRF_SALT).equals(expected)).toBe(true);
		expect(PRF_SALT).toHaveLength(32);
	});

	it('is added to options as a fresh copy, keeping other extensions', () => {
		const opts = withPrf({ challenge: 'abc', extensions: { credProps: true } });
		const first = opts.extensions?.prf?.eval?.first as Uint8Array;
		expect(Buffer.from(first).equals(Buffer.from(PRF_SALT))).toBe(true);
		expect(first).not.toBe(PRF_SALT);
		expect(opts.extensions?.credProps).toBe(true);
		expect(opts.challenge).toBe('abc');
	});
});

describe('takePrfOutput', () => {
	const response = (prf?: object) => ({
		id: 'cred',
		rawId: 'cred',
		type: 'public-key' as const,
		response: { clientDataJSON: 'x' },
		clientExtensionResults: prf ? { credProps: { rk: true }, prf } : {}
	});

	it('copies the output, zeroes the original and strips every result from the response', () => {
		const secret = new Uint8Array(32).fill(7);
		const buffer = secret.buffer.slice(0);
		const taken = takePrfOutput(response({ enabled: true, results: { first: buffer } }));
		expect(taken.prfOutput).toEqual(secret);
		expect(taken.prfEnabled).toBe(true);
		expect(new Uint8Array(buffer).every((b) => b === 0)).toBe(true);
		expect(taken.response.clientExtensionResults).toEqual({
			credProps: { rk: true },
			prf: { enabled: true }
		});
		expect(JSON.stringify(taken.response)).not.toContain('results');
	});

	it('accepts a typed-array result', () => {
		const view = new Uint8Array(32).fill(9);
		const taken = takePrfOutput(response({ results: { first: view } }));
		expect(taken.prfOutput).toEqual(new Uint8Array(32).fill(9));
		expect(view.every((b) => b === 0)).toBe(true);
		expect('results' in (taken.response.clientExtensionResults.prf ?? {})).toBe(false);
	});

	it('reports "enabled" without output, and no PRF at all', () => {
		const enabledOnly = takePrfOutput(response({ enabled: true }));
		expect(enabledOnly).toMatchObject({ prfOutput: null, prfEnabled: true });
		const none = takePrfOutput(response());
		expect(none).toMatchObject({ prfOutput: null, prfEnabled: false });
		expect(none.response.clientExtensionResults).toEqual({});
	});
});
