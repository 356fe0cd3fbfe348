// The server salt prelogin returns for an email (crypto/SPEC.md §4.1.1): HMAC-SHA256 of the normalised
// email under the server's prelogin key, first 16 bytes. The same for real and unknown accounts, and kept
// across password changes and recovery, so watching prelogin reveals neither existence nor activity.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ServerKeys } from '../secrets';
import { ApiError } from '../api/problem';

/** `email` is already normalised (the `Email` schema). */
export function serverSalt(keys: Pick<ServerKeys, 'prelogin'>, email: string): Uint8Array {
	return new Uint8Array(createHmac('sha256', keys.prelogin).update(email).digest().subarray(0, 16));
}

/** Sign-up, password change and recovery take prelogin's salt for the account's email and no other. */
export function requireServerSalt(keys: Pick<ServerKeys, 'prelogin'>, email: string, salt: Uint8Array): void {
	const expected = serverSalt(keys, email);
	if (salt.length !== expected.length || !timingSafeEqual(salt, expected)) {
		throw new ApiError(
			400,
			'salt_mismatch',
			'Wrong salt',
			'The key-derivation salt must be the one prelogin returns for this email.'
		);
	}
}
