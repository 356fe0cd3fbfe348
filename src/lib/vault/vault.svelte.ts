// The page's handle on the vault: lock state as runes, the crypto worker's operations (where the keys
// live), the no-downgrade check on key-derivation parameters, and the idle auto-lock. Browser-only:
// import it from client-rendered code.
import type { KdfParams } from '$crypto';
import type { KdfJson, VaultStatus } from './account-ops';
import { openVaultWorker, type VaultWorker } from './crypto-client';
import { browserKdfStore, refuseDowngrade, rememberKdf, type KdfStore } from './kdf-memory';
import type { Operations } from './operations';
import type { Called } from './result';

const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/** Reactive state ($state proxies) cannot cross to the worker (DataCloneError): send a plain copy. */
const plain = <T>(value: T): T => $state.snapshot(value) as T;

/** Operations that change the lock state or derive from server-sent parameters: only the methods below call them. */
type Guarded =
	| 'status'
	| 'lock'
	| 'createAccount'
	| 'deriveForLogin'
	| 'openWithMaster'
	| 'unlockWithPassword'
	| 'unlockWithPasskey'
	| 'openWithRecovery'
	| 'proveKnowledge';

const LOCKED: VaultStatus = { unlocked: false, userId: null, fingerprint: null };

class Vault {
	status = $state<VaultStatus>(LOCKED);
	/** Why the vault last locked, for the lock screen to say. */
	lockedBecause = $state<'idle' | 'manual' | null>(null);

	#worker: VaultWorker | null = null;
	#idleMs = 15 * 60_000;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#onActivity = () => this.#arm();
	/** The email and parameters of a login between deriving (step 1) and opening (step 2). */
	#pendingLogin: { email: string; kdf: KdfJson } | null = null;
	/** Where the strongest parameters seen per email are kept (SPEC.md §4.1: no silent downgrade). */
	kdfStore: KdfStore | null = browserKdfStore();

	get #ops(): Called<Operations> {
		this.#worker ??= openVaultWorker();
		return this.#worker.ops;
	}

	/** Every other operation of the worker (operations.ts), called as it is: nothing to add here for a new one. */
	get ops(): Omit<Called<Operations>, Guarded> {
		return this.#ops;
	}

	/** Loads libsodium in the worker early, while the person is still typing. */
	warmUp(): void {
		void this.#ops.status().catch(() => undefined);
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
		const { status, ...created } = await this.#ops.createAccount(input);
		this.#unlocked(status);
		return created;
	}

	async deriveForLogin(password: string, email: string, kdf: KdfJson) {
		this.#refuseDowngrade(email, kdf);
		const out = await this.#ops.deriveForLogin(password, email, plain(kdf));
		this.#pendingLogin = { email, kdf: plain(kdf) };
		return out;
	}

	async openWithMaster(userId: string, masterBundle: string): Promise<void> {
		const pending = this.#pendingLogin;
		this.#pendingLogin = null;
		this.#unlocked(await this.#ops.openWithMaster(userId, masterBundle));
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
		this.#unlocked(await this.#ops.unlockWithPassword(password, email, plain(kdf), userId, masterBundle));
		this.#remember(email, kdf);
	}

	async unlockWithPasskey(userId: string, prfOutput: Uint8Array, prfBundle: string): Promise<void> {
		this.#unlocked(await this.#ops.unlockWithPasskey(userId, prfOutput, prfBundle));
	}

	async openWithRecovery(userId: string, recoveryKeyText: string, recoveryBundle: string): Promise<void> {
		this.#unlocked(await this.#ops.openWithRecovery(userId, recoveryKeyText, recoveryBundle));
	}

	async proveKnowledge(password: string, email: string, kdf: KdfJson): Promise<string> {
		this.#refuseDowngrade(email, kdf);
		return this.#ops.proveKnowledge(password, email, plain(kdf));
	}

	/** Wipes the keys in the worker. Signing out, idling or pressing "Lock" all end here. */
	async lock(reason: 'idle' | 'manual' = 'manual'): Promise<void> {
		this.#disarm();
		this.status = this.#worker ? await this.#worker.ops.lock() : LOCKED;
		this.lockedBecause = reason;
	}

	#refuseDowngrade(email: string, kdf: KdfJson): void {
		if (this.kdfStore) refuseDowngrade(this.kdfStore, email, kdf);
	}

	#remember(email: string, kdf: KdfJson): void {
		if (this.kdfStore) rememberKdf(this.kdfStore, email, kdf);
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
