// A record's AAD context for tests that seal and open rows (crypto/SPEC.md §6.3): row `i` of products.
import type { RecordContext } from '../../crypto';

export const recordContext = (i: number): RecordContext => ({
	tenantId: 't-1',
	table: 'products',
	column: 'catalog_env',
	rowId: `row-${i}`,
	domain: 'catalog',
	epoch: 1
});
