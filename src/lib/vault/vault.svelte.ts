// The page's handle on the vault: lock state as runes, calls into the crypto worker (where the keys
// live), and the idle auto-lock. Browser-only: import it from client-rendered code.
import type { Remote } from 'comlink';
import type { KdfParams } from '$crypto';
import type { KdfJson, NewPassword, SignupBody, VaultStatus } from './account-ops';
import { openCryptoWorker, unwrap } from './crypto-client';
import { browserKdfStore, refuseDowngrade, rememberKdf, type KdfStore } from './kdf-memory';
import type { CryptoWorkerApi } from './crypto-worker';

const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/** Reactive state ($state proxies) cannot cross to the worker (DataCloneError): send a plain copy. */
const plain = <T>(value: T): T => $state.snapshot(value) as T;

class Vault {
	status = $state<VaultStatus>({ unlocked: false, userId: null, fingerprint: null });
	/** Why the vault last locked, for the lock screen to say. */
	lockedBecause = $state<'idle' | 'manual' | null>(null);

	#api: Remote<CryptoWorkerApi> | null = null;
	#idleMs = 15 * 60_000;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#onActivity = () => this.#arm();
	/** The email and parameters of a login between deriving (step 1) and opening (step 2). */
	#pendingLogin: { email: string; kdf: KdfJson } | null = null;
	/** Where the strongest parameters seen per email are kept (SPEC.md §4.1: no silent downgrade). */
	kdfStore: KdfStore | null = browserKdfStore();

	#refuseDowngrade(email: string, kdf: KdfJson): void {
		if (this.kdfStore) refuseDowngrade(this.kdfStore, email, kdf);
	}

	#remember(email: string, kdf: KdfJson): void {
		if (this.kdfStore) rememberKdf(this.kdfStore, email, kdf);
	}

	get #worker(): Remote<CryptoWorkerApi> {
		this.#api ??= openCryptoWorker().api;
		return this.#api;
	}

	/** Loads libsodium in the worker early, while the person is still typing. */
	warmUp(): void {
		void this.#worker.ready().catch(() => undefined);
	}

	/** Minutes of inactivity before the vault locks itself (from the server's session grant). */
	setIdleMinutes(minutes: number): void {
		this.#idleMs = minutes * 60_000;
		if (this.status.unlocked) this.#arm();
	}

	async createAccount(input: {
		userId: string;
		email: string;
		password: string;
		serverSalt?: string;
		params?: KdfParams;
	}) {
		const created = unwrap(await this.#worker.vaultCreateAccount(input));
		this.#unlocked(unwrap(await this.#worker.vaultStatus()));
		return created as { signup: SignupBody; recoveryKey: string; ms: number };
	}

	async deriveForLogin(
		password: string,
		email: string,
		kdf: KdfJson
	): Promise<{ authKey: string; ms: number }> {
		this.#refuseDowngrade(email, kdf);
		const out = unwrap(await this.#worker.vaultDeriveForLogin(password, email, plain(kdf)));
		this.#pendingLogin = { email, kdf: plain(kdf) };
		return out;
	}

	async openWithMaster(userId: string, masterBundle: string): Promise<void> {
		const pending = this.#pendingLogin;
		this.#pendingLogin = null;
		this.#unlocked(unwrap(await this.#worker.vaultOpenWithMaster(userId, masterBundle)));
		if (pending) this.#remember(pending.email, pending.kdf);
	}

	async unlockWithPassword(
		password: string,
		email: string,
		kdf: KdfJson,
		userId: string,
		masterBundle: string
	): Promise<void> {
		this.#refuseDowngrade(email, kdf);
		this.#unlocked(
			unwrap(await this.#worker.vaultUnlockWithPassword(password, email, plain(kdf), userId, masterBundle))
		);
		this.#remember(email, kdf);
	}

	async unlockWithPasskey(userId: string, prfOutput: Uint8Array, prfBundle: string): Promise<void> {
		this.#unlocked(unwrap(await this.#worker.vaultUnlockWithPasskey(userId, prfOutput, prfBundle)));
	}

	async sealForPasskey(prfOutput: Uint8Array): Promise<string> {
		return unwrap(await this.#worker.vaultSealForPasskey(prfOutput));
	}

	async newPassword(
		password: string,
		email: string,
		serverSalt?: string,
		params?: KdfParams
	): Promise<NewPassword> {
		return unwrap(await this.#worker.vaultNewPassword(password, email, serverSalt, params));
	}

	async proveKnowledge(password: string, email: string, kdf: KdfJson): Promise<string> {
		this.#refuseDowngrade(email, kdf);
		return unwrap(await this.#worker.vaultProveKnowledge(password, email, plain(kdf)));
	}

	async beginRecovery(recoveryKeyText: string): Promise<{ recoveryAuthKey: string }> {
		return unwrap(await this.#worker.vaultBeginRecovery(recoveryKeyText));
	}

	async openWithRecovery(userId: string, recoveryKeyText: string, recoveryBundle: string): Promise<void> {
		this.#unlocked(unwrap(await this.#worker.vaultOpenWithRecovery(userId, recoveryKeyText, recoveryBundle)));
	}

	async rotateRecovery(): Promise<{ recoveryBundle: string; recoveryAuthKey: string; recoveryKey: string }> {
		return unwrap(await this.#worker.vaultRotateRecovery());
	}

	/** Wipes the keys in the worker. Signing out, idling or pressing "Lock" all end here. */
	async lock(reason: 'idle' | 'manual' = 'manual'): Promise<void> {
		this.#disarm();
		if (this.#api) this.status = unwrap(await this.#api.vaultLock());
		else this.status = { unlocked: false, userId: null, fingerprint: null };
		this.lockedBecause = reason;
	}

	#unlocked(status: VaultStatus): void {
		this.status = status;
		this.lockedBecause = null;
		this.#arm();
		for (const e of ACTIVITY) window.addEventListener(e, this.#onActivity, { passive: true });
	}

	#arm(): void {
		clearTimeout(this.#timer);
		this.#timer = setTimeout(() => void this.lock('idle'), this.#idleMs);
	}

	#disarm(): void {
		clearTimeout(this.#timer);
		for (const e of ACTIVITY) window.removeEventListener(e, this.#onActivity);
	}
}

export const vault = new Vault();
