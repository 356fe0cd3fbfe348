// Attacker-supplied text, made fit for a log line: printable ASCII only, everything else escaped, and
// cut short. JSON logs escape newlines already, but pretty-printers and terminals show them raw.

/**
 * Escapes every character outside printable ASCII (control characters, newlines, ANSI escapes, bidi
 * overrides) and the backslash, then truncates to `max` characters plus '…'. Stops reading at the
 * limit, so a 10 kB value costs no more than a short one.
 */
export function logText(value: string, max = 64): string {
	let out = '';
	for (const char of value) {
		const code = char.codePointAt(0)!;
		const piece =
			code >= 0x20 && code < 0x7f && char !== '\\'
				? char
				: code === 0x5c
					? '\\\\'
					: code <= 0xff
						? `\\x${code.toString(16).padStart(2, '0')}`
						: `\\u{${code.toString(16)}}`;
		if (out.length + piece.length > max) return `${out}…`;
		out += piece;
	}
	return out;
}
