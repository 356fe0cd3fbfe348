// Passkey registration with crafted authenticator answers: bad input is a 400, never a 500 or a leak.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApi, TEST_ORIGIN } from '../helpers/api';
import { call, newAccount } from '../helpers/account-client';
import { databaseFactories, type TestDatabase } from '../helpers/databases';
import { createRegistration, type RegistrationOverrides } from '../helpers/webauthn';

describe.each(databaseFactories)('passkey registration on $kind', (factory) => {
	let t: TestDatabase;
	let req: ReturnType<typeof call>;

	beforeAll(async () => {
		t = await factory.create();
		req = call(testApi(t.db).app);
	});
	afterAll(() => t.drop());

	async function signUp() {
		const account = await newAccount();
		const res = await req('POST', '/api/auth/signup', { body: account.signupBody });
		expect(res.status).toBe(201);
		return {
			userId: account.userId,
			token: res.json.accessToken as string,
			reauth: { authKey: account.signupBody.authKey as string }
		};
	}

	type User = Awaited<ReturnType<typeof signUp>>;

	/** Runs the ceremony with the software authenticator; `edit` changes the body before it is sent. */
	async function register(
		user: User,
		overrides: RegistrationOverrides = {},
		edit: (body: Record<string, unknown>) => void = () => {}
	) {
		const opts = await req('POST', '/api/auth/passkeys/register/options', { token: user.token });
		expect(opts.status).toBe(200);
		const options = opts.json.options as { challenge: string; rp: { id?: string } };
		const made = createRegistration(options, TEST_ORIGIN, overrides);
		const body: Record<string, unknown> = {
			reauth: user.reauth,
			challengeId: opts.json.challengeId,
			name: 'YubiKey',
			response: made.response
		};
		edit(body);
		const res = await req('POST', '/api/auth/passkeys/register', { token: user.token, body });
		return { ...res, credentialId: made.credentialId };
	}

	async function storedPasskeys(userId: string) {
		return t.driver.transaction((tx) =>
			tx.query<{ id: string; transports: string[]; is_array: boolean }>(
				`select id, transports, pg_typeof(transports) = 'text[]'::regtype as is_array
				   from app.passkeys where user_id = $1`,
				[userId]
			)
		);
	}

	/** The problem body without what differs per request. */
	const answer = (res: { status: number; json: Record<string, unknown> }) => {
		const { requestId: _, ...rest } = res.json;
		return { status: res.status, ...rest };
	};

	it('stores a verified passkey with its transports as a real array', async () => {
		const user = await signUp();
		const res = await register(user, { transports: ['usb', 'nfc'] });
		expect(res.status).toBe(201);
		expect(res.json).toMatchObject({ id: res.credentialId, name: 'YubiKey', prf: false });
		expect(await storedPasskeys(user.userId)).toEqual([
			{ id: res.credentialId, transports: ['usb', 'nfc'], is_array: true }
		]);
		const matched = await t.driver.transaction((tx) =>
			tx.query<{ ok: boolean }>(
				`select transports = array['usb', 'nfc'] as ok from app.passkeys where id = $1`,
				[res.credentialId]
			)
		);
		expect(matched).toEqual([{ ok: true }]);
	});

	it('refuses another user’s credential id with the answer of a failed verification', async () => {
		const bob = await signUp();
		const bobs = await register(bob);
		expect(bobs.status).toBe(201);

		const mallory = await signUp();
		const taken = await register(mallory, { credentialId: Buffer.from(bobs.credentialId, 'base64url') });
		const unverified = await register(mallory, { withoutUserVerification: true });
		expect(taken.status).toBe(400);
		expect(answer(taken)).toEqual(answer(unverified));
		expect(taken.json.code).toBe('passkey_invalid');
		expect(taken.headers.get('content-type')).toBe('application/problem+json');

		expect(await storedPasskeys(mallory.userId)).toEqual([]);
		expect((await storedPasskeys(bob.userId)).map((p) => p.id)).toEqual([bobs.credentialId]);
	});

	it('uses a challenge up on a failed attempt: a retry with a valid answer must start again', async () => {
		const user = await signUp();
		const opts = await req('POST', '/api/auth/passkeys/register/options', { token: user.token });
		const options = opts.json.options as { challenge: string; rp: { id?: string } };
		const send = (overrides: RegistrationOverrides) =>
			req('POST', '/api/auth/passkeys/register', {
				token: user.token,
				body: {
					reauth: user.reauth,
					challengeId: opts.json.challengeId,
					name: 'YubiKey',
					response: createRegistration(options, TEST_ORIGIN, overrides).response
				}
			});
		expect((await send({ withoutUserVerification: true })).json.code).toBe('passkey_invalid');
		const retry = await send({});
		expect(retry.status).toBe(400);
		expect(retry.json.code).toBe('challenge_expired');
		expect(await storedPasskeys(user.userId)).toEqual([]);
	});

	it('refuses a passkey the account already has, the same way', async () => {
		const user = await signUp();
		const first = await register(user);
		const again = await register(user, { credentialId: Buffer.from(first.credentialId, 'base64url') });
		expect(again.status).toBe(400);
		expect(again.json.code).toBe('passkey_invalid');
		expect(await storedPasskeys(user.userId)).toHaveLength(1);
	});

	it.each([
		['a transport with a quote', ['usb"']],
		['a transport with a brace', ['usb}']],
		['a transport with a comma', ['usb,nfc']],
		['a transport with braces and commas', ['{usb,nfc}']],
		['transports sent as a string', 'usb'],
		['transports sent as an object', { 0: 'usb' }],
		['a transport that is not a string', [1]],
		['too many transports', Array.from({ length: 9 }, () => 'usb')],
		['a huge transport', ['u'.repeat(10_000)]]
	])('answers 400 to %s, and stores nothing', async (_, transports) => {
		const user = await signUp();
		const res = await register(user, { transports });
		expect(res.status).toBe(400);
		expect(res.json.code).toBe('validation_failed');
		expect(res.json.errors).toEqual([
			expect.objectContaining({ path: expect.stringMatching(/^response\.response\.transports/) })
		]);
		expect(await storedPasskeys(user.userId)).toEqual([]);
	});

	it('keeps the transports it knows, in order and once, and drops well-formed ones from a newer spec', async () => {
		const user = await signUp();
		const res = await register(user, { transports: ['hybrid', 'internal', 'satellite', 'hybrid'] });
		expect(res.status).toBe(201);
		expect((await storedPasskeys(user.userId))[0]!.transports).toEqual(['hybrid', 'internal']);
	});

	it.each([
		['a NUL', 'Yubi\u0000Key'],
		['a newline', 'Yubi\nKey'],
		['another control character', 'Yubi\u001bKey'],
		['a right-to-left override', 'Yubi\u202eyeK'],
		['a lone surrogate', 'Yubi\ud800Key'],
		['nothing but spaces', '   '],
		['65 characters', 'k'.repeat(65)]
	])('answers 400 to a name with %s', async (_, name) => {
		const user = await signUp();
		const res = await register(user, {}, (body) => (body.name = name));
		expect(res.status).toBe(400);
		expect(res.json.errors).toEqual([expect.objectContaining({ path: 'name' })]);
		expect(await storedPasskeys(user.userId)).toEqual([]);
	});

	it('takes names people write: accents, emoji with joiners, other scripts', async () => {
		const user = await signUp();
		for (const name of ['Clé de Zoë', '👩‍💻 laptop', '鍵 🔑', 'مفتاح']) {
			const res = await register(user, {}, (body) => (body.name = name));
			expect(res.status).toBe(201);
			expect(res.json.name).toBe(name);
		}
	});
});
