// Conversions of values the drivers return.

/** A bytea column as a plain Uint8Array (drivers may return a Buffer or a view into a larger one). */
export const bytes = (v: unknown) => new Uint8Array(v as Uint8Array);
