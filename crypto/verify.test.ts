// The verification-only module (SPEC.md §7.5): strict Ed25519, public-key checks, and nothing secret.
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CryptoError } from './errors';
import { generateIdentity, publicIdentity } from './identity';
import { errorCode as code } from './internal/error-code';
import { ed25519Sign } from './sodium';
import { signWrapStatement } from './statements';
import * as verifyModule from './verify';
import {
	checkEd25519PublicKey,
	checkPublicIdentity,
	checkX25519PublicKey,
	parseWrapStatement,
	readWrapStatement,
	ready,
	verifySignature,
	verifyWrapStatement
} from './verify';

await ready();

/** The thrown error itself, so tests can compare messages across failures. */
function thrown(f: () => unknown): CryptoError {
	try {
		f();
	} catch (e) {
		if (e instanceof CryptoError) return e;
		throw e;
	}
	throw new Error('did not throw');
}

// The small-order forgery: A = identity (0x01 ‖ 0³¹), R = identity, S = 0. [S]B = R + [k]A holds for every
// message, since every term is the identity, so a verifier that does not refuse small-order A and R accepts it.
const identityPoint = Uint8Array.from([1, ...new Uint8Array(31)]);
const forgedSignature = Uint8Array.from([...identityPoint, ...new Uint8Array(32)]);
const messages = ['', 'pay mallory', 'stowage/wrap-statement/v1'].map((m) => new TextEncoder().encode(m));

function nodeAccepts(message: Uint8Array, publicKey: Uint8Array, signature: Uint8Array): boolean {
	// SPKI DER for Ed25519 (RFC 8410): fixed 12-byte prefix, then the raw 32-byte key.
	const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey]);
	const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
	return nodeVerify(null, message, key, signature);
}

describe('the small-order forgery (why the server may not use node:crypto)', () => {
	it('node:crypto Ed25519 accepts it for any message', () => {
		// Documents the hazard: if this ever starts failing, OpenSSL became strict, and the rule still holds.
		for (const m of messages) expect(nodeAccepts(m, identityPoint, forgedSignature)).toBe(true);
	});

	it('verifySignature rejects it for any message', () => {
		for (const m of messages) {
			expect(code(() => verifySignature(forgedSignature, m, identityPoint))).toBe('ERR_SIGNATURE_INVALID');
		}
	});

	it('checkEd25519PublicKey refuses the identity as a key before it can be stored', () => {
		expect(code(() => checkEd25519PublicKey(identityPoint))).toBe('ERR_INVALID_INPUT');
	});
});

describe('verifySignature', () => {
	const signer = generateIdentity();
	const message = new TextEncoder().encode('statement body');
	const signature = ed25519Sign(message, signer.signSecretKey);

	it('accepts a valid signature, as node:crypto does', () => {
		expect(code(() => verifySignature(signature, message, signer.signPublicKey))).toBe('OK');
		expect(nodeAccepts(message, signer.signPublicKey, signature)).toBe(true);
	});

	it('rejects any flipped bit in signature, message or key', () => {
		for (const target of ['signature', 'message', 'key'] as const) {
			for (const bit of [0, 7, 100, 255]) {
				const s = signature.slice();
				const m = message.slice();
				const k = signer.signPublicKey.slice();
				const b = target === 'signature' ? s : target === 'message' ? m : k;
				b[(bit >> 3) % b.length]! ^= 1 << (bit & 7);
				expect(
					code(() => verifySignature(s, m, k)),
					`${target} bit ${bit}`
				).toBe('ERR_SIGNATURE_INVALID');
			}
		}
	});

	it('fails wrong lengths and wrong types with one error that does not say which check failed', () => {
		const bad = thrown(() => verifySignature(signature.slice(), message, signer.signPublicKey.slice(1)));
		const cases: Array<() => unknown> = [
			() => verifySignature(signature.subarray(0, 63), message, signer.signPublicKey),
			() => verifySignature(new Uint8Array([...signature, 0]), message, signer.signPublicKey),
			() => verifySignature(signature, message, new Uint8Array(33)),
			() => verifySignature(new Uint8Array(0), message, new Uint8Array(0)),
			() => verifySignature('sig' as never, message, signer.signPublicKey),
			() => verifySignature(forgedSignature, message, identityPoint),
			() =>
				verifySignature(ed25519Sign(message, generateIdentity().signSecretKey), message, signer.signPublicKey)
		];
		expect(bad.code).toBe('ERR_SIGNATURE_INVALID');
		for (const f of cases) {
			const e = thrown(f);
			expect(e.code).toBe(bad.code);
			expect(e.message).toBe(bad.message);
		}
	});
});

