// The one error type of the crypto core (SPEC.md §2.4): a closed set of codes, messages that never carry secrets.

/** Every code the core can throw. Closed: adding one is a SPEC.md change. */
export const CRYPTO_ERROR_CODES = [
	'ERR_INVALID_INPUT',
	'ERR_MALFORMED',
	'ERR_UNSUPPORTED_VERSION',
	'ERR_WRONG_CONTEXT',
	'ERR_DECRYPTION_FAILED',
	'ERR_WEAK_PARAMETERS',
	'ERR_SIGNATURE_INVALID',
	'ERR_MAC_INVALID',
	'ERR_NOT_READY',
	'ERR_UNAVAILABLE',
	'ERR_CHAIN_FORK'
] as const;

export type CryptoErrorCode = (typeof CRYPTO_ERROR_CODES)[number];

/** Fixed, secret-free messages. A caller-supplied detail is never interpolated. */
const MESSAGES: Record<CryptoErrorCode, string> = {
	ERR_INVALID_INPUT: 'invalid input',
	ERR_MALFORMED: 'malformed encoding',
	ERR_UNSUPPORTED_VERSION: 'unsupported format version',
	ERR_WRONG_CONTEXT: 'object belongs to another context',
	// Deliberately uninformative (SPEC.md §6.6): it never says which check failed.
	ERR_DECRYPTION_FAILED: 'decryption failed',
	ERR_WEAK_PARAMETERS: 'key derivation parameters outside the accepted range',
	ERR_SIGNATURE_INVALID: 'signature verification failed',
	ERR_MAC_INVALID: 'MAC verification failed',
	ERR_NOT_READY: 'crypto core used before ready() resolved',
	ERR_UNAVAILABLE: 'libsodium build lacks a required function',
	// SPEC.md §16.8: the chain shown does not extend the point this reader already verified (fork or rollback).
	ERR_CHAIN_FORK: 'team chain does not extend the last verified head'
};

export class CryptoError extends Error {
	readonly code: CryptoErrorCode;

	/**
	 * @param code one of CRYPTO_ERROR_CODES
	 * @param hint a static, secret-free hint written in the source (never data); used for typos the user can fix
	 */
	constructor(code: CryptoErrorCode, hint?: string) {
		super(hint === undefined ? MESSAGES[code] : `${MESSAGES[code]}: ${hint}`);
		this.name = 'CryptoError';
		this.code = code;
	}
}

export function isCryptoError(e: unknown, code?: CryptoErrorCode): e is CryptoError {
	return e instanceof CryptoError && (code === undefined || e.code === code);
}
