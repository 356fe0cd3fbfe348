// Types shared by DataTable.svelte and its callers (the products and suppliers pages).

export type SortDirection = 'ascending' | 'descending';

export interface SortState {
	/** A column's `key`. */
	key: string;
	direction: SortDirection;
}

export interface DataTableColumn<T> {
	/** Unique among the columns; given back by `onsort` and to the `cell` snippet. */
	key: string;
	/** Header text (also the sort button's accessible name). */
	label: string;
	/** 'end' for numbers and money (also sets tabular figures). Default 'start'. */
	align?: 'start' | 'center' | 'end';
	/** A CSS length ('9rem', '120px'). Columns without one share what is left (at least 8rem each). */
	width?: string;
	/** Shows a sort button in the header; the caller sorts (see `onsort`). */
	sortable?: boolean;
	/** Hidden at phone widths (≤ 640px); the table scrolls sideways for what is left. */
	hideOnPhone?: boolean;
	/** The cell's text: what is shown when there is no `cell` snippet, and what a screen reader hears. */
	value: (row: T) => string;
}

/** What the `cell` snippet receives. */
export interface DataTableCell<T> {
	row: T;
	column: DataTableColumn<T>;
	/** `column.value(row)`. */
	value: string;
	/** The row's position in `rows` (0-based). */
	index: number;
}
