import { describe, expect, it } from 'vitest';
import { checkpointKey, loadCheckpoints, saveCheckpoints, type CheckpointStore } from './checkpoint-store';

const memory = (): CheckpointStore & { map: Map<string, string> } => {
	const map = new Map<string, string>();
	return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
};

describe('checkpoint store', () => {
	const t = 'a'.repeat(64);
	const head = { seq: 2, hash: 'A'.repeat(43) };

	it('keeps checkpoints per user and reads them back', () => {
		const s = memory();
		saveCheckpoints(s, 'u1', { [t]: head });
		expect(loadCheckpoints(s, 'u1')).toEqual({ [t]: head });
		expect(loadCheckpoints(s, 'u2')).toEqual({});
		expect(loadCheckpoints(null, 'u1')).toEqual({});
	});

	it('drops malformed entries and unreadable JSON', () => {
		const s = memory();
		s.setItem(
			checkpointKey('u1'),
			JSON.stringify({ [t]: head, bad: head, ['b'.repeat(64)]: { seq: 0, hash: 'x' } })
		);
		expect(loadCheckpoints(s, 'u1')).toEqual({ [t]: head });
		s.setItem(checkpointKey('u1'), '{not json');
		expect(loadCheckpoints(s, 'u1')).toEqual({});
	});
});
