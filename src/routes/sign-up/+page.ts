// Account pages talk to the vault (a Web Worker) and the session: browser only.
export const ssr = false;
