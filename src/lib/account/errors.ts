// The one translator from what a call can throw (an API problem, a passkey ceremony, the crypto worker,
// the network) to a sentence a person can act on. Never includes secrets.
import { isCryptoError } from '$crypto';
import { ApiProblem } from '$lib/api/problem';

/** Where the page runs, for messages that depend on it (passkeys and the site's address). */
export type Place = { hostname: string; secure: boolean };

const here = (): Place => ({
	hostname: globalThis.location?.hostname ?? 'localhost',
	secure: globalThis.isSecureContext ?? true
});

/** An address typed as digits (IPv4) or in brackets / with colons (IPv6): no domain for passkeys. */
const isIpAddress = (hostname: string) =>
	/^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.includes(':') || hostname.startsWith('[');

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function rateLimited(problem: ApiProblem): string {
	// The API's own message already says how long to wait; a proxy's 429 may carry only Retry-After.
	if (problem.code === 'rate_limited' && /try again/i.test(problem.detail)) return problem.detail;
	if (problem.retryAfter) {
		return `Too many attempts. Try again in ${plural(Math.ceil(problem.retryAfter / 60), 'minute')}.`;
	}
	return 'Too many attempts. Wait a few minutes and try again.';
}

/** A WebAuthn failure (the browser's DOMException, or SimpleWebAuthn's WebAuthnError carrying its name). */
function passkeyProblem(error: Error & { code?: unknown }, place: Place): string | null {
	switch (error.name) {
		case 'NotAllowedError':
			return 'The passkey prompt was closed or timed out. Nothing was changed.';
		case 'AbortError':
			return 'The passkey request was cancelled before it finished. Nothing was changed.';
		case 'InvalidStateError':
			return 'This device already holds a passkey for this account.';
		case 'NotSupportedError':
			return 'This browser or device cannot create a passkey.';
		case 'ConstraintError':
			return 'This authenticator cannot keep a passkey with a PIN or biometric check. Try another one.';
		case 'SecurityError':
			if (isIpAddress(place.hostname) || error.code === 'ERROR_INVALID_DOMAIN') {
				return `Passkeys need the site’s name, and this page was opened at an IP address (${place.hostname}). Open Stowage at its domain name, or at localhost on this computer, to use a passkey.`;
			}
			return 'Passkeys for Stowage belong to its usual address, and this page was opened at another one. Open Stowage at its usual address to use a passkey.';
	}
	if (error.message === 'WebAuthn is not supported in this browser') return noPasskeysHere(place);
	return null;
}

/** Why this page has no passkeys at all: browsers offer WebAuthn only in a secure context. */
export function noPasskeysHere(place: Place = here()): string {
	return place.secure
		? 'This browser cannot use passkeys.'
		: 'Passkeys need a secure (https) connection. Open Stowage over https, or at localhost on this computer.';
}

function cryptoProblem(code: string): string {
	switch (code) {
		case 'ERR_MALFORMED':
			return 'That recovery key has a typo — check each group.';
		case 'ERR_DECRYPTION_FAILED':
		case 'ERR_MAC_INVALID':
			return 'That password does not unlock this vault.';
		case 'ERR_WEAK_PARAMETERS':
			return 'The key settings from the server are outside the safe range. Contact support.';
		default:
			return 'Your browser could not complete the encryption step. Reload the page and try again.';
	}
}

/**
 * The server refuses requests from any origin but its own (ORIGIN): a page served there at another
 * address (an IP, another host name) gets this for every sign-in and passkey call. Say which address.
 */
function wrongAddress(place: Place): string {
	return isIpAddress(place.hostname)
		? `This page was opened at an IP address (${place.hostname}). Open Stowage at its name instead (its domain name, or localhost on this computer): signing in and passkeys work only there.`
		: `This page was opened at an address Stowage does not use (${place.hostname}). Open Stowage at its usual address to sign in.`;
}

export function describeError(error: unknown, place: Place = here()): string {
	if (error instanceof ApiProblem) {
		if (error.status === 429) return rateLimited(error);
		if (error.code === 'cross_site_request') return wrongAddress(place);
		return error.detail;
	}
	if (isCryptoError(error)) return cryptoProblem(error.code);
	if (error instanceof Error || error instanceof DOMException) {
		const passkey = passkeyProblem(error, place);
		if (passkey) return passkey;
	}
	// fetch rejects with a TypeError when the network (or the server) is unreachable.
	if (error instanceof TypeError) return 'Could not reach Stowage. Check your connection and try again.';
	// Our own messages for people (e.g. "Unlock the vault before adding a passkey.").
	if (error instanceof Error && error.message.startsWith('Unlock')) return error.message;
	return 'Something went wrong. Try again in a moment.';
}

/** A passkey prompt the person dismissed: nothing to report. */
export function isCancelled(error: unknown): boolean {
	return (
		(error instanceof Error || error instanceof DOMException) &&
		(error.name === 'NotAllowedError' || error.name === 'AbortError')
	);
}

/**
 * Recovery with the right key on an account with two-factor: the server wants the code as well. Not a
 * failure to report ("not correct" would be wrong), but a field to ask for.
 */
export function isSecondFactorMissing(error: unknown): boolean {
	return error instanceof ApiProblem && error.code === 'second_factor_required';
}

/** The API refused a re-authentication proof (the password or recovery key was wrong). */
export function isWrongProof(error: unknown): boolean {
	return error instanceof ApiProblem && error.code === 'wrong_password';
}
