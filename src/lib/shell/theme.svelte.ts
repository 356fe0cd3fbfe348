// The colour theme: 'system' follows prefers-color-scheme; 'light' and 'dark' pin it. The choice lives in
// localStorage under THEME_KEY, and the inline script in src/app.html applies it before first paint (keep
// the key and the attribute in step with it).
export type ThemeChoice = 'system' | 'light' | 'dark';

export const THEME_KEY = 'stowage.theme';

function read(): ThemeChoice {
	try {
		const stored = localStorage.getItem(THEME_KEY);
		return stored === 'light' || stored === 'dark' ? stored : 'system';
	} catch {
		return 'system';
	}
}

class Theme {
	choice = $state<ThemeChoice>('system');

	/** Reads the stored choice (in the browser, after hydration). */
	load() {
		this.choice = read();
	}

	set(choice: ThemeChoice) {
		this.choice = choice;
		const root = document.documentElement;
		if (choice === 'system') root.removeAttribute('data-theme');
		else root.dataset.theme = choice;
		try {
			if (choice === 'system') localStorage.removeItem(THEME_KEY);
			else localStorage.setItem(THEME_KEY, choice);
		} catch {
			// Storage refused (private mode, quota): the choice holds for this page only.
		}
	}
}

export const theme = new Theme();
