import { describe, expect, it } from 'vitest';
import { decodeBytes } from './decode';
import { ImportFileError } from './errors';
import { encode } from './test-files';

const text = 'name\nCafé “Pro” – 5 €';

describe('decodeBytes', () => {
	it('reads UTF-8 without a BOM strictly', () => {
		expect(decodeBytes(encode('日本製 🌿', 'utf-8'))).toEqual({
			text: '日本製 🌿',
			encoding: 'utf-8',
			bom: false,
			guessed: false
		});
	});
	it.each(['utf-8-bom', 'utf-16le', 'utf-16be'] as const)('detects and strips a %s BOM', (enc) => {
		const d = decodeBytes(encode('שלום مرحبا 🌿', enc));
		expect(d).toEqual({
			text: 'שלום مرحبا 🌿',
			encoding: enc === 'utf-8-bom' ? 'utf-8' : enc,
			bom: true,
			guessed: false
		});
	});
	it('falls back to Windows-1252 when the bytes are not UTF-8, flagged as a guess', () => {
		expect(decodeBytes(encode(text, 'windows-1252'))).toEqual({
			text,
			encoding: 'windows-1252',
			bom: false,
			guessed: true
		});
	});
	it('lets an explicit encoding override detection, still stripping a matching BOM', () => {
		const utf8 = encode('Café', 'utf-8');
		// Read as 1252 on the user's request, the two UTF-8 bytes of é show as two characters.
		expect(decodeBytes(utf8, 'windows-1252')).toEqual({
			text: 'CafÃ©',
			encoding: 'windows-1252',
			bom: false,
			guessed: false
		});
		expect(decodeBytes(encode('Café', 'utf-16le'), 'utf-16le')).toMatchObject({ text: 'Café', bom: true });
		expect(decodeBytes(encode('Café', 'utf-8-bom'), 'utf8')).toMatchObject({
			text: 'Café',
			encoding: 'utf-8',
			bom: true
		});
	});
	it('rejects an unknown label with ImportFileError', () => {
		expect(() => decodeBytes(new Uint8Array([65]), 'klingon')).toThrow(ImportFileError);
		expect(() => decodeBytes(new Uint8Array([65]), 'klingon')).toThrow(/“klingon” is not a text encoding/);
	});
});
