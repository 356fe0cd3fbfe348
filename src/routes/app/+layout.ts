// Vault pages render in the browser only: the server has nothing to render but ciphertext.
export const ssr = false;
