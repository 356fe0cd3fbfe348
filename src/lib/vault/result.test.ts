import { MessageChannel } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter';
import { describe, expect, it } from 'vitest';
import { CryptoError, generateDomainKey, ready } from '$crypto';
import { recordContext as ctx } from '../../../tests/helpers/record-context';
import { createOperations, type Operations } from './operations';
import { called, serve, transferring, type Served } from './result';

await ready();

describe('the Result wrapper', () => {
	it('serves every operation of the module, with nothing listed by hand', () => {
		const served = serve(createOperations(), ready);
		expect(Object.keys(served).sort()).toEqual(Object.keys(createOperations()).sort());
		expect(Object.keys(served)).toEqual(
			expect.arrayContaining(['createAccount', 'sealRecords', 'openRecords'])
		);
	});

	it("keeps a CryptoError's code, and drops any other error's message", async () => {
		const served = serve(
			{
				crypto: () => {
					throw new CryptoError('ERR_DECRYPTION_FAILED');
				},
				other: () => {
					throw new Error('secret sku SKU-123 leaked');
				},
				fine: (a: number, b: number) => a + b
			},
			async () => undefined
		);
		expect(await served.crypto()).toEqual({ ok: false, code: 'ERR_DECRYPTION_FAILED' });
		const other = await served.other();
		expect(other).toEqual({ ok: false, code: 'ERR_INVALID_INPUT' });
		expect(JSON.stringify(other)).not.toContain('SKU-123');
		expect(await served.fine(2, 3)).toEqual({ ok: true, value: 5 });

		const page = called(served);
		await expect(page.crypto()).rejects.toBeInstanceOf(CryptoError);
		await expect(page.crypto()).rejects.toMatchObject({ code: 'ERR_DECRYPTION_FAILED' });
		expect(await page.fine(1, 1)).toBe(2);
		// Awaiting the wrapper itself must not call into the worker.
		expect((page as unknown as { then?: unknown }).then).toBeUndefined();
	});

	it('waits for `before` (libsodium) on every call', async () => {
		const order: string[] = [];
		const served = serve({ op: () => order.push('op') }, async () => void order.push('ready'));
		await served.op();
		await served.op();
		expect(order).toEqual(['ready', 'op', 'ready', 'op']);
	});

	it('moves a marked value across a real channel: the sender keeps no copy', async () => {
		const { port1, port2 } = new MessageChannel();
		let kept: Uint8Array | null = null;
		const ops = {
			bytes: () => {
				kept = new Uint8Array(64).fill(7);
				return transferring([kept], [kept.buffer]);
			}
		};
		Comlink.expose(
			serve(ops, async () => undefined),
			nodeEndpoint(port1)
		);
		const page = called(Comlink.wrap<Served<typeof ops>>(nodeEndpoint(port2)));
		const [received] = await page.bytes();
		expect(received).toEqual(new Uint8Array(64).fill(7));
		expect(kept!.byteLength).toBe(0);
		port1.close();
		port2.close();
	});

	it('runs the account and record operations through it end to end', async () => {
		const { port1, port2 } = new MessageChannel();
		Comlink.expose(serve(createOperations(), ready), nodeEndpoint(port1));
		const page = called(Comlink.wrap<Served<Operations>>(nodeEndpoint(port2)));
		expect(await page.status()).toEqual({ unlocked: false, userId: null, fingerprint: null });
		await expect(page.rotateRecovery()).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
		const key = generateDomainKey();
		const envs = await page.sealRecords(key.slice(), [{ fields: { sku: 'A-1' }, ctx: ctx(1) }]);
		const [row] = await page.openRecords(key.slice(), [{ envelope: envs[0]!, ctx: ctx(2) }]);
		expect(row).toEqual({ ok: false, code: 'ERR_DECRYPTION_FAILED' });
		port1.close();
		port2.close();
	});
});
