// Proof that SPEC.md §7.2–§7.3 is implementable from its text alone: the existing wrap vector is opened with
// only the lower-level libsodium calls the text names (X25519, HSalsa20 via crypto_box_beforenm, BLAKE2b,
// XSalsa20-Poly1305), never crypto_box_seal_open and never the core's own wrappers.
// eslint-disable-next-line no-restricted-imports -- an independent reader of SPEC.md, deliberately outside crypto/sodium.ts
import sodium from 'libsodium-wrappers-sumo';
import { describe, expect, it } from 'vitest';
import wrapV from './vectors/wrap.json';

await sodium.ready;

const h = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((x) => parseInt(x, 16)));
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const le64 = (n: number): Uint8Array => {
	const b = new Uint8Array(8);
	new DataView(b.buffer).setBigUint64(0, BigInt(n), true);
	return b;
};
const cat = (...xs: Uint8Array[]): Uint8Array => {
	const out = new Uint8Array(xs.reduce((n, x) => n + x.length, 0));
	let o = 0;
	for (const x of xs) {
		out.set(x, o);
		o += x.length;
	}
	return out;
};
const pae = (xs: Uint8Array[]): Uint8Array => cat(le64(xs.length), ...xs.flatMap((x) => [le64(x.length), x]));

describe('SPEC.md §7.2 read literally opens wrap.json', () => {
	const v = wrapV.positive[0]!;
	const wrap = h(v.wrap);
	const pk = h(v.memberBoxPublicKey);
	const sk = h(v.memberBoxSecretKey);
	// The §7.2 table: version ‖ ephemeral pk ‖ MAC ‖ ciphertext.
	const epk = wrap.subarray(1, 33);
	const mac = wrap.subarray(33, 49);
	const ct = wrap.subarray(49, 97);
	// Nonce step: BLAKE2b-192(ephemeral pk ‖ recipient pk), unkeyed.
	const nonce = sodium.crypto_generichash(24, cat(epk, pk), null);
	const tag = sodium.crypto_generichash(
		16,
		pae([
			enc('stowage/wrap/v1'),
			enc(v.context.tenantId),
			enc(v.context.domain),
			le64(v.context.epoch),
			enc(v.context.memberId)
		]),
		null
	);

	it('with crypto_box_beforenm and crypto_box_open_easy_afternm', () => {
		expect(wrap.length).toBe(97);
		expect(wrap[0]).toBe(0x01);
		const k = sodium.crypto_box_beforenm(epk, sk);
		const p = sodium.crypto_box_open_easy_afternm(cat(mac, ct), nonce, k);
		expect(hex(p.subarray(0, 32))).toBe(v.domainKey);
		expect(hex(p.subarray(32, 48))).toBe(hex(tag));
	});

	it('with crypto_scalarmult, HSalsa20 (crypto_core_hsalsa20) and crypto_secretbox_open_detached', () => {
		// Key step spelled out: k = HSalsa20(key = X25519(sk, epk), input = 0x00×16), which is crypto_box_beforenm.
		const shared = sodium.crypto_scalarmult(sk, epk);
		expect(shared.some((b) => b !== 0)).toBe(true);
		const k = sodium.crypto_core_hsalsa20(new Uint8Array(16), shared, null);
		expect(hex(k)).toBe(hex(sodium.crypto_box_beforenm(epk, sk)));
		const p = sodium.crypto_secretbox_open_detached(ct, mac, nonce, k);
		expect(hex(p.subarray(0, 32))).toBe(v.domainKey);
		expect(hex(p.subarray(32, 48))).toBe(hex(tag));
	});

	it('fails to open with the layout the old table implied (ciphertext ‖ MAC)', () => {
		const k = sodium.crypto_box_beforenm(epk, sk);
		const swapped = cat(wrap.subarray(33 + 48, 97), wrap.subarray(33, 33 + 48));
		expect(() => sodium.crypto_box_open_easy_afternm(swapped, nonce, k)).toThrow();
	});
});
