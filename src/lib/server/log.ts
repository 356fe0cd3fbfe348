// Structured logging (pino). Callers log facts about requests, never bodies, headers or secrets;
// the redaction list is a second line of defence for fields that must never appear.
import { pino, type Logger } from 'pino';

export type { Logger };

export const REDACTED_FIELDS = [
	'password',
	'authorization',
	'cookie',
	'token',
	'secret',
	'*.password',
	'*.authorization',
	'*.cookie',
	'*.token',
	'*.secret',
	'*.databaseUrl'
];

/**
 * Errors are logged by type, message, SQLSTATE code and stack only. Database errors carry row values in
 * other properties (`detail: Key (email)=(…) already exists`, `parameters`), which must not reach logs.
 */
export function serializeError(err: unknown): Record<string, unknown> {
	if (!(err instanceof Error)) return { type: typeof err };
	const code = (err as { code?: unknown }).code;
	return {
		type: err.name,
		message: err.message,
		...(typeof code === 'string' ? { code } : {}),
		stack: err.stack
	};
}

/**
 * A file descriptor (standard output by default), written asynchronously: a line is handed to the kernel as soon as the previous write
 * has finished (lines that arrive meanwhile go out together), never held back waiting for more. A busy
 * API then writes a batch per turn instead of one system call per request. pino flushes synchronously
 * on exit, including a crash; only a killed process (SIGKILL) can lose the lines of its last turn.
 */
export function asyncDestination(fd = 1): pino.DestinationStream & { flushSync(): void } {
	return pino.destination({ dest: fd, sync: false });
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
	return pino(
		{
			level,
			base: { service: 'stowage' },
			serializers: { err: serializeError },
			redact: { paths: REDACTED_FIELDS, censor: '[redacted]' },
			timestamp: pino.stdTimeFunctions.isoTime
		},
		destination
	);
}
