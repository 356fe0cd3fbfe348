// The team chain (SPEC.md §16): link format, link hash, tenant id, and the verifier. Verification only: no secret key.
//
// crypto/verify.ts re-exports the parsing and checking half for the server. The verifier is also the one
// production minter of VerifiedKeyCommitment (internal/verified.ts), from a state it verified itself.
import { DOMAINS, idBytes, pae, parsePae, type Domain } from './aad';
import { concat, readLe64, fromUtf8, le64, toHex, utf8 } from './bytes';
import { CryptoError } from './errors';
import { mintVerifiedKeyCommitment, type VerifiedKeyCommitment } from './internal/verified';
import type { Ed25519PublicKey, X25519PublicKey } from './keys';
import { checkEd25519PublicKey, checkX25519PublicKey } from './public-keys';
import { blake2b, ed25519Verify, equalConstantTime } from './sodium';

export const LINK_VERSION = 0x01;
export const LINK_LABEL = 'stowage/chain-link/v1';
export const LINK_HASH_LABEL = 'stowage/chain-link-hash/v1';
export const CREATE_LABEL = 'stowage/chain-create/v1';
export const GENESIS_LABEL = 'stowage/chain-genesis/v1';
export const TENANT_ID_LABEL = 'stowage/tenant-id/v1';
/** SPEC.md §16.1: a link is at most 1 MiB. */
export const MAX_LINK_BYTES = 1 << 20;
const LINK_PIECES = 9;
const MAX_SEQ = 0xffffffff;
const MAX_TIME = Number.MAX_SAFE_INTEGER;

/** SPEC.md §16.3: every type code. Only `create` is implemented; the verifier refuses the others (fail closed). */
export const LINK_TYPES = {
	create: 1,
	invite: 2,
	add: 3,
	'revoke-invite': 4,
	role: 5,
	remove: 6,
	rotate: 7,
	rekey: 8
} as const;
export type LinkType = keyof typeof LINK_TYPES;
const IMPLEMENTED: ReadonlySet<number> = new Set([LINK_TYPES.create]);

/** SPEC.md §16.4: role codes (DESIGN.md "Who may read and write what"). */
export const ROLES = { owner: 1, viewer: 2, distributor: 3, three_pl: 4, auditor: 5 } as const;
export type Role = keyof typeof ROLES;

/** Which domains each role decrypts (SPEC.md §4.4, §16.9). */
export const ROLE_DOMAINS: Readonly<Record<Role, readonly Domain[]>> = {
	owner: ['catalog', 'sourcing', 'logistics'],
	viewer: ['catalog', 'sourcing', 'logistics'],
	distributor: ['catalog'],
	three_pl: ['catalog', 'logistics'],
	auditor: []
};

/** The domains in id order (SPEC.md §3.3): the order of the commitments in a create body. */
export const DOMAIN_ORDER: readonly Domain[] = (Object.keys(DOMAINS) as Domain[]).sort(
	(a, b) => DOMAINS[a] - DOMAINS[b]
);

/** A chain position as a signed object cites it (SPEC.md §16.7): (seq, hash of the link at seq). */
export interface Citation {
	readonly seq: number;
	readonly hash: Uint8Array;
}

/** SPEC.md §16.5: the genesis of a create body — what the tenant id is a hash of. */
export interface Genesis {
	readonly creatorMemberId: string;
	readonly creatorBoxPublicKey: X25519PublicKey;
	readonly creatorSignPublicKey: Ed25519PublicKey;
	readonly nonce: Uint8Array;
}

export interface CreateBody {
	readonly genesis: Genesis;
	/** Epoch-1 key commitments (SPEC.md §7.6.1), one per domain. */
	readonly commitments: Readonly<Record<Domain, Uint8Array>>;
}

/** A parsed, not yet verified link (SPEC.md §16.1). */
export interface ChainLink {
	/** The tenant id (§16.6 text form), null in `create`. */
	readonly tenantId: string | null;
	readonly seq: number;
	/** The previous link's hash, null in `create`. */
	readonly prev: Uint8Array | null;
	/** Milliseconds since 1970-01-01T00:00:00Z, as the author's clock read it (informational). */
	readonly time: number;
	readonly authorMemberId: string;
	readonly authorSignPublicKey: Ed25519PublicKey;
	readonly type: number;
	readonly body: Uint8Array;
	/** The decoded body when type is `create`. */
	readonly create: CreateBody | null;
}

