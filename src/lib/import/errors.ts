// The one error class for file-level failures (the whole file cannot be read as asked), as opposed to
// row-level problems, which are returned as data so the preview can list them all at once.
export class ImportFileError extends Error {
	override name = 'ImportFileError';
}
