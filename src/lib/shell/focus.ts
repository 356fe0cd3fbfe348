// Focus after a client-side navigation: to the new page's h1 (made focusable with tabindex="-1"), or to
// #main when the page has none, so screen-reader and keyboard users start reading where the page starts.
import { tick } from 'svelte';

/** Focuses the page's heading, or #main. Returns the element that received focus. */
export function focusPageStart(): HTMLElement | null {
	const main = document.getElementById('main');
	const target = (main?.querySelector('h1') ?? document.querySelector('h1') ?? main) as HTMLElement | null;
	if (!target) return null;
	if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
	target.setAttribute('data-nav-focus', '');
	target.focus({ preventScroll: true });
	return target;
}

/**
 * Called from afterNavigate. SvelteKit leaves focus alone when the page moved it itself, and otherwise
 * resets it to <body>: only in that case do we move it, one tick later so a page that renders its
 * heading after an await has it.
 */
export async function focusAfterNavigation(hash: string): Promise<void> {
	if (hash) return; // an in-page link: the browser goes to its target
	await tick();
	const active = document.activeElement;
	if (active && active !== document.body) return;
	focusPageStart();
}
