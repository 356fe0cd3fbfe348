// Small helpers shared by the security settings cards. Nothing here logs or stores what it is given.
import { tick } from 'svelte';
import { readJson } from '$lib/api/problem';
import { session } from '$lib/api/session.svelte';

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

/** formatWhen inside a sentence ("added just now"): only our own capitalised words are lowered, not dates. */
export function whenInSentence(iso: string | null, now = Date.now()): string {
	const text = formatWhen(iso, now);
	return text === 'Just now' || text === 'Never' ? text.toLowerCase() : text;
}

export function formatDate(iso: string): string {
	return dateTime.format(new Date(iso));
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
	session.account = await readJson(session.api.api.auth.me.$get());
}

/** Moves focus to an element once the DOM has caught up with a state change. */
export async function focusSoon(target: () => HTMLElement | null | undefined): Promise<void> {
	await tick();
	target()?.focus();
}
