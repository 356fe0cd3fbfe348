// A change to the account's security (a factor added or removed, sessions ended): the cards that list
// such things reload, and so does the security log.
export const securityChanges = $state({ count: 0 });

export function securityChanged(): void {
	securityChanges.count++;
}
