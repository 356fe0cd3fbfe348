// Limits the API and the browser share (the API refuses more; the import's batches are cut to fit).

/** Catalogue rows per signed write statement, all tables together. */
export const MAX_WRITE_ROWS = 128;
