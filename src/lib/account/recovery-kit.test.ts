// The one recovery-kit format: its text gives back the same key bytes, keeps its layout with the longest
// email, and the PDF holds the same content, built without the network.
import { inflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFRawStream, PDFArray, PDFRef } from 'pdf-lib';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeRecoveryKey, encodeRecoveryKey, generateRecoveryKey, ready } from '$crypto';
import { kitPdf, kitText, recoveryKit, wrapWords } from './recovery-kit';

const LONGEST_EMAIL = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
const created = new Date('2026-12-01T10:00:00Z');

let key: Uint8Array;
let encoded: string;

beforeAll(async () => {
	await ready();
	key = generateRecoveryKey();
	encoded = encodeRecoveryKey(key as never);
});

afterEach(() => vi.unstubAllGlobals());

/** The text shown by the page's content streams: pdf-lib writes standard-font text as hex strings. */
async function pdfText(bytes: Uint8Array): Promise<string> {
	const doc = await PDFDocument.load(bytes);
	let text = '';
	for (const page of doc.getPages()) {
		const contents = page.node.get(PDFName.of('Contents'));
		const refs = contents instanceof PDFArray ? contents.asArray() : [contents];
		for (const ref of refs) {
			const stream = doc.context.lookup(ref as PDFRef);
			if (!(stream instanceof PDFRawStream)) continue;
			const filter = stream.dict.get(PDFName.of('Filter'));
			const raw = Buffer.from(stream.contents);
			const ops = (filter ? inflateSync(raw) : raw).toString('latin1');
			for (const [, hex] of ops.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) {
				text += `${Buffer.from(hex!, 'hex').toString('latin1')}\n`;
			}
		}
	}
	return text;
}

describe('recoveryKit', () => {
	it('holds the title, email, date, the key in groups and rows, and the instructions', () => {
		const kit = recoveryKit({ email: 'seller@example.com', recoveryKey: encoded, created });
		expect(kit.title).toBe('Stowage recovery kit');
		expect(kit.email).toBe('seller@example.com');
		expect(kit.created).toBe('2026-12-01');
		expect(kit.key).toBe(encoded);
		expect(kit.groups).toHaveLength(14);
		expect(kit.groups.every((g) => /^[0-9A-Z]{4}$/.test(g))).toBe(true);
		expect(kit.keyRows).toHaveLength(2);
		expect(kit.keyRows.join('-')).toBe(encoded);
		expect(kit.sections.map((s) => s.heading)).toEqual(['What it is for', 'Keep it safe']);
		expect(kit.sections[1]!.lines.join(' ')).toMatch(/Forgot your password\?/);
		expect(kit.keptAt).toMatch(/Where this kit is kept/);
	});

	it('says that a key made in settings replaces the one before', () => {
		const kit = recoveryKit({ email: 'a@example.com', recoveryKey: encoded, created, replaces: true });
		expect(kit.sections[0]!.lines.join(' ')).toMatch(/replaces any earlier recovery key/);
		expect(recoveryKit({ email: 'a@example.com', recoveryKey: encoded }).sections[0]!.lines).toHaveLength(1);
	});
});

