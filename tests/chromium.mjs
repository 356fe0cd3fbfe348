// Debian's Chromium, as every browser test and benchmark launches it. Never a downloaded browser
// (`npx playwright install` fails on these machines); a missing one fails loudly with what to install.
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Flags that work as root in a sandbox with no network but loopback. */
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

/** Playwright launch options for Chromium; throws (saying what to install) when it is absent. */
export function chromiumLaunchOptions() {
	if (!existsSync(CHROMIUM_PATH)) {
		throw new Error(
			`Chromium is not installed at ${CHROMIUM_PATH}. Install Debian's package (apt-get install -y chromium) ` +
				'or set CHROMIUM_PATH. Never `npx playwright install`.'
		);
	}
	return { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS };
}
