// A thief holding a session, tried on each database: every credential change needs a fresh proof, the
// owner can undo what was added in the last 24 hours, step tokens work once, and malformed tokens signed
// with the real key are a 401, never a crash.
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleKeyFrom, openIdentityBundle, sealIdentityBundle } from '../../crypto/index';
import { totpCode } from '../../src/lib/server/auth/totp';
import { testApi } from '../helpers/api';
import {
	b64,
	call,
	deriveFromPassword,
	newAccount,
	newKdf,
	unb64,
	type Kdf
} from '../helpers/account-client';
import { databaseFactories, type TestDatabase } from '../helpers/databases';

describe.each(databaseFactories)('a stolen session on $kind', (factory) => {
	let t: TestDatabase;
	let api: ReturnType<typeof testApi>;
	let req: ReturnType<typeof call>;

	beforeAll(async () => {
		t = await factory.create();
		api = testApi(t.db);
		req = call(api.app);
	});
	afterAll(() => t.drop());

	async function signUp() {
		const account = await newAccount();
		const res = await req('POST', '/api/auth/signup', { body: account.signupBody });
		expect(res.status).toBe(201);
		const { authKey } = await deriveFromPassword(account.password, account.signupBody.kdf as Kdf);
		return {
			account,
			token: res.json.accessToken as string,
			password: { authKey: b64(authKey) },
			recoveryKey: { recoveryAuthKey: b64(account.recoveryAuthKey) }
		};
	}

	const wrongProof = { authKey: b64(new Uint8Array(32)) };

	/** Turns two-factor on as the given proof allows; returns the secret. */
	async function enableTotp(token: string, reauth: object) {
		const setup = await req('POST', '/api/auth/totp/setup', { token, body: { reauth } });
		expect(setup.status).toBe(200);
		const secret = setup.json.secret as string;
		const ok = await req('POST', '/api/auth/totp/enable', {
			token,
			body: { reauth, code: totpCode(secret, api.clock.now) }
		});
		expect(ok.status).toBe(200);
		api.clock.now += 30_000;
		return { secret, backupCodes: ok.json.backupCodes as string[] };
	}

	/** A passkey row, as a registration would leave it (the ceremony itself runs in the e2e suite). */
	async function addPasskeyRow(userId: string, name: string, ageHours = 0) {
		const id = randomBytes(16).toString('base64url');
		await t.driver.transaction((tx) =>
			tx.query(
				`insert into app.passkeys (id, user_id, name, public_key, counter, device_type, backed_up, created_at)
				 values ($1, $2, $3, $4, 0, 'singleDevice', false, now() - make_interval(hours => $5))`,
				[id, userId, name, new Uint8Array(77), ageHours]
			)
		);
		return id;
	}

	async function ageTotp(userId: string, hours: number) {
		await t.driver.transaction((tx) =>
			tx.query(`update app.users set totp_enabled_at = now() - make_interval(hours => $2) where id = $1`, [
				userId,
				hours
			])
		);
	}

	async function recover(account: Awaited<ReturnType<typeof newAccount>>, extra: object = {}) {
		return req('POST', '/api/auth/recovery', {
			body: { email: account.email, recoveryAuthKey: b64(account.recoveryAuthKey), ...extra }
		});
	}

	async function completeRecovery(account: Awaited<ReturnType<typeof newAccount>>, recoveryToken: string) {
		const kdf = newKdf(account.email);
		const next = await deriveFromPassword('recovered passphrase', kdf);
		return req('POST', '/api/auth/recovery/complete', {
			body: {
				recoveryToken,
				kdf,
				authKey: b64(next.authKey),
				masterBundle: b64(
					sealIdentityBundle(account.identity, bundleKeyFrom('master', next.masterKey), {
						userId: account.userId,
						method: 'master'
					})
				)
			}
		});
	}

	describe('every credential change needs a fresh proof in the same request', () => {
		it('refuses each change with a bearer token alone, or with a wrong proof', async () => {
			const { token, account } = await signUp();
			const fresh = await newAccount();
			const kdf = newKdf();
			const changes: [string, string, Record<string, unknown>][] = [
				['POST', '/api/auth/totp/setup', {}],
				['POST', '/api/auth/totp/enable', { code: '123456' }],
				['POST', '/api/auth/totp/disable', { code: '123456' }],
				[
					'POST',
					'/api/auth/passkeys/register',
					{
						challengeId: crypto.randomUUID(),
						name: 'thief',
						response: {
							id: 'AAAA',
							rawId: 'AAAA',
							type: 'public-key',
							response: { clientDataJSON: 'AA', attestationObject: 'AA' },
							clientExtensionResults: {}
						}
					}
				],
				['DELETE', `/api/auth/passkeys/${await addPasskeyRow(account.userId, 'mine', 48)}`, {}],
				[
					'POST',
					'/api/auth/recovery/rotate',
					{
						recoveryBundle: fresh.signupBody.recoveryBundle,
						recoveryAuthKey: fresh.signupBody.recoveryAuthKey
					}
				],
				[
					'POST',
					'/api/auth/password',
					{ kdf, authKey: fresh.signupBody.authKey, masterBundle: fresh.signupBody.masterBundle }
				],
				['POST', '/api/auth/sessions/sign-out-everywhere', {}]
			];
			for (const [method, path, body] of changes) {
				const none = await req(method, path, { token, body });
				expect(none.status, `${method} ${path} without a proof`).toBe(400);
				const wrong = await req(method, path, { token, body: { ...body, reauth: wrongProof } });
				expect(wrong.status, `${method} ${path} with a wrong proof`).toBe(403);
				expect(wrong.json.code).toBe('wrong_password');
			}
			// Nothing changed: no two-factor, the passkey is still there, the session is alive.
			const me = await req('GET', '/api/auth/me', { token });
			expect(me.status).toBe(200);
			expect(me.json.totpEnabled).toBe(false);
			expect(((await req('GET', '/api/auth/passkeys', { token })).json.passkeys as unknown[]).length).toBe(1);
			// Each wrong proof is in the owner's security log.
			const log = await req('GET', '/api/auth/security-log', { token });
			const kinds = (log.json.events as { kind: string }[]).map((e) => e.kind);
			expect(kinds.filter((k) => k === 'reauth_failed')).toHaveLength(changes.length);
		});

		it('accepts the recovery key as the proof as well as the password', async () => {
			const { token, recoveryKey } = await signUp();
			await enableTotp(token, recoveryKey);
			expect((await req('GET', '/api/auth/me', { token })).json.totpEnabled).toBe(true);
			const wrongRecovery = await req('POST', '/api/auth/sessions/sign-out-everywhere', {
				token,
				body: { reauth: { recoveryAuthKey: b64(new Uint8Array(32)) } }
			});
			expect(wrongRecovery.status).toBe(403);
		});

		it('refuses a proof with both fields or unknown ones', async () => {
			const { token, password, recoveryKey } = await signUp();
			for (const reauth of [{ ...password, ...recoveryKey }, { ...password, extra: 1 }, {}]) {
				const res = await req('POST', '/api/auth/sessions/sign-out-everywhere', { token, body: { reauth } });
				expect(res.status).toBe(400);
			}
		});
	});

	describe('the owner can undo what a thief added', () => {
		it('recovery asks no code for two-factor a thief turned on today, and removes it and their passkeys', async () => {
			const { account, token: thief, password } = await signUp();
			// The thief had the session and the password (e.g. a keylogger): two-factor and a passkey of theirs.
			await enableTotp(thief, password);
			const theirs = await addPasskeyRow(account.userId, 'thief’s key');
			const ownOld = await addPasskeyRow(account.userId, 'owner’s key', 72);

			const start = await recover(account);
			expect(start.status).toBe(200);
			const done = await completeRecovery(account, start.json.recoveryToken as string);
			expect(done.status).toBe(200);
			const token = done.json.accessToken as string;
			expect((done.json.account as { totpEnabled: boolean }).totpEnabled).toBe(false);
			const ids = ((await req('GET', '/api/auth/passkeys', { token })).json.passkeys as { id: string }[]).map(
				(p) => p.id
			);
			expect(ids).toEqual([ownOld]);
			expect(ids).not.toContain(theirs);
			expect((await req('GET', '/api/auth/me', { token: thief })).status).toBe(401);
			const log = (await req('GET', '/api/auth/security-log', { token })).json.events as {
				kind: string;
				detail: Record<string, unknown>;
			}[];
			expect(log.find((e) => e.kind === 'recovered')?.detail).toMatchObject({
				removedPasskeys: 1,
				totpRemoved: true
			});
		});

		it('recovery still asks for a two-factor code the owner has had for more than a day, and says so', async () => {
			const { account, token, password } = await signUp();
			const { secret } = await enableTotp(token, password);
			await ageTotp(account.userId, 48);
			const missing = await recover(account);
			expect(missing.status).toBe(401);
			expect(missing.json.code).toBe('second_factor_required');
			expect((await recover(account, { code: '000000' })).json.code).toBe('recovery_failed');
			const ok = await recover(account, { code: totpCode(secret, api.clock.now) });
			expect(ok.status).toBe(200);
			// A wrong recovery key never learns whether a code would be needed.
			const wrongKey = await req('POST', '/api/auth/recovery', {
				body: { email: account.email, recoveryAuthKey: b64(new Uint8Array(32)) }
			});
			expect(wrongKey.json.code).toBe('recovery_failed');
		});

		it('a password change lists what was added today, and its token removes exactly that, once', async () => {
			const { account, token, password } = await signUp();
			await enableTotp(token, password);
			const recent = await addPasskeyRow(account.userId, 'added today');
			const old = await addPasskeyRow(account.userId, 'added last week', 24 * 7);
			const kdf = newKdf(account.email);
			const next = await deriveFromPassword('a whole new passphrase', kdf);
			const changed = await req('POST', '/api/auth/password', {
				token,
				body: {
					reauth: password,
					kdf,
					authKey: b64(next.authKey),
					masterBundle: b64(
						sealIdentityBundle(account.identity, bundleKeyFrom('master', next.masterKey), {
							userId: account.userId,
							method: 'master'
						})
					)
				}
			});
			expect(changed.status).toBe(200);
			const listed = changed.json.recentlyAdded as { passkeys: { id: string; name: string }[] };
			expect(listed.passkeys).toEqual([expect.objectContaining({ id: recent, name: 'added today' })]);
			expect(changed.json.recentlyAdded).toMatchObject({ totpEnabledAt: expect.any(String) });
			const cleanupToken = changed.json.cleanupToken as string;

			// Ask for more than was listed: only the listed passkey goes.
			const body = { cleanupToken, passkeys: [recent, old], totp: true };
			const cleaned = await req('POST', '/api/auth/security/cleanup', { body });
			expect(cleaned.status).toBe(200);
			expect(cleaned.json).toEqual({ removedPasskeys: ['added today'], totpRemoved: true });
			const left = (await req('GET', '/api/auth/passkeys', { token })).json.passkeys as { id: string }[];
			expect(left.map((p) => p.id)).toEqual([old]);
			expect((await req('GET', '/api/auth/me', { token })).json.totpEnabled).toBe(false);
			// Once.
			const again = await req('POST', '/api/auth/security/cleanup', { body });
			expect(again.status).toBe(401);
			expect(again.json.code).toBe('invalid_token');
		});

		it('sign-out-everywhere and a 2FA reset list recent additions too; nothing recent, no token', async () => {
			const { account, token, password } = await signUp();
			const quiet = await req('POST', '/api/auth/sessions/sign-out-everywhere', {
				token,
				body: { reauth: password }
			});
			expect(quiet.json).toMatchObject({
				revokedSessions: 1,
				recentlyAdded: { passkeys: [], totpEnabledAt: null },
				cleanupToken: null
			});

			const login = await req('POST', '/api/auth/login', {
				body: { email: account.email, authKey: password.authKey }
			});
			const session = login.json.accessToken as string;
			const { secret } = await enableTotp(session, password);
			await addPasskeyRow(account.userId, 'fresh');
			const reset = await req('POST', '/api/auth/totp/disable', {
				token: session,
				body: { reauth: password, code: totpCode(secret, api.clock.now) }
			});
			expect(reset.status).toBe(200);
			expect((reset.json.recentlyAdded as { passkeys: unknown[] }).passkeys).toHaveLength(1);
			expect(reset.json.cleanupToken).toEqual(expect.any(String));
		});

		it('a clean-up token is bound to its account and kind', async () => {
			const victim = await signUp();
			const id = await addPasskeyRow(victim.account.userId, 'victim’s');
			const other = await signUp();
			// Another account's token naming the victim's passkey id removes nothing of the victim's.
			const forged = await api.deps.tokens.sign('cleanup', { sub: other.account.userId, passkeys: [id] });
			const res = await req('POST', '/api/auth/security/cleanup', {
				body: { cleanupToken: forged, passkeys: [id], totp: false }
			});
			expect(res.json).toEqual({ removedPasskeys: [], totpRemoved: false });
			const asRecovery = await api.deps.tokens.sign('recovery', { sub: victim.account.userId });
			const wrongKind = await req('POST', '/api/auth/security/cleanup', {
				body: { cleanupToken: asRecovery, passkeys: [id], totp: false }
			});
			expect(wrongKind.status).toBe(401);
			expect(
				((await req('GET', '/api/auth/passkeys', { token: victim.token })).json.passkeys as unknown[]).length
			).toBe(1);
		});

		it('keeps a security log of sign-ins, failures and factor changes, readable by its owner alone', async () => {
			const { account, token, password } = await signUp();
			await req('POST', '/api/auth/login', { body: { email: account.email, authKey: wrongProof.authKey } });
			await enableTotp(token, password);
			const stranger = await signUp();
			const events = (await req('GET', '/api/auth/security-log', { token })).json.events as {
				kind: string;
				ip: string;
				detail: object;
			}[];
			expect(events.map((e) => e.kind)).toEqual(['totp_enabled', 'sign_in_failed', 'signed_in']);
			expect(events[2]).toMatchObject({ ip: '203.0.113.7', detail: { method: 'password' } });
			const theirs = (await req('GET', '/api/auth/security-log', { token: stranger.token })).json.events;
			expect(theirs).toHaveLength(1);
			// Append-only: the auth service itself can neither rewrite nor delete an event.
			for (const sql of ['update app.security_events set kind = kind', 'delete from app.security_events']) {
				await expect(t.db.withClaims({ role: 'stowage_auth' }, (tx) => tx.query(sql))).rejects.toThrow(
					/permission denied/
				);
			}
		});
	});

	describe('step tokens work once', () => {
		it('one mfa token yields one session, even with two valid codes', async () => {
			const { account, token, password } = await signUp();
			const { secret, backupCodes } = await enableTotp(token, password);
			const first = await req('POST', '/api/auth/login', {
				body: { email: account.email, authKey: password.authKey }
			});
			const mfaToken = first.json.mfaToken as string;
			const ok = await req('POST', '/api/auth/login/totp', {
				body: { mfaToken, code: totpCode(secret, api.clock.now) }
			});
			expect(ok.status).toBe(200);
			const again = await req('POST', '/api/auth/login/totp', {
				body: { mfaToken, backupCode: backupCodes[0] }
			});
			expect(again.status).toBe(401);
			expect(again.json.code).toBe('invalid_token');
		});

		it('one recovery token completes one recovery, even when sent twice at once', async () => {
			const { account } = await signUp();
			const start = await recover(account);
			const recoveryToken = start.json.recoveryToken as string;
			const identity = openIdentityBundle(
				unb64(start.json.recoveryBundle as string),
				bundleKeyFrom('recovery', account.recoveryKey as never),
				{ userId: account.userId, method: 'recovery' }
			);
			expect(b64(identity.signPublicKey)).toBe(b64(account.identity.signPublicKey));
			const results = await Promise.all([
				completeRecovery(account, recoveryToken),
				completeRecovery(account, recoveryToken)
			]);
			expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
			expect((await completeRecovery(account, recoveryToken)).status).toBe(401);
		});
	});

	describe('tokens signed with the real key but malformed', () => {
		const sign = (claims: Record<string, unknown>, aud: string) =>
			new SignJWT(claims)
				.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
				.setIssuer('stowage')
				.setAudience(aud)
				.setIssuedAt()
				.setJti(randomBytes(12).toString('base64url'))
				.setExpirationTime('5m')
				.sign(api.deps.keys.jwt);

		it('are a 401 when sub or sid is not a UUID', async () => {
			const { account } = await signUp();
			const sid = crypto.randomUUID();
			for (const claims of [
				{ sub: 'not-a-uuid', sid },
				{ sub: account.userId, sid: 'not-a-uuid' },
				{ sub: account.userId, sid: 42 },
				{ sub: account.userId }
			]) {
				const res = await req('GET', '/api/auth/me', { token: await sign(claims, 'stowage:access') });
				expect(res.status, JSON.stringify(claims)).toBe(401);
			}
			const badStep = await sign({ sub: "x' or 1=1" }, 'stowage:mfa');
			const res = await req('POST', '/api/auth/login/totp', { body: { mfaToken: badStep, code: '123456' } });
			expect(res.status).toBe(401);
		});

		it('refuse a step token spelt in non-canonical base64url', async () => {
			const { account } = await signUp();
			const mfaToken = await api.deps.tokens.sign('mfa', { sub: account.userId });
			const [h, p, s] = mfaToken.split('.') as [string, string, string];
			// The last character of a 32-byte signature carries 2 unused bits: setting them decodes the same.
			const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
			const last = alphabet.indexOf(s.at(-1)!);
			const twin = `${s.slice(0, -1)}${alphabet[last | 1]}`;
			expect(twin).not.toBe(s);
			expect(Buffer.from(twin, 'base64url')).toEqual(Buffer.from(s, 'base64url'));
			const res = await req('POST', '/api/auth/login/totp', {
				body: { mfaToken: `${h}.${p}.${twin}`, code: '123456' }
			});
			expect(res.status).toBe(401);
			expect(res.json.code).toBe('invalid_token');
		});
	});
});
