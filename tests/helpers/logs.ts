// A logger that records its lines, to assert what the server logs (and what it must never log).
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/lib/server/log';

export function captureLogs(): {
	logger: Logger;
	lines: () => Record<string, unknown>[];
	text: () => string;
} {
	const chunks: string[] = [];
	const sink = new Writable({
		write(chunk, _encoding, done) {
			chunks.push(String(chunk));
			done();
		}
	});
	const logger = createLogger('debug', sink);
	const text = () => chunks.join('');
	return {
		logger,
		text,
		lines: () =>
			text()
				.split('\n')
				.filter(Boolean)
				.map((l) => JSON.parse(l) as Record<string, unknown>)
	};
}
