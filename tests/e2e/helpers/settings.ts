// Helpers for the settings e2e: an account made through the API, a virtual authenticator, TOTP codes,
// and keyboard-only movement (Tab until a control has focus, as a person would).
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import * as OTPAuth from 'otpauth';
import { b64, deriveFromPassword, newAccount, type Kdf } from '../../helpers/account-client';

/** Signs up through the API, then ends that session: the browser's sign-ins are the only devices. */
export async function createAccount(request: APIRequestContext, password = 'correct horse battery staple') {
	const email = `seller-${crypto.randomUUID().slice(0, 8)}@example.com`;
	const pre = (await (await request.post('/api/auth/prelogin', { data: { email } })).json()) as { kdf: Kdf };
	const account = await newAccount(email, password, { kdf: pre.kdf });
	const res = await request.post('/api/auth/signup', { data: account.signupBody });
	expect(res.status(), await res.text()).toBeLessThan(300);
	const { accessToken } = (await res.json()) as { accessToken: string };
	// Its own session only (no re-authentication: the suite's many accounts would spend the address's
	// re-authentication limit, which the settings specs need).
	const { sid } = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as {
		sid: string;
	};
	const ended = await request.delete(`/api/auth/sessions/${sid}`, {
		headers: { authorization: `Bearer ${accessToken}` }
	});
	expect(ended.status(), await ended.text()).toBe(204);
	return account;
}

/** Signs in from Node, as another device would: one more session on the account. */
export async function signInElsewhere(request: APIRequestContext, email: string, password: string) {
	const { kdf } = (await (await request.post('/api/auth/prelogin', { data: { email } })).json()) as {
		kdf: Kdf;
	};
	const { authKey } = await deriveFromPassword(password, kdf, email);
	const res = await request.post('/api/auth/login', { data: { email, authKey: b64(authKey) } });
	expect(res.ok(), await res.text()).toBe(true);
}

/** A platform authenticator in Chromium (CDP WebAuthn), with or without the PRF extension. */
export async function virtualAuthenticator(page: Page, hasPrf: boolean) {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('WebAuthn.enable');
	const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
		options: {
			protocol: 'ctap2',
			transport: 'internal',
			hasResidentKey: true,
			hasUserVerification: true,
			isUserVerified: true,
			hasPrf
		}
	});
	return { cdp, authenticatorId };
}

export const totpFor = (secret: string) =>
	new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });

/** What has focus, for failure messages. */
export function describeFocus(page: Page): Promise<string> {
	return page.evaluate(() => {
		const el = document.activeElement;
		if (!el || el === document.body) return '<body>';
		const name = el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? '';
		return `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}> ${name}`;
	});
}

/** Presses Tab (or Shift+Tab) until `target` has focus; fails if it is not reached in `max` presses. */
export async function tabTo(page: Page, target: Locator, { back = false, max = 60 } = {}): Promise<void> {
	const handle = await target.elementHandle();
	if (!handle) throw new Error(`tabTo: ${target} is not on the page`);
	for (let i = 0; i <= max; i++) {
		if (await handle.evaluate((el) => el === document.activeElement)) return;
		await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
	}
	throw new Error(`tabTo: ${target} not reached in ${max} presses; focus is on ${await describeFocus(page)}`);
}

/** Replaces the focused field's text, from the keyboard. */
export async function retype(page: Page, text: string): Promise<void> {
	await page.keyboard.press('ControlOrMeta+A');
	await page.keyboard.press('Backspace');
	await page.keyboard.type(text);
}

/** No horizontal scroll: the document is no wider than the viewport. */
export async function expectNoHorizontalScroll(page: Page, what: string): Promise<void> {
	const { scroll, viewport } = await page.evaluate(() => ({
		scroll: document.documentElement.scrollWidth,
		viewport: window.innerWidth
	}));
	expect(scroll, `${what}: page is ${scroll}px wide in a ${viewport}px viewport`).toBeLessThanOrEqual(
		viewport
	);
}
