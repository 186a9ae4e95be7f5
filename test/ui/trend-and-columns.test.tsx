// What a reader sees in the metrics trend, in the columns a pane keeps as the terminal widens, in a cut
// header's sort mark and in --ascii comparison signs.
import {describe, expect, it} from 'vitest';
import {render} from 'ink-testing-library';
import type {HistoryPoint} from '../../source/contract/snapshot.js';
import {computeLayout, type PaneId} from '../../source/ui/layout.js';
import {PANES} from '../../source/ui/panes/index.js';
import {fitColumns, headerCell, type Column} from '../../source/ui/table.js';
import {fixtureStore, NOW, type FixtureOptions} from './fixtures.js';
import {consoleElement, stripSgr} from './harness.js';

const SPARK = /[▁▂▃▄▅▆▇█]+/;

function history(successRates: number[]): HistoryPoint[] {
	return successRates.map((successRate, i) => ({at: NOW - (successRates.length - i) * 5000, successRate, responseTime: 1, queueLength: 4, activeAgents: 6}));
}

function frame(options: {columns?: number; rows?: number; focused?: PaneId; zoomed?: boolean; ascii?: boolean; fixture?: FixtureOptions; history?: HistoryPoint[]}): string {
	const store = fixtureStore(options.fixture);
	if (options.history) store.setState({history: options.history});
	const r = render(consoleElement(store, {columns: options.columns, rows: options.rows, focused: options.focused ?? 'metrics', zoomed: options.zoomed, ascii: options.ascii}));
	const text = stripSgr(r.lastFrame() ?? '');
	r.unmount();
	return text;
}

/** The trend drawn on the success-rate row (the only run of block characters on it). */
function successTrend(text: string): string {
	const line = text.split('\n').find((l) => /success/.test(l) && SPARK.test(l));
	expect(line, 'a success-rate row with a trend').toBeDefined();
	return line!.match(SPARK)![0];
}

describe('metrics trend', () => {
	it('shows the newest samples, newest at the right edge, when the column is narrower than the history', () => {
		// 100x40 is a 2-column grid: the trend column is 6 wide. The old samples are all high; the newest six
		// climb from a fall, and that climb is what must show.
		const text = frame({columns: 100, rows: 40, history: history([...Array(20).fill(99), 40, 50, 60, 70, 80, 99])});
		const trend = successTrend(text);
		expect(trend).toHaveLength(6);
		expect(trend[0]).toBe('▁');
		expect(trend.at(-1)).toBe('█');
		expect(text).not.toMatch(/█+…/);
	});

	it('draws a 0.1 % wobble nearly flat, and a fall towards the thresholds as a fall', () => {
		const wobble = successTrend(frame({zoomed: true, history: history(Array.from({length: 12}, (_, i) => (i % 2 ? 98.1 : 98.2)))}));
		expect(new Set(wobble).size).toBe(1);
		expect(wobble[0]).toMatch(/[▇█]/);
		const fall = successTrend(frame({zoomed: true, history: history([...Array(11).fill(98.2), 85])}));
		const level = (c: string) => '▁▂▃▄▅▆▇█'.indexOf(c);
		expect(level(fall[0]!) - level(fall.at(-1)!)).toBeGreaterThanOrEqual(3);
	});

	it('draws a short history at the right edge of its column', () => {
		const text = frame({zoomed: true, history: history([97, 98, 99])});
		const line = text.split('\n').find((l) => /success rate/.test(l))!;
		// Right-aligned: blanks before the three samples, none between them and the reason.
		expect(line).toMatch(/ {4,}[▁▂▃▄▅▆▇█]{3} \S/);
	});
});

describe('columns as the terminal widens', () => {
	// The widths the lead's report named: an 80-column terminal shows one pane with tabs, 120 a 2-column grid,
	// 160 and 200 a 3-column grid.
	const columnsAt = (pane: PaneId, columns: number): string[] => {
		const layout = computeLayout(columns, 40, pane, false);
		const box = layout.kind === 'grid' ? layout.panes.find((p) => p.id === pane)! : layout.kind === 'single' ? layout.pane : null;
		expect(box).not.toBeNull();
		return fitColumns(PANES[pane].columns, box!.width - 2).map((f) => f.column.id);
	};

	it('keeps the metrics pane state, name, value, thresholds and trend at 80, 120, 160 and 200 columns', () => {
		for (const columns of [80, 120, 160, 200]) {
			expect(columnsAt('metrics', columns), `${columns} columns`).toEqual(expect.arrayContaining(['state', 'name', 'value', 'thresholds', 'trend']));
		}
	});

	it.each(Object.keys(PANES) as PaneId[])('%s: every column shown in the grid at 120 columns still shows at 160 and 200', (pane) => {
		const widths = [120, 160, 200];
		for (let i = 1; i < widths.length; i++) {
			for (const narrower of widths.slice(0, i)) {
				expect(columnsAt(pane, widths[i]!), `${pane} at ${widths[i]} vs ${narrower}`).toEqual(expect.arrayContaining(columnsAt(pane, narrower)));
			}
		}
	});

	it('a wider pane never shows fewer columns than a narrower one', () => {
		for (const spec of Object.values(PANES)) {
			let previous: string[] = [];
			for (let width = 20; width <= 240; width++) {
				const ids = fitColumns(spec.columns, width).map((f) => f.column.id);
				expect(ids, `${spec.id} at ${width}`).toEqual(expect.arrayContaining(previous));
				previous = ids;
			}
		}
	});

	it('shows the thresholds on screen in a pane as narrow as a 3-column grid gives', () => {
		// At 100x40 the grid has 2 columns of 50, the width of a 3-column grid's pane at 150 columns.
		const text = frame({columns: 100, rows: 40});
		expect(text).toContain('Thresholds');
		expect(text).toMatch(/>95 <90 <70/);
	});
});

describe('sort mark on a cut header', () => {
	const column: Column<unknown> = {id: 'idle', title: 'Oldest idle', width: 12, minWidth: 8, align: 'right', cell: () => '', sortKey: () => 0};

	it('cuts the title, not the mark', () => {
		expect(headerCell(column, 8, {column: 'idle', descending: true}, {color: false, ascii: false})).toBe('Oldest…▼');
		expect(headerCell(column, 8, {column: 'idle', descending: false}, {color: false, ascii: true})).toBe('Oldest…^');
		expect(headerCell(column, 12, {column: 'idle', descending: false}, {color: false, ascii: false})).toBe('Oldest idle▲');
		expect(headerCell(column, 8, {column: 'other', descending: false}, {color: false, ascii: false})).toBe('Oldest …');
	});

	it('keeps the mark on the streams pane when its sorted header is cut', () => {
		// At 100x40 the streams pane is 50 wide: "Pending" and its mark do not both fit.
		const text = frame({columns: 100, rows: 40, focused: 'streams'});
		expect(text).toMatch(/Pendi…▼/);
		const ascii = frame({columns: 100, rows: 40, focused: 'streams', ascii: true});
		expect(ascii).toMatch(/Pendi…v/);
	});
});

describe('--ascii comparison signs', () => {
	it('writes "at least" as >= in the thresholds and the reason, never as a bare >', () => {
		const text = frame({zoomed: true, ascii: true});
		expect(text).toMatch(/active agents\s+6\s+>=3 <3 <1/);
		expect(text).toMatch(/active agents 6 >= 3 target/);
		expect(text).not.toMatch(/[≥≤]/);
	});
});
