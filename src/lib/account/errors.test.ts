import { WebAuthnError } from '@simplewebauthn/browser';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '$crypto';
import { ApiProblem } from '$lib/api/problem';
import { describeError, isCancelled, isSecondFactorMissing, isWrongProof, type Place } from './errors';

const localhost: Place = { hostname: 'localhost', secure: true };
const lanIp: Place = { hostname: '192.168.1.20', secure: true };

/** A WebAuthn failure as SimpleWebAuthn rethrows it: its own class, the browser's name. */
const webAuthn = (name: string, code = 'ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY') =>
	new WebAuthnError({ message: 'x', code: code as never, cause: new DOMException('x', name) });

describe('describeError', () => {
	it('shows an API problem’s detail, written for people', () => {
		const wrong = new ApiProblem(403, 'wrong_password', 'Your current password is not correct.');
		expect(describeError(wrong)).toBe('Your current password is not correct.');
	});

	it('keeps the API’s own rate-limit message, which says how long to wait', () => {
		const limited = new ApiProblem(429, 'rate_limited', 'Too many attempts. Try again in 45 seconds.', 45);
		expect(describeError(limited)).toBe('Too many attempts. Try again in 45 seconds.');
	});

	it('turns a bare Retry-After into minutes, rounded up', () => {
		const proxy = (seconds?: number) => new ApiProblem(429, 'error', 'Too Many Requests', seconds);
		expect(describeError(proxy(600))).toBe('Too many attempts. Try again in 10 minutes.');
		expect(describeError(proxy(61))).toBe('Too many attempts. Try again in 2 minutes.');
		expect(describeError(proxy(30))).toBe('Too many attempts. Try again in 1 minute.');
		expect(describeError(proxy())).toBe('Too many attempts. Wait a few minutes and try again.');
	});

	it('explains crypto failures by code', () => {
		expect(describeError(new CryptoError('ERR_MALFORMED'))).toBe(
			'That recovery key has a typo — check each group.'
		);
		expect(describeError(new CryptoError('ERR_DECRYPTION_FAILED'))).toBe(
			'That password does not unlock this vault.'
		);
		expect(describeError(new CryptoError('ERR_MAC_INVALID'))).toBe(
			'That password does not unlock this vault.'
		);
		expect(describeError(new CryptoError('ERR_WEAK_PARAMETERS'))).toContain('outside the safe range');
		expect(describeError(new CryptoError('ERR_INVALID_INPUT'))).toBe(
			'Your browser could not complete the encryption step. Reload the page and try again.'
		);
	});

	it('explains passkey ceremonies, as the browser or SimpleWebAuthn throws them', () => {
		for (const error of [new DOMException('x', 'NotAllowedError'), webAuthn('NotAllowedError')]) {
			expect(describeError(error, localhost)).toBe(
				'The passkey prompt was closed or timed out. Nothing was changed.'
			);
		}
		expect(describeError(new DOMException('x', 'AbortError'), localhost)).toBe(
			'The passkey request was cancelled before it finished. Nothing was changed.'
		);
		expect(describeError(webAuthn('InvalidStateError', 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED'))).toBe(
			'This device already holds a passkey for this account.'
		);
		expect(describeError(new DOMException('x', 'NotSupportedError'))).toBe(
			'This browser or device cannot create a passkey.'
		);
		expect(describeError(webAuthn('ConstraintError'))).toContain('Try another one');
	});

	it('gives each passkey failure its own message, never the generic one', () => {
		const names = ['SecurityError', 'NotAllowedError', 'InvalidStateError', 'AbortError'];
		for (const place of [localhost, lanIp]) {
			const messages = names.map((name) => describeError(new DOMException('x', name), place));
			expect(new Set(messages).size).toBe(names.length);
			for (const message of messages) expect(message).not.toContain('Something went wrong');
			// As SimpleWebAuthn rethrows them, too.
			expect(names.map((name) => describeError(webAuthn(name), place))).toEqual(messages);
		}
	});

	it('says why a passkey fails on a page opened at an IP address', () => {
		const atIp = describeError(webAuthn('SecurityError', 'ERROR_INVALID_DOMAIN'), lanIp);
		expect(atIp).toContain('IP address (192.168.1.20)');
		expect(atIp).toContain('domain name');
		expect(
			describeError(new DOMException('x', 'SecurityError'), { hostname: '[::1]', secure: true })
		).toContain('IP address');
		// A real domain that is not the configured one.
		expect(
			describeError(webAuthn('SecurityError', 'ERROR_INVALID_RP_ID'), {
				hostname: 'stowage.test',
				secure: true
			})
		).toContain('usual address');
		// Over plain http at an address, the browser offers no WebAuthn at all.
		const unsupported = new Error('WebAuthn is not supported in this browser');
		expect(describeError(unsupported, { hostname: '10.0.0.5', secure: false })).toContain('https');
		expect(describeError(unsupported, localhost)).toBe('This browser cannot use passkeys.');
	});

	it('says to open the site at its name when the server refuses the address it was opened at', () => {
		const refused = new ApiProblem(403, 'cross_site_request', 'This request came from another site.');
		expect(describeError(refused, lanIp)).toContain('IP address (192.168.1.20)');
		expect(describeError(refused, lanIp)).toContain('localhost');
		expect(describeError(refused, { hostname: 'stowage-old.test', secure: true })).toContain(
			'(stowage-old.test)'
		);
		expect(describeError(refused, lanIp)).not.toContain('another site');
	});

	it('tells a network failure from the rest', () => {
		expect(describeError(new TypeError('Failed to fetch'))).toBe(
			'Could not reach Stowage. Check your connection and try again.'
		);
		expect(describeError(new Error('Unlock the vault before adding a passkey.'))).toBe(
			'Unlock the vault before adding a passkey.'
		);
		expect(describeError(new Error('secret detail 1234'))).toBe(
			'Something went wrong. Try again in a moment.'
		);
		expect(describeError('a string')).toBe('Something went wrong. Try again in a moment.');
		expect(describeError(undefined)).toBe('Something went wrong. Try again in a moment.');
	});
});

describe('isCancelled', () => {
	it('is true for a dismissed prompt only', () => {
		expect(isCancelled(new DOMException('x', 'NotAllowedError'))).toBe(true);
		expect(isCancelled(webAuthn('NotAllowedError'))).toBe(true);
		expect(isCancelled(new DOMException('x', 'AbortError'))).toBe(true);
		expect(isCancelled(webAuthn('SecurityError'))).toBe(false);
		expect(isCancelled(new ApiProblem(401, 'passkey_failed', 'no'))).toBe(false);
	});
});

describe('isSecondFactorMissing', () => {
	it('recognises recovery asking for the code, not a refusal', () => {
		const missing = new ApiProblem(
			401,
			'second_factor_required',
			'Enter the code from your authenticator app, or a backup code.'
		);
		expect(isSecondFactorMissing(missing)).toBe(true);
		expect(isSecondFactorMissing(new ApiProblem(401, 'recovery_failed', 'not correct'))).toBe(false);
		expect(isSecondFactorMissing(new Error('second_factor_required'))).toBe(false);
		// Shown as is, it names the missing code rather than saying something is not correct.
		expect(describeError(missing)).toMatch(/code/);
		expect(describeError(missing)).not.toMatch(/not correct/);
	});
});

describe('isWrongProof', () => {
	it('recognises the API’s refusal of a password or recovery key', () => {
		expect(isWrongProof(new ApiProblem(403, 'wrong_password', 'x'))).toBe(true);
		expect(isWrongProof(new ApiProblem(403, 'invalid_code', 'x'))).toBe(false);
		expect(isWrongProof(new Error('wrong_password'))).toBe(false);
	});
});
