// Turns what a call can throw into a sentence a person can act on. Never includes secrets.
import { isCryptoError } from '$crypto';
import { ApiProblem } from '$lib/api/session.svelte';

export function describeError(error: unknown): string {
	if (error instanceof ApiProblem) {
		if (error.status === 429) {
			return error.detail || 'Too many attempts. Wait a few minutes and try again.';
		}
		return error.detail;
	}
	if (isCryptoError(error)) {
		switch (error.code) {
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
	if (error instanceof TypeError) {
		return 'Could not reach Stowage. Check your connection and try again.';
	}
	return 'Something went wrong. Try again in a moment.';
}

/** A passkey prompt the person dismissed: nothing to report. */
export function isCancelled(error: unknown): boolean {
	return error instanceof DOMException && (error.name === 'NotAllowedError' || error.name === 'AbortError');
}
