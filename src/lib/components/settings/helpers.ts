// Small helpers shared by the security settings cards. Nothing here logs or stores what it is given.
import { isCryptoError } from '$crypto';
import { ApiProblem, session } from '$lib/api/session.svelte';

/** A sentence a person can act on, from whatever a settings call threw. Never includes secrets. */
export function problemText(error: unknown): string {
	if (error instanceof ApiProblem) {
		if (error.status === 429 && error.retryAfter) {
			const minutes = Math.ceil(error.retryAfter / 60);
			return `${error.detail} Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
		}
		return error.detail;
	}
	if (error instanceof DOMException) {
		if (error.name === 'NotAllowedError' || error.name === 'AbortError')
			return 'The passkey prompt was closed or timed out. Nothing was changed.';
		if (error.name === 'InvalidStateError') return 'This device already holds a passkey for this account.';
		if (error.name === 'NotSupportedError') return 'This browser or device cannot create a passkey.';
	}
	if (isCryptoError(error))
		return 'Your browser could not complete the encryption step. Reload the page and try again.';
	if (error instanceof TypeError) return 'Could not reach Stowage. Check your connection and try again.';
	if (error instanceof Error && error.message.startsWith('Unlock')) return error.message;
	return 'Something went wrong. Try again in a moment.';
}

/** "Chrome on Linux", "Safari on iPhone", … from a user-agent string. */
export function describeDevice(userAgent: string | null): string {
	if (!userAgent) return 'Unknown device';
	const ua = userAgent;
	const browser = /Edg(A|iOS)?\//.test(ua)
		? 'Edge'
		: /OPR\/|Opera/.test(ua)
			? 'Opera'
			: /Firefox\/|FxiOS\//.test(ua)
				? 'Firefox'
				: /Chrome\/|CriOS\/|Chromium\//.test(ua)
					? 'Chrome'
					: /Safari\//.test(ua)
						? 'Safari'
						: /node|undici|curl|playwright/i.test(ua)
							? 'Script'
							: 'Browser';
	const os = /iPhone/.test(ua)
		? 'iPhone'
		: /iPad/.test(ua)
			? 'iPad'
			: /Android/.test(ua)
				? 'Android'
				: /Windows/.test(ua)
					? 'Windows'
					: /Mac OS X|Macintosh/.test(ua)
						? 'macOS'
						: /CrOS/.test(ua)
							? 'ChromeOS'
							: /Linux/.test(ua)
								? 'Linux'
								: null;
	return os ? `${browser} on ${os}` : browser;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "2 minutes ago", "yesterday", or a date for anything older than a week. */
export function formatWhen(iso: string | null, now = Date.now()): string {
	if (!iso) return 'Never';
	const t = new Date(iso).getTime();
	if (!Number.isFinite(t)) return '—';
	const seconds = Math.round((t - now) / 1000);
	const abs = Math.abs(seconds);
	if (abs < 60) return 'Just now';
	if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
	if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour');
	if (abs < 7 * 86_400) return relative.format(Math.round(seconds / 86_400), 'day');
	return dateTime.format(t);
}

export function formatDate(iso: string): string {
	return dateTime.format(new Date(iso));
}

/** Offers text as a file download (backup codes, recovery key); the object URL is revoked right after. */
export function downloadText(filename: string, text: string): void {
	const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
	const a = document.createElement('a');
	a.href = url;
	a.download = filename;
	a.rel = 'noopener';
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Groups a base32 secret in fours for typing it by hand. */
export function groupSecret(secret: string): string {
	return (
		secret
			.replace(/\s+/g, '')
			.match(/.{1,4}/g)
			?.join(' ') ?? secret
	);
}

/** Reloads the account (kdf, master bundle, two-factor state) after a change. */
export async function refreshAccount(): Promise<void> {
	const res = await session.api.api.auth.me.$get();
	if (!res.ok) return;
	session.account = await res.json();
}
