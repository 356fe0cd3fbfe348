import { describe, expect, it } from 'vitest';
import { describeEvent } from './security-events';

const text = (kind: string, detail: Record<string, unknown> = {}) => describeEvent({ kind, detail }).text;

describe('describeEvent', () => {
	it('says how a sign-in happened, and why one failed', () => {
		expect(text('signed_in', { method: 'passkey' })).toBe('Signed in with a passkey');
		expect(text('signed_in', { method: 'password+totp' })).toBe(
			'Signed in with your password and a two-factor code'
		);
		expect(text('signed_in', { method: 'something new' })).toBe('Signed in');
		expect(describeEvent({ kind: 'sign_in_failed', detail: { step: 'password' } })).toEqual({
			text: 'Failed sign-in (wrong password)',
			flag: 'Failed'
		});
		expect(text('sign_in_failed', { step: 'backup_code' })).toBe('Failed sign-in (wrong backup code)');
	});

	it('names factors and counts what changed', () => {
		expect(text('passkey_added', { name: 'Work laptop', prf: false })).toBe('Passkey “Work laptop” added');
		expect(text('passkey_added', { name: 'Phone', prf: true })).toBe(
			'Passkey “Phone” added (it can unlock your vault)'
		);
		expect(text('password_changed', { revokedSessions: 2 })).toBe(
			'Password changed (2 other sessions ended)'
		);
		expect(text('password_changed', { revokedSessions: 0 })).toBe('Password changed');
		expect(text('recovered', { removedPasskeys: 1, totpRemoved: true })).toBe(
			'Account recovered with the recovery key; removed 1 recent passkey and recent two-factor'
		);
		expect(text('recovered', { removedPasskeys: 0, totpRemoved: false })).toBe(
			'Account recovered with the recovery key'
		);
		expect(text('recent_factors_removed', { passkeys: 2, totp: false })).toBe(
			'Removed what was added in the last 24 hours (2 passkeys)'
		);
		expect(text('session_expired', { reason: 'idle' })).toBe('A session ended after a long time unused');
	});

	it('flags refusals and reads an unknown kind as words', () => {
		expect(describeEvent({ kind: 'refresh_token_reused', detail: {} }).flag).toBe('Refused');
		expect(describeEvent({ kind: 'reauth_failed', detail: {} }).flag).toBe('Failed');
		expect(text('email_changed')).toBe('Email changed');
	});
});
