// `npm start` seeds the demo account from scripts/demo-account.json, a sign-up body made in advance with
// the real crypto core for a published password. This test proves the file still opens with that
// password (so a crypto format change cannot silently break the demo), and regenerates it on request:
// `DEMO_GENERATE=1 npx vitest run tests/integration/demo-account.test.ts`.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
	argon2Salt,
	bundleKeyFrom,
	deriveAccountKeys,
	deriveRootKey,
	fromBase64url,
	openIdentityBundle,
	passwordBytes,
	ready,
	toBase64url
} from '../../crypto/index';
import { AccountVault } from '../../src/lib/vault/account-ops';

const FILE = 'scripts/demo-account.json';
type Demo = {
	email: string;
	password: string;
	recoveryKey: string;
	signup: ReturnType<AccountVault['createAccount']>['signup'];
};

await ready();
if (process.env.DEMO_GENERATE) {
	const email = 'demo@stowage.example';
	const password = 'stowage demo account 2026';
	const { signup, recoveryKey } = new AccountVault().createAccount({
		userId: '00000000-0000-4000-8000-00000000d3e0',
		email,
		password
	});
	writeFileSync(
		FILE,
		`${JSON.stringify({ email, password, recoveryKey, signup } satisfies Demo, null, '\t')}\n`
	);
}

describe('the demo account fixture', () => {
	it('opens with its published password and uses the default Argon2id parameters', () => {
		const demo = JSON.parse(readFileSync(FILE, 'utf8')) as Demo;
		const { signup } = demo;
		const salt = argon2Salt(demo.email, fromBase64url(signup.kdf.salt));
		const root = deriveRootKey(passwordBytes(demo.password), salt, signup.kdf);
		const { authKey, masterKey } = deriveAccountKeys(root);
		expect(toBase64url(authKey)).toBe(signup.authKey);
		const identity = openIdentityBundle(
			fromBase64url(signup.masterBundle),
			bundleKeyFrom('master', masterKey),
			{
				userId: signup.userId,
				method: 'master'
			}
		);
		expect(toBase64url(identity.boxPublicKey)).toBe(signup.publicKeys.x25519);
		expect(new AccountVault().beginRecovery(demo.recoveryKey).recoveryAuthKey).toBe(signup.recoveryAuthKey);
	});
});
