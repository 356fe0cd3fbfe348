// Organisations as a browser makes them: the create link, wraps and wrap statements from the crypto core's
// createOrganisation (crypto/SPEC.md §16.10), sent to POST /api/orgs.
import { expect } from 'vitest';
import { createOrganisation, ready, type UserIdentity } from '../../crypto/index';
import type { ApiApp } from '../../src/lib/server/api/app';
import { b64, call, newAccount, type TestAccount } from './account-client';

export type SignedUp = TestAccount & { token: string };

/** A new account, signed up through the API. */
export async function signedUp(app: ApiApp): Promise<SignedUp> {
	const account = await newAccount();
	const res = await call(app)('POST', '/api/auth/signup', { body: account.signupBody });
	expect(res.status).toBe(201);
	return { ...account, token: res.json.accessToken as string };
}

/** What POST /api/orgs takes, for an organisation made by `identity` as member `memberId`. */
export async function createBody(identity: UserIdentity, memberId: string, displayName = 'Acme Trading') {
	await ready();
	const org = createOrganisation(identity, memberId, Date.now());
	const body = {
		displayName,
		link: b64(org.link),
		wraps: (['catalog', 'sourcing', 'logistics'] as const).map((domain) => ({
			domain,
			epoch: 1,
			wrap: b64(org.wraps[domain]),
			statement: b64(org.wrapStatements[domain])
		}))
	};
	return { org, body };
}

/** A new organisation of `who`, created through the API. */
export async function newOrganisation(app: ApiApp, who: SignedUp, displayName?: string) {
	const { org, body } = await createBody(who.identity, who.userId, displayName);
	const res = await call(app)('POST', '/api/orgs', { token: who.token, body });
	expect(res.status, JSON.stringify(res.json)).toBe(201);
	return { org, body, tenantId: org.tenantId };
}
