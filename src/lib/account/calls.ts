// The account calls made without a session (before there is one, or after it ended), through the typed
// client: no bearer token is sent, and a 401 here is an answer, not a cue to refresh.
import { createApiClient, type ApiClient } from '$lib/api/client';
import { readJson } from '$lib/api/problem';
import type { KdfJson } from '$lib/api/session.svelte';
import type { SignupBody } from '$lib/vault/account-ops';

let client: ApiClient | null = null;
const auth = () => (client ??= createApiClient(location.origin)).api.auth;

export type SecondFactorRequired = { secondFactor: 'totp'; mfaToken: string };

/** A TOTP code or a backup code, as the login, recovery and two-factor routes take them. */
export type SecondFactorProof = { code: string } | { backupCode: string };

export const authCalls = {
	prelogin: (email: string) => readJson(auth().prelogin.$post({ json: { email } })),
	signup: (body: SignupBody) => readJson(auth().signup.$post({ json: body })),
	login: (email: string, authKey: string) => readJson(auth().login.$post({ json: { email, authKey } })),
	loginTotp: (mfaToken: string, proof: SecondFactorProof) =>
		readJson(auth().login.totp.$post({ json: { mfaToken, ...proof } })),
	recovery: (body: { email: string; recoveryAuthKey: string } & Partial<SecondFactorProof>) =>
		readJson(auth().recovery.$post({ json: body })),
	recoveryComplete: (body: { recoveryToken: string; kdf: KdfJson; authKey: string; masterBundle: string }) =>
		readJson(auth().recovery.complete.$post({ json: body })),
	/** Removes what a credential change listed as added in the last 24 hours; its token is the proof. */
	cleanup: (body: { cleanupToken: string; passkeys: string[]; totp: boolean }) =>
		readJson(auth().security.cleanup.$post({ json: body }))
};

/** What the person typed as a second factor: six digits are a TOTP code, anything else a backup code. */
export function secondFactorFrom(typed: string): SecondFactorProof | null {
	const digits = typed.replace(/\s+/g, '');
	if (!digits) return null;
	return /^\d{6}$/.test(digits) ? { code: digits } : { backupCode: typed.trim() };
}
