// Sessions end on the server: past the idle or the absolute lifetime, a session is revoked and logged.
import type { ClientInfo } from '../api/client-info';
import { revokeSession, type ExpiryReason, type SessionLifetime } from '../db/sessions';
import type { SqlExecutor } from '../db/types';
import { logSecurityEvent } from './security-log';

export const DEFAULT_SESSION_LIFETIME: SessionLifetime = { idleDays: 30, maxDays: 90 };

/** Revokes a session found past its lifetime, and logs it once (concurrent requests may both find it). */
export async function endExpiredSession(
	tx: SqlExecutor,
	client: ClientInfo,
	session: { userId: string; sessionId: string },
	reason: ExpiryReason
): Promise<void> {
	if (await revokeSession(tx, session.userId, session.sessionId, `expired_${reason}`)) {
		await logSecurityEvent(tx, client, {
			userId: session.userId,
			kind: 'session_expired',
			detail: { reason }
		});
	}
}

/**
 * How long the browser should keep the refresh cookie: never past the idle lifetime (each refresh
 * resets it) nor past the session's absolute end.
 */
export function refreshCookieSeconds(lifetime: SessionLifetime, endsIn = lifetime.maxDays * 86_400): number {
	return Math.max(0, Math.floor(Math.min(lifetime.idleDays * 86_400, endsIn)));
}
