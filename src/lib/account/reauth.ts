// A fresh proof for a credential change, as the API takes it in the same request: the auth key derived
// (in the vault's worker) from the current password, or the recovery auth key derived from the recovery
// key. Nothing else derived from either crosses to the page.
import { session } from '$lib/api/session.svelte';
import { vault } from '$lib/vault/vault.svelte';

export type Reauth = { authKey: string } | { recoveryAuthKey: string };

export type ReauthMethod = 'password' | 'recoveryKey';

export async function proveIdentity(method: ReauthMethod, secret: string): Promise<Reauth> {
	if (method === 'recoveryKey')
		return { recoveryAuthKey: (await vault.ops.beginRecovery(secret)).recoveryAuthKey };
	const account = session.account;
	if (!account) throw new Error('Unlock your vault first.');
	return { authKey: await vault.proveKnowledge(secret, account.email, account.kdf) };
}

/** What a credential change found added in the last 24 hours (perhaps by someone holding a session). */
export type RecentlyAdded = {
	passkeys: { id: string; name: string; createdAt: string }[];
	totpEnabledAt: string | null;
};

/** A credential change's answer about recent additions, and the token that removes them in one click. */
export type CleanupOffer = { recentlyAdded: RecentlyAdded; cleanupToken: string | null };

export const hasRecentAdditions = (
	offer: CleanupOffer | null
): offer is CleanupOffer & { cleanupToken: string } =>
	offer !== null &&
	offer.cleanupToken !== null &&
	(offer.recentlyAdded.passkeys.length > 0 || offer.recentlyAdded.totpEnabledAt !== null);
