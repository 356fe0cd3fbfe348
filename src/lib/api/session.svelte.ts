// The signed-in session, page side. The access token lives in memory only; the refresh token is an
// HttpOnly cookie scoped to /api/auth/token that no script can read. Browser-only.
import { createApiClient, type ApiClient } from './client';

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

/** A problem+json answer, as an error a page can show (`detail` is written for people). */
export class ApiProblem extends Error {
	override readonly name = 'ApiProblem';
	constructor(
		readonly status: number,
		readonly code: string,
		readonly detail: string,
		readonly retryAfter?: number
	) {
		super(detail);
	}
}

/** Reads a response: JSON on success, ApiProblem otherwise. */
export async function readJson<T>(res: Response): Promise<T> {
	if (res.ok) return (res.status === 204 ? undefined : await res.json()) as T;
	let body: { code?: string; detail?: string; title?: string } = {};
	try {
		body = await res.json();
	} catch {
		// not a problem document (a proxy's error page): fall through to a generic message
	}
	const retry = Number(res.headers.get('retry-after'));
	throw new ApiProblem(
		res.status,
		body.code ?? 'error',
		body.detail ?? body.title ?? 'The service did not answer as expected. Try again in a moment.',
		Number.isFinite(retry) && retry > 0 ? retry : undefined
	);
}

const REFRESH_MARGIN_MS = 60_000;

class Session {
	account = $state<Account | null>(null);
	idleLockMinutes = $state(15);

	#token: string | null = null;
	#expiresAt = 0;
	#refreshing: Promise<boolean> | null = null;
	#api: ApiClient | null = null;

	get signedIn(): boolean {
		return this.account !== null;
	}

	/** The typed client; every call carries the access token and refreshes it when needed. */
	get api(): ApiClient {
		this.#api ??= createApiClient(location.origin, (input, init) => this.#authorizedFetch(input, init));
		return this.#api;
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
				const res = await fetch('/api/auth/token', { method: 'POST', credentials: 'same-origin' });
				if (!res.ok) {
					this.#clear();
					return false;
				}
				this.accept((await res.json()) as SessionGrant);
				return true;
			} catch {
				return false;
			} finally {
				this.#refreshing = null;
			}
		})();
		return this.#refreshing;
	}

	async signOut(): Promise<void> {
		await fetch('/api/auth/token', { method: 'DELETE', credentials: 'same-origin' }).catch(() => undefined);
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
