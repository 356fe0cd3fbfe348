// The account vault as the crypto worker exposes it: every call returns a Result (a CryptoError's code
// survives the worker boundary as data), and no secret key is ever among the values returned.
import { ready, type CryptoErrorCode, type KdfParams } from '$crypto';
import { AccountVault, type KdfJson } from './account-ops';

type Result<T> = { ok: true; value: T } | { ok: false; code: CryptoErrorCode };

export function createVaultApi(attempt: <T>(f: () => T) => Result<T>) {
	const vault = new AccountVault();
	const run = async <T>(f: () => T): Promise<Result<T>> => {
		await ready();
		return attempt(f);
	};
	return {
		vaultStatus: () => run(() => vault.status()),
		vaultLock: () => run(() => vault.lock()),
		vaultCreateAccount: (input: Parameters<AccountVault['createAccount']>[0]) =>
			run(() => vault.createAccount(input)),
		vaultDeriveForLogin: (password: string, email: string, kdf: KdfJson) =>
			run(() => vault.deriveForLogin(password, email, kdf)),
		vaultOpenWithMaster: (userId: string, masterBundle: string) =>
			run(() => vault.openWithMaster(userId, masterBundle)),
		vaultUnlockWithPassword: (
			password: string,
			email: string,
			kdf: KdfJson,
			userId: string,
			masterBundle: string
		) => run(() => vault.unlockWithPassword(password, email, kdf, userId, masterBundle)),
		vaultUnlockWithPasskey: (userId: string, prfOutput: Uint8Array, prfBundle: string) =>
			run(() => vault.unlockWithPasskey(userId, prfOutput, prfBundle)),
		vaultSealForPasskey: (prfOutput: Uint8Array) => run(() => vault.sealForPasskey(prfOutput)),
		vaultNewPassword: (password: string, email: string, serverSalt?: string, params?: KdfParams) =>
			run(() => vault.newPassword(password, email, serverSalt, params)),
		vaultProveKnowledge: (password: string, email: string, kdf: KdfJson) =>
			run(() => vault.proveKnowledge(password, email, kdf)),
		vaultBeginRecovery: (recoveryKeyText: string) => run(() => vault.beginRecovery(recoveryKeyText)),
		vaultOpenWithRecovery: (userId: string, recoveryKeyText: string, recoveryBundle: string) =>
			run(() => vault.openWithRecovery(userId, recoveryKeyText, recoveryBundle)),
		vaultRotateRecovery: () => run(() => vault.rotateRecovery())
	};
}
