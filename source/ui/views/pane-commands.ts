// The base view's commands: what each global binding does to the panes (focus, zoom, moving, details,
// filter, sort), to the poller (pause, refresh, interval), to the demo, and which go to the layer over the
// panes (the action keys, with the selected row or the row the details show).
import type {Notice} from '../chrome.js';
import type {CommandId} from '../keymap.js';
import {PANE_IDS, type PaneBox, type PaneId} from '../layout.js';
import {PANES} from '../panes/index.js';
import {fitColumns} from '../table.js';
import type {ViewAction, ViewState} from '../view-state.js';
import type {DemoControls, PollControls, SelectedRow} from '../app.js';

const INTERVAL_STEPS_S = [1, 2, 3, 5, 10, 15, 30, 60, 120, 300];

export function nextInterval(currentMs: number, direction: 1 | -1): number {
	const s = currentMs / 1000;
	if (direction > 0) return (INTERVAL_STEPS_S.find((v) => v > s + 1e-9) ?? INTERVAL_STEPS_S[INTERVAL_STEPS_S.length - 1]!) * 1000;
	return ([...INTERVAL_STEPS_S].reverse().find((v) => v < s - 1e-9) ?? INTERVAL_STEPS_S[0]!) * 1000;
}

export interface PaneRows {
	all: unknown[];
	shown: unknown[];
}

/** What the panes' commands reach: the view (as the previous key left it), the rows, the poller, the layer. */
export interface PaneCommandContext {
	view(): ViewState;
	dispatch(action: ViewAction): void;
	derive(pane: PaneId): PaneRows;
	selectedIndex(pane: PaneId, rows: PaneRows): number;
	/** The pane's box on screen (the focused one's when that pane is not drawn). */
	box(pane: PaneId): PaneBox | undefined;
	pageSize(box: PaneBox): number;
	paused: boolean;
	intervalMs: number;
	controls: PollControls;
	notice(notice: Notice): void;
	quit(): void;
	demo?: DemoControls;
	setScenario(name: string): void;
	layerCommand(command: CommandId, selection: SelectedRow | null): void;
	/** Copies text to the terminal's clipboard; the notice says what happened. */
	copy(what: string, text: string): void;
}

/** The row a command acts on: the one the details show, else the focused pane's selected row. */
function targetRow(ctx: PaneCommandContext): SelectedRow | null {
	const detail = ctx.view().detail;
	if (detail) {
		const row = ctx.derive(detail.pane).all.find((r) => PANES[detail.pane].key(r) === detail.key);
		return row === undefined ? null : {pane: detail.pane, row};
	}
	const pane = ctx.view().focused;
	const d = ctx.derive(pane);
	const row = d.shown[ctx.selectedIndex(pane, d)];
	return row === undefined ? null : {pane, row};
}

export function runPaneCommand(command: CommandId, ctx: PaneCommandContext): void {
	const pane = ctx.view().focused;
	const spec = PANES[pane];
	switch (command) {
		case 'focus-1': case 'focus-2': case 'focus-3': case 'focus-4': case 'focus-5': case 'focus-6':
			ctx.dispatch({type: 'focus', pane: PANE_IDS[Number(command.slice(-1)) - 1]!});
			return;
		case 'focus-next':
			ctx.dispatch({type: 'focus-step', step: 1});
			return;
		case 'focus-prev':
			ctx.dispatch({type: 'focus-step', step: -1});
			return;
		case 'zoom':
			ctx.dispatch({type: 'zoom'});
			return;
		case 'help':
			ctx.dispatch({type: 'help'});
			return;
		case 'up': case 'down': case 'page-up': case 'page-down': case 'top': case 'bottom': {
			const d = ctx.derive(pane);
			ctx.dispatch({
				type: 'move',
				to: command as 'up' | 'down' | 'page-up' | 'page-down' | 'top' | 'bottom',
				from: ctx.selectedIndex(pane, d),
				rowCount: d.shown.length,
				pageSize: (() => {
					const box = ctx.box(pane);
					return box ? ctx.pageSize(box) : 10;
				})(),
				keyAt: (i) => (d.shown[i] === undefined ? null : spec.key(d.shown[i])),
			});
			return;
		}
		case 'details': {
			if (ctx.view().detail) {
				ctx.dispatch({type: 'escape'});
				return;
			}
			const d = ctx.derive(pane);
			const row = d.shown[ctx.selectedIndex(pane, d)];
			ctx.dispatch({type: 'open-detail', pane, key: row === undefined ? null : spec.key(row)});
			return;
		}
		case 'filter':
			ctx.dispatch({type: 'filter-start'});
			return;
		case 'clear':
			ctx.dispatch({type: 'escape'});
			return;
		case 'sort': {
			const box = ctx.box(pane);
			ctx.dispatch({type: 'sort-next', visible: box ? fitColumns(spec.columns, box.width - 2).map((f) => f.column.id) : undefined});
			return;
		}
		case 'sort-reverse':
			ctx.dispatch({type: 'sort-reverse'});
			return;
		case 'pause':
			if (ctx.paused) ctx.controls.resume();
			else ctx.controls.pause();
			return;
		case 'refresh':
			ctx.controls.refreshNow();
			ctx.notice({text: 'refreshing every source now…', tone: 'accent'});
			return;
		case 'faster':
		case 'slower': {
			const next = nextInterval(ctx.intervalMs, command === 'faster' ? -1 : 1);
			ctx.controls.setIntervalMs(next);
			ctx.notice({text: `polling every ${next / 1000} s`, tone: 'accent'});
			return;
		}
		case 'quit':
			ctx.quit();
			return;
		case 'demo-scenario':
			if (!ctx.demo) return;
			ctx.notice({text: 'switching scenario…', tone: 'accent'});
			ctx.demo.next().then(
				(name) => {
					ctx.setScenario(name);
					ctx.notice({text: `simulated hive now in scenario "${name}"`, tone: 'accent'});
				},
				(error: unknown) => ctx.notice({text: `could not switch scenario: ${error instanceof Error ? error.message : String(error)}`, tone: 'critical'}),
			);
			return;
		case 'copy': {
			const target = targetRow(ctx);
			const copied = target ? PANES[target.pane].copy?.(target.row) : undefined;
			if (!copied) ctx.notice({text: target ? 'nothing to copy on this row' : 'no row selected: nothing to copy', tone: 'muted'});
			else ctx.copy(copied.what, copied.text);
			return;
		}
		default:
			// From a detail view the action is on the row being shown, not whatever is selected now.
			ctx.layerCommand(command, targetRow(ctx));
	}
}
