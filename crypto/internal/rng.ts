// The core's only randomness source, with a test hook for pinned vectors (SPEC.md §2.5). Not exported by index.ts.

type Source = (n: number) => Uint8Array;

let pinned: Source | null = null;

/**
 * n fresh random bytes from the platform CSPRNG (`crypto.getRandomValues`, available in Node ≥ 19, browsers
 * and workers). libsodium's randombytes_buf costs ~50 µs a call in Chromium; this costs ~1 µs.
 */
export function randomBytes(n: number): Uint8Array {
	if (pinned !== null) {
		const out = pinned(n);
		if (out.length !== n) throw new Error('pinned random source returned the wrong length');
		return out;
	}
	const out = new Uint8Array(n);
	// getRandomValues fills at most 65,536 bytes a call.
	for (let i = 0; i < n; i += 65536)
		globalThis.crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
	return out;
}

/** TEST ONLY: replace the CSPRNG. Pass null to restore it. */
export function __setRandomSource(source: Source | null): void {
	pinned = source;
}

/** TEST ONLY: run fn with the given byte strings handed out in order, one per randomBytes() call. */
export function withPinnedRandom<T>(values: readonly Uint8Array[], fn: () => T): T {
	const queue = [...values];
	__setRandomSource((n) => {
		const next = queue.shift();
		if (next === undefined) throw new Error('pinned random source exhausted');
		if (next.length !== n) throw new Error(`pinned random value has ${next.length} bytes, wanted ${n}`);
		return next.slice();
	});
	try {
		const out = fn();
		if (queue.length !== 0) throw new Error('pinned random values left unused');
		return out;
	} finally {
		__setRandomSource(null);
	}
}
