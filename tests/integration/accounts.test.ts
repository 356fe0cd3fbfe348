// Accounts through the API on each database: every flow, and the attacks on it (wrong password, replayed
// TOTP, reused refresh token, revoked session, forged or expired JWT, enumeration, rate limits).
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleKeyFrom, KDF_DEFAULTS, openIdentityBundle, sealIdentityBundle } from '../../crypto/index';
import { FAKE_KDF_PARAMS } from '../../src/lib/server/api/routes/auth/prelogin';
import { totpCode } from '../../src/lib/server/auth/totp';
import { createRateLimits } from '../../src/lib/server/api/rate-limit';
import { TEST_ORIGIN, testApi } from '../helpers/api';
import {
	b64,
	call,
	deriveFromPassword,
	newAccount,
	newKdf,
	openMasterBundle,
	unb64,
	type Kdf
} from '../helpers/account-client';
import { databaseFactories, type TestDatabase } from '../helpers/databases';

/** What a browser sends with a same-origin fetch; the refresh-cookie routes refuse requests without it. */
const browser = { origin: TEST_ORIGIN, 'sec-fetch-site': 'same-origin' };

describe.each(databaseFactories)('accounts on $kind', (factory) => {
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
		return { account, token: res.json.accessToken as string, refresh: res.refresh!, grant: res.json };
	}

	/** A fresh proof of the password, as credential changes need. */
	async function proof(account: { password: string; signupBody: Record<string, unknown> }) {
		const { authKey } = await deriveFromPassword(account.password, account.signupBody.kdf as Kdf);
		return { authKey: b64(authKey) };
	}

	async function logIn(email: string, password: string) {
		const pre = await req('POST', '/api/auth/prelogin', { body: { email } });
		const { authKey, masterKey } = await deriveFromPassword(password, pre.json.kdf as Kdf);
		const res = await req('POST', '/api/auth/login', { body: { email, authKey: b64(authKey) } });
		return { ...res, masterKey };
	}

	describe('sign-up', () => {
		it('creates the account, signs in, and sets a locked-down refresh cookie', async () => {
			const { account, grant, refresh } = await signUp();
			expect(grant).toMatchObject({
				expiresIn: 900,
				idleLockMinutes: 15,
				account: { id: account.userId, email: account.email, totpEnabled: false }
			});
			const res = await req('POST', '/api/auth/signup', { body: (await newAccount()).signupBody });
			expect(res.setCookie).toMatch(/^__Secure-stowage_refresh=[A-Za-z0-9_-]{43};/);
			expect(res.setCookie).toMatch(/Path=\/api\/auth\/token/);
			expect(res.setCookie).toMatch(/HttpOnly/);
			expect(res.setCookie).toMatch(/Secure/);
			expect(res.setCookie).toMatch(/SameSite=Strict/);
			expect(refresh).toBeTruthy();
		});

		it('stores no password and no usable key: an Argon2id hash of the auth key and sealed bundles only', async () => {
			const { account } = await signUp();
			const [row] = await t.driver.transaction((tx) =>
				tx.query<{ auth_hash: string; master_bundle: Uint8Array; recovery_auth_hash: string }>(
					'select auth_hash, master_bundle, recovery_auth_hash from app.users where id = $1',
					[account.userId]
				)
			);
			expect(row!.auth_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
			expect(row!.recovery_auth_hash).toMatch(/^\$argon2id\$/);
			const stored = JSON.stringify(row) + Buffer.from(row!.master_bundle).toString('hex');
			expect(stored).not.toContain(account.signupBody.authKey as string);
			expect(stored).not.toContain(Buffer.from(account.identity.boxSecretKey).toString('hex'));
		});

		it('refuses a second account with the same email (any case) and parameters below the floor', async () => {
			const { account } = await signUp();
			const again = await newAccount(account.email.toUpperCase());
			const res = await req('POST', '/api/auth/signup', { body: again.signupBody });
			expect(res.status).toBe(409);
			expect(res.json.code).toBe('account_exists');

			const weak = await newAccount();
			const res2 = await req('POST', '/api/auth/signup', {
				body: { ...weak.signupBody, kdf: { ...(weak.signupBody.kdf as Kdf), opsLimit: 1 } }
			});
			expect(res2.status).toBe(400);
			expect(res2.json.errors).toEqual([expect.objectContaining({ path: 'kdf.opsLimit' })]);
		});
	});

	describe('prelogin', () => {
		it('answers unknown emails with stable fake parameters of the same shape as real ones', async () => {
			const { account } = await signUp();
			const real = await req('POST', '/api/auth/prelogin', { body: { email: account.email } });
			expect(real.json.kdf).toEqual(account.signupBody.kdf);

			const fake1 = await req('POST', '/api/auth/prelogin', { body: { email: 'nobody@example.com' } });
			const fake2 = await req('POST', '/api/auth/prelogin', { body: { email: 'NOBODY@example.com ' } });
			const other = await req('POST', '/api/auth/prelogin', { body: { email: 'someone-else@example.com' } });
			expect(fake1.status).toBe(200);
			expect(fake1.json).toEqual(fake2.json);
			expect(Object.keys(fake1.json.kdf as object).sort()).toEqual(
				Object.keys(real.json.kdf as object).sort()
			);
			expect((fake1.json.kdf as Kdf).salt).toMatch(/^[A-Za-z0-9_-]{22}$/);
			expect((fake1.json.kdf as Kdf).salt).not.toBe((other.json.kdf as Kdf).salt);
			// New accounts get the crypto core's defaults, so the fake ones must be those.
			expect(FAKE_KDF_PARAMS).toEqual({
				opsLimit: KDF_DEFAULTS.opsLimit,
				memLimitBytes: KDF_DEFAULTS.memLimitBytes
			});
		});

		it('gives an email one server salt before sign-up, after it, after a password change and after recovery', async () => {
			const account = await newAccount();
			const salt = async () =>
				((await req('POST', '/api/auth/prelogin', { body: { email: account.email } })).json.kdf as Kdf).salt;
			const before = await salt();
			expect(before).toBe((account.signupBody.kdf as Kdf).salt);
			const created = await req('POST', '/api/auth/signup', { body: account.signupBody });
			expect(created.status).toBe(201);
			expect(await salt()).toBe(before);

			const seal = (masterKey: Uint8Array) =>
				b64(
					sealIdentityBundle(account.identity, bundleKeyFrom('master', masterKey as never), {
						userId: account.userId,
						method: 'master'
					})
				);
			const kdf = newKdf(account.email);
			const next = await deriveFromPassword('another long passphrase', kdf);
			const changed = await req('POST', '/api/auth/password', {
				token: created.json.accessToken as string,
				body: {
					reauth: await proof(account),
					kdf,
					authKey: b64(next.authKey),
					masterBundle: seal(next.masterKey)
				}
			});
			expect(changed.status).toBe(200);
			expect(await salt()).toBe(before);

			const start = await req('POST', '/api/auth/recovery', {
				body: { email: account.email, recoveryAuthKey: b64(account.recoveryAuthKey) }
			});
			expect(start.status).toBe(200);
			const third = await deriveFromPassword('a third long passphrase', kdf);
			const done = await req('POST', '/api/auth/recovery/complete', {
				body: {
					recoveryToken: start.json.recoveryToken,
					kdf,
					authKey: b64(third.authKey),
					masterBundle: seal(third.masterKey)
				}
			});
			expect(done.status).toBe(200);
			expect(await salt()).toBe(before);
		});

		it("refuses a salt other than prelogin's at sign-up, password change and recovery (400)", async () => {
			const other = newKdf();
			const fresh = await newAccount();
			const refused = await req('POST', '/api/auth/signup', { body: { ...fresh.signupBody, kdf: other } });
			expect(refused.status).toBe(400);
			expect(refused.json.code).toBe('salt_mismatch');
			// Another email's salt is another salt.
			const borrowed = await req('POST', '/api/auth/signup', {
				body: { ...fresh.signupBody, kdf: newKdf('someone-else@example.com') }
			});
			expect(borrowed.status).toBe(400);

			const { account, token } = await signUp();
			const next = await deriveFromPassword('another long passphrase', other);
			const body = { kdf: other, authKey: b64(next.authKey), masterBundle: b64(new Uint8Array(64)) };
			const changed = await req('POST', '/api/auth/password', {
				token,
				body: { reauth: await proof(account), ...body }
			});
			expect(changed.status).toBe(400);
			expect(changed.json.code).toBe('salt_mismatch');

			const start = await req('POST', '/api/auth/recovery', {
				body: { email: account.email, recoveryAuthKey: b64(account.recoveryAuthKey) }
			});
			const done = await req('POST', '/api/auth/recovery/complete', {
				body: { recoveryToken: start.json.recoveryToken, ...body }
			});
			expect(done.status).toBe(400);
			expect(done.json.code).toBe('salt_mismatch');
			// The refused attempt changed nothing: the old password still signs in.
			expect((await logIn(account.email, account.password)).status).toBe(200);
		});

		it('takes about the same time for known and unknown emails', async () => {
			const { account } = await signUp();
			// Interleaved, so machine load drifts over both alike.
			const samples = { known: [] as number[], unknown: [] as number[] };
			for (let i = 0; i < 41; i++) {
				for (const [kind, email] of [
					['known', account.email],
					['unknown', 'ghost@example.com']
				] as const) {
					const start = performance.now();
					await req('POST', '/api/auth/prelogin', { body: { email }, ip: `198.51.100.${i}` });
					samples[kind].push(performance.now() - start);
				}
			}
			// The fastest of each: the run least disturbed by other work on the machine (a median moved by
			// 10 ms under a load average of 7). Slow extra work on one path shows in its fastest run too.
			const [known, unknown] = [Math.min(...samples.known), Math.min(...samples.unknown)];
			// Catches a path doing slow extra work (a password hash): within 50 %, or 3 ms of timer noise.
			expect(Math.abs(known - unknown)).toBeLessThan(Math.max(known, unknown) * 0.5 + 3);
		});
	});

	describe('login', () => {
		it('signs in with the right password and the bundle opens to the same identity', async () => {
			const { account } = await signUp();
			const res = await logIn(account.email, account.password);
			expect(res.status).toBe(200);
			const grant = res.json as { account: { masterBundle: string }; accessToken: string };
			const identity = openMasterBundle(account, res.masterKey, grant.account.masterBundle);
			expect(b64(identity.signPublicKey)).toBe(b64(account.identity.signPublicKey));
			expect(b64(identity.boxSecretKey)).toBe(b64(account.identity.boxSecretKey));
		});

		it('gives the same answer for a wrong password and an unknown email', async () => {
			const { account } = await signUp();
			const wrong = await logIn(account.email, 'not the password');
			const unknown = await req('POST', '/api/auth/login', {
				body: { email: 'ghost@example.com', authKey: b64(new Uint8Array(32)) }
			});
			expect(wrong.status).toBe(401);
			expect(unknown.status).toBe(401);
			const { requestId: _a, ...w } = wrong.json;
			const { requestId: _b, ...u } = unknown.json;
			expect(w).toEqual(u);
		});
	});

	describe('access tokens', () => {
		it('are required, and refused when forged, expired, unsigned or minted for another step', async () => {
			const { account, token } = await signUp();
			expect((await req('GET', '/api/auth/me', { token })).status).toBe(200);
			expect((await req('GET', '/api/auth/me')).status).toBe(401);

			const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
				string,
				unknown
			>;
			const wrongKey = await new SignJWT(payload)
				.setProtectedHeader({ alg: 'HS256' })
				.sign(new Uint8Array(32));
			const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${token.split('.')[1]}.`;
			const expired = await new SignJWT({ ...payload, exp: Math.floor(Date.now() / 1000) - 60 })
				.setProtectedHeader({ alg: 'HS256' })
				.sign(api.deps.keys.jwt);
			const asHs512 = await new SignJWT(payload)
				.setProtectedHeader({ alg: 'HS512' })
				.sign(new Uint8Array(64).fill(1));
			const mfa = await api.deps.tokens.sign('mfa', { sub: account.userId, sid: payload.sid as string });
			for (const bad of [wrongKey, none, expired, asHs512, mfa, `${token}x`]) {
				const res = await req('GET', '/api/auth/me', { token: bad });
				expect(res.status).toBe(401);
				expect(res.headers.get('www-authenticate')).toBe('Bearer');
			}
		});
	});

	describe('refresh tokens', () => {
		it('rotate on each use; reusing an old one revokes the whole session', async () => {
			const { token, refresh } = await signUp();
			const first = await req('POST', '/api/auth/token', { headers: browser, cookie: refresh });
			expect(first.status).toBe(200);
			expect(first.refresh).toBeTruthy();
			expect(first.refresh).not.toBe(refresh);
			const second = await req('POST', '/api/auth/token', { headers: browser, cookie: first.refresh! });
			expect(second.status).toBe(200);

			// A thief replays the first token: the family dies, the legitimate holder included.
			const replay = await req('POST', '/api/auth/token', { headers: browser, cookie: refresh });
			expect(replay.status).toBe(401);
			expect(replay.setCookie).toMatch(/__Secure-stowage_refresh=;/);
			expect(
				(await req('POST', '/api/auth/token', { headers: browser, cookie: second.refresh! })).status
			).toBe(401);
			expect((await req('GET', '/api/auth/me', { token: second.json.accessToken as string })).status).toBe(
				401
			);
			expect((await req('GET', '/api/auth/me', { token })).status).toBe(401);
		});

		it('are refused when missing or malformed, and signing out ends the session', async () => {
			expect((await req('POST', '/api/auth/token', { headers: browser })).status).toBe(401);
			expect(
				(await req('POST', '/api/auth/token', { headers: browser, cookie: '__Secure-stowage_refresh=abc' }))
					.status
			).toBe(401);
			const { token, refresh } = await signUp();
			expect((await req('DELETE', '/api/auth/token', { headers: browser, cookie: refresh })).status).toBe(
				204
			);
			expect((await req('POST', '/api/auth/token', { headers: browser, cookie: refresh })).status).toBe(401);
			expect((await req('GET', '/api/auth/me', { token })).status).toBe(401);
		});
	});

	describe('sessions', () => {
		it('lists this account’s devices only, and a revoked session is refused on its next request', async () => {
			const { account, token: laptop } = await signUp();
			const phone = (await logIn(account.email, account.password)).json.accessToken as string;
			const stranger = await signUp();

			const list = await req('GET', '/api/auth/sessions', { token: laptop });
			const sessions = list.json.sessions as { id: string; current: boolean; ip: string }[];
			expect(sessions).toHaveLength(2);
			expect(sessions.filter((s) => s.current)).toHaveLength(1);
			expect(sessions[0]!.ip).toBe('203.0.113.7');

			// Another person's session id is "not found", not "forbidden".
			const theirs = (await req('GET', '/api/auth/sessions', { token: stranger.token })).json.sessions as {
				id: string;
			}[];
			expect((await req('DELETE', `/api/auth/sessions/${theirs[0]!.id}`, { token: laptop })).status).toBe(
				404
			);
			expect((await req('GET', '/api/auth/me', { token: stranger.token })).status).toBe(200);

			const phoneSession = sessions.find((s) => !s.current)!;
			expect((await req('DELETE', `/api/auth/sessions/${phoneSession.id}`, { token: laptop })).status).toBe(
				204
			);
			expect((await req('GET', '/api/auth/me', { token: phone })).status).toBe(401);
			expect((await req('GET', '/api/auth/me', { token: laptop })).status).toBe(200);
		});

		it('"sign out everywhere" ends every session at once', async () => {
			const { account, token } = await signUp();
			const other = (await logIn(account.email, account.password)).json.accessToken as string;
			const res = await req('POST', '/api/auth/sessions/sign-out-everywhere', {
				token,
				body: { reauth: await proof(account) }
			});
			expect(res.json.revokedSessions).toBe(2);
			for (const tk of [token, other])
				expect((await req('GET', '/api/auth/me', { token: tk })).status).toBe(401);
		});
	});

	describe('password change', () => {
		it('re-seals the bundle under the new password, keeps this session, ends the others', async () => {
			const { account, token } = await signUp();
			const other = (await logIn(account.email, account.password)).json.accessToken as string;
			const current = await deriveFromPassword(account.password, account.signupBody.kdf as Kdf);
			const kdf = newKdf(account.email);
			const next = await deriveFromPassword('a whole new passphrase', kdf);
			const body = {
				reauth: { authKey: b64(current.authKey) },
				kdf,
				authKey: b64(next.authKey),
				masterBundle: b64(
					sealIdentityBundle(account.identity, bundleKeyFrom('master', next.masterKey), {
						userId: account.userId,
						method: 'master'
					})
				)
			};
			const wrong = await req('POST', '/api/auth/password', {
				token,
				body: { ...body, reauth: { authKey: b64(new Uint8Array(32)) } }
			});
			expect(wrong.status).toBe(403);

			const res = await req('POST', '/api/auth/password', { token, body });
			expect(res.status).toBe(200);
			expect(res.json.revokedSessions).toBe(1);
			expect((await req('GET', '/api/auth/me', { token: other })).status).toBe(401);
			expect((await req('GET', '/api/auth/me', { token })).status).toBe(200);

			expect((await logIn(account.email, account.password)).status).toBe(401);
			const relogin = await logIn(account.email, 'a whole new passphrase');
			expect(relogin.status).toBe(200);
			const identity = openMasterBundle(
				account,
				relogin.masterKey,
				(relogin.json.account as { masterBundle: string }).masterBundle
			);
			expect(b64(identity.boxSecretKey)).toBe(b64(account.identity.boxSecretKey));
		});
	});

	describe('TOTP', () => {
		async function enrol() {
			const s = await signUp();
			const reauth = await proof(s.account);
			const setup = await req('POST', '/api/auth/totp/setup', { token: s.token, body: { reauth } });
			expect(setup.status).toBe(200);
			const secret = setup.json.secret as string;
			expect(setup.json.otpauthUri).toMatch(/^otpauth:\/\/totp\/Stowage:.*secret=/);
			const bad = await req('POST', '/api/auth/totp/enable', {
				token: s.token,
				body: { reauth, code: '000000' }
			});
			expect(bad.status).toBe(400);
			const ok = await req('POST', '/api/auth/totp/enable', {
				token: s.token,
				body: { reauth, code: totpCode(secret, api.clock.now) }
			});
			expect(ok.status).toBe(200);
			api.clock.now += 30_000;
			return { ...s, secret, backupCodes: ok.json.backupCodes as string[] };
		}

		it('stores the secret encrypted, never in the clear', async () => {
			const { account, secret } = await enrol();
			const [row] = await t.driver.transaction((tx) =>
				tx.query<{ totp_secret: Uint8Array }>('select totp_secret from app.users where id = $1', [
					account.userId
				])
			);
			expect(Buffer.from(row!.totp_secret).toString('latin1')).not.toContain(secret);
			expect(row!.totp_secret.length).toBeGreaterThan(28);
		});

		it('asks for a second factor after the password, accepts a code once, refuses a replay', async () => {
			const { account, secret } = await enrol();
			const first = await logIn(account.email, account.password);
			expect(first.json).toEqual({ secondFactor: 'totp', mfaToken: expect.any(String) });
			expect(first.refresh).toBeUndefined();
			const mfaToken = first.json.mfaToken as string;
			const code = totpCode(secret, api.clock.now);

			const wrong = await req('POST', '/api/auth/login/totp', {
				body: { mfaToken, code: code === '123456' ? '654321' : '123456' }
			});
			expect(wrong.status).toBe(401);
			const ok = await req('POST', '/api/auth/login/totp', { body: { mfaToken, code } });
			expect(ok.status).toBe(200);
			expect(ok.json.accessToken).toBeTruthy();

			const replay = await req('POST', '/api/auth/login/totp', { body: { mfaToken, code } });
			expect(replay.status).toBe(401);
			expect(replay.json.code).toBe('invalid_code');

			// The mfa token is not an access token.
			expect((await req('GET', '/api/auth/me', { token: mfaToken })).status).toBe(401);
		});

		it('accepts each backup code once', async () => {
			const { account, backupCodes } = await enrol();
			expect(backupCodes).toHaveLength(10);
			expect(new Set(backupCodes).size).toBe(10);
			const mfaToken = (await logIn(account.email, account.password)).json.mfaToken as string;
			const use = () =>
				req('POST', '/api/auth/login/totp', {
					body: { mfaToken, backupCode: backupCodes[0]!.toUpperCase() }
				});
			expect((await use()).status).toBe(200);
			expect((await use()).status).toBe(401);
		});

		it('turns off only with the password and a code, and ends the other sessions', async () => {
			const { account, token, secret } = await enrol();
			const mfaToken = (await logIn(account.email, account.password)).json.mfaToken as string;
			const other = (
				await req('POST', '/api/auth/login/totp', {
					body: { mfaToken, code: totpCode(secret, api.clock.now) }
				})
			).json.accessToken as string;
			api.clock.now += 30_000;
			const { authKey } = await deriveFromPassword(account.password, account.signupBody.kdf as Kdf);
			const reauth = { authKey: b64(authKey) };
			const noCode = await req('POST', '/api/auth/totp/disable', { token, body: { reauth } });
			expect(noCode.status).toBe(403);
			const res = await req('POST', '/api/auth/totp/disable', {
				token,
				body: { reauth, code: totpCode(secret, api.clock.now) }
			});
			expect(res.status).toBe(200);
			expect((await req('GET', '/api/auth/me', { token: other })).status).toBe(401);
			expect((await logIn(account.email, account.password)).json.accessToken).toBeTruthy();
		});
	});

	describe('recovery', () => {
		it('opens the bundle with the recovery key, sets a new password and ends every old session', async () => {
			const { account, token } = await signUp();
			const wrong = await req('POST', '/api/auth/recovery', {
				body: { email: account.email, recoveryAuthKey: b64(new Uint8Array(32)) }
			});
			expect(wrong.status).toBe(401);

			const start = await req('POST', '/api/auth/recovery', {
				body: { email: account.email, recoveryAuthKey: b64(account.recoveryAuthKey) }
			});
			expect(start.status).toBe(200);
			const identity = openIdentityBundle(
				unb64(start.json.recoveryBundle as string),
				bundleKeyFrom('recovery', account.recoveryKey as never),
				{
					userId: account.userId,
					method: 'recovery'
				}
			);
			expect(b64(identity.boxSecretKey)).toBe(b64(account.identity.boxSecretKey));

			const kdf = newKdf(account.email);
			const next = await deriveFromPassword('recovered passphrase', kdf);
			const done = await req('POST', '/api/auth/recovery/complete', {
				body: {
					recoveryToken: start.json.recoveryToken,
					kdf,
					authKey: b64(next.authKey),
					masterBundle: b64(
						sealIdentityBundle(identity, bundleKeyFrom('master', next.masterKey), {
							userId: account.userId,
							method: 'master'
						})
					)
				}
			});
			expect(done.status).toBe(200);
			expect((await req('GET', '/api/auth/me', { token })).status).toBe(401);
			expect((await logIn(account.email, 'recovered passphrase')).status).toBe(200);
			// The recovery token is not an access token.
			expect((await req('GET', '/api/auth/me', { token: start.json.recoveryToken as string })).status).toBe(
				401
			);
		});
	});

	describe('step tokens', () => {
		it('are refused when forged, expired, or minted for the other step', async () => {
			const { account } = await signUp();
			const sub = account.userId;
			const expiredMfa = await new SignJWT({ role: 'mfa' })
				.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
				.setIssuer('stowage')
				.setAudience('stowage:mfa')
				.setSubject(sub)
				.setIssuedAt(Math.floor(Date.now() / 1000) - 600)
				.setExpirationTime(Math.floor(Date.now() / 1000) - 300)
				.sign(api.deps.keys.jwt);
			const recoveryToken = await api.deps.tokens.sign('recovery', { sub });
			const mfaToken = await api.deps.tokens.sign('mfa', { sub });
			for (const bad of [expiredMfa, recoveryToken, 'not.a.jwt']) {
				const res = await req('POST', '/api/auth/login/totp', { body: { mfaToken: bad, code: '123456' } });
				expect(res.status).toBe(401);
				expect(res.json).toMatchObject({ code: 'invalid_token', title: 'Sign-in expired' });
			}
			const next = { kdf: newKdf(), authKey: b64(new Uint8Array(32)), masterBundle: b64(new Uint8Array(64)) };
			const res = await req('POST', '/api/auth/recovery/complete', {
				body: { recoveryToken: mfaToken, ...next }
			});
			expect(res.status).toBe(401);
			expect(res.json).toMatchObject({ code: 'invalid_token', title: 'Recovery expired' });
		});
	});

	describe('recovery key rotation', () => {
		it('needs the password, and the old recovery key stops working', async () => {
			const { account, token } = await signUp();
			const { authKey } = await deriveFromPassword(account.password, account.signupBody.kdf as Kdf);
			const fresh = await newAccount();
			const body = {
				reauth: { authKey: b64(authKey) },
				recoveryBundle: fresh.signupBody.recoveryBundle,
				recoveryAuthKey: fresh.signupBody.recoveryAuthKey
			};
			const wrong = await req('POST', '/api/auth/recovery/rotate', {
				token,
				body: { ...body, reauth: { authKey: b64(new Uint8Array(32)) } }
			});
			expect(wrong.status).toBe(403);
			expect((await req('POST', '/api/auth/recovery/rotate', { token, body })).status).toBe(204);

			const old = await req('POST', '/api/auth/recovery', {
				body: { email: account.email, recoveryAuthKey: b64(account.recoveryAuthKey) }
			});
			expect(old.status).toBe(401);
			const rotated = await req('POST', '/api/auth/recovery', {
				body: { email: account.email, recoveryAuthKey: body.recoveryAuthKey }
			});
			expect(rotated.status).toBe(200);
			expect(rotated.json.recoveryBundle).toBe(body.recoveryBundle);
		});
	});

	describe('passkeys (server checks; the full ceremony runs in the e2e suite)', () => {
		it('needs a session to register, offers discoverable sign-in, refuses unknown credentials', async () => {
			expect((await req('POST', '/api/auth/passkeys/register/options')).status).toBe(401);
			const { token } = await signUp();
			const reg = await req('POST', '/api/auth/passkeys/register/options', { token });
			expect(reg.status).toBe(200);
			expect(reg.json.options).toMatchObject({
				rp: { id: 'localhost', name: 'Stowage' },
				authenticatorSelection: { residentKey: 'required', userVerification: 'required' }
			});
			expect((await req('GET', '/api/auth/passkeys', { token })).json).toEqual({ passkeys: [] });

			const opts = await req('POST', '/api/auth/passkeys/login/options');
			expect(opts.json.options).toMatchObject({
				rpId: 'localhost',
				allowCredentials: [],
				userVerification: 'required'
			});
			const fake = {
				id: 'AAAA',
				rawId: 'AAAA',
				type: 'public-key',
				response: { clientDataJSON: 'AA', authenticatorData: 'AA', signature: 'AA' },
				clientExtensionResults: {}
			};
			const res = await req('POST', '/api/auth/passkeys/login', {
				body: { challengeId: opts.json.challengeId, response: fake }
			});
			expect(res.status).toBe(401);
			// The challenge was used up by that attempt.
			const again = await req('POST', '/api/auth/passkeys/login', {
				body: { challengeId: opts.json.challengeId, response: fake }
			});
			expect(again.status).toBe(401);
		});

		it('refuses a response that carries the PRF output (a secret key) rather than storing or logging it', async () => {
			const opts = await req('POST', '/api/auth/passkeys/login/options');
			const leaky = {
				id: 'AAAA',
				rawId: 'AAAA',
				type: 'public-key',
				response: { clientDataJSON: 'AA', authenticatorData: 'AA', signature: 'AA' },
				clientExtensionResults: { prf: { results: { first: 'c2VjcmV0LXByZi1vdXRwdXQ' } } }
			};
			const res = await req('POST', '/api/auth/passkeys/login', {
				body: { challengeId: opts.json.challengeId, response: leaky }
			});
			expect(res.status).toBe(400);
			expect(api.logs.text()).not.toContain('c2VjcmV0LXByZi1vdXRwdXQ');
		});
	});
});

describe('rate limits', () => {
	let t: TestDatabase;
	afterAll(() => t?.drop());

	it('answer 429 with Retry-After per account and per IP, and clear after a success', async () => {
		t = await databaseFactories[0]!.create();
		const tight = {
			prelogin: { ip: { points: 3, duration: 60 }, account: { points: 2, duration: 60 } },
			login: { ip: { points: 100, duration: 60 }, account: { points: 3, duration: 60, blockDuration: 600 } },
			signup: { ip: { points: 100, duration: 60 } },
			totp: { ip: { points: 100, duration: 60 }, account: { points: 2, duration: 60 } },
			recovery: { ip: { points: 100, duration: 60 }, account: { points: 2, duration: 60 } },
			passkey: { ip: { points: 2, duration: 60 } }
		};
		const { app } = testApi(t.db, { limits: createRateLimits({ policies: tight }) });
		const req = call(app);

		// Per (account, IP), and the account's cap across IPs.
		for (const ip of ['192.0.2.1', '192.0.2.2']) {
			expect((await req('POST', '/api/auth/prelogin', { body: { email: 'a@example.com' }, ip })).status).toBe(
				200
			);
		}
		const limited = await req('POST', '/api/auth/prelogin', {
			body: { email: 'a@example.com' },
			ip: '192.0.2.3'
		});
		expect(limited.status).toBe(429);
		expect(limited.headers.get('content-type')).toBe('application/problem+json');
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(limited.json.code).toBe('rate_limited');

		// Per IP, across accounts.
		for (const email of ['b@example.com', 'c@example.com', 'd@example.com']) {
			expect((await req('POST', '/api/auth/prelogin', { body: { email }, ip: '192.0.2.9' })).status).toBe(
				200
			);
		}
		expect(
			(await req('POST', '/api/auth/prelogin', { body: { email: 'e@example.com' }, ip: '192.0.2.9' })).status
		).toBe(429);

		// Login: the account is blocked after its attempts, with a long backoff.
		const account = await newAccount();
		await req('POST', '/api/auth/signup', { body: account.signupBody });
		const bad = { email: account.email, authKey: b64(new Uint8Array(32)) };
		for (let i = 0; i < 3; i++)
			expect((await req('POST', '/api/auth/login', { body: bad })).status).toBe(401);
		const blocked = await req('POST', '/api/auth/login', { body: bad });
		expect(blocked.status).toBe(429);
		expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(500);

		// A success forgets the account's failures: two misses, a hit, then three misses are all heard.
		const careful = await newAccount();
		await req('POST', '/api/auth/signup', { body: careful.signupBody });
		const miss = { email: careful.email, authKey: b64(new Uint8Array(32)) };
		for (let i = 0; i < 2; i++)
			expect((await req('POST', '/api/auth/login', { body: miss })).status).toBe(401);
		const hit = { email: careful.email, authKey: careful.signupBody.authKey };
		expect((await req('POST', '/api/auth/login', { body: hit })).status).toBe(200);
		for (let i = 0; i < 3; i++)
			expect((await req('POST', '/api/auth/login', { body: miss })).status).toBe(401);

		// Passkey verification is limited too.
		await req('POST', '/api/auth/passkeys/login/options', { ip: '192.0.2.50' });
		await req('POST', '/api/auth/passkeys/login/options', { ip: '192.0.2.50' });
		expect((await req('POST', '/api/auth/passkeys/login/options', { ip: '192.0.2.50' })).status).toBe(429);
	});
});
