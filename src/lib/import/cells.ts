// Formula neutralisation, shared by export and import so that they are exact inverses.
//
// Export: a text cell starting with = + - @ tab or CR could run as a formula when the file is opened in a
// spreadsheet (CSV injection), so it is written with a leading apostrophe. A text cell that already starts
// with apostrophes followed by one of those characters gets one more, so that import can tell the two apart.
// Import: a cell that is one or more apostrophes followed by one of those characters loses exactly one.
// Hence export → import gives back the identical text for every string. The cost: a file from elsewhere with
// a cell typed as '=x (meaning the literal text '=x) imports as =x, which is what a spreadsheet shows anyway.
// Cells are never evaluated either way.

const TRIGGER = /^'*[=+\-@\t\r]/;

export function neutralise(text: string): string {
	return TRIGGER.test(text) ? `'${text}` : text;
}

export function unneutralise(text: string): string {
	return text.startsWith("'") && TRIGGER.test(text) ? text.slice(1) : text;
}
