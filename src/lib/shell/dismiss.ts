// Closing behaviour shared by the shell's disclosures (the phone menu, the account menu): Escape closes
// and returns focus to the button; Tab (or a click) leaving the widget closes it without moving focus.

/** Call while the disclosure is open; returns the cleanup. `root` holds both the button and the panel. */
export function dismissOnLeave(
	root: HTMLElement,
	button: HTMLElement | undefined,
	close: () => void
): () => void {
	const onKey = (e: KeyboardEvent) => {
		if (e.key !== 'Escape') return;
		close();
		button?.focus();
	};
	const onPointer = (e: PointerEvent) => {
		if (!root.contains(e.target as Node)) close();
	};
	// relatedTarget is null when focus goes nowhere in particular (a click on the panel's padding, the
	// window losing focus): only a move to another element outside closes it.
	const onFocusOut = (e: FocusEvent) => {
		const next = e.relatedTarget as Node | null;
		if (next && !root.contains(next)) close();
	};
	document.addEventListener('keydown', onKey);
	document.addEventListener('pointerdown', onPointer);
	root.addEventListener('focusout', onFocusOut);
	return () => {
		document.removeEventListener('keydown', onKey);
		document.removeEventListener('pointerdown', onPointer);
		root.removeEventListener('focusout', onFocusOut);
	};
}
