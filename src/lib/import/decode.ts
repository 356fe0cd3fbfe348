// Bytes of an uploaded file → text. Spreadsheet programs write UTF-8 (with or without a BOM), UTF-16 with a
// BOM ("Unicode text") or Windows-1252 (older Excel "CSV"), so: a BOM decides; without one, strict UTF-8;
// when that fails the bytes are almost surely 1252, which is flagged as a guess for the preview to show.
// TextDecoder only: this runs in a Web Worker.
import { ImportFileError } from './errors';

export type Decoded = { text: string; encoding: string; bom: boolean; guessed: boolean };

const BOMS: { encoding: string; bytes: number[] }[] = [
	{ encoding: 'utf-8', bytes: [0xef, 0xbb, 0xbf] },
	{ encoding: 'utf-16le', bytes: [0xff, 0xfe] },
	{ encoding: 'utf-16be', bytes: [0xfe, 0xff] }
];

function bomOf(bytes: Uint8Array) {
	return BOMS.find((b) => b.bytes.every((v, i) => bytes[i] === v));
}

// Windows-1252's 0x80–0x9F as the WHATWG Encoding standard defines them (the five undefined bytes stay
// C1 controls). Browsers decode these already; Node's TextDecoder (before v23) reads them as Latin-1's
// controls, which would turn “ ” € – into invisible characters. Mapping them again is a no-op in browsers.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const fix1252 = (text: string) =>
	text.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH.charAt(c.charCodeAt(0) - 0x80));

function read(d: TextDecoder, bytes: Uint8Array): string {
	const text = d.decode(bytes);
	return d.encoding === 'windows-1252' ? fix1252(text) : text;
}

function decoder(encoding: string, fatal: boolean): TextDecoder {
	try {
		return new TextDecoder(encoding, { fatal });
	} catch {
		throw new ImportFileError(`“${encoding}” is not a text encoding this browser can read.`);
	}
}

/** Decodes `bytes`; `encoding` (any TextDecoder label, the user's choice in the preview) skips detection. */
export function decodeBytes(bytes: Uint8Array, encoding?: string): Decoded {
	const bom = bomOf(bytes);
	if (encoding !== undefined) {
		// Not fatal: the user asked for this encoding, so show what it gives. TextDecoder drops a BOM that
		// matches its encoding by itself (and only then); report whether one was there.
		const d = decoder(encoding, false);
		return { text: read(d, bytes), encoding: d.encoding, bom: bom?.encoding === d.encoding, guessed: false };
	}
	if (bom)
		return {
			text: decoder(bom.encoding, false).decode(bytes),
			encoding: bom.encoding,
			bom: true,
			guessed: false
		};
	try {
		return { text: decoder('utf-8', true).decode(bytes), encoding: 'utf-8', bom: false, guessed: false };
	} catch {
		// Every byte sequence is valid 1252 (undefined bytes map to C1 controls), so this cannot fail.
		return {
			text: read(decoder('windows-1252', false), bytes),
			encoding: 'windows-1252',
			bom: false,
			guessed: true
		};
	}
}
