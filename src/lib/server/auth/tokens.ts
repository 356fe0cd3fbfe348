// Access and step-up tokens (JWT, HS256 pinned) and refresh tokens (random, stored hashed).
// Each token kind has its own audience, so a token minted for one step is useless at another.
import { createHash, randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

const ISSUER = 'stowage';
const ALGORITHM = 'HS256';

export const ACCESS_TOKEN_SECONDS = 15 * 60;

export type TokenKind = 'access' | 'mfa' | 'recovery' | 'cleanup';

const LIFETIME: Record<TokenKind, number> = {
	access: ACCESS_TOKEN_SECONDS,
	mfa: 5 * 60, // between password and second factor
	recovery: 10 * 60, // between the recovery key and the new password
	cleanup: 10 * 60 // between a credential change and removing what was added just before it
};

/** Claims a token carries beyond the registered ones; `sid` binds an access token to its session. */
export type TokenClaims = { sub: string; sid?: string; passkeys?: string[]; totp?: boolean };

export type VerifiedToken = TokenClaims & { jti: string; expiresAt: Date };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** Each segment must be canonical unpadded base64url: one token, one spelling. */
function isCanonicalCompact(token: string): boolean {
	const segments = token.split('.');
	return (
		segments.length === 3 &&
		segments.every((s) => SEGMENT.test(s) && Buffer.from(s, 'base64url').toString('base64url') === s)
	);
}

/** A token that failed any check. Which check is not said. */
export class InvalidTokenError extends Error {
	override readonly name = 'InvalidTokenError';
	constructor() {
		super('Invalid or expired token');
	}
}

export function createTokens(key: Uint8Array) {
	return {
		async sign(kind: TokenKind, claims: TokenClaims): Promise<string> {
			const { sub, ...extra } = claims;
			const jwt = new SignJWT({ role: kind === 'access' ? 'authenticated' : kind, ...extra })
				.setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
				.setIssuer(ISSUER)
				.setAudience(`stowage:${kind}`)
				.setSubject(sub)
				.setIssuedAt()
				.setJti(randomBytes(12).toString('base64url'))
				.setExpirationTime(`${LIFETIME[kind]}s`);
			return jwt.sign(key);
		},

		async verify(kind: TokenKind, token: string): Promise<VerifiedToken> {
			try {
				if (!isCanonicalCompact(token)) throw new InvalidTokenError();
				const { payload } = await jwtVerify(token, key, {
					algorithms: [ALGORITHM],
					issuer: ISSUER,
					audience: `stowage:${kind}`,
					requiredClaims: ['sub', 'exp', 'iat', 'jti']
				});
				const { sub, sid, jti, exp, passkeys, totp } = payload;
				// Signed by us, yet checked: a malformed claim is an invalid token, never a crash further on.
				if (typeof sub !== 'string' || !UUID.test(sub)) throw new InvalidTokenError();
				if (sid !== undefined && (typeof sid !== 'string' || !UUID.test(sid))) throw new InvalidTokenError();
				if (kind === 'access' && sid === undefined) throw new InvalidTokenError();
				if (typeof jti !== 'string' || jti.length < 16 || jti.length > 64) throw new InvalidTokenError();
				const verified: VerifiedToken = { sub, jti, expiresAt: new Date(exp! * 1000) };
				if (typeof sid === 'string') verified.sid = sid;
				if (Array.isArray(passkeys) && passkeys.every((p) => typeof p === 'string'))
					verified.passkeys = passkeys as string[];
				if (typeof totp === 'boolean') verified.totp = totp;
				return verified;
			} catch (error) {
				if (error instanceof errors.JOSEError || error instanceof InvalidTokenError)
					throw new InvalidTokenError();
				throw error;
			}
		}
	};
}

export type Tokens = ReturnType<typeof createTokens>;

export function newRefreshToken(): { token: string; hash: Uint8Array } {
	const token = randomBytes(32).toString('base64url');
	return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): Uint8Array {
	return new Uint8Array(createHash('sha256').update(token, 'utf8').digest());
}