const malformed = (): never => {
	throw new CryptoError('ERR_MALFORMED', 'chain link');
};

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
	return a.length === b.length && a.every((x, i) => x === b[i]);
}

function isTenantIdText(s: string): boolean {
	return /^[0-9a-f]{64}$/.test(s);
}

// ---- encodings ------------------------------------------------------------------------------------------

/** SPEC.md §16.5: genesis = PAE("stowage/chain-genesis/v1", creator id, X25519, Ed25519, u8(owner), nonce). */
export function encodeGenesis(g: Genesis): Uint8Array {
	return pae([
		utf8(GENESIS_LABEL),
		idBytes(g.creatorMemberId),
		g.creatorBoxPublicKey,
		g.creatorSignPublicKey,
		new Uint8Array([ROLES.owner]),
		g.nonce
	]);
}

/** SPEC.md §16.5: body(create) = PAE("stowage/chain-create/v1", genesis, commit catalog, sourcing, logistics). */
export function encodeCreateBody(b: CreateBody): Uint8Array {
	return pae([utf8(CREATE_LABEL), encodeGenesis(b.genesis), ...DOMAIN_ORDER.map((d) => b.commitments[d])]);
}

/** SPEC.md §16.6: the 32 bytes of a tenant id, BLAKE2b-256(PAE("stowage/tenant-id/v1", genesis)). */
export function tenantIdBytes(genesis: Genesis): Uint8Array {
	return blake2b(32, pae([utf8(TENANT_ID_LABEL), encodeGenesis(genesis)]));
}

/** SPEC.md §16.6: the tenant id as every other construction and the API use it: 64 lowercase hex digits. */
export function tenantIdOf(genesis: Genesis): string {
	return toHex(tenantIdBytes(genesis));
}

/** SPEC.md §16.1: the signed part of a link, version byte ‖ PAE of the nine pieces. */
export function encodeLinkMessage(l: Omit<ChainLink, 'create'>): Uint8Array {
	return concat(
		new Uint8Array([LINK_VERSION]),
		pae([
			utf8(LINK_LABEL),
			l.tenantId === null ? new Uint8Array(0) : utf8(l.tenantId),
			le64(l.seq),
			l.prev === null ? new Uint8Array(0) : l.prev,
			le64(l.time),
			idBytes(l.authorMemberId),
			l.authorSignPublicKey,
			new Uint8Array([l.type]),
			l.body
		])
	);
}

/** SPEC.md §16.2: linkHash = BLAKE2b-256(PAE("stowage/chain-link-hash/v1", the complete link)). */
export function linkHash(link: Uint8Array): Uint8Array {
	if (!(link instanceof Uint8Array)) throw new CryptoError('ERR_INVALID_INPUT', 'link');
	return blake2b(32, pae([utf8(LINK_HASH_LABEL), link]));
}

// ---- parsing --------------------------------------------------------------------------------------------

function parseId(b: Uint8Array): string {
	if (b.length < 1 || b.length > 128) malformed();
	return fromUtf8(b);
}

function validKey<T>(check: (b: Uint8Array) => T, b: Uint8Array): T {
	try {
		return check(b);
	} catch {
		return malformed();
	}
}

