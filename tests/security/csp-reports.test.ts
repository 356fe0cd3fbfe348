// POST /api/csp-reports is open to anyone: a flood must not flood the logs, and the text a report
// carries must reach them only short and escaped (no forged lines, no terminal escapes).
import { describe, expect, it } from 'vitest';
import { createRateLimits, DEFAULT_LIMITS } from '../../src/lib/server/api/rate-limit';
import type { Database } from '../../src/lib/server/db/types';
import { testApi } from '../helpers/api';

// The route never touches the database.
const noDatabase = {} as Database;

const violation = (directive: string, extra: Record<string, unknown> = {}) => ({
	type: 'csp-violation',
	age: 0,
	url: 'http://localhost:4173/inventory?sku=secret',
	body: {
		effectiveDirective: directive,
		blockedURL: 'https://evil.example/x.js',
		disposition: 'enforce',
		...extra
	}
});

function withLimits(policies?: Parameters<typeof createRateLimits>[0]) {
	const api = testApi(noDatabase, { limits: createRateLimits(policies) });
	const post = (reports: unknown[], ip = '203.0.113.7') =>
		api.app.request(
			'/api/csp-reports',
			{
				method: 'POST',
				headers: { 'content-type': 'application/reports+json' },
				body: JSON.stringify(reports)
			},
			{ clientAddress: ip }
		);
	const cspLines = () => api.logs.lines().filter((l) => l.msg === 'csp violation');
	return { ...api, post, cspLines };
}

describe('CSP reports', () => {
	it('a flood from one address writes a bounded number of log lines', async () => {
		const { post, cspLines, logs } = withLimits();
		const perIp = 20; // DEFAULT_LIMITS.cspReport.ip, checked last
		const full = Array.from({ length: 100 }, () => violation('script-src-elem'));
		const statuses: number[] = [];
		for (let i = 0; i < 300; i++) statuses.push((await post(full)).status);
		// One line per accepted request, however many reports it carries; plus one request line each.
		expect(cspLines()).toHaveLength(perIp);
		expect(logs.lines().length).toBeLessThanOrEqual(300 + perIp);
		expect(cspLines()[0]).toMatchObject({ count: 100 });
		expect((cspLines()[0]!.violations as unknown[]).length).toBeLessThanOrEqual(10);
		expect(statuses.filter((s) => s === 204)).toHaveLength(perIp);
		expect(statuses.filter((s) => s === 429)).toHaveLength(300 - perIp);
		expect(DEFAULT_LIMITS.cspReport.ip.points).toBe(perIp);
	});

	it('a flood from many addresses is bounded by the endpoint’s global cap', async () => {
		const { post, cspLines } = withLimits({
			policies: {
				...DEFAULT_LIMITS,
				cspReport: { ip: { points: 20, duration: 60 }, global: { points: 50, duration: 60 } }
			}
		});
		for (let i = 0; i < 300; i++) await post([violation('img-src')], `2001:db8::${i.toString(16)}`);
		expect(cspLines()).toHaveLength(50);
	});

	it('logs a 10 kB, multi-line, ANSI-escaped directive only as a short escaped string', async () => {
		const { post, cspLines, logs } = withLimits();
		const forged = 'script-src\n{"level":60,"msg":"admin signed in"}\r\u001b[2J\u001b[31m\u202e';
		const res = await post([
			violation(forged + 'x'.repeat(10_000)),
			violation(forged),
			violation('img-src', { blockedURL: 'inline\n\u001b[31mred' })
		]);
		expect(res.status).toBe(204);
		const [line] = cspLines();
		expect(cspLines()).toHaveLength(1);
		const logged = line!.violations as { directive: string; blocked: string; page: string }[];
		expect(logged).toHaveLength(3);
		for (const v of logged) {
			for (const field of [v.directive, v.blocked, v.page]) {
				// Printable ASCII only (and the ellipsis that marks a cut), and short.
				expect(field).toMatch(/^[\x20-\x7e…]*$/);
				expect(field.length).toBeLessThanOrEqual(129);
			}
		}
		expect(logged[0]!.directive).toMatch(/^script-src\\x0a\{"level":60,.*…$/);
		expect(logged[0]!.directive.length).toBeLessThanOrEqual(65);
		expect(logged[1]!.directive).toContain('\\x1b[2J');
		expect(logged[2]!.blocked).toBe('inline\\x0a\\x1b[31mred');
		// Paths and queries stay out: the page is logged by origin.
		expect(logged[0]!.page).toBe('http://localhost:4173');
		expect(logs.text()).not.toContain('sku=secret');
		expect(logs.text()).not.toContain('x'.repeat(100));
		expect(logs.text()).not.toContain('\u001b');
	});
});
