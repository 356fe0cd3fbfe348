// logText: what attacker-supplied text looks like once it reaches a log line.
import { describe, expect, it } from 'vitest';
import { logText } from './log-text';

describe('logText', () => {
	it('keeps printable ASCII as it is', () => {
		expect(logText("script-src-elem 'self'")).toBe("script-src-elem 'self'");
	});

	it('escapes newlines, ANSI escapes, other control characters, backslashes and non-ASCII', () => {
		expect(logText('a\nb\r\u001b[31mc\u0000\\d\u202ee')).toBe('a\\x0ab\\x0d\\x1b[31mc\\x00\\\\d\\u{202e}e');
	});

	it('truncates to the limit, escapes included, and marks the cut', () => {
		const long = logText('x'.repeat(10_000), 64);
		expect(long).toBe(`${'x'.repeat(64)}…`);
		const escaped = logText('\n'.repeat(100), 10);
		expect(escaped).toBe(`${'\\x0a'.repeat(2)}…`);
		expect(logText('x'.repeat(64), 64)).toBe('x'.repeat(64));
	});
});
