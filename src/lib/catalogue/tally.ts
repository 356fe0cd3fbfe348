// Tallies over loaded rows (plain Maps in a plain module: computed once per change, never mutated after).

/** How many `items` each key has, counting only those `include` accepts. */
export function countBy<T>(
	items: readonly T[],
	key: (t: T) => string,
	include: (t: T) => boolean = () => true
) {
	const n = new Map<string, number>();
	for (const t of items) if (include(t)) n.set(key(t), (n.get(key(t)) ?? 0) + 1);
	return n;
}

/** Quantity on hand is the sum of a product's stock movements (issue 11); any unverified one flags it. */
export function withStock<P extends { id: string; onHand: number; stockProblem: boolean }>(
	products: readonly P[],
	movements: readonly { productId: string; delta: number; problem: unknown }[]
): P[] {
	const sum = new Map<string, number>();
	const bad = new Set<string>();
	for (const m of movements) {
		sum.set(m.productId, (sum.get(m.productId) ?? 0) + m.delta);
		if (m.problem) bad.add(m.productId);
	}
	return products.map((p) => ({ ...p, onHand: sum.get(p.id) ?? 0, stockProblem: bad.has(p.id) }));
}
