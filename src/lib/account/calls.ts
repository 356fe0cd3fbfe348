// The unauthenticated account calls (before there is a session), as the pages make them.
import { readJson, type KdfJson, type SessionGrant } from '$lib/api/session.svelte';
import type { SignupBody } from '$lib/vault/account-ops';

async function post<T>(path: string, body: unknown): Promise<T> {
	const res = await fetch(path, {
		method: 'POST',
		credentials: 'same-origin',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	return readJson<T>(res);
}

export type SecondFactorRequired = { secondFactor: 'totp'; mfaToken: string };

export const authCalls = {
	prelogin: (email: string) => post<{ kdf: KdfJson }>('/api/auth/prelogin', { email }),
	signup: (body: SignupBody) => post<SessionGrant>('/api/auth/signup', body),
	login: (email: string, authKey: string) =>
		post<SessionGrant | SecondFactorRequired>('/api/auth/login', { email, authKey }),
	loginTotp: (mfaToken: string, proof: { code: string } | { backupCode: string }) =>
		post<SessionGrant>('/api/auth/login/totp', { mfaToken, ...proof }),
	recovery: (body: { email: string; recoveryAuthKey: string; code?: string; backupCode?: string }) =>
		post<{ userId: string; recoveryBundle: string; recoveryToken: string }>('/api/auth/recovery', body),
	recoveryComplete: (body: { recoveryToken: string; kdf: KdfJson; authKey: string; masterBundle: string }) =>
		post<SessionGrant>('/api/auth/recovery/complete', body)
};
