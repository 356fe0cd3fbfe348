// A browser stand-in for the account tests: derives and seals keys with the real crypto core (at the
// floor Argon2id parameters, t=3/m=64 MiB, derived once per password and salt) and talks to the API as the pages do.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import {
	argon2Salt,
	bundleKeyFrom,
	deriveAccountKeys,
	deriveRootKey,
	generateIdentity,
	generateSalt,
	KDF_MINIMUM,
	openIdentityBundle,
	passwordBytes,
	ready,
	sealIdentityBundle,
	type UserIdentity
} from '../../crypto/index';
import type { ApiApp } from '../../src/lib/server/api/app';

export const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
export const unb64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));

export type Kdf = { alg: 'argon2id13'; salt: string; opsLimit: number; memLimitBytes: number };

type AccountKeys = ReturnType<typeof deriveAccountKeys>;

// Argon2id is deterministic: the same password, salt and parameters give the same keys. Tests derive
// the same account's keys many times (sign-up, each login, each re-auth), so each is derived once per
// process, and a higher Argon2id floor costs the suite one derivation per account, not one per call.
const derivedKeys = new Map<string, Promise<AccountKeys>>();
let argon2Runs = 0;

/** How many Argon2id derivations this process has run (the cache's test reads it). */
export const keyDerivations = () => argon2Runs;

/**
 * With `email`, Argon2id takes the salt bound to it (crypto/SPEC.md §4.1.1), as the browser does; without
 * it, `kdf.salt` as it is (the server never sees the difference; suites that only talk to the API).
 */
export async function deriveFromPassword(password: string, kdf: Kdf, email?: string): Promise<AccountKeys> {
	const id = JSON.stringify([kdf.alg, kdf.opsLimit, kdf.memLimitBytes, kdf.salt, password, email ?? null]);
	let keys = derivedKeys.get(id);
	if (!keys) {
		keys = (async () => {
			await ready();
			argon2Runs++;
			const salt = email === undefined ? unb64(kdf.salt) : argon2Salt(email, unb64(kdf.salt));
			const root = deriveRootKey(passwordBytes(password), salt, {
				alg: 'argon2id13',
				opsLimit: kdf.opsLimit,
				memLimitBytes: kdf.memLimitBytes
			});
			return deriveAccountKeys(root);
		})();
		derivedKeys.set(id, keys);
		// A failure (bad parameters) is not cached: the next call reports it again.
		keys.catch(() => derivedKeys.delete(id));
	}
	const { authKey, masterKey } = await keys;
	// Copies, so a caller that wipes or alters its keys cannot change what the next caller gets.
	return { authKey: authKey.slice() as typeof authKey, masterKey: masterKey.slice() as typeof masterKey };
}

/**
 * The prelogin key of every test API (tests/helpers/api.ts), so that the stand-in can compute the server
 * salt prelogin returns for an email (crypto/SPEC.md §4.1.1) without a round trip.
 */
export const TEST_PRELOGIN_KEY = new Uint8Array(32).fill(0x5a);

/** The server salt prelogin returns for an email: HMAC-SHA256(prelogin key, normalised email)[0..16]. */
export const testServerSalt = (email: string) =>
	b64(createHmac('sha256', TEST_PRELOGIN_KEY).update(email.trim().toLowerCase()).digest().subarray(0, 16));

/** KDF parameters with prelogin's server salt for `email` (the server refuses any other), or a random one. */
export function newKdf(email?: string): Kdf {
	return { ...KDF_MINIMUM, salt: email === undefined ? b64(generateSalt()) : testServerSalt(email) };
}

export type TestAccount = {
	userId: string;
	email: string;
	password: string;
	identity: UserIdentity;
	recoveryKey: Uint8Array;
	recoveryAuthKey: Uint8Array;
	signupBody: Record<string, unknown>;
};

export async function newAccount(
	email = `seller-${randomUUID().slice(0, 8)}@example.com`,
	password = 'correct horse battery staple',
	/**
	 * As a browser against a real server (e2e): prelogin's server salt, or its whole answer (the default
	 * parameters too, so that a browser sign-in has nothing to upgrade); the salt is bound to the email.
	 */
	browser?: { serverSalt: string } | { kdf: Kdf }
): Promise<TestAccount> {
	await ready();
	const userId = randomUUID();
	const kdf = !browser
		? newKdf(email)
		: 'kdf' in browser
			? { ...browser.kdf }
			: { ...newKdf(), salt: browser.serverSalt };
	const { authKey, masterKey } = await deriveFromPassword(password, kdf, browser ? email : undefined);
	const identity = generateIdentity();
	const recoveryKey = new Uint8Array(randomBytes(32));
	const recoveryAuthKey = new Uint8Array(randomBytes(32));
	const signupBody = {
		userId,
		email,
		kdf,
		authKey: b64(authKey),
		publicKeys: { x25519: b64(identity.boxPublicKey), ed25519: b64(identity.signPublicKey) },
		masterBundle: b64(
			sealIdentityBundle(identity, bundleKeyFrom('master', masterKey), { userId, method: 'master' })
		),
		recoveryBundle: b64(
			sealIdentityBundle(identity, bundleKeyFrom('recovery', recoveryKey as never), {
				userId,
				method: 'recovery'
			})
		),
		recoveryAuthKey: b64(recoveryAuthKey)
	};
	return { userId, email, password, identity, recoveryKey, recoveryAuthKey, signupBody };
}

export function openMasterBundle(account: { userId: string }, masterKey: Uint8Array, bundle: string) {
	return openIdentityBundle(unb64(bundle), bundleKeyFrom('master', masterKey as never), {
		userId: account.userId,
		method: 'master'
	});
}

/** JSON request helper with an optional bearer token and refresh cookie. */
export function call(app: ApiApp) {
	return async (
		method: string,
		path: string,
		opts: {
			body?: unknown;
			token?: string;
			cookie?: string;
			ip?: string;
			headers?: Record<string, string>;
		} = {}
	) => {
		const headers: Record<string, string> = { ...opts.headers };
		if (opts.body !== undefined) headers['content-type'] = 'application/json';
		if (opts.token) headers.authorization = `Bearer ${opts.token}`;
		if (opts.cookie) headers.cookie = opts.cookie;
		const res = await app.request(
			path,
			{ method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) },
			{ clientAddress: opts.ip ?? '203.0.113.7' }
		);
		const text = await res.text();
		const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
		const setCookie = res.headers.get('set-cookie') ?? '';
		const refresh = /(__Secure-stowage_refresh=[^;]+)/.exec(setCookie)?.[1];
		return { status: res.status, json, headers: res.headers, setCookie, refresh };
	};
}
