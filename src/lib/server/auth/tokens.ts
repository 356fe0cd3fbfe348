// Access and step-up tokens (JWT, HS256 pinned) and refresh tokens (random, stored hashed).
// Each token kind has its own audience, so a token minted for one step is useless at another.
import { createHash, randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

const ISSUER = 'stowage';
const ALGORITHM = 'HS256';

export const ACCESS_TOKEN_SECONDS = 15 * 60;

export type TokenKind = 'access' | 'mfa' | 'recovery';

const LIFETIME: Record<TokenKind, number> = {
	access: ACCESS_TOKEN_SECONDS,
	mfa: 5 * 60, // between password and second factor
	recovery: 10 * 60 // between the recovery key and the new password
};

export type TokenClaims = { sub: string; sid?: string };

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
			const jwt = new SignJWT({
				role: kind === 'access' ? 'authenticated' : kind,
				...(claims.sid ? { sid: claims.sid } : {})
			})
				.setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
				.setIssuer(ISSUER)
				.setAudience(`stowage:${kind}`)
				.setSubject(claims.sub)
				.setIssuedAt()
				.setJti(randomBytes(12).toString('base64url'))
				.setExpirationTime(`${LIFETIME[kind]}s`);
			return jwt.sign(key);
		},

		async verify(kind: TokenKind, token: string): Promise<Required<Pick<TokenClaims, 'sub'>> & TokenClaims> {
			try {
				const { payload } = await jwtVerify(token, key, {
					algorithms: [ALGORITHM],
					issuer: ISSUER,
					audience: `stowage:${kind}`,
					requiredClaims: ['sub', 'exp', 'iat']
				});
				const sid = typeof payload.sid === 'string' ? payload.sid : undefined;
				if (kind === 'access' && !sid) throw new InvalidTokenError();
				return sid ? { sub: payload.sub!, sid } : { sub: payload.sub! };
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
