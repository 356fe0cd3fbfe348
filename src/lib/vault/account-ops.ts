// The vault's account operations (crypto/SPEC.md §4–§5). They run inside the crypto worker, which is
// the only place the identity's secret keys live: the page gets statuses and values for the server.
// Each operation is one function here; operations.ts adds it to what the worker serves.
import {
	argon2Salt,
	bundleKeyFrom,
	CryptoError,
	decodeRecoveryKey,
	deriveAccountKeys,
	derivePrfKey,
	deriveRecoveryKeys,
	deriveRootKey,
	displayFingerprint,
	encodeRecoveryKey,
	fromBase64url,
	generateIdentity,
	generateRecoveryKey,
	generateSalt,
	KDF_DEFAULTS,
	openIdentityBundle,
	passwordBytes,
	sealIdentityBundle,
	toBase64url,
	wipe,
	type KdfParams,
	type MasterKey,
	type UnlockMethod,
	type UserIdentity
} from '$crypto';

/** KDF parameters as the API carries them. */
export type KdfJson = { alg: 'argon2id13'; salt: string; opsLimit: number; memLimitBytes: number };

export type VaultStatus = { unlocked: boolean; userId: string | null; fingerprint: string | null };

export type SignupBody = {
	userId: string;
	email: string;
	kdf: KdfJson;
	authKey: string;
	publicKeys: { x25519: string; ed25519: string };
	masterBundle: string;
	recoveryBundle: string;
	recoveryAuthKey: string;
};

export type NewPassword = { kdf: KdfJson; authKey: string; masterBundle: string };

const b64 = toBase64url;

function params(kdf: KdfJson): KdfParams {
	return { alg: kdf.alg, opsLimit: kdf.opsLimit, memLimitBytes: kdf.memLimitBytes };
}

/** SPEC.md §4.1–§4.1.1: `kdf.salt` is the server salt; Argon2id takes the salt bound to the email. */
function derive(password: string, email: string, kdf: KdfJson) {
	const t0 = performance.now();
	const pw = passwordBytes(password);
	const salt = argon2Salt(email, fromBase64url(kdf.salt));
	const root = deriveRootKey(pw, salt, params(kdf));
	const keys = deriveAccountKeys(root);
	wipe(root);
	return { ...keys, ms: performance.now() - t0 };
}

type BundleKey = Parameters<typeof sealIdentityBundle>[1];

function kdfFor(serverSalt: string | undefined, p: KdfParams): KdfJson {
	return {
		alg: 'argon2id13',
		salt: serverSalt ?? b64(generateSalt()),
		opsLimit: p.opsLimit,
		memLimitBytes: p.memLimitBytes
	};
}

function seal(identity: UserIdentity, userId: string, method: UnlockMethod, key: BundleKey): string {
	return b64(sealIdentityBundle(identity, key, { userId, method }));
}

/**
 * The unlocked identity as other operations of the same worker see it (org-ops.ts): read through
 * `unlocked()`, never sent to the page. `onLock` hooks wipe what they derived from it when the vault locks.
 */
export interface VaultSession {
	unlocked(): { identity: UserIdentity; userId: string };
	onLock(wipeHook: () => void): void;
}