function parseCreateBody(body: Uint8Array): CreateBody {
	const p = parsePae(body, 2 + DOMAIN_ORDER.length);
	if (fromUtf8(p[0]!) !== CREATE_LABEL) malformed();
	const g = parsePae(p[1]!, 6);
	if (fromUtf8(g[0]!) !== GENESIS_LABEL) malformed();
	const creatorMemberId = parseId(g[1]!);
	if (g[2]!.length !== 32 || g[3]!.length !== 32) malformed();
	const creatorBoxPublicKey = validKey(checkX25519PublicKey, g[2]!);
	const creatorSignPublicKey = validKey(checkEd25519PublicKey, g[3]!);
	if (g[4]!.length !== 1 || g[4]![0] !== ROLES.owner) malformed();
	if (g[5]!.length !== 32) malformed();
	const commitments = {} as Record<Domain, Uint8Array>;
	DOMAIN_ORDER.forEach((d, i) => {
		const c = p[2 + i]!;
		if (c.length !== 32) malformed();
		commitments[d] = c.slice();
	});
	return {
		genesis: { creatorMemberId, creatorBoxPublicKey, creatorSignPublicKey, nonce: g[5]!.slice() },
		commitments
	};
}

/**
 * SPEC.md §16.8 step 1: parse a link without verifying anything it says. ERR_MALFORMED or
 * ERR_UNSUPPORTED_VERSION (version byte); a type code this version does not implement parses (its body
 * stays opaque) and is refused later, at step 5.
 */
export function parseLink(link: Uint8Array): {
	link: ChainLink;
	message: Uint8Array;
	signature: Uint8Array;
} {
	if (!(link instanceof Uint8Array) || link.length < 1) malformed();
	if (link[0] !== LINK_VERSION) throw new CryptoError('ERR_UNSUPPORTED_VERSION', 'chain link');
	if (link.length < 1 + 8 + 64 || link.length > MAX_LINK_BYTES) malformed();
	const message = link.subarray(0, link.length - 64);
	const signature = link.subarray(link.length - 64);
	const p = parsePae(message.subarray(1), LINK_PIECES);
	if (fromUtf8(p[0]!) !== LINK_LABEL) malformed();
	let tenantId: string | null = null;
	if (p[1]!.length !== 0) {
		tenantId = fromUtf8(p[1]!);
		if (!isTenantIdText(tenantId)) malformed();
	}
	const seq = readLe64(p[2]!, MAX_SEQ) ?? malformed();
	if (seq < 1) malformed();
	const prevBytes = p[3]!;
	if (prevBytes.length !== 0 && prevBytes.length !== 32) malformed();
	const prev = prevBytes.length === 0 ? null : prevBytes.slice();
	const time = readLe64(p[4]!, MAX_TIME) ?? malformed();
	const authorMemberId = parseId(p[5]!);
	if (p[6]!.length !== 32) malformed();
	const authorSignPublicKey = validKey(checkEd25519PublicKey, p[6]!);
	if (p[7]!.length !== 1) malformed();
	const type = p[7]![0]!;
	const body = p[8]!.slice();
	// Shape (SPEC.md §16.1): create ⇔ seq 1 ⇔ no tenant id ⇔ no previous hash.
	const isCreate = type === LINK_TYPES.create;
	if (isCreate !== (seq === 1) || isCreate !== (tenantId === null) || isCreate !== (prev === null))
		malformed();
	const create = isCreate ? parseCreateBody(body) : null;
	const parsed: ChainLink = {
		tenantId,
		seq,
		prev,
		time,
		authorMemberId,
		authorSignPublicKey,
		type,
		body,
		create
	};
	if (!equalBytes(encodeLinkMessage(parsed), message)) malformed();
	if (create !== null && !equalBytes(encodeCreateBody(create), body)) malformed();
	return { link: parsed, message, signature };
}

// ---- verified state -------------------------------------------------------------------------------------

export interface ChainMember {
	readonly memberId: string;
	readonly role: Role;
	readonly boxPublicKey: X25519PublicKey;
	readonly signPublicKey: Ed25519PublicKey;
	/** The seq of the link that made this member what they are now. */
	readonly since: number;
}

export interface DomainEpoch {
	readonly domain: Domain;
	readonly epoch: number;
	readonly commitment: Uint8Array;
	/** The seq of the link that started the epoch. */
	readonly startedAt: number;
}

interface Draft {
	tenantId: string;
	hashes: Uint8Array[];
	members: Map<string, ChainMember>;
	/** Every epoch's commitment per domain (retired epochs stay readable, DESIGN.md "Removal rotates"). */
	epochs: Map<Domain, DomainEpoch[]>;
	times: number[];
}

