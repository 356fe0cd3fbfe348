// Everything the crypto worker can do, as one typed module. Adding an operation is adding one function
// to account-ops.ts or record-ops.ts (or a new *-ops.ts spread in here): the worker serves it and the
// page calls it through result.ts, typed end to end, with nothing else to write.
import { accountOperations } from './account-ops';
import { recordOperations } from './record-ops';

export function createOperations() {
	return { ...accountOperations(), ...recordOperations() };
}

export type Operations = ReturnType<typeof createOperations>;
