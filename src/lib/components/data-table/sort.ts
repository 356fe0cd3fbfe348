import type { SortState } from './types';

/** A sortable header pressed: the same column flips its direction, another one sorts ascending. */
export function nextSort(sort: SortState | null, key: string): SortState {
	return sort?.key === key
		? { key, direction: sort.direction === 'ascending' ? 'descending' : 'ascending' }
		: { key, direction: 'ascending' };
}
