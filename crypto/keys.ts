// Branded key types (SPEC.md §2.6): a DomainKey cannot be passed where a MasterKey is expected.
import { expectBytes } from './bytes';

declare const brand: unique symbol;
/** A Uint8Array tagged, at compile time only, with the kind of key it holds. */
export type Key<Kind extends string> = Uint8Array & { readonly [brand]: Kind };

export type RootKey = Key<'RootKey'>;
export type AuthKey = Key<'AuthKey'>;
export type MasterKey = Key<'MasterKey'>;
export type RecoveryKey = Key<'RecoveryKey'>;
export type PrfKey = Key<'PrfKey'>;
/** A key-encryption key that seals the identity bundle: derived from a MasterKey, RecoveryKey or PrfKey. */
export type BundleKey = Key<'BundleKey'>;
export type DomainKey = Key<'DomainKey'>;
export type BlindIndexKey = Key<'BlindIndexKey'>;
export type InviteSecret = Key<'InviteSecret'>;
export type X25519SecretKey = Key<'X25519SecretKey'>;
export type X25519PublicKey = Key<'X25519PublicKey'>;
/** libsodium's 64-byte Ed25519 secret key (seed ‖ public key). */
export type Ed25519SecretKey = Key<'Ed25519SecretKey'>;
export type Ed25519PublicKey = Key<'Ed25519PublicKey'>;

export const KEY_BYTES = 32;

/** Internal: brand bytes already known to be the right kind and length. */
export function brandKey<K extends Key<string>>(bytes: Uint8Array, length: number = KEY_BYTES): K {
	expectBytes(bytes, length);
	return bytes as K;
}

/** Edge constructors for keys that arrive from storage or the network. They check only the length. */
export const x25519PublicKey = (b: Uint8Array): X25519PublicKey => brandKey<X25519PublicKey>(b);
export const ed25519PublicKey = (b: Uint8Array): Ed25519PublicKey => brandKey<Ed25519PublicKey>(b);
/** A domain key held in memory by the vault (e.g. after unwrapDomainKey, passed to a worker). */
export const domainKeyFromBytes = (b: Uint8Array): DomainKey => brandKey<DomainKey>(b);
export const masterKeyFromBytes = (b: Uint8Array): MasterKey => brandKey<MasterKey>(b);

/** A user's public identity: what the server stores and other members wrap keys to. */
export interface PublicIdentity {
	readonly boxPublicKey: X25519PublicKey;
	readonly signPublicKey: Ed25519PublicKey;
}

/** A user's full identity (device memory only). */
export interface UserIdentity extends PublicIdentity {
	readonly boxSecretKey: X25519SecretKey;
	readonly signSecretKey: Ed25519SecretKey;
}
