// What was added to an account in the last 24 hours (passkeys, two-factor), so that the owner can undo
// what a thief holding a session may have added. A credential change lists it and hands back a
// single-use clean-up token: that request's proof authorises removing it in one click.
import { deleteRecentPasskeys, passkeysAddedRecently } from '../db/passkeys';
import { disableTotp, totpEnabledRecently } from '../db/second-factors';
import type { SqlExecutor } from '../db/types';
import type { ApiDeps } from '../api/env';

export type RecentAdditions = {
	passkeys: { id: string; name: string; createdAt: string }[];
	totpEnabledAt: string | null;
};

export async function recentAdditions(tx: SqlExecutor, userId: string): Promise<RecentAdditions> {
	const [passkeys, totp] = [await passkeysAddedRecently(tx, userId), await totpEnabledRecently(tx, userId)];
	return {
		passkeys: passkeys.map((p) => ({ id: p.id, name: p.name, createdAt: p.createdAt.toISOString() })),
		totpEnabledAt: totp?.toISOString() ?? null
	};
}

/** The list and, when it is not empty, a clean-up token naming exactly what it lists. */
export async function offerCleanup(
	deps: Pick<ApiDeps, 'tokens'>,
	tx: SqlExecutor,
	userId: string
): Promise<{ recentlyAdded: RecentAdditions; cleanupToken: string | null }> {
	const recentlyAdded = await recentAdditions(tx, userId);
	const empty = recentlyAdded.passkeys.length === 0 && recentlyAdded.totpEnabledAt === null;
	const cleanupToken = empty
		? null
		: await deps.tokens.sign('cleanup', {
				sub: userId,
				passkeys: recentlyAdded.passkeys.map((p) => p.id),
				totp: recentlyAdded.totpEnabledAt !== null
			});
	return { recentlyAdded, cleanupToken };
}

/** Removes recent passkeys (of `ids`) and recently enabled two-factor; what it removed, by name. */
export async function removeRecentAdditions(
	tx: SqlExecutor,
	userId: string,
	what: { passkeys: string[]; totp: boolean }
): Promise<{ passkeys: string[]; totp: boolean }> {
	const passkeys = await deleteRecentPasskeys(tx, userId, what.passkeys);
	const totp = what.totp && (await totpEnabledRecently(tx, userId)) !== null;
	if (totp) await disableTotp(tx, userId);
	return { passkeys, totp };
}

/** Recovery removes every passkey and second factor added in the 24 hours before it. */
export async function removeAllRecentAdditions(tx: SqlExecutor, userId: string) {
	const recent = await recentAdditions(tx, userId);
	return removeRecentAdditions(tx, userId, {
		passkeys: recent.passkeys.map((p) => p.id),
		totp: recent.totpEnabledAt !== null
	});
}
