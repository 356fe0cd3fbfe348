// Invitation MAC: the invitee's public keys authenticated with the one-time invite secret (SPEC.md §9).
import { idBytes, pae } from './aad';
import { expectBytes, utf8 } from './bytes';
import { CryptoError } from './errors';
import { randomBytes } from './internal/rng';
import type { InviteSecret, PublicIdentity } from './keys';
import { brandKey } from './keys';
import { blake2b, equalConstantTime } from './sodium';

export const INVITE_LABEL = 'stowage/invite-mac/v1';

export interface InviteContext {
	readonly tenantId: string;
	readonly inviteId: string;
}

/** SPEC.md §9.1: 32 random bytes, carried only in the invite link's #fragment. */
export function generateInviteSecret(): InviteSecret {
	return brandKey<InviteSecret>(randomBytes(32));
}

export function inviteSecretFromBytes(b: Uint8Array): InviteSecret {
	return brandKey<InviteSecret>(b);
}

/** SPEC.md §9.2: BLAKE2b-256(key = secret, PAE(label, tenantId, inviteId, X25519 pk, Ed25519 pk)). */
export function inviteMac(secret: InviteSecret, ctx: InviteContext, keys: PublicIdentity): Uint8Array {
	expectBytes(secret, 32);
	expectBytes(keys.boxPublicKey, 32);
	expectBytes(keys.signPublicKey, 32);
	const msg = pae([
		utf8(INVITE_LABEL),
		idBytes(ctx.tenantId),
		idBytes(ctx.inviteId),
		keys.boxPublicKey,
		keys.signPublicKey
	]);
	return blake2b(32, msg, secret);
}

/** SPEC.md §9.3: constant-time check; throws ERR_MAC_INVALID on any mismatch. */
export function verifyInviteMac(
	mac: Uint8Array,
	secret: InviteSecret,
	ctx: InviteContext,
	keys: PublicIdentity
): void {
	const expected = inviteMac(secret, ctx, keys);
	if (!(mac instanceof Uint8Array) || !equalConstantTime(mac, expected))
		throw new CryptoError('ERR_MAC_INVALID');
}