/** One vault's account operations over its own state: the unlocked identity, and a login's master key. */
export function accountOperations(share?: (session: VaultSession) => void) {
	let identity: UserIdentity | null = null;
	let userId: string | null = null;
	/** The master key between deriving it (login step 1) and opening the bundle (step 2). */
	let pendingMaster: MasterKey | null = null;
	const lockHooks: (() => void)[] = [];

	const unlocked = (): { identity: UserIdentity; userId: string } => {
		if (!identity || !userId) throw new CryptoError('ERR_INVALID_INPUT', 'the vault is locked');
		return { identity, userId };
	};
	share?.({ unlocked, onLock: (hook) => void lockHooks.push(hook) });

	const open = (id: string, bundle: string, method: UnlockMethod, key: BundleKey): VaultStatus => {
		const opened = openIdentityBundle(fromBase64url(bundle), key, { userId: id, method });
		ops.lock();
		identity = opened;
		userId = id;
		return ops.status();
	};

	const ops = {
		status(): VaultStatus {
			return {
				unlocked: identity !== null,
				userId,
				fingerprint: identity ? displayFingerprint(identity) : null
			};
		},

		/** Wipes every secret the vault holds. */
		lock(): VaultStatus {
			for (const hook of lockHooks) hook();
			if (identity) {
				wipe(identity.boxSecretKey);
				wipe(identity.signSecretKey);
			}
			if (pendingMaster) wipe(pendingMaster);
			identity = null;
			pendingMaster = null;
			return ops.status();
		},

		/** Sign-up: everything the server stores, and the recovery key to show once. Leaves the vault unlocked. */
		createAccount(input: {
			userId: string;
			email: string;
			password: string;
			/** Prelogin's server salt for the email (base64url); a fresh one when absent. */
			serverSalt?: string;
			params?: KdfParams;
		}): { signup: SignupBody; recoveryKey: string; status: VaultStatus; ms: number } {
			const kdf = kdfFor(input.serverSalt, input.params ?? KDF_DEFAULTS);
			const { authKey, masterKey, ms } = derive(input.password, input.email, kdf);
			const created = generateIdentity();
			const recovery = generateRecoveryKey();
			const { recoveryAuthKey, bundleKey: recoveryBundleKey } = deriveRecoveryKeys(recovery);
			const signup: SignupBody = {
				userId: input.userId,
				email: input.email,
				kdf,
				authKey: b64(authKey),
				publicKeys: { x25519: b64(created.boxPublicKey), ed25519: b64(created.signPublicKey) },
				masterBundle: seal(created, input.userId, 'master', bundleKeyFrom('master', masterKey)),
				recoveryBundle: seal(created, input.userId, 'recovery', recoveryBundleKey),
				recoveryAuthKey: b64(recoveryAuthKey)
			};
			const recoveryKey = encodeRecoveryKey(recovery);
			for (const k of [authKey, masterKey, recovery, recoveryAuthKey, recoveryBundleKey]) wipe(k);
			ops.lock();
			identity = created;
			userId = input.userId;
			return { signup, recoveryKey, status: ops.status(), ms };
		},

		/** Login step 1: the auth key for the server. The master key waits here for step 2. */
		deriveForLogin(password: string, email: string, kdf: KdfJson): { authKey: string; ms: number } {
			const { authKey, masterKey, ms } = derive(password, email, kdf);
			if (pendingMaster) wipe(pendingMaster);
			pendingMaster = masterKey;
			const out = b64(authKey);
			wipe(authKey);
			return { authKey: out, ms };
		},

		/** Login step 2 (or unlock): open the master bundle the server returned. */
		openWithMaster(id: string, masterBundle: string): VaultStatus {
			const master = pendingMaster;
			if (!master) throw new CryptoError('ERR_INVALID_INPUT', 'derive the master key first');
			pendingMaster = null;
			try {
				return open(id, masterBundle, 'master', bundleKeyFrom('master', master));
			} finally {
				wipe(master);
			}
		},

		/** Unlocking a locked vault with the password alone (the session is still valid). */
		unlockWithPassword(
			password: string,
			email: string,
			kdf: KdfJson,
			id: string,
			masterBundle: string
		): VaultStatus {
			ops.deriveForLogin(password, email, kdf);
			return ops.openWithMaster(id, masterBundle);
		},

		/** A passkey's PRF output (32 bytes, never sent anywhere) unlocks its sealed bundle. */
		unlockWithPasskey(id: string, prfOutput: Uint8Array, prfBundle: string): VaultStatus {
			const prfKey = derivePrfKey(prfOutput);
			wipe(prfOutput);
			try {
				return open(id, prfBundle, 'prf', bundleKeyFrom('prf', prfKey));
			} finally {
				wipe(prfKey);
			}
		},

		/** Seals the unlocked identity for a new passkey with PRF. */
		sealForPasskey(prfOutput: Uint8Array): string {
			const me = unlocked();
			const prfKey = derivePrfKey(prfOutput);
			wipe(prfOutput);
			try {
				return seal(me.identity, me.userId, 'prf', bundleKeyFrom('prf', prfKey));
			} finally {
				wipe(prfKey);
			}
		},

		/**
		 * A new password: auth key and master bundle over the same identity (nothing re-encrypted). The
		 * server salt is prelogin's for the email (a fresh one when absent).
		 */
		newPassword(
			password: string,
			email: string,
			serverSalt?: string,
			p: KdfParams = KDF_DEFAULTS
		): NewPassword {
			const me = unlocked();
			const kdf = kdfFor(serverSalt, p);
			const { authKey, masterKey } = derive(password, email, kdf);
			const out = {
				kdf,
				authKey: b64(authKey),
				masterBundle: seal(me.identity, me.userId, 'master', bundleKeyFrom('master', masterKey))
			};
			wipe(authKey);
			wipe(masterKey);
			return out;
		},

		/** The auth key of the current password, to prove it for sensitive changes. */
		proveKnowledge(password: string, email: string, kdf: KdfJson): string {
			const { authKey, masterKey } = derive(password, email, kdf);
			wipe(masterKey);
			const out = b64(authKey);
			wipe(authKey);
			return out;
		},

		/** Recovery step 1: the recovery key as typed (typos caught by its checksum) → its auth key. */
		beginRecovery(recoveryKeyText: string): { recoveryAuthKey: string } {
			const recovery = decodeRecoveryKey(recoveryKeyText);
			const { recoveryAuthKey, bundleKey } = deriveRecoveryKeys(recovery);
			const out = b64(recoveryAuthKey);
			for (const k of [recovery, recoveryAuthKey, bundleKey]) wipe(k);
			return { recoveryAuthKey: out };
		},

		/** Recovery step 2: open the recovery bundle; the vault is unlocked and can set a new password. */
		openWithRecovery(id: string, recoveryKeyText: string, recoveryBundle: string): VaultStatus {
			const recovery = decodeRecoveryKey(recoveryKeyText);
			const { bundleKey, recoveryAuthKey } = deriveRecoveryKeys(recovery);
			wipe(recovery);
			wipe(recoveryAuthKey);
			try {
				return open(id, recoveryBundle, 'recovery', bundleKey);
			} finally {
				wipe(bundleKey);
			}
		},

		/** A fresh recovery key sealing the unlocked identity; the old one stops working once the server stores it. */
		rotateRecovery(): { recoveryBundle: string; recoveryAuthKey: string; recoveryKey: string } {
			const me = unlocked();
			const recovery = generateRecoveryKey();
			const { recoveryAuthKey, bundleKey } = deriveRecoveryKeys(recovery);
			const out = {
				recoveryBundle: seal(me.identity, me.userId, 'recovery', bundleKey),
				recoveryAuthKey: b64(recoveryAuthKey),
				recoveryKey: encodeRecoveryKey(recovery)
			};
			for (const k of [recovery, recoveryAuthKey, bundleKey]) wipe(k);
			return out;
		}
	};
	return ops;
}

export type AccountOperations = ReturnType<typeof accountOperations>;
