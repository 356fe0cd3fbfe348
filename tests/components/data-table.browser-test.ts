// DataTable and the catalogue search at 100,000 rows, in real Chromium (vitest.components.config.ts).
// Speed is measured and logged, never asserted: this machine's load would make it flaky.
import axe from 'axe-core';
import { flushSync, mount, tick, unmount } from 'svelte';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { createSearchIndex } from '$lib/catalogue/search';
import '../../src/app.css';
import DataTableHarness from '$lib/components/data-table/DataTableDemo.svelte';
import { makeProducts } from '$lib/components/data-table/demo-products';

declare module 'vitest' {
	export interface ProvidedContext {
		shots: string;
	}
}

const N = 100_000;
const ROW_H = 44;
const products = makeProducts(N);

let target: HTMLDivElement;
let app: ReturnType<typeof mount>;

const grid = () => document.querySelector<HTMLTableElement>('table[role="grid"]')!;
const scroller = () => grid().parentElement as HTMLDivElement;
const bodyRows = () => [...grid().querySelectorAll<HTMLTableRowElement>('tbody tr[aria-rowindex]')];
const rowIndices = () => bodyRows().map((tr) => Number(tr.getAttribute('aria-rowindex')));
const focusedRowIndex = () => Number(document.activeElement?.closest('tr')?.getAttribute('aria-rowindex'));
const search = () => document.querySelector<HTMLInputElement>('#product-search')!;
const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

async function scrollTo(top: number) {
	scroller().scrollTop = top;
	scroller().dispatchEvent(new Event('scroll'));
	await frame();
}

function typeQuery(value: string) {
	const input = search();
	input.value = value;
	input.dispatchEvent(new Event('input', { bubbles: true }));
	flushSync();
}

beforeAll(async () => {
	await page.viewport(1280, 800);
	target = document.createElement('div');
	document.body.append(target);
	app = mount(DataTableHarness, { target, props: { products } });
	flushSync();
	await frame();
});

afterAll(() => {
	unmount(app);
	target.remove();
});

