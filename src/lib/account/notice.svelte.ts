// A one-time message for the next page (after recovery, for instance). Memory only: never in storage.
export const notice = $state<{ text: string | null }>({ text: null });
