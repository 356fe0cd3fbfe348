// Limits the API and the browser share (the API refuses more; the import's batches are cut to fit).

/**
 * Catalogue rows per signed write statement, all tables together. 512: an import's request costs about
 * 20 ms whatever its size (the transaction, the look-ups, the chain) besides its rows, so larger batches
 * import faster (BENCHMARKS.md "Import"); 512 typical product rows are about 450 KB of JSON.
 */
export const MAX_WRITE_ROWS = 512;

/**
 * The JSON a write request may carry from the browser: under the API's default body limit (1 MiB,
 * STOWAGE_API_BODY_LIMIT), with room for the envelope. An import halves a batch that would be larger.
 */
export const MAX_WRITE_BODY = 960 * 1024;
