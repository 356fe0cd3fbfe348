// Writes to the per-user security log, with who was calling (address and user agent).
import type { ClientInfo } from '../api/client-info';
import type { Database, SqlExecutor } from '../db/types';
import { appendSecurityEvent, type SecurityEvent } from '../db/security-events';

type Entry = Omit<SecurityEvent, 'ip' | 'userAgent'>;

/** Appends inside the caller's transaction, so the event commits (or not) with the change it records. */
export function logSecurityEvent(tx: SqlExecutor, client: ClientInfo, entry: Entry): Promise<void> {
	return appendSecurityEvent(tx, { ...entry, ip: client.ip, userAgent: client.userAgent });
}

/** Appends on its own, for events with no change to commit (a failed sign-in). */
export function logSecurityEventAlone(db: Database, client: ClientInfo, entry: Entry): Promise<void> {
	return db.withClaims({ role: 'stowage_auth' }, (tx) => logSecurityEvent(tx, client, entry));
}
