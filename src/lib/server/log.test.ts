import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureLogs } from '../../../tests/helpers/logs';
import { asyncDestination, createLogger } from './log';

describe('logger', () => {
	it('logs an error without the row values a database error carries', () => {
		const { logger, text, lines } = captureLogs();
		const error = Object.assign(
			new Error('duplicate key value violates unique constraint "users_email_key"'),
			{
				code: '23505',
				detail: 'Key (email)=(someone@example.com) already exists.',
				parameters: ['someone@example.com', 'c2VjcmV0']
			}
		);
		logger.error({ err: error }, 'unhandled error');
		expect(text()).not.toContain('someone@example.com');
		expect(text()).not.toContain('c2VjcmV0');
		expect(lines()[0]).toMatchObject({
			err: { type: 'Error', code: '23505', message: expect.stringContaining('users_email_key') }
		});
	});

	it('redacts secret-named fields', () => {
		const { logger, text } = captureLogs();
		logger.info({ password: 'hunter2', user: { token: 'tkn-123' } }, 'oops');
		expect(text()).not.toContain('hunter2');
		expect(text()).not.toContain('tkn-123');
	});

	it('writes request lines off the request path, and loses none when flushed (as pino does on exit)', () => {
		const file = join(mkdtempSync(join(tmpdir(), 'stowage-log-')), 'out.log');
		const fd = openSync(file, 'w');
		const destination = asyncDestination(fd);
		const logger = createLogger('info', destination);
		for (let i = 0; i < 3; i++) logger.info({ n: i }, 'request');
		// Not one blocking write per line: the stream writes in the background.
		expect((destination as unknown as { sync: boolean }).sync).toBe(false);
		destination.flushSync();
		const lines = readFileSync(file, 'utf8').trim().split('\n');
		// Every line arrives; a write already in flight when flushSync runs may land after the flushed ones
		// (seen on a loaded machine), so the order is not part of the promise.
		expect(lines.map((l) => (JSON.parse(l) as { n: number }).n).sort()).toEqual([0, 1, 2]);
		closeSync(fd);
	});
});
