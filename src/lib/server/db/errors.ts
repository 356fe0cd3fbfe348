// Typed failures of the database layer.

/** A migration file disagrees with what the database says was applied. Start-up must stop. */
export class MigrationError extends Error {
	override readonly name = 'MigrationError';
	constructor(
		message: string,
		readonly version: string
	) {
		super(message);
	}
}

/** The database could not be opened or reached. */
export class DatabaseUnavailableError extends Error {
	override readonly name = 'DatabaseUnavailableError';
}

/** Both drivers expose PostgreSQL's SQLSTATE as `code`. */
export function isUniqueViolation(error: unknown): boolean {
	return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
