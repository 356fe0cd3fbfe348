// The vault's organisation operations (crypto/SPEC.md §16 team chain, §7.6 key commitments, §18
// checkpoints). They run in the crypto worker next to the unlocked identity (account-ops.ts shares it
// through a VaultSession): the page sends links and wraps as the API returned them and gets back only
// public facts — the verified head, the role, which domains opened. The domain keys stay here, keyed by
// (tenant, domain, epoch), and locking the vault wipes them.
import {
	ChainForkError,
	createOrganisation as createOrganisationCore,
	CryptoError,
	fromBase64url,
	isDomain,
	mergeCheckpoints as mergeCheckpointsCore,
	openCheckpoints as openCheckpointsCore,
	sealCheckpoints as sealCheckpointsCore,
	toBase64url,
	unwrapDomainKey,
	verifiedKeyCommitment,
	verifyChain,
	wipe,
	type Citation,
	type Domain,
	type DomainKey,
	type Role,
	type VerifiedChainState
} from '$crypto';
import type { HeldOrganisations } from './held-organisations';

/** A chain position as the API and localStorage carry it: the hash in unpadded base64url. */
export type Head = { seq: number; hash: string };

/** Tenant id → the last verified head. */
export type CheckpointMap = Record<string, Head>;

/** What POST /api/orgs takes (src/lib/server/api/routes/orgs.ts). */
export type CreateOrganisationBody = {
	displayName: string;
	link: string;
	wraps: { domain: Domain; epoch: 1; wrap: string; statement: string }[];
};

export type ChainFork = {
	kind: 'fork' | 'rollback';
	/** What this user verified before (the checkpoint). */
	trusted: Head;
	/** What the chain shown has at that seq (fork), or its head (rollback). */
	observed: Head;
};

export type OpenedOrganisation =
	| {
			verified: true;
			tenantId: string;
			head: Head;
			role: Role;
			/** The domain keys now held in the worker (only those the role decrypts and the server wrapped). */
			domains: { domain: Domain; epoch: number }[];
	  }
	/** The chain does not extend what this user saw before: data for the page to show, no key opened. */
	| { verified: false; tenantId: string; fork: ChainFork };

export type WrapJson = { domain: string; epoch: number; wrap: string };

export type MergedCheckpoints =
	{ ok: true; checkpoints: CheckpointMap } | { ok: false; tenantId: string; fork: ChainFork };

const TENANT = /^[0-9a-f]{64}$/;

const headJson = (c: Citation): Head => ({ seq: c.seq, hash: toBase64url(c.hash) });

function citation(h: Head): Citation {
	if (h === null || typeof h !== 'object' || typeof h.hash !== 'string') {
		throw new CryptoError('ERR_INVALID_INPUT', 'checkpoint');
	}
	return { seq: h.seq, hash: fromBase64url(h.hash) };
}

function toMap(c: CheckpointMap): Map<string, Citation> {
	if (c === null || typeof c !== 'object') throw new CryptoError('ERR_INVALID_INPUT', 'checkpoints');
	return new Map(Object.entries(c).map(([t, h]) => [t, citation(h)]));
}

function fromMap(m: ReadonlyMap<string, Citation>): CheckpointMap {
	return Object.fromEntries([...m].map(([t, c]) => [t, headJson(c)]));
}

const forkOf = (e: ChainForkError): ChainFork => ({
	kind: e.kind,
	trusted: headJson(e.trusted),
	observed: headJson(e.observed)
});

