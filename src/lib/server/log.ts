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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
	return pino(
		{
			level,
			base: { service: 'stowage' },
			redact: { paths: REDACTED_FIELDS, censor: '[redacted]' },
			timestamp: pino.stdTimeFunctions.isoTime
		},
		destination
	);
}
