// crypto/SPEC.md §4.1: a login whose stored parameters are below the current defaults re-derives with the
// defaults and re-wraps the bundle, through the ordinary password-change API (same password, same server
// salt; the login's auth key is the proof). Nothing is re-encrypted. Like any password change, it ends the
// account's other sessions.
import { KDF_DEFAULTS, type KdfParams } from '$crypto';
import type { KdfJson, NewPassword } from '$lib/vault/account-ops';

export const belowDefaults = (p: Pick<KdfParams, 'opsLimit' | 'memLimitBytes'>) =>
	p.opsLimit < KDF_DEFAULTS.opsLimit || p.memLimitBytes < KDF_DEFAULTS.memLimitBytes;

/**
 * Returns the new parameters when it upgraded, null when none was needed. `seal` re-derives and seals
 * in the vault (the worker's `newPassword`, or account-ops in a test); `send` posts the password change.
 */
export async function upgradeKdf(input: {
	password: string;
	email: string;
	kdf: KdfJson;
	authKey: string;
	seal: (
		password: string,
		email: string,
		serverSalt: string,
		params: KdfParams
	) => Promise<NewPassword> | NewPassword;
	send: (body: { reauth: { authKey: string } } & NewPassword) => Promise<unknown>;
}): Promise<KdfJson | null> {
	if (!belowDefaults(input.kdf)) return null;
	const sealed = await input.seal(input.password, input.email, input.kdf.salt, KDF_DEFAULTS);
	await input.send({ reauth: { authKey: input.authKey }, ...sealed });
	return sealed.kdf;
}
