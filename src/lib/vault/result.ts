// The one Result wrapper around the worker's operations. A CryptoError's class does not survive
// structured cloning, so failures cross the worker boundary as data ({ ok: false, code }) and become a
// CryptoError again on the page. Any other error is reported without its message, which could echo data.
import * as Comlink from 'comlink';
import { CryptoError, type CryptoErrorCode } from '$crypto';

export type Result<T> = { ok: true; value: T } | { ok: false; code: CryptoErrorCode };

export function attempt<T>(f: () => T): Result<T> {
	try {
		return { ok: true, value: f() };
	} catch (e) {
		return { ok: false, code: e instanceof CryptoError ? e.code : 'ERR_INVALID_INPUT' };
	}
}

export function unwrap<T>(r: Result<T>): T {
	if (!r.ok) throw new CryptoError(r.code);
	return r.value;
}

const transfers = new WeakMap<object, Transferable[]>();

/** Marks an operation's return value so that its buffers move to the page instead of being copied. */
export function transferring<T extends object>(value: T, buffers: Transferable[]): T {
	transfers.set(value, buffers);
	return value;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any operation signature
type Operation = (...args: any[]) => unknown;
type OperationMap = Record<string, Operation>;

/** The worker's side: every operation returns a Promise of a Result, after `before` (libsodium's ready). */
export type Served<O extends OperationMap> = {
	[K in keyof O]: (...args: Parameters<O[K]>) => Promise<Result<Awaited<ReturnType<O[K]>>>>;
};

/** The page's side: every operation returns a Promise of its value, or rejects with a CryptoError. */
export type Called<O extends OperationMap> = {
	[K in keyof O]: (...args: Parameters<O[K]>) => Promise<Awaited<ReturnType<O[K]>>>;
};

export function serve<O extends OperationMap>(ops: O, before: () => Promise<void>): Served<O> {
	const served: Record<string, Operation> = {};
	for (const [name, op] of Object.entries(ops)) {
		served[name] = async (...args: unknown[]) => {
			await before();
			const r = attempt(() => op(...args));
			const buffers = r.ok && typeof r.value === 'object' && r.value ? transfers.get(r.value) : undefined;
			return buffers ? Comlink.transfer(r, buffers) : r;
		};
	}
	return served as Served<O>;
}

/** Wraps the remote (or, in tests, local) served operations so that each call unwraps its Result. */
export function called<O extends OperationMap>(served: Served<O> | Comlink.Remote<Served<O>>): Called<O> {
	return new Proxy({} as Called<O>, {
		// `then` stays undefined, or awaiting the wrapper would call into the worker.
		get: (_, name) =>
			typeof name === 'string' && name !== 'then'
				? async (...args: unknown[]) =>
						unwrap(
							await (served as Record<string, (...a: unknown[]) => Promise<Result<unknown>>>)[name]!(...args)
						)
				: undefined
	});
}
