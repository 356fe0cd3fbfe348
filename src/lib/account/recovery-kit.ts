// The recovery kit: one content, rendered as the page shows it, as plain text and as a PDF. Sign-up and
// "Create a new recovery key" both use it, so a kit always says the same things in the same order.
// Nothing here logs, stores or sends the key; the PDF is built in the browser, without the network.

export type KitSection = { heading: string; lines: string[] };

export type RecoveryKit = {
	title: string;
	email: string;
	/** YYYY-MM-DD (UTC): the day the key was made. */
	created: string;
	/** The key exactly as encodeRecoveryKey writes it: 14 groups of 4 joined by '-'. */
	key: string;
	/** The key's groups, for reading and typing. */
	groups: string[];
	/** The key in rows of groups, for print (each row is a valid part of the key text). */
	keyRows: string[];
	sections: KitSection[];
	/** A line to fill in by hand on paper. */
	keptAt: string;
};

const GROUPS_PER_ROW = 7;
const TEXT_WIDTH = 72;

/** The kit's content for a key (as encodeRecoveryKey writes it) and the account's email. */
export function recoveryKit(input: {
	email: string;
	recoveryKey: string;
	created?: Date;
	/** A key made in settings replaces the one before it. */
	replaces?: boolean;
}): RecoveryKit {
	const key = input.recoveryKey.trim();
	const groups = key.split('-');
	const keyRows: string[] = [];
	for (let i = 0; i < groups.length; i += GROUPS_PER_ROW) {
		keyRows.push(groups.slice(i, i + GROUPS_PER_ROW).join('-'));
	}
	const about = [
		'Stowage encrypts your data on your device. If you forget your password, this recovery key is the only way back into your data: Stowage cannot reset it for you.'
	];
	if (input.replaces) about.push('This key replaces any earlier recovery key, which no longer works.');
	return {
		title: 'Stowage recovery kit',
		email: input.email,
		created: (input.created ?? new Date()).toISOString().slice(0, 10),
		key,
		groups,
		keyRows,
		sections: [
			{ heading: 'What it is for', lines: about },
			{
				heading: 'Keep it safe',
				lines: [
					'1. Print it, or keep it offline: in a password manager or a safe.',
					'2. Anyone with this key and access to your email can take over your account.',
					'3. To use it, choose “Forgot your password?” on the sign-in page.'
				]
			}
		],
		keptAt: 'Where this kit is kept:'
	};
}

/** Breaks prose at spaces into lines of at most `width` characters (a longer word keeps its own line). */
export function wrapWords(text: string, width = TEXT_WIDTH): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		if (line && line.length + 1 + word.length > width) {
			lines.push(line);
			line = word;
		} else {
			line = line ? `${line} ${word}` : word;
		}
	}
	if (line) lines.push(line);
	return lines;
}

/** Numbered items keep their text under the text, not under the number, when they wrap. */
function wrapItem(text: string, width: number): string[] {
	const numbered = /^(\d+\.\s)(.*)$/.exec(text);
	if (!numbered) return wrapWords(text, width);
	const indent = ' '.repeat(numbered[1]!.length);
	return wrapWords(numbered[2]!, width - indent.length).map((l, i) => (i === 0 ? numbered[1] : indent) + l);
}

/**
 * The kit as plain text: UTF-8, LF line ends, no line starting with '-', and the key alone on its line
 * exactly as written, so it can be copied as it is. The email stays whole on its own line, however long.
 */
export function kitText(kit: RecoveryKit): string {
	const out = [kit.title.toUpperCase(), '='.repeat(kit.title.length), ''];
	out.push('Account:', kit.email, '', `Created: ${kit.created}`, '', 'Recovery key:', kit.key, '');
	for (const section of kit.sections) {
		out.push(section.heading, '');
		for (const line of section.lines) out.push(...wrapItem(line, TEXT_WIDTH));
		out.push('');
	}
	out.push(`${kit.keptAt} ____________________________________________`, '');
	// A line that starts with a dash reads as a list item or a diff line; none of ours should.
	return out.map((l) => (l.startsWith('-') ? ` ${l}` : l)).join('\n');
}

/** The kit's file names, one place for both downloads. */
export const KIT_FILES = { text: 'stowage-recovery-kit.txt', pdf: 'stowage-recovery-kit.pdf' } as const;

