// The demo account's sign-up body, made in Node at first start (crypto/SPEC.md §4.1.1): its server salt is
// prelogin's, an HMAC under this install's own server secret, so no body made in advance could be accepted.
// The password and recovery key are fixed and published (scripts/demo-account.json); the identity is new
// per install. tests/integration/demo-account.test.ts checks this with the crypto core.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * The crypto core (crypto/index.ts, TypeScript) loaded through Vite's module runner, which `npm start`
 * has anyway: it builds with Vite.
 * @returns {Promise<any>}
 */
export async function loadCryptoCore() {
	const { runnerImport } = await import('vite');
	const { module } = await runnerImport(new URL('../crypto/index.ts', import.meta.url).pathname, {
		configFile: false,
		logLevel: 'error'
	});
	await module.ready();
	return module;
}

/**
 * @param {any} c the crypto core
 * @param {{ userId: string; email: string; password: string; recoveryKey: string }} demo
 * @param {{ alg: 'argon2id13'; salt: string; opsLimit: number; memLimitBytes: number }} kdf prelogin's answer
 */
export function demoSignupBody(c, demo, kdf) {
	const salt = c.argon2Salt(demo.email, c.fromBase64url(kdf.salt));
	const params = { alg: kdf.alg, opsLimit: kdf.opsLimit, memLimitBytes: kdf.memLimitBytes };
	const root = c.deriveRootKey(c.passwordBytes(demo.password), salt, params);
	const { authKey, masterKey } = c.deriveAccountKeys(root);
	const identity = c.generateIdentity();
	const recovery = c.decodeRecoveryKey(demo.recoveryKey);
	const { recoveryAuthKey, bundleKey } = c.deriveRecoveryKeys(recovery);
	/** @param {any} key @param {'master' | 'recovery'} method */
	const seal = (key, method) =>
		c.toBase64url(c.sealIdentityBundle(identity, key, { userId: demo.userId, method }));
	const body = {
		userId: demo.userId,
		email: demo.email,
		kdf: { alg: 'argon2id13', salt: kdf.salt, opsLimit: kdf.opsLimit, memLimitBytes: kdf.memLimitBytes },
		authKey: c.toBase64url(authKey),
		publicKeys: {
			x25519: c.toBase64url(identity.boxPublicKey),
			ed25519: c.toBase64url(identity.signPublicKey)
		},
		masterBundle: seal(c.bundleKeyFrom('master', masterKey), 'master'),
		recoveryBundle: seal(bundleKey, 'recovery'),
		recoveryAuthKey: c.toBase64url(recoveryAuthKey)
	};
	for (const k of [root, authKey, masterKey, recovery, recoveryAuthKey, bundleKey]) c.wipe(k);
	c.wipe(identity.boxSecretKey);
	c.wipe(identity.signSecretKey);
	return body;
}

/**
 * Creates the demo account on the server at `base` through its public API, once: a marker file (when a path
 * is given) skips the derivation on later starts. Resolves to the sign-up's status (201 created, 409 there
 * already, 0 no answer) and the published credentials.
 * @param {string} base e.g. http://127.0.0.1:3000
 * @param {string} [markerPath]
 */
export async function seedDemoAccount(base, markerPath) {
	const demo = JSON.parse(readFileSync(new URL('./demo-account.json', import.meta.url), 'utf8'));
	/** @param {string} path @param {unknown} body */
	const post = (path, body) =>
		fetch(`${base}${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body)
		}).catch(() => undefined);
	for (let i = 0; i < 100; i++) {
		const up = await fetch(`${base}/api/health`).then(
			(r) => r.ok,
			() => false
		);
		if (up) break;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	if (markerPath && existsSync(markerPath)) return { status: 409, demo };
	const pre = await post('/api/auth/prelogin', { email: demo.email });
	if (pre?.status !== 200) return { status: pre?.status ?? 0, demo };
	const { kdf } = await pre.json();
	const res = await post('/api/auth/signup', demoSignupBody(await loadCryptoCore(), demo, kdf));
	const status = res?.status ?? 0;
	if (markerPath && (status === 201 || status === 409))
		writeFileSync(markerPath, `${new Date().toISOString()}\n`);
	return { status, demo };
}
