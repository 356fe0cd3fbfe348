// Passkeys, browser side: add one while signed in, sign in with one (discoverable credential).
//
// With the WebAuthn PRF extension the authenticator derives 32 secret bytes from a fixed per-application
// salt. Those bytes are a key: the vault seals the identity bundle under them (`sealForPasskey`) and opens
// it again at sign-in (`unlockWithPasskey`), so a passkey can unlock the vault without the password. The
// PRF output never leaves the browser: it is stripped from every response before it is sent, and the
// copies held here are wiped after use. This file lives in src/lib/vault/ because it handles that key.
import {
	startAuthentication,
	startRegistration,
	type AuthenticationResponseJSON,
	type PublicKeyCredentialCreationOptionsJSON,
	type PublicKeyCredentialRequestOptionsJSON,
	type RegistrationResponseJSON
} from '@simplewebauthn/browser';
import type { Reauth } from '$lib/account/reauth';
import { readJson } from '$lib/api/problem';
import { session, type SessionGrant } from '$lib/api/session.svelte';
import { vault } from './vault.svelte';

/**
 * The PRF input ("salt") for every Stowage passkey: SHA-256 of the UTF-8 string `stowage/passkey-prf/v1`.
 * Fixed and public, so a discoverable sign-in (account unknown before the ceremony) can ask for the PRF.
 * Changing it would make every existing passkey's PRF-sealed bundle unopenable: bump the version instead.
 */
export const PRF_SALT: Uint8Array<ArrayBuffer> = new Uint8Array([
	0x23, 0x55, 0xe3, 0xed, 0x41, 0x4c, 0xd8, 0xef, 0xa7, 0x29, 0x56, 0x86, 0x25, 0x81, 0x1c, 0x70, 0x09, 0x50,
	0x7b, 0x73, 0x32, 0x47, 0x6d, 0x87, 0x51, 0x41, 0xd9, 0x63, 0x7f, 0xa8, 0xfa, 0x06
]);

export const PRF_SALT_LABEL = 'stowage/passkey-prf/v1';

type Extensions = NonNullable<PublicKeyCredentialRequestOptionsJSON['extensions']>;

type WithExtensions = { clientExtensionResults: RegistrationResponseJSON['clientExtensionResults'] };

/** Adds the PRF extension (evaluated at PRF_SALT) to creation or request options. */
export function withPrf<T extends { extensions?: Extensions }>(options: T): T & { extensions: Extensions } {
	return {
		...options,
		// A fresh copy per ceremony: nothing can alter the shared constant through the options object.
		extensions: { ...options.extensions, prf: { eval: { first: PRF_SALT.slice() } } }
	};
}

/**
 * Takes the PRF output out of a ceremony's response: returns a copy of the first result (or null) and
 * a response that no longer carries any PRF result, ready to send. The original buffer is zeroed.
 */
export function takePrfOutput<R extends WithExtensions>(
	response: R
): { prfOutput: Uint8Array<ArrayBuffer> | null; prfEnabled: boolean; response: R } {
	const prf = response.clientExtensionResults?.prf;
	let prfOutput: Uint8Array<ArrayBuffer> | null = null;
	const first = prf?.results?.first;
	if (first) {
		const view = ArrayBuffer.isView(first)
			? new Uint8Array(first.buffer, first.byteOffset, first.byteLength)
			: new Uint8Array(first as ArrayBuffer);
		if (view.length > 0) prfOutput = new Uint8Array(view);
		view.fill(0);
	}
	const prfEnabled = prfOutput !== null || prf?.enabled === true;
	const results = { ...response.clientExtensionResults };
	if (prf) {
		const rest: Record<string, unknown> = { ...prf };
		delete rest.results;
		results.prf = rest;
	}
	return { prfOutput, prfEnabled, response: { ...response, clientExtensionResults: results } };
}

type Options<T> = { challengeId: string; options: T };

/** WebAuthn options cross the API as plain JSON (a record there): typed here as the browser library's. */
const webAuthnOptions = <T>(answer: { challengeId: string; options: unknown }) =>
	answer as unknown as Options<T>;

/** The typed client (bearer token and refresh included); WebAuthn JSON is passed through as is. */
const passkeyApi = () => session.api.api.auth.passkeys;

/**
 * Registers a new passkey for the signed-in account, with a fresh proof of the password or recovery key
 * (`reauth`). Needs an unlocked vault when the authenticator has PRF (the identity bundle is sealed under
 * the PRF output). Returns whether the passkey can unlock.
 */
export async function addPasskey(name: string, reauth: Reauth): Promise<{ prf: boolean }> {
	const { challengeId, options } = webAuthnOptions<PublicKeyCredentialCreationOptionsJSON>(
		await readJson(passkeyApi().register.options.$post())
	);
	const created = await startRegistration({ optionsJSON: withPrf(options) });
	const taken = takePrfOutput(created);
	let prfOutput = taken.prfOutput;
	try {
		// Some authenticators only say "enabled" at creation: one assertion with this credential gives the output.
		if (!prfOutput && taken.prfEnabled) prfOutput = await prfFromAssertion(created.id);
		let prfBundle: string | undefined;
		if (prfOutput) {
			if (!vault.status.unlocked) throw new Error('Unlock the vault before adding a passkey.');
			prfBundle = await vault.ops.sealForPasskey(prfOutput);
		}
		await readJson(
			passkeyApi().register.$post({
				json: { reauth, challengeId, name, response: taken.response as never, prfBundle }
			})
		);
		return { prf: prfBundle !== undefined };
	} finally {
		prfOutput?.fill(0);
	}
}

/** A follow-up assertion restricted to one credential, only to read its PRF output. Best effort. */
async function prfFromAssertion(credentialId: string): Promise<Uint8Array<ArrayBuffer> | null> {
	try {
		const { options } = webAuthnOptions<PublicKeyCredentialRequestOptionsJSON>(
			await readJson(passkeyApi().login.options.$post())
		);
		const asserted = await startAuthentication({
			optionsJSON: withPrf({
				...options,
				allowCredentials: [{ id: credentialId, type: 'public-key' }]
			})
		});
		return takePrfOutput(asserted).prfOutput;
	} catch {
		return null;
	}
}

/**
 * Signs in with a discoverable passkey. When the passkey has a PRF-sealed bundle and the authenticator
 * returns the PRF output, the vault unlocks too (`unlocked: true`); otherwise the password unlocks it.
 * API failures throw ApiProblem; a cancelled ceremony throws the browser's DOMException.
 */
export async function signInWithPasskey(): Promise<{ unlocked: boolean }> {
	const { challengeId, options } = webAuthnOptions<PublicKeyCredentialRequestOptionsJSON>(
		await readJson(passkeyApi().login.options.$post())
	);
	const asserted: AuthenticationResponseJSON = await startAuthentication({ optionsJSON: withPrf(options) });
	const { prfOutput, response } = takePrfOutput(asserted);
	try {
		const grant: SessionGrant & { prfBundle: string | null } = await readJson(
			passkeyApi().login.$post({ json: { challengeId, response: response as never } })
		);
		const { prfBundle, ...sessionGrant } = grant;
		session.accept(sessionGrant);
		vault.setIdleMinutes(grant.idleLockMinutes);
		if (prfBundle && prfOutput) {
			await vault.unlockWithPasskey(grant.account.id, prfOutput, prfBundle);
			return { unlocked: true };
		}
		return { unlocked: false };
	} finally {
		prfOutput?.fill(0);
	}
}
