// Limits the API and the browser share (the API refuses more; the import's batches are cut to fit).

/** Catalogue rows per signed write statement, all tables together. */
export const MAX_WRITE_ROWS = 128;

/**
 * The JSON a write request may carry from the browser: under the API's default body limit (1 MiB,
 * STOWAGE_API_BODY_LIMIT), with room for the envelope. An import halves a batch that would be larger.
 */
export const MAX_WRITE_BODY = 960 * 1024;
