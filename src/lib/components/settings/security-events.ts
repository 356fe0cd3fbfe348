// The security log's events as sentences a person reads ("Signed in with a passkey"), with a flag for
// the ones worth a second look. Unknown kinds still read as words, so a new server event never breaks it.

export type SecurityEvent = {
	id: string;
	at: string;
	kind: string;
	ip: string | null;
	userAgent: string | null;
	detail: Record<string, unknown>;
};

export type EventText = { text: string; flag?: 'Failed' | 'Refused' };

const count = (n: unknown, one: string, many: string) =>
	typeof n === 'number' ? `${n} ${n === 1 ? one : many}` : null;

const SIGN_IN: Record<string, string> = {
	password: 'Signed in with your password',
	'password+totp': 'Signed in with your password and a two-factor code',
	passkey: 'Signed in with a passkey',
	recovery: 'Signed in with the recovery key'
};

const FAILED_STEP: Record<string, string> = {
	password: 'wrong password',
	totp: 'wrong two-factor code',
	backup_code: 'wrong backup code'
};

function othersEnded(detail: Record<string, unknown>): string {
	const n = count(detail.revokedSessions, 'other session', 'other sessions');
	return n && detail.revokedSessions !== 0 ? ` (${n} ended)` : '';
}

export function describeEvent(event: Pick<SecurityEvent, 'kind' | 'detail'>): EventText {
	const d = event.detail ?? {};
	switch (event.kind) {
		case 'signed_in':
			return { text: SIGN_IN[String(d.method)] ?? 'Signed in' };
		case 'sign_in_failed': {
			const why = FAILED_STEP[String(d.step)];
			return { text: why ? `Failed sign-in (${why})` : 'Failed sign-in', flag: 'Failed' };
		}
		case 'signed_out':
			return { text: 'Signed out' };
		case 'session_revoked':
			return { text: 'Another device was signed out' };
		case 'signed_out_everywhere': {
			const n = count(d.revokedSessions, 'session', 'sessions');
			return { text: `Signed out everywhere${n ? ` (${n} ended)` : ''}` };
		}
		case 'refresh_token_reused':
			return {
				text: 'An old session token was used again; that session was ended to be safe',
				flag: 'Refused'
			};
		case 'session_expired':
			return {
				text:
					d.reason === 'idle'
						? 'A session ended after a long time unused'
						: d.reason === 'absolute'
							? 'A session reached its maximum age and ended'
							: 'A session ended'
			};
		case 'reauth_failed':
			return { text: 'Wrong password or recovery key when confirming a change', flag: 'Failed' };
		case 'password_changed':
			return { text: `Password changed${othersEnded(d)}` };
		case 'recovered': {
			const removed = [
				count(d.removedPasskeys, 'recent passkey', 'recent passkeys'),
				d.totpRemoved === true ? 'recent two-factor' : null
			].filter((part) => part !== null && !part.startsWith('0 '));
			return {
				text: `Account recovered with the recovery key${removed.length ? `; removed ${removed.join(' and ')}` : ''}`
			};
		}
		case 'recovery_key_rotated':
			return { text: 'New recovery key created; the old one stopped working' };
		case 'totp_enabled':
			return { text: 'Two-factor turned on' };
		case 'totp_disabled':
			return { text: `Two-factor turned off${othersEnded(d)}` };
		case 'passkey_added': {
			const name = typeof d.name === 'string' ? ` “${d.name}”` : '';
			return { text: `Passkey${name} added${d.prf === true ? ' (it can unlock your vault)' : ''}` };
		}
		case 'passkey_removed':
			return { text: 'A passkey was removed' };
		case 'recent_factors_removed': {
			const removed = [
				count(d.passkeys, 'passkey', 'passkeys'),
				d.totp === true ? 'two-factor' : null
			].filter((part) => part !== null && !part.startsWith('0 '));
			return {
				text: `Removed what was added in the last 24 hours${removed.length ? ` (${removed.join(' and ')})` : ''}`
			};
		}
		default: {
			const words = event.kind.replace(/_/g, ' ');
			return { text: words.charAt(0).toUpperCase() + words.slice(1) };
		}
	}
}
