// The signed-in session, page side. The access token lives in memory only; the refresh token is an
// HttpOnly cookie scoped to /api/auth/token that no script can read. Browser-only.
import { createApiClient, type ApiClient } from './client';
import { ApiProblem, readJson } from './problem';

// Key-derivation parameters as the API carries them; defined where they are used, in the vault.
import type { KdfJson } from '$lib/vault/account-ops';
export type { KdfJson };

export type Account = {
	id: string;
	email: string;
	kdf: KdfJson;
	publicKeys: { x25519: string; ed25519: string };
	masterBundle: string;
	totpEnabled: boolean;
};

export type SessionGrant = {
	accessToken: string;
	expiresIn: number;
	idleLockMinutes: number;
	account: Account;
};

const REFRESH_MARGIN_MS = 60_000;

class Session {
	account = $state<Account | null>(null);
	idleLockMinutes = $state(15);

	#token: string | null = null;
	#expiresAt = 0;
	#refreshing: Promise<boolean> | null = null;
	#api: ApiClient | null = null;
	/** Without the access token: the refresh cookie is the credential of /api/auth/token. */
	#plain: ApiClient | null = null;

	get signedIn(): boolean {
		return this.account !== null;
	}

	/** The typed client; every call carries the access token and refreshes it when needed. */
	get api(): ApiClient {
		this.#api ??= createApiClient(location.origin, (input, init) => this.#authorizedFetch(input, init));
		return this.#api;
	}

	get #tokenApi() {
		this.#plain ??= createApiClient(location.origin);
		return this.#plain.api.auth.token;
	}

	/** Adopts a grant from sign-up, login, refresh, recovery or passkey sign-in. */
	accept(grant: SessionGrant): void {
		this.#token = grant.accessToken;
		this.#expiresAt = Date.now() + grant.expiresIn * 1000;
		this.account = grant.account;
		this.idleLockMinutes = grant.idleLockMinutes;
	}

	/** On page load: is there a session (refresh cookie)? Rotates the cookie and gets an access token. */
	restore(): Promise<boolean> {
		this.#refreshing ??= (async () => {
			try {
				this.accept(await readJson(this.#tokenApi.$post()));
				return true;
			} catch (error) {
				// Refused (no cookie, session ended): signed out here too. Offline: keep what we have.
				if (error instanceof ApiProblem) this.#clear();
				return false;
			} finally {
				this.#refreshing = null;
			}
		})();
		return this.#refreshing;
	}

	async signOut(): Promise<void> {
		await readJson(this.#tokenApi.$delete()).catch(() => undefined);
		this.#clear();
	}

	/** After "sign out everywhere" or a revoked session: forget everything locally. */
	forget(): void {
		this.#clear();
	}

	#clear(): void {
		this.#token = null;
		this.#expiresAt = 0;
		this.account = null;
	}

	async #authorizedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
		if (this.#token && Date.now() > this.#expiresAt - REFRESH_MARGIN_MS) await this.restore();
		const send = () => {
			const headers = new Headers(init?.headers);
			if (this.#token) headers.set('authorization', `Bearer ${this.#token}`);
			return fetch(input, { ...init, headers });
		};
		const res = await send();
		if (res.status !== 401 || !this.#token) return res;
		// The token may have expired in a sleeping tab: one refresh, one retry.
		return (await this.restore()) ? send() : res;
	}
}

export const session = new Session();
