// Everything the crypto worker can do, as one typed module. Adding an operation is adding one function
// to account-ops.ts, record-ops.ts, org-ops.ts or catalogue-ops.ts (or a new *-ops.ts spread in here): the worker serves it
// and the page calls it through result.ts, typed end to end, with nothing else to write.
import { accountOperations, type VaultSession } from './account-ops';
import { catalogueOperations } from './catalogue-ops';
import { heldOrganisations } from './held-organisations';
import { orgOperations } from './org-ops';
import { recordOperations } from './record-ops';

export function createOperations() {
	// The unlocked identity stays in account-ops' closure; org-ops reads it through this session (in the
	// same worker) and registers the wipe of its domain keys on lock.
	let session: VaultSession | null = null;
	const account = accountOperations((s) => (session = s));
	const held = heldOrganisations(() => session!);
	return {
		...account,
		...recordOperations(),
		...orgOperations(held),
		...catalogueOperations(held)
	};
}

export type Operations = ReturnType<typeof createOperations>;