/** The organisation operations over what the worker holds (held-organisations.ts). */
export function orgOperations(held: HeldOrganisations) {
	const me = () => held.me();

	return {
		/**
		 * SPEC.md §16.10: a new organisation owned by the unlocked identity, its member id the user id. The
		 * epoch-1 domain keys are kept in the worker only after the server has stored the chain and the page
		 * opens it (openOrganisation); here they are wiped at once and the page gets the POST /api/orgs body.
		 */
		createOrganisation(displayName: string): { tenantId: string; head: Head; body: CreateOrganisationBody } {
			const { identity, userId } = me();
			const org = createOrganisationCore(identity, userId, Date.now());
			for (const domain of Object.keys(org.domainKeys) as Domain[]) wipe(org.domainKeys[domain]);
			return {
				tenantId: org.tenantId,
				head: { seq: 1, hash: toBase64url(org.linkHash) },
				body: {
					displayName,
					link: toBase64url(org.link),
					wraps: (Object.keys(org.wraps) as Domain[]).map((domain) => ({
						domain,
						epoch: 1 as const,
						wrap: toBase64url(org.wraps[domain]),
						statement: toBase64url(org.wrapStatements[domain])
					}))
				}
			};
		},

		/**
		 * SPEC.md §16.8–§16.9 then §7.6.2: verify the chain from seq 1 as the organisation `tenantId`, against
		 * `checkpoint` (and any chain this worker verified before), and open the caller's wraps with the
		 * commitments of that verified chain. Any failure holds no key of this tenant (fail closed): a fork or
		 * rollback is returned as data, every other failure throws its CryptoError code.
		 */
		openOrganisation(
			tenantId: string,
			links: readonly string[],
			wraps: readonly WrapJson[],
			checkpoint: Head | null
		): OpenedOrganisation {
			const { identity, userId } = me();
			if (typeof tenantId !== 'string' || !TENANT.test(tenantId)) {
				throw new CryptoError('ERR_INVALID_INPUT', 'tenant id');
			}
			if (!Array.isArray(links) || !Array.isArray(wraps)) throw new CryptoError('ERR_INVALID_INPUT', 'chain');
			const before = held.chain(tenantId);
			held.forget(tenantId);
			const bytes = links.map((l) => fromBase64url(l));
			let trusted = checkpoint === null ? undefined : citation(checkpoint);
			if (before && (trusted === undefined || before.head.seq > trusted.seq)) trusted = before.head;
			let state: VerifiedChainState;
			try {
				state = verifyChain(bytes, { tenantId, checkpoint: trusted });
			} catch (e) {
				if (e instanceof ChainForkError) return { verified: false, tenantId, fork: forkOf(e) };
				throw e;
			}
			// verifyChain checked it; stated again because a key of another tenant must never be filed here.
			if (state.tenantId !== tenantId) throw new CryptoError('ERR_WRONG_CONTEXT', 'chain of another tenant');
			const member = state.member(userId);
			if (member === null) throw new CryptoError('ERR_WRONG_CONTEXT', 'not a member of this chain');
			const opened = new Map<string, DomainKey>();
			const domains: { domain: Domain; epoch: number }[] = [];
			try {
				for (const w of wraps) {
					if (!isDomain(w.domain) || !Number.isInteger(w.epoch)) {
						throw new CryptoError('ERR_INVALID_INPUT', 'wrap');
					}
					const id = held.keyId(tenantId, w.domain, w.epoch);
					if (opened.has(id)) throw new CryptoError('ERR_INVALID_INPUT', 'two wraps of one key');
					const verified = verifiedKeyCommitment(state, {
						domain: w.domain,
						epoch: w.epoch,
						memberId: userId
					});
					opened.set(id, unwrapDomainKey(fromBase64url(w.wrap), identity, verified));
					domains.push({ domain: w.domain, epoch: w.epoch });
				}
			} catch (e) {
				for (const k of opened.values()) wipe(k);
				throw e;
			}
			held.hold(tenantId, state, opened);
			return { verified: true, tenantId, head: headJson(state.head), role: member.role, domains };
		},

		/** Wipes the keys held for one organisation (switching away from it), or for all. */
		closeOrganisation(tenantId?: string): void {
			held.forget(tenantId);
		},

		/** Which keys the worker holds for `tenantId` (domain and epoch only: never the key). */
		heldKeys(tenantId: string): { domain: Domain; epoch: number }[] {
			return held.heldIds(tenantId).map((id) => {
				const [, domain, epoch] = id.split('/');
				return { domain: domain as Domain, epoch: Number(epoch) };
			});
		},

		/** SPEC.md §18.1: the user's checkpoints, signed and sealed to their own keys, as base64url. */
		sealCheckpoints(checkpoints: CheckpointMap): string {
			const { identity, userId } = me();
			return toBase64url(sealCheckpointsCore(toMap(checkpoints), identity, { userId, written: Date.now() }));
		},

		/** SPEC.md §18.2: open a blob this user sealed (a blob of anyone else fails). */
		openCheckpoints(blob: string): { checkpoints: CheckpointMap; written: number } {
			const { identity, userId } = me();
			const opened = openCheckpointsCore(fromBase64url(blob), identity, { userId });
			return { checkpoints: fromMap(opened.checkpoints), written: opened.written };
		},

		/** SPEC.md §18.3: the higher seq wins; the same seq with two hashes is a fork, returned as data. */
		mergeCheckpoints(a: CheckpointMap, b: CheckpointMap): MergedCheckpoints {
			const ma = toMap(a);
			const mb = toMap(b);
			try {
				return { ok: true, checkpoints: fromMap(mergeCheckpointsCore(ma, mb)) };
			} catch (e) {
				if (!(e instanceof ChainForkError)) throw e;
				const sameSeq = (t: string) => ma.get(t)!.seq === mb.get(t)?.seq && ma.get(t)!.seq === e.trusted.seq;
				const tenantId = [...ma.keys()].find(sameSeq) ?? '';
				return { ok: false, tenantId, fork: forkOf(e) };
			}
		}
	};
}
