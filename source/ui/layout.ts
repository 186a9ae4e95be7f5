// Where the panes go for a terminal size. Pure, so the rules are tested directly: a grid on a wide
// terminal, fewer columns as it narrows, one pane with a tab bar when the grid would not leave each pane
// enough rows to be useful (80x24 lands here), and a "needs at least WxH" message below the minimum.
export const PANE_IDS = ['metrics', 'agents', 'tasks', 'streams', 'queries', 'logs'] as const;
export type PaneId = (typeof PANE_IDS)[number];

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;
/** A pane in the grid needs this many columns and rows to show a few table rows. */
const GRID_PANE_MIN_WIDTH = 50;
const GRID_PANE_MIN_HEIGHT = 10;

export interface PaneBox {
	id: PaneId;
	x: number;
	y: number;
	width: number;
	height: number;
}

export type Layout =
	| {kind: 'too-small'; needColumns: number; needRows: number; columns: number; rows: number}
	| {kind: 'grid'; columns: number; rows: number; gridColumns: number; panes: PaneBox[]; bodyHeight: number}
	| {kind: 'single'; columns: number; rows: number; tabs: boolean; pane: PaneBox; bodyHeight: number};

/**
 * The frame is drawn one row shorter than the terminal: Ink clears the whole screen on every frame whose
 * height reaches the terminal's, which flickers; one spare row keeps it on the line-diff path.
 */
export function frameRows(rows: number): number {
	return Math.max(0, rows - 1);
}

const HEADER_ROWS = 1;
const FOOTER_ROWS = 1;
const TAB_ROWS = 1;

function split(total: number, parts: number): number[] {
	const base = Math.floor(total / parts);
	const extra = total - base * parts;
	return Array.from({length: parts}, (_, i) => base + (i < extra ? 1 : 0));
}

export function computeLayout(columns: number, rows: number, focused: PaneId, zoomed: boolean): Layout {
	if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
		return {kind: 'too-small', needColumns: MIN_COLUMNS, needRows: MIN_ROWS, columns, rows};
	}
	const body = frameRows(rows) - HEADER_ROWS - FOOTER_ROWS;
	if (zoomed) {
		return {kind: 'single', columns, rows, tabs: false, pane: {id: focused, x: 0, y: 0, width: columns, height: body}, bodyHeight: body};
	}
	for (const gridColumns of [3, 2]) {
		const gridRows = Math.ceil(PANE_IDS.length / gridColumns);
		if (columns / gridColumns < GRID_PANE_MIN_WIDTH || body / gridRows < GRID_PANE_MIN_HEIGHT) continue;
		const widths = split(columns, gridColumns);
		const heights = split(body, gridRows);
		const panes = PANE_IDS.map((id, i) => {
			const col = i % gridColumns;
			const row = Math.floor(i / gridColumns);
			return {
				id,
				x: widths.slice(0, col).reduce((a, b) => a + b, 0),
				y: heights.slice(0, row).reduce((a, b) => a + b, 0),
				width: widths[col]!,
				height: heights[row]!,
			};
		});
		return {kind: 'grid', columns, rows, gridColumns, panes, bodyHeight: body};
	}
	return {kind: 'single', columns, rows, tabs: true, pane: {id: focused, x: 0, y: TAB_ROWS, width: columns, height: body - TAB_ROWS}, bodyHeight: body};
}

/** Table rows visible in a pane box: minus borders, the freshness line, summary lines and the header row. */
export function tableRowsFor(box: {height: number}, summaryLines: number): number {
	return Math.max(1, box.height - 2 - 1 - summaryLines - 1);
}
