// No silent downgrade (crypto/SPEC.md §4.1): the strongest Argon2id parameters this device has accepted
// for an email, kept in localStorage (not secret), t and m separately. A server that later offers less
// for the same email is refused with ERR_WEAK_PARAMETERS before any derivation.
import { CryptoError, normaliseEmail, type KdfParams } from '$crypto';

/** The slice of `Storage` this needs (localStorage in the page; a Map-backed stand-in in tests). */
export type KdfStore = Pick<Storage, 'getItem' | 'setItem'>;

type Seen = { opsLimit: number; memLimitBytes: number };

export const kdfMemoryKey = (email: string) => `stowage.kdf.v1:${normaliseEmail(email)}`;

function read(store: KdfStore, email: string): Seen | null {
	try {
		const v = JSON.parse(store.getItem(kdfMemoryKey(email)) ?? 'null') as Partial<Seen> | null;
		if (v && Number.isSafeInteger(v.opsLimit) && Number.isSafeInteger(v.memLimitBytes)) return v as Seen;
	} catch {
		// An unreadable entry counts as none; the floor still holds.
	}
	return null;
}

/** Throws ERR_WEAK_PARAMETERS when `params` is below what this device has seen for the email. */
export function refuseDowngrade(
	store: KdfStore,
	email: string,
	params: Pick<KdfParams, 'opsLimit' | 'memLimitBytes'>
): void {
	const seen = read(store, email);
	if (!seen) return;
	if (params.opsLimit < seen.opsLimit || params.memLimitBytes < seen.memLimitBytes) {
		throw new CryptoError(
			'ERR_WEAK_PARAMETERS',
			'below the parameters this device has already seen for this account'
		);
	}
}

/** After a successful unlock: remember the highest t and m seen, each on its own. */
export function rememberKdf(
	store: KdfStore,
	email: string,
	params: Pick<KdfParams, 'opsLimit' | 'memLimitBytes'>
): void {
	const seen = read(store, email);
	const next = {
		opsLimit: Math.max(seen?.opsLimit ?? 0, params.opsLimit),
		memLimitBytes: Math.max(seen?.memLimitBytes ?? 0, params.memLimitBytes)
	};
	try {
		store.setItem(kdfMemoryKey(email), JSON.stringify(next));
	} catch {
		// Storage full or disabled: the floor still holds.
	}
}

/** The page's store, when there is one. */
export function browserKdfStore(): KdfStore | null {
	try {
		return typeof localStorage === 'undefined' ? null : localStorage;
	} catch {
		return null;
	}
}