/**
 * The kit as a one-page A4 PDF, built here with pdf-lib (loaded only now, so it stays out of the main
 * bundle). Only the standard PDF fonts are used: nothing is fetched and no font file is embedded.
 */
export async function kitPdf(kit: RecoveryKit): Promise<Uint8Array> {
	const { PDFDocument, StandardFonts, rgb } = await import('pdf-lib');
	const doc = await PDFDocument.create();
	doc.setTitle(kit.title);
	doc.setCreator('Stowage');
	doc.setProducer('Stowage');
	const sans = await doc.embedFont(StandardFonts.Helvetica);
	const bold = await doc.embedFont(StandardFonts.HelveticaBold);
	const mono = await doc.embedFont(StandardFonts.CourierBold);
	type Font = typeof sans;

	const page = doc.addPage([595.28, 841.89]);
	const margin = 56;
	const width = page.getWidth() - 2 * margin;
	const ink = rgb(0.07, 0.13, 0.23);
	const soft = rgb(0.27, 0.32, 0.42);
	let y = page.getHeight() - margin;

	// The standard fonts speak WinAnsi only; anything else would throw, so it prints as '?'.
	const printable = (text: string, font: Font) =>
		[...text].map((ch) => (font.getCharacterSet().includes(ch.codePointAt(0)!) ? ch : '?')).join('');

	/** Lines that fit `max` points: at spaces, or anywhere within a word longer than a line (an email). */
	const fit = (text: string, font: Font, size: number, max = width): string[] => {
		const lines: string[] = [];
		let line = '';
		for (const word of text.split(' ')) {
			const candidate = line ? `${line} ${word}` : word;
			if (font.widthOfTextAtSize(candidate, size) <= max) {
				line = candidate;
				continue;
			}
			if (line) lines.push(line);
			line = '';
			for (const ch of word) {
				if (line && font.widthOfTextAtSize(line + ch, size) > max) {
					lines.push(line);
					line = '';
				}
				line += ch;
			}
		}
		if (line) lines.push(line);
		return lines;
	};

	const write = (
		text: string,
		font: Font,
		size: number,
		color = ink,
		x = margin,
		max = width - (x - margin)
	) => {
		for (const line of fit(printable(text, font), font, size, max)) {
			y -= size * 1.35;
			page.drawText(line, { x, y, size, font, color });
		}
	};

	write(kit.title, bold, 22);
	y -= 14;
	write('Account', bold, 10, soft);
	write(kit.email, sans, 12);
	y -= 8;
	write('Created', bold, 10, soft);
	write(kit.created, sans, 12);
	y -= 18;

	// The key, in a ruled box, in rows of groups large enough to read and type.
	const keySize = 17;
	const boxPad = 14;
	const boxHeight = boxPad * 2 + 14 + kit.keyRows.length * keySize * 1.6;
	page.drawRectangle({
		x: margin,
		y: y - boxHeight,
		width,
		height: boxHeight,
		borderColor: ink,
		borderWidth: 1.5
	});
	y -= boxPad;
	write('RECOVERY KEY', bold, 10, soft, margin + boxPad);
	y -= 4;
	for (const row of kit.keyRows) {
		y -= keySize * 1.6;
		page.drawText(row, { x: margin + boxPad, y: y + keySize * 0.3, size: keySize, font: mono, color: ink });
	}
	y -= boxPad + 18;

	for (const section of kit.sections) {
		write(section.heading, bold, 13);
		y -= 2;
		for (const line of section.lines) {
			const numbered = /^(\d+\.)\s(.*)$/.exec(line);
			if (numbered) {
				page.drawText(numbered[1]!, { x: margin, y: y - 11 * 1.35, size: 11, font: sans, color: ink });
				write(numbered[2]!, sans, 11, ink, margin + 16);
			} else {
				write(line, sans, 11);
			}
			y -= 3;
		}
		y -= 12;
	}

	write(kit.keptAt, bold, 11);
	y -= 26;
	page.drawLine({
		start: { x: margin, y },
		end: { x: margin + width, y },
		thickness: 0.75,
		color: soft
	});

	return doc.save({ useObjectStreams: false });
}