describe('public-key checks', () => {
	it('accept generated keys and return copies', () => {
		const id = generateIdentity();
		const checked = checkPublicIdentity(publicIdentity(id));
		expect(checked.boxPublicKey).toEqual(id.boxPublicKey);
		expect(checked.signPublicKey).toEqual(id.signPublicKey);
		expect(checked.signPublicKey).not.toBe(id.signPublicKey);
	});

	it('refuse small-order, non-canonical and wrong-length X25519 keys', () => {
		const p = Uint8Array.from([0xed, ...new Uint8Array(30).fill(0xff), 0x7f]);
		const bad = [
			new Uint8Array(32),
			identityPoint,
			p,
			Uint8Array.from([0xec, ...new Uint8Array(30).fill(0xff), 0x7f]), // p − 1, of order 2
			Uint8Array.from([0xf0, ...new Uint8Array(30).fill(0xff), 0x7f]), // p + 3: not canonical
			Uint8Array.from([...generateIdentity().boxPublicKey.subarray(0, 31), 0x80]), // top bit set
			new Uint8Array(31),
			new Uint8Array(33)
		];
		for (const k of bad) expect(code(() => checkX25519PublicKey(k))).toBe('ERR_INVALID_INPUT');
	});

	it('refuse small-order, non-canonical and wrong-length Ed25519 keys', () => {
		const bad = [
			new Uint8Array(32), // y = 0: the point (1, 0), of order 4
			identityPoint,
			Uint8Array.from([0xec, ...new Uint8Array(30).fill(0xff), 0x7f]), // y = −1, order 2
			Uint8Array.from([0xee, ...new Uint8Array(30).fill(0xff), 0x7f]), // y = p + 1: non-canonical identity
			new Uint8Array(31),
			new Uint8Array(33)
		];
		for (const k of bad) expect(code(() => checkEd25519PublicKey(k))).toBe('ERR_INVALID_INPUT');
	});
});

describe('wrap statements through the verify module (the same parser as statements.ts)', () => {
	const granter = generateIdentity();
	const member = generateIdentity();
	const ctx = { tenantId: 't-1', domain: 'catalog' as const, epoch: 2, memberId: 'm-1' };
	const wrap = new Uint8Array(97).fill(7);
	const signed = signWrapStatement({ ...ctx, memberKeys: publicIdentity(member), wrap }, granter);

	it('parses, reads and verifies', () => {
		expect(parseWrapStatement(signed).statement.memberId).toBe('m-1');
		expect(readWrapStatement(signed, granter.signPublicKey).epoch).toBe(2);
		const s = verifyWrapStatement(signed, granter.signPublicKey, {
			...ctx,
			memberKeys: publicIdentity(member),
			wrap
		});
		expect(s.tenantId).toBe('t-1');
	});

	it('refuses a statement signed by someone else', () => {
		expect(code(() => readWrapStatement(signed, generateIdentity().signPublicKey))).toBe(
			'ERR_SIGNATURE_INVALID'
		);
	});
});

describe('no secret-key operation is reachable from the verify module', () => {
	it('exports exactly this list', () => {
		expect(Object.keys(verifyModule).sort()).toEqual(
			[
				'ChainForkError',
				'CryptoError',
				'LINK_TYPES',
				'ROLES',
				'STATEMENT_VERSION',
				'VerifiedChainState',
				'checkCitation',
				'extendChain',
				'linkHash',
				'parseLink',
				'tenantIdOf',
				'verifyChain',
				'VerifiedWrite',
				'WRITE_KINDS',
				'WRITE_TABLES',
				'checkRow',
				'checkStatementFollows',
				'leavesHash',
				'mayWrite',
				'parseWriteStatement',
				'statementHash',
				'verifyWrite',
				'verifyWriteOnChain',
				'writeLeaf',
				'checkEd25519PublicKey',
				'checkPublicIdentity',
				'checkX25519PublicKey',
				'fingerprint',
				'isCryptoError',
				'parseWrapStatement',
				'readWrapStatement',
				'ready',
				'verifySignature',
				'verifyWrapStatement',
				'wrapHash'
			].sort()
		);
	});

	it('imports from sodium.ts only functions that take no secret key', () => {
		// verify.ts and every module whose functions it re-exports that is not already covered elsewhere.
		const allowed: Record<string, string[]> = {
			verify: ['ed25519Verify'],
			'public-keys': ['ed25519IsValidPoint'],
			chain: ['blake2b', 'ed25519Verify', 'equalConstantTime'],
			writes: ['blake2b', 'ed25519Verify', 'equalConstantTime']
		};
		for (const [file, names] of Object.entries(allowed)) {
			const src = readFileSync(join(import.meta.dirname, `${file}.ts`), 'utf8');
			const fromSodium = [...src.matchAll(/import\s*\{([^}]*)\}\s*from\s*'\.\/sodium'/g)].flatMap((m) =>
				m[1]!.split(',').map((s) => s.trim())
			);
			expect(fromSodium.sort(), file).toEqual(names);
			// Value imports from other modules: none that hold, draw or derive secrets.
			const modules = [...src.matchAll(/from\s+'\.\/([\w/-]+)'/g)].map((m) => m[1]);
			for (const m of modules) {
				expect(
					[
						'aad',
						'bytes',
						'chain',
						'errors',
						'fingerprint',
						'internal/verified',
						'keys',
						'public-keys',
						'sodium',
						'statements',
						'writes'
					],
					`${file} imports ${m}`
				).toContain(m);
			}
		}
	});
});
