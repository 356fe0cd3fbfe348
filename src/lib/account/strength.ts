// Password strength for new passwords (sign-up, recovery). zxcvbn-ts and its dictionaries are loaded
// with a dynamic import the first time someone types, so they stay out of the main bundle.
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

export const MIN_LENGTH = 10;
export const MIN_SCORE = 3;

export type Strength = {
	/** 0 (guessable in seconds) … 4 (very strong). */
	score: number;
	/** Meets both rules: at least MIN_LENGTH characters and a score of MIN_SCORE or more. */
	ok: boolean;
	/** Why the password is refused or could be better, in plain words. */
	reasons: string[];
};

export const SCORE_LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

const WARNINGS: Record<string, string> = {
	straightRow: 'Straight rows of keys on your keyboard are easy to guess.',
	keyPattern: 'Short keyboard patterns are easy to guess.',
	simpleRepeat: 'Repeated characters like "aaa" are easy to guess.',
	extendedRepeat: 'Repeated character patterns like "abcabcabc" are easy to guess.',
	sequences: 'Common character sequences like "abc" are easy to guess.',
	recentYears: 'Recent years are easy to guess.',
	dates: 'Dates are easy to guess.',
	topTen: 'This is one of the ten most used passwords.',
	topHundred: 'This is one of the hundred most used passwords.',
	common: 'This is a commonly used password.',
	similarToCommon: 'This is too similar to a commonly used password.',
	wordByItself: 'Single words are easy to guess.',
	namesByThemselves: 'Single names or surnames are easy to guess.',
	commonNames: 'Common names and surnames are easy to guess.',
	userInputs: 'It should not contain your email address.',
	pwned: 'This password appeared in a data breach.'
};

const SUGGESTIONS: Record<string, string> = {
	l33t: 'Avoid predictable letter substitutions like "@" for "a".',
	reverseWords: 'Avoid reversed spellings of common words.',
	allUppercase: 'Capitalise some, but not all letters.',
	capitalization: 'Capitalise more than the first letter.',
	dates: 'Avoid dates and years that are associated with you.',
	recentYears: 'Avoid recent years.',
	associatedYears: 'Avoid years that are associated with you.',
	sequences: 'Avoid common character sequences.',
	repeated: 'Avoid repeated words and characters.',
	longerKeyboardPattern: 'Use longer keyboard patterns and change typing direction several times.',
	anotherWord: 'Add more words that are less common.',
	useWords: 'Use several unrelated words together — a short sentence works well.',
	noNeed: 'You can create strong passwords without symbols, numbers or capital letters.',
	pwned: 'If you use this password elsewhere, change it there.'
};

let factory: Promise<ZxcvbnFactory> | null = null;

/** Starts loading the checker (call it when the password field gets focus). */
export function loadStrengthChecker(): Promise<ZxcvbnFactory> {
	factory ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(
		([core, common]) =>
			new core.ZxcvbnFactory({
				dictionary: { ...common.dictionary },
				graphs: common.adjacencyGraphs,
				useLevenshteinDistance: true
			})
	);
	factory.catch(() => (factory = null));
	return factory;
}

/** Rates a new password; `userInputs` (the email and its parts) count as guessable. */
export async function rate(password: string, userInputs: string[] = []): Promise<Strength> {
	const checker = await loadStrengthChecker();
	const result = checker.check(password.slice(0, 256), userInputs);
	const reasons: string[] = [];
	if (password.length < MIN_LENGTH) reasons.push(`Use at least ${MIN_LENGTH} characters.`);
	const warning = result.feedback.warning;
	if (warning) reasons.push(WARNINGS[warning] ?? 'This password is easy to guess.');
	if (result.score < MIN_SCORE) {
		for (const s of result.feedback.suggestions) {
			const text = SUGGESTIONS[s];
			if (text) reasons.push(text);
		}
		if (!warning && password.length >= MIN_LENGTH) reasons.push('This password is too easy to guess.');
	}
	return {
		score: result.score,
		ok: password.length >= MIN_LENGTH && result.score >= MIN_SCORE,
		reasons: [...new Set(reasons)]
	};
}

/** Words from an email address that a password should not lean on. */
export function emailInputs(email: string): string[] {
	const e = email.trim().toLowerCase();
	if (!e) return [];
	return [e, ...e.split(/[@._+-]+/).filter((p) => p.length >= 3)];
}

/**
 * The verdict a form acts on at submit (the meter's is debounced and may lag a fast Enter). If the
 * checker cannot load (offline), the length rule alone decides, as the meter does.
 */
export async function acceptable(password: string, email: string): Promise<boolean> {
	return rate(password, emailInputs(email)).then(
		(s) => s.ok,
		() => password.length >= MIN_LENGTH
	);
}