describe('kitText', () => {
	const lines = (text: string) => text.split('\n');

	it('prints the key alone on its line, and that line decodes back to the same bytes', () => {
		const text = kitText(recoveryKit({ email: 'seller@example.com', recoveryKey: encoded, created }));
		const keyLines = lines(text).filter((l) => l.includes(encoded));
		expect(keyLines).toEqual([encoded]);
		expect(Buffer.from(decodeRecoveryKey(keyLines[0]!))).toEqual(Buffer.from(key));
		// The whole key section, as a person would copy it from the file, decodes too.
		const after = lines(text).slice(lines(text).indexOf('Recovery key:') + 1);
		expect(Buffer.from(decodeRecoveryKey(after[0]!))).toEqual(Buffer.from(key));
	});

	it('has LF line ends only, no line starting with a dash, and the account and date', () => {
		const text = kitText(recoveryKit({ email: 'seller@example.com', recoveryKey: encoded, created }));
		expect(text).not.toMatch(/\r/);
		expect(lines(text).filter((l) => /^\s*-/.test(l))).toEqual([]);
		expect(lines(text)).toContain('seller@example.com');
		expect(text).toContain('Created: 2026-12-01');
		expect(text.startsWith('STOWAGE RECOVERY KIT\n====')).toBe(true);
		expect(text).toMatch(/Where this kit is kept: _+/);
		expect(new TextDecoder('utf-8', { fatal: true }).decode(new TextEncoder().encode(text))).toBe(text);
	});

	it('keeps its layout with a 254-character email: the email whole on its own line, every other line short', () => {
		expect(LONGEST_EMAIL).toHaveLength(254);
		const text = kitText(recoveryKit({ email: LONGEST_EMAIL, recoveryKey: encoded, created }));
		const emailLines = lines(text).filter((l) => l.includes('@'));
		expect(emailLines).toEqual([LONGEST_EMAIL]);
		for (const line of lines(text)) if (line !== LONGEST_EMAIL) expect(line.length).toBeLessThanOrEqual(72);
		expect(lines(text).filter((l) => l.includes(encoded))).toEqual([encoded]);
		expect(Buffer.from(decodeRecoveryKey(encoded))).toEqual(Buffer.from(key));
	});

	it('never lets an email that starts with a dash start a line', () => {
		const text = kitText(recoveryKit({ email: '-x@example.com', recoveryKey: encoded, created }));
		expect(lines(text).filter((l) => l.startsWith('-'))).toEqual([]);
		expect(lines(text)).toContain(' -x@example.com');
	});
});

describe('wrapWords', () => {
	it('breaks at spaces within the width, and keeps a longer word on a line of its own', () => {
		expect(wrapWords('one two three four', 9)).toEqual(['one two', 'three', 'four']);
		expect(wrapWords(`a ${'x'.repeat(20)} b`, 10)).toEqual(['a', 'x'.repeat(20), 'b']);
	});
});

describe('kitPdf', () => {
	it('is a PDF with the title, email, date, key rows and instructions, made without the network', async () => {
		const fetchSpy = vi.fn(() => Promise.reject(new Error('no network in this test')));
		vi.stubGlobal('fetch', fetchSpy);
		vi.stubGlobal('XMLHttpRequest', undefined);
		const kit = recoveryKit({ email: 'seller@example.com', recoveryKey: encoded, created });
		const bytes = await kitPdf(kit);
		expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
		expect(fetchSpy).not.toHaveBeenCalled();

		const doc = await PDFDocument.load(bytes);
		expect(doc.getPageCount()).toBe(1);
		expect(doc.getTitle()).toBe('Stowage recovery kit');
		const text = await pdfText(bytes);
		for (const row of kit.keyRows) expect(text).toContain(row);
		// The rows as printed, read back in order, are the key.
		const printed = text.split('\n').filter((l) => kit.keyRows.includes(l));
		expect(Buffer.from(decodeRecoveryKey(printed.join('\n')))).toEqual(Buffer.from(key));
		expect(text).toContain('seller@example.com');
		expect(text).toContain('2026-12-01');
		expect(text).toContain('Stowage recovery kit');
		expect(text).toContain('Where this kit is kept:');
		expect(text).toContain('Forgot your password?');
		// The key itself is not stored anywhere else in the file, such as its metadata.
		expect(doc.getSubject()).toBeUndefined();
		expect(doc.getKeywords()).toBeUndefined();
	});

	it('wraps a 254-character email onto several lines that read back as the email', async () => {
		const bytes = await kitPdf(recoveryKit({ email: LONGEST_EMAIL, recoveryKey: encoded, created }));
		const text = await pdfText(bytes);
		const emailLines = text.split('\n').filter((l) => /^[a-d.@]+(com)?$/.test(l) && l.length > 10);
		expect(emailLines.length).toBeGreaterThan(1);
		expect(emailLines.join('')).toBe(LONGEST_EMAIL);
		expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1);
	});
});
