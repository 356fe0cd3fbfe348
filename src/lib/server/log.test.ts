import { describe, expect, it } from 'vitest';
import { captureLogs } from '../../../tests/helpers/logs';

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
});
