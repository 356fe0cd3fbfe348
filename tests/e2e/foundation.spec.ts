// The foundation as a person and a browser meet it: pages load under a strict CSP without violations,
// the app shell reaches the API, the keyboard works, and the API's error conventions hold through the
// real server (server/index.js: pages through SvelteKit's handler, /api straight to Hono).
import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { newAccount, type Kdf } from '../helpers/account-client';

function collectCspViolations(page: Page): string[] {
	const violations: string[] = [];
	page.on('console', (msg) => {
		if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
	});
	return violations;
}

test('the landing page says what Stowage is, under a strict CSP', async ({ page }) => {
	const violations = collectCspViolations(page);
	const response = await page.goto('/');
	expect(response?.status()).toBe(200);

	const csp = response!.headers()['content-security-policy']!;
	const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src'))!;
	expect(scriptSrc).toContain("'wasm-unsafe-eval'");
	expect(scriptSrc).not.toContain("'unsafe-inline'");
	expect(scriptSrc).not.toContain("'unsafe-eval'");
	expect(scriptSrc).toMatch(/'(nonce|sha256)-/);
	expect(csp).toMatch(/style-src 'self'(;|$)/);
	expect(csp).toContain("frame-ancestors 'none'");
	expect(csp).toContain("object-src 'none'");
	const headers = response!.headers();
	expect(headers['strict-transport-security']).toMatch(/max-age=/);
	expect(headers['x-content-type-options']).toBe('nosniff');
	expect(headers['referrer-policy']).toBe('no-referrer');

	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Keep your secrets/);
	await expect(page.getByText('encrypts the sensitive parts in your browser')).toBeVisible();
	await page.screenshot({ path: 'test-results/landing.png', fullPage: true });
	expect(violations).toEqual([]);
});

test('the app shell renders client-side; without a session it sends people to sign in', async ({ page }) => {
	const violations = collectCspViolations(page);
	await page.goto('/');
	await page.getByRole('link', { name: 'Open the app' }).click();
	// The signed-in shell (navigation, API status, vault state) is covered in accounts.spec.ts.
	await expect(page).toHaveURL(/\/sign-in$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
	await page.screenshot({ path: 'test-results/app-shell.png', fullPage: true });
	expect(violations).toEqual([]);
});

test('works from the keyboard: skip link first, then the page', async ({ page }) => {
	await page.goto('/sign-in');
	await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
	await page.keyboard.press('Tab');
	const skip = page.getByRole('link', { name: 'Skip to content' });
	await expect(skip).toBeFocused();
	await expect(skip).toBeInViewport();
	await page.keyboard.press('Tab');
	await expect(page.getByRole('link', { name: 'Stowage home' })).toBeFocused();
	await page.keyboard.press('Tab');
	await expect(page.getByLabel('Email')).toBeFocused();
});

test('an unknown page gets a readable 404', async ({ page }) => {
	const response = await page.goto('/no-such-page');
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('We could not find that page');
	await expect(page.getByRole('link', { name: 'Back to the start' })).toBeVisible();
});

test('GET /api/health answers through the real server', async ({ request }) => {
	const res = await request.get('/api/health');
	expect(res.status()).toBe(200);
	expect(await res.json()).toMatchObject({
		ok: true,
		db: 'pglite',
		schemaVersion: expect.stringMatching(/^\d{14}$/)
	});
	expect(res.headers()['content-security-policy']).toContain("default-src 'none'");
});

test.describe('API errors through the real server', () => {
	const url = (path: string) => `${test.info().project.use.baseURL}${path}`;

	test('malformed JSON is a 400 problem', async ({ request }) => {
		const res = await request.post('/api/csp-reports', {
			headers: { 'content-type': 'application/json' },
			data: Buffer.from('{"oops": ')
		});
		expect(res.status()).toBe(400);
		expect(res.headers()['content-type']).toBe('application/problem+json');
		expect(await res.json()).toMatchObject({ status: 400, code: 'bad_request' });
	});

	test('an oversized body is a 413 problem, whether declared or streamed past the host limit', async () => {
		const big = JSON.stringify([{ type: 'x', pad: 'a'.repeat(2 * 1024 * 1024) }]);
		const declared = await fetch(url('/api/csp-reports'), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: big
		});
		expect(declared.status).toBe(413);
		expect(declared.headers.get('content-type')).toBe('application/problem+json');

		// Chunked, with no Content-Length: the API's body limit counts the stream as it arrives.
		const streamed = await fetch(url('/api/csp-reports'), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: new Blob([big]).stream(),
			duplex: 'half'
		} as RequestInit);
		expect(streamed.status).toBe(413);
		expect(streamed.headers.get('content-type')).toBe('application/problem+json');
	});

	test('a body over 512 KB but under the API limit reaches the API: a validation problem, not "Malformed JSON"', async () => {
		// SvelteKit's BODY_SIZE_LIMIT (512 KB) used to cut such a body short before Hono parsed it.
		const body = JSON.stringify({ email: `${'x'.repeat(700 * 1024)}@stowage.example` });
		const res = await fetch(url('/api/auth/prelogin'), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body
		});
		expect(res.status).toBe(400);
		expect(res.headers.get('content-type')).toBe('application/problem+json');
		expect(await res.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'email' }] });
	});

	test('one byte over STOWAGE_API_BODY_LIMIT (1 MiB) is a 413 problem, declared or chunked', async () => {
		const big = JSON.stringify({ email: 'x'.repeat(1024 * 1024 - 11) });
		expect(Buffer.byteLength(big)).toBe(1024 * 1024 + 1);
		for (const body of [big, new Blob([big]).stream()]) {
			const res = await fetch(url('/api/auth/prelogin'), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body,
				duplex: 'half'
			} as RequestInit);
			expect(res.status).toBe(413);
			expect(await res.json()).toMatchObject({ status: 413, code: 'payload_too_large' });
		}
	});

	test('the API ignores a spoofed X-Forwarded-For by default: the security log shows the real peer', async ({
		request
	}) => {
		// A new account made with the crypto core, on the salt this server hands out for its email.
		const email = `xff-${randomUUID()}@stowage.example`;
		const pre = (await (await request.post('/api/auth/prelogin', { data: { email } })).json()) as {
			kdf: Kdf;
		};
		const { signupBody } = await newAccount(email, 'correct horse battery staple', {
			serverSalt: pre.kdf.salt
		});
		const created = await request.post('/api/auth/signup', {
			data: signupBody,
			headers: { 'x-forwarded-for': '203.0.113.66' }
		});
		expect(created.status()).toBe(201);
		const { accessToken } = await created.json();
		const log = await request.get('/api/auth/security-log', {
			headers: { authorization: `Bearer ${accessToken}`, 'x-forwarded-for': '203.0.113.66' }
		});
		const { events } = await log.json();
		expect(events).toContainEqual(
			expect.objectContaining({
				kind: 'signed_in',
				ip: expect.stringMatching(/^(::ffff:)?127\.0\.0\.1$|^::1$/)
			})
		);
		expect(JSON.stringify(events)).not.toContain('203.0.113.66');
	});

	test('the OpenAPI document and the reference page are served', async ({ request }) => {
		const doc = await request.get('/api/openapi.json');
		expect((await doc.json()).paths['/api/health']).toBeTruthy();
		const docs = await request.get('/api/docs');
		expect(docs.status()).toBe(200);
		expect(docs.headers()['content-security-policy']).toMatch(/^sandbox/);
	});
});
