// Server-side Argon2id over the keys browsers send (auth key, recovery auth key). These are 32-byte
// outputs of the client's own Argon2id, so OWASP's minimum parameters suffice here: the hash only has
// to make a stolen database useless for logging in.
import { hash, verify } from '@node-rs/argon2';

const PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * @node-rs/argon2 hashes binary input but verifies it as (lossy) UTF-8, so random bytes never verify.
 * Its ASCII base64url encoding carries the same 256 bits and round-trips exactly.
 */
const encode = (key: Uint8Array) => Buffer.from(key).toString('base64url');

export function hashKey(key: Uint8Array): Promise<string> {
	return hash(encode(key), PARAMS);
}

export async function verifyKey(phc: string, key: Uint8Array): Promise<boolean> {
	try {
		return await verify(phc, encode(key));
	} catch {
		return false; // a malformed stored hash verifies nothing
	}
}

let dummy: Promise<string> | undefined;
/** Spends the time of one verification, for unknown accounts, so timing does not reveal them. */
export async function verifyNothing(key: Uint8Array): Promise<false> {
	dummy ??= hashKey(new Uint8Array(32));
	await verifyKey(await dummy, key);
	return false;
}