describe('DataTable at 100,000 rows', () => {
	it('renders only a window of rows, each rowHeight tall, with the full row count for assistive tech', () => {
		expect(grid().getAttribute('aria-rowcount')).toBe(String(N + 1));
		expect(grid().getAttribute('aria-label')).toBe('Products');
		expect(grid().querySelector('thead tr')?.getAttribute('aria-rowindex')).toBe('1');
		const rows = bodyRows();
		expect(rows.length).toBeGreaterThan(10);
		expect(rows.length).toBeLessThan(60);
		expect(rowIndices()[0]).toBe(2);
		expect(rows[0]!.offsetHeight).toBe(ROW_H);
		// The spacer makes the scroll height that of every row.
		const headH = grid().querySelector('thead')!.offsetHeight;
		expect(grid().offsetHeight).toBe(headH + N * ROW_H);
		// Header cells: <th scope=col>, sortable ones with a button and no aria-sort until sorted.
		const ths = [...grid().querySelectorAll('thead th')];
		expect(ths.every((th) => th.getAttribute('scope') === 'col')).toBe(true);
		expect(ths.filter((th) => th.querySelector('button')).length).toBe(5);
		expect(ths.some((th) => th.hasAttribute('aria-sort'))).toBe(false);
		// One Tab stop in the grid.
		expect(grid().querySelectorAll('[tabindex="0"]').length).toBe(1);
	});

	it('keeps aria-rowindex right after scrolling', async () => {
		await scrollTo(5000 * ROW_H);
		const indices = rowIndices();
		expect(indices).toContain(5002);
		expect(indices.length).toBeLessThan(60);
		// Contiguous, and each row is the product at that position.
		indices.forEach((ri, k) => expect(ri).toBe(indices[0]! + k));
		for (const tr of bodyRows()) {
			const ri = Number(tr.getAttribute('aria-rowindex'));
			expect(tr.cells[0]!.textContent?.trim()).toBe(products[ri - 2]!.sku);
		}
		// Still one Tab stop, on a rendered row, though the active row (1) is far above.
		const stops = grid().querySelectorAll('[tabindex="0"]');
		expect(stops.length).toBe(1);
		expect(indices).toContain(Number(stops[0]!.closest('tr')!.getAttribute('aria-rowindex')));
		await scrollTo(0);
		expect(rowIndices()[0]).toBe(2);
	});

	it('moves by keyboard: one Tab into the grid, arrows, End, Home, PageDown, Enter', async () => {
		search().focus();
		await userEvent.tab();
		expect(document.activeElement?.getAttribute('data-cell')).toBe('1:0');
		expect(focusedRowIndex()).toBe(2);

		await userEvent.keyboard('{ArrowDown}');
		expect(focusedRowIndex()).toBe(3);
		await userEvent.keyboard('{ArrowRight}');
		expect(document.activeElement?.getAttribute('data-cell')).toBe('2:1');

		await userEvent.keyboard('{End}');
		expect(focusedRowIndex()).toBe(N + 1);
		expect(document.activeElement?.textContent).toContain(products[N - 1]!.name);
		const sc = scroller();
		expect(sc.scrollTop + sc.clientHeight).toBeGreaterThanOrEqual(sc.scrollHeight - 1);

		await userEvent.keyboard('{Home}');
		expect(focusedRowIndex()).toBe(2);
		expect(sc.scrollTop).toBe(0);

		await userEvent.keyboard('{PageDown}');
		const afterPage = focusedRowIndex();
		expect(afterPage).toBeGreaterThan(5);
		// The focused row is in view below the sticky header.
		const tr = document.activeElement!.closest('tr')!;
		const head = grid().querySelector('thead')!.getBoundingClientRect();
		expect(tr.getBoundingClientRect().top).toBeGreaterThanOrEqual(head.bottom - 1);
		expect(tr.getBoundingClientRect().bottom).toBeLessThanOrEqual(sc.getBoundingClientRect().bottom + 1);
		await userEvent.keyboard('{PageUp}');
		expect(focusedRowIndex()).toBe(2);

		await userEvent.keyboard('{Enter}');
		expect(document.querySelector('[data-testid="opened"]')?.textContent).toBe(`Opened ${products[0]!.sku}`);

		// Up from the first row reaches the header's sort button; Down comes back.
		await userEvent.keyboard('{ArrowUp}');
		expect(document.activeElement?.tagName).toBe('BUTTON');
		expect(document.activeElement?.closest('th')?.textContent?.trim()).toBe('Product');
		await userEvent.keyboard('{ArrowDown}');
		expect(focusedRowIndex()).toBe(2);
		expect(grid().querySelectorAll('[tabindex="0"]').length).toBe(1);
	});

	it('sorts from the header: aria-sort on the sorted column, ascending then descending', async () => {
		const priceButton = page.getByRole('columnheader', { name: 'Price' }).getByRole('button');
		await priceButton.click();
		await tick();
		const th = [...grid().querySelectorAll('thead th')].find((el) => el.textContent?.trim() === 'Price')!;
		expect(th.getAttribute('aria-sort')).toBe('ascending');
		const min = Math.min(...products.map((p) => p.price));
		expect(bodyRows()[0]!.cells[5]!.textContent?.trim()).toBe(`€${min.toFixed(2)}`);
		await priceButton.click();
		await tick();
		expect(th.getAttribute('aria-sort')).toBe('descending');
		const max = Math.max(...products.map((p) => p.price));
		expect(bodyRows()[0]!.cells[5]!.textContent?.trim()).toBe(`€${max.toFixed(2)}`);
		expect(grid().querySelectorAll('th[aria-sort]').length).toBe(1);
	});

	it('announces the row count politely once filtering settles, and shows the empty state', async () => {
		const status = document.querySelector('[data-testid="data-table-status"]')!;
		expect(status.getAttribute('role')).toBe('status');
		typeQuery('zoe mug');
		const count = Number(grid().getAttribute('aria-rowcount')) - 1;
		expect(count).toBeGreaterThan(0);
		expect(count).toBeLessThan(N);
		await vi.waitFor(() => expect(status.textContent).toBe(`${count.toLocaleString('en-GB')} rows`), {
			timeout: 3000
		});
		// Every shown row matches both terms.
		for (const tr of bodyRows()) expect(tr.textContent?.toLowerCase()).toMatch(/zoë.*mug|mug.*zoë/);

		typeQuery('no such product zzz');
		expect(grid().getAttribute('aria-rowcount')).toBe('1');
		expect(bodyRows().length).toBe(0);
		expect(document.querySelector('.empty')?.textContent).toContain('No products match');
		await vi.waitFor(() => expect(status.textContent).toBe('0 rows'), { timeout: 3000 });
		typeQuery('');
		expect(grid().getAttribute('aria-rowcount')).toBe(String(N + 1));
	});

	it('measures the search at 100k rows, typed letter by letter (logged, not asserted)', () => {
		const index = createSearchIndex(products, (p) => [p.sku, p.name, p.supplier]);
		const stats = (ms: number[]) => {
			const s = [...ms].sort((a, b) => a - b);
			return `median ${s[Math.floor(s.length / 2)]!.toFixed(1)} ms, max ${s[s.length - 1]!.toFixed(1)} ms`;
		};
		for (const query of ['organic mug 12', 'b0c-0012', 'müller lamp']) {
			const searchOnly: number[] = [];
			const keystroke: number[] = [];
			for (let i = 1; i <= query.length; i++) {
				let t = performance.now();
				index.search(query.slice(0, i));
				searchOnly.push(performance.now() - t);
				// The whole keystroke in the harness: input event, search, sort-free row mapping, table render.
				t = performance.now();
				typeQuery(query.slice(0, i));
				keystroke.push(performance.now() - t);
			}
			console.info(
				`"${query}" at ${N.toLocaleString('en-GB')} rows: search() ${stats(searchOnly)}; ` +
					`keystroke incl. render ${stats(keystroke)}`
			);
		}
		let t = performance.now();
		createSearchIndex(products, (p) => [p.sku, p.name, p.supplier]);
		console.info(
			`building the index over ${N.toLocaleString('en-GB')} rows: ${(performance.now() - t).toFixed(0)} ms`
		);
		t = performance.now();
		index.sortBy(index.search(''), (p) => p.name);
		console.info(`first sort by name (ranks every row): ${(performance.now() - t).toFixed(0)} ms`);
		typeQuery('');
	});

	it('passes axe (WCAG 2.1 A/AA, serious and critical) in light and dark, and fits a phone', async () => {
		const shots = inject('shots');
		for (const size of [
			{ name: 'desktop', width: 1280, height: 800 },
			{ name: 'phone', width: 390, height: 844 }
		]) {
			await page.viewport(size.width, size.height);
			await frame();
			for (const theme of ['light', 'dark'] as const) {
				document.documentElement.dataset.theme = theme;
				await frame();
				const result = await axe.run(target, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
				const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
				expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
				if (shots) await page.screenshot({ path: `${shots}/data-table-${size.name}-${theme}.png` });
			}
			if (size.name === 'phone') {
				expect(document.documentElement.scrollWidth).toBeLessThanOrEqual(size.width);
				// The phone hides the columns marked hideOnPhone.
				const shown = [...grid().querySelectorAll('thead th')].filter((th) => th.getClientRects().length > 0);
				expect(shown.map((th) => th.textContent?.trim())).toEqual(['SKU', 'Product', 'Stock', 'Price']);
			}
		}
		if (shots) {
			// The empty state and a sorted, filtered view at desktop size.
			await page.viewport(1280, 800);
			document.documentElement.dataset.theme = 'light';
			typeQuery('no such product zzz');
			await frame();
			await page.screenshot({ path: `${shots}/data-table-desktop-empty.png` });
			typeQuery('');
			// A row focused from the keyboard, in both themes.
			search().focus();
			await userEvent.tab();
			await userEvent.keyboard('{ArrowDown}{ArrowDown}{ArrowRight}{ArrowRight}{ArrowRight}');
			await page.screenshot({ path: `${shots}/data-table-desktop-focus-light.png` });
			document.documentElement.dataset.theme = 'dark';
			await frame();
			await page.screenshot({ path: `${shots}/data-table-desktop-focus-dark.png` });
		}
		delete document.documentElement.dataset.theme;
	});
});