const STATE: unique symbol = Symbol('stowage VerifiedChainState');

/**
 * What a verified team chain says (SPEC.md §16.9): members with roles and keys, each domain's epochs and
 * commitments, and the head. Constructed only by verifyChain / extendChain (private fields, module-private
 * token): a look-alike object is refused by verifiedKeyCommitment and extendChain.
 */
export class VerifiedChainState {
	readonly #d: Draft;

	constructor(token: typeof STATE, d: Draft) {
		if (token !== STATE) throw new CryptoError('ERR_INVALID_INPUT', 'only the chain verifier makes this');
		this.#d = d;
	}

	get tenantId(): string {
		return this.#d.tenantId;
	}

	/** The head `(seq, hash)`: what the browser stores as its checkpoint for this organisation. */
	get head(): Citation {
		const seq = this.#d.hashes.length;
		return { seq, hash: this.#d.hashes[seq - 1]!.slice() };
	}

	/** The hash of the link at `seq` (1-based), or null beyond the head. */
	linkHashAt(seq: number): Uint8Array | null {
		if (!Number.isInteger(seq) || seq < 1 || seq > this.#d.hashes.length) return null;
		return this.#d.hashes[seq - 1]!.slice();
	}

	/** The author's time of the link at `seq` (informational: not verified against any clock). */
	timeAt(seq: number): number | null {
		if (!Number.isInteger(seq) || seq < 1 || seq > this.#d.times.length) return null;
		return this.#d.times[seq - 1]!;
	}

	get members(): readonly ChainMember[] {
		return [...this.#d.members.values()].map(copyMember);
	}

	member(memberId: string): ChainMember | null {
		const m = this.#d.members.get(memberId);
		return m === undefined ? null : copyMember(m);
	}

	/** The current epoch of `domain` and its commitment. */
	currentEpoch(domain: Domain): DomainEpoch {
		const list = this.#d.epochs.get(domain);
		if (list === undefined || list.length === 0) throw new CryptoError('ERR_INVALID_INPUT', 'unknown domain');
		return copyEpoch(list[list.length - 1]!);
	}

	/** A copy of the verified data, for extendChain (a copy: the state itself never changes). */
	static draftOf(s: VerifiedChainState): Draft {
		const d = s.#d;
		return {
			tenantId: d.tenantId,
			hashes: d.hashes.map((h) => h.slice()),
			members: new Map(d.members),
			epochs: new Map([...d.epochs].map(([k, v]) => [k, [...v]])),
			times: [...d.times]
		};
	}

	static epochOf(s: VerifiedChainState, domain: Domain, epoch: number): DomainEpoch | null {
		return s.#d.epochs.get(domain)?.find((e) => e.epoch === epoch) ?? null;
	}

	static isGenuine(x: unknown): x is VerifiedChainState {
		return typeof x === 'object' && x !== null && #d in x;
	}
}

function copyMember(m: ChainMember): ChainMember {
	return {
		...m,
		boxPublicKey: m.boxPublicKey.slice() as X25519PublicKey,
		signPublicKey: m.signPublicKey.slice() as Ed25519PublicKey
	};
}

function copyEpoch(e: DomainEpoch): DomainEpoch {
	return { ...e, commitment: e.commitment.slice() };
}

/**
 * ERR_CHAIN_FORK (SPEC.md §16.8): the chain shown does not extend the `(seq, hash)` this reader already
 * verified. `kind` is `rollback` when the chain stops before that seq, `fork` when it has another link there.
 * The evidence (both positions) is public data the UI shows and keeps; the message stays fixed (§2.4).
 */
export class ChainForkError extends CryptoError {
	readonly kind: 'fork' | 'rollback';
	readonly trusted: Citation;
	/** What the chain shown has at `trusted.seq` (fork), or its head (rollback). */
	readonly observed: Citation;

	constructor(kind: 'fork' | 'rollback', trusted: Citation, observed: Citation) {
		super('ERR_CHAIN_FORK', kind === 'fork' ? 'another link at the verified seq' : 'chain cut back');
		this.name = 'ChainForkError';
		this.kind = kind;
		this.trusted = { seq: trusted.seq, hash: trusted.hash.slice() };
		this.observed = { seq: observed.seq, hash: observed.hash.slice() };
	}
}

// ---- verification ---------------------------------------------------------------------------------------

/** One link against the draft (SPEC.md §16.8 steps 1–6); mutates `d` only after every check passed. */
function applyLink(d: Draft | null, bytes: Uint8Array): Draft {
	// Step 1: parse.
	const { link, message, signature } = parseLink(bytes);
	// Step 2: the author is authorised: the creator (create) or an owner at the previous link, same key.
	let authorised: boolean;
	if (d === null) {
		const g = link.create?.genesis;
		authorised =
			g !== undefined &&
			link.authorMemberId === g.creatorMemberId &&
			equalConstantTime(link.authorSignPublicKey, g.creatorSignPublicKey);
	} else {
		const m = d.members.get(link.authorMemberId);
		authorised =
			m !== undefined && m.role === 'owner' && equalConstantTime(m.signPublicKey, link.authorSignPublicKey);
	}
	// Step 3: the signature, with libsodium's strict verification.
	if (!authorised || !ed25519Verify(signature, message, link.authorSignPublicKey)) {
		throw new CryptoError('ERR_SIGNATURE_INVALID');
	}
	// Step 4: position.
	if (d === null) {
		if (link.seq !== 1) throw new CryptoError('ERR_WRONG_CONTEXT', 'chain link position');
	} else {
		const head = d.hashes[d.hashes.length - 1]!;
		if (
			link.seq !== d.hashes.length + 1 ||
			link.tenantId !== d.tenantId ||
			link.prev === null ||
			!equalConstantTime(link.prev, head)
		) {
			throw new CryptoError('ERR_WRONG_CONTEXT', 'chain link position');
		}
	}
	// Step 5: a type this version implements.
	if (!IMPLEMENTED.has(link.type)) throw new CryptoError('ERR_UNSUPPORTED_VERSION', 'chain link type');
	// Step 6: the type's rules. Only create is implemented, and the shape rule and step 4 put it at seq 1 with
	// no previous state; a type added later starts from `d` here.
	const c = link.create!;
	const g = c.genesis;
	const tenantId = tenantIdOf(g);
	const h = linkHash(bytes);
	const next: Draft = {
		tenantId,
		hashes: [h],
		members: new Map([
			[
				g.creatorMemberId,
				{
					memberId: g.creatorMemberId,
					role: 'owner',
					boxPublicKey: g.creatorBoxPublicKey,
					signPublicKey: g.creatorSignPublicKey,
					since: 1
				}
			]
		]),
		epochs: new Map(
			DOMAIN_ORDER.map((domain) => [
				domain,
				[{ domain, epoch: 1, commitment: c.commitments[domain].slice(), startedAt: 1 }]
			])
		),
		times: [link.time]
	};
	return next;
}

function checkCheckpoint(d: Draft, checkpoint: Citation | undefined): void {
	if (checkpoint === undefined) return;
	if (
		checkpoint === null ||
		typeof checkpoint !== 'object' ||
		!Number.isInteger(checkpoint.seq) ||
		checkpoint.seq < 1 ||
		!(checkpoint.hash instanceof Uint8Array) ||
		checkpoint.hash.length !== 32
	) {
		throw new CryptoError('ERR_INVALID_INPUT', 'checkpoint');
	}
	const n = d.hashes.length;
	if (checkpoint.seq > n) {
		throw new ChainForkError('rollback', checkpoint, { seq: n, hash: d.hashes[n - 1]! });
	}
	const at = d.hashes[checkpoint.seq - 1]!;
	if (!equalConstantTime(at, checkpoint.hash)) {
		throw new ChainForkError('fork', checkpoint, { seq: checkpoint.seq, hash: at });
	}
}

function checkLinks(links: readonly Uint8Array[]): void {
	if (!Array.isArray(links)) throw new CryptoError('ERR_INVALID_INPUT', 'links');
	for (const l of links) if (!(l instanceof Uint8Array)) throw new CryptoError('ERR_INVALID_INPUT', 'links');
}

/**
 * SPEC.md §16.8: verify a whole chain from seq 1. `tenantId`, when given, is the organisation the caller
 * asked for (e.g. from the URL): a chain of another tenant is ERR_WRONG_CONTEXT. `checkpoint`, when given,
 * is the last `(seq, hash)` this user verified: a chain that does not extend it is a ChainForkError.
 */
export function verifyChain(
	links: readonly Uint8Array[],
	opts: { tenantId?: string; checkpoint?: Citation } = {}
): VerifiedChainState {
	checkLinks(links);
	if (links.length === 0) throw new CryptoError('ERR_MALFORMED', 'empty chain');
	let d = applyLink(null, links[0]!);
	if (opts.tenantId !== undefined && opts.tenantId !== d.tenantId) {
		throw new CryptoError('ERR_WRONG_CONTEXT', 'chain of another tenant');
	}
	for (let i = 1; i < links.length; i++) d = applyLink(d, links[i]!);
	checkCheckpoint(d, opts.checkpoint);
	return new VerifiedChainState(STATE, d);
}

/**
 * SPEC.md §16.8, incrementally: verify `links` (seq head + 1 onwards) on top of a state this module verified.
 * The result extends `state` by construction, so no fork check is needed against it.
 */
export function extendChain(state: VerifiedChainState, links: readonly Uint8Array[]): VerifiedChainState {
	if (!VerifiedChainState.isGenuine(state)) throw new CryptoError('ERR_INVALID_INPUT', 'state');
	checkLinks(links);
	let d = VerifiedChainState.draftOf(state);
	for (const l of links) d = applyLink(d, l);
	return new VerifiedChainState(STATE, d);
}

/**
 * SPEC.md §16.7: is a citation `(seq, hash)` on this chain? OK when the link at `seq` has that hash;
 * ChainForkError (`fork`) when it has another; ERR_WRONG_CONTEXT when `seq` is beyond the verified head (the
 * reader must fetch and verify the rest of the chain first).
 */
export function checkCitation(state: VerifiedChainState, citation: Citation): void {
	if (!VerifiedChainState.isGenuine(state)) throw new CryptoError('ERR_INVALID_INPUT', 'state');
	if (
		citation === null ||
		typeof citation !== 'object' ||
		!Number.isInteger(citation.seq) ||
		citation.seq < 1 ||
		!(citation.hash instanceof Uint8Array) ||
		citation.hash.length !== 32
	) {
		throw new CryptoError('ERR_INVALID_INPUT', 'citation');
	}
	const at = state.linkHashAt(citation.seq);
	if (at === null) throw new CryptoError('ERR_WRONG_CONTEXT', 'citation beyond the verified head');
	if (!equalConstantTime(at, citation.hash)) {
		throw new ChainForkError('fork', { seq: citation.seq, hash: at }, citation);
	}
}

/**
 * SPEC.md §16.9: the VerifiedKeyCommitment that unwrapDomainKey needs, for `memberId` (the reader's own member
 * id) and one domain × epoch, read from a verified chain. ERR_WRONG_CONTEXT when the chain does not give
 * that member that domain, or has no such epoch.
 */
export function verifiedKeyCommitment(
	state: VerifiedChainState,
	want: { domain: Domain; epoch: number; memberId: string }
): VerifiedKeyCommitment {
	if (!VerifiedChainState.isGenuine(state)) throw new CryptoError('ERR_INVALID_INPUT', 'state');
	if (want === null || typeof want !== 'object') throw new CryptoError('ERR_INVALID_INPUT', 'request');
	const m = state.member(want.memberId);
	const e = VerifiedChainState.epochOf(state, want.domain, want.epoch);
	if (m === null || e === null || !ROLE_DOMAINS[m.role].includes(want.domain)) {
		throw new CryptoError('ERR_WRONG_CONTEXT', 'the chain does not give this member this key');
	}
	return mintVerifiedKeyCommitment(
		{ tenantId: state.tenantId, domain: want.domain, epoch: want.epoch, memberId: want.memberId },
		e.commitment
	);
}
