// The console's root component: a shell that draws the view stack and routes keys. It reads the store,
// derives each pane's rows (memoised per pane on the snapshot, filter and sort, so moving through 10,000
// agents never re-sorts), lays the panes out for the terminal size, and draws the view on top of the stack
// (panes, filter prompt, details, a layer's view such as a confirmation, help). Every key goes through the
// one router (views/router.ts) to the top view's bindings from the keymap; the panes' own commands are in
// views/pane-commands.ts. It re-renders only on a store change, a key press, a resize, and the clock tick.
import React, {useCallback, useEffect, useMemo, useRef, useState} from 'react';
import {Box, useInput, type Key} from 'ink';
import type {StoreApi} from 'zustand/vanilla';
import {conditionLine} from '../model/conditions.js';
import type {Assessment} from '../model/types.js';
import {selectAssessment} from '../model/select.js';
import type {HiveConsoleState, SourceStatus} from '../contract/snapshot.js';
import {Footer, Header, TabBar, TooSmall, type FooterHint, type HeaderInfo, type Notice} from './chrome.js';
import {scrollHint, viewHints, type CommandId, type Keymap, type ViewId} from './keymap.js';
import {PANE_IDS, computeLayout, frameRows, tableRowsFor, type PaneBox, type PaneId} from './layout.js';
import {DetailOverlay, HelpOverlay} from './overlays.js';
import {runPaneCommand} from './views/pane-commands.js';
import type {Clipboard} from './clipboard.js';
import {route} from './views/router.js';
import {contextEntries, entryName, paletteEntries, paletteMatches, parseIntervalCommand, targetEntries, type ContextChoice, type PaletteState} from './views/palette.js';
import {cutToWidth} from '../util/terminal-text.js';
import {PaletteOverlay} from './views/palette-view.js';
import {FleetOverlay, fleetIndex} from './views/fleet-view.js';
import type {FleetWatch} from '../app/fleet.js';
import type {ScrollWindow} from './views/scroll-frame.js';
import {Pane, paneChromeLines} from './pane.js';
import {PANES} from './panes/index.js';
import type {AnyPaneSpec, PaneContext} from './panes/pane-spec.js';
import {sortRows, windowStart} from './table.js';
import type {Theme} from './theme.js';
import {clockTickMs, consoleFrameDelay, useCoalescedStore, useNow, useTerminalSize, type Size} from './use-terminal.js';
import {initialViewState, viewReducer, type ViewAction, type ViewState} from './view-state.js';

/** What the UI asks of the poller; console.ts adapts the data layer's poller to it. */
export interface PollControls {
	pause(): void;
	resume(): void;
	refreshNow(): void;
	setIntervalMs(ms: number): void;
}

export interface DemoControls {
	scenarios: readonly string[];
	/** Switches the simulator; resolves with the scenario now running. */
	next(): Promise<string>;
	current: string;
	/** The simulator's time compression (its --speed), shown beside the scenario so ages and waits make sense. */
	speed?: number;
}

/** What a layer over the panes (the recovery actions) draws this frame, from the assessment the header shows. */
export interface LayerDrawing {
	/** The layer's view on top of the panes, drawn over the pane area. */
	view?: React.ReactNode;
	/** A toast line in the footer. */
	toast?: Notice | null;
	/** Lines under the panes (banner, conditions, recommendation, marks, runs). */
	strip?: {node: React.ReactNode; height: number};
	/** Per command, why it is unavailable now (the help marks it). */
	helpNotes?: Record<string, string>;
	/** Hints for the focused pane put first in the footer (the actions on its rows). */
	footerExtra?: FooterHint[];
}

export interface LayerContext {
	assessment: Assessment | null;
	now: number;
	focused: PaneId;
	width: number;
	/** Rows of the pane area a view over the panes may use. */
	height: number;
	/** The scroll position of the layer's view (PgUp/PgDn, ↑/↓, g/G where its bindings say so). */
	scroll: ScrollWindow;
}

/**
 * A layer of views over the panes, in the console's one view stack: the console routes every key to the
 * view on top, so the layer only says which of its views is open and answers that view's commands.
 */
export interface ConsoleLayer {
	/** The layer's view on top, or null. Read on every key: a view opened by the previous key of a chunk counts. */
	top(): ViewId | null;
	/** A global command the panes do not know (an action key) with the selected row; true when handled. */
	command(command: CommandId, selection: SelectedRow | null): boolean;
	/** A command of the layer's view on top, as the keymap names it; `input` is the key's text. */
	viewCommand(view: ViewId, command: CommandId, input: string): void;
	/** Text typed while the layer's view takes text. */
	text(view: ViewId, text: string): void;
	draw(ctx: LayerContext): LayerDrawing;
}

export interface SelectedRow {
	pane: PaneId;
	row: unknown;
}

export interface ConsoleAppProps {
	store: StoreApi<HiveConsoleState>;
	controls: PollControls;
	/**
	 * Defaults to the data layer's memoised selectAssessment. `now` is the console's clock: data that has aged
	 * past two intervals (a paused console) is no longer trusted, and the header says so.
	 */
	assess?: (state: HiveConsoleState, now: number) => Assessment | null;
	header: HeaderInfo;
	theme: Theme;
	keymap: Keymap;
	onQuit: () => void;
	demo?: DemoControls;
	/** The views over the panes besides help and details (the recovery actions), drawn from this render's assessment. */
	layer?: ConsoleLayer;
	/** Tests: a fixed size (ink-testing-library has no real terminal) and a frozen clock. */
	size?: Size;
	now?: number;
	/** Start with this pane focused (tests, and `--pane` style deep links later). */
	initialView?: Partial<ViewState>;
	/** Where `y` copies to (OSC 52 on the console's terminal); without one, `y` says copying is off. */
	clipboard?: Clipboard;
	/** Where the palette's recent commands are kept across restarts; without one they last as long as the console. */
	paletteHistory?: {load(): string[]; save(commands: readonly string[]): void};
	/** The config file's contexts, for the palette's "ctx NAME"; absent without a config file. */
	contexts?: ContextSwitcher;
}

interface FleetViewState {
	watch: FleetWatch | null;
	selected: string | null;
	stop: () => void;
}

/** Switching the live console to another context of the config file (the console is mounted again). */
export interface ContextSwitcher {
	choices: ContextChoice[];
	/** Resolves with why it cannot switch (a config error), or null once the switch is under way. */
	switchTo(name: string): Promise<string | null>;
	/** Every context polled on its own, for the Fleet view; closed when the view closes. */
	openFleet(): Promise<FleetWatch>;
}

interface Derived {
	all: unknown[];
	shown: unknown[];
	/** The selected row's key and where it was found in `shown`: j/k look up one key per render. */
	found: {key: string; index: number} | null;
}

// Each row's text for the filter, lower-cased once per row object: rows stay the same objects until their
// source's next poll, so typing a filter over 10,000 agents builds and lower-cases each row's text once,
// not once per key.
const searchTexts = new WeakMap<object, string>();
function searchTextOf(spec: AnyPaneSpec, row: unknown): string {
	if (typeof row !== 'object' || row === null) return spec.searchText(row as never).toLowerCase();
	const kept = searchTexts.get(row);
	if (kept !== undefined) return kept;
	const text = spec.searchText(row as never).toLowerCase();
	searchTexts.set(row, text);
	return text;
}

interface DeriveInputs {
	source: unknown;
	history: unknown;
	assessment: unknown;
	filter: string;
	sortColumn: string | null;
	sortDescending: boolean;
}

/**
 * Everything the console draws from an assessment (header state and its reason, banner and condition lines,
 * the recommendation, pane 1's metrics): two assessments with the same signature draw the same frame.
 */
export function assessmentSignature(a: Assessment | null): string {
	if (!a) return '';
	const parts: string[] = [a.overall, String(a.staleHeartbeats)];
	for (const u of a.untrusted) parts.push(`u ${u.source} ${u.what} ${u.since} ${u.lastGoodAt}`);
	for (const m of Object.values(a.metrics)) parts.push(`m ${m.name} ${m.state} ${m.value} ${m.reason}`);
	for (const s of a.scenarios) parts.push(`s ${s.scenario} ${s.reason}`);
	for (const c of a.conditions) parts.push(`c ${conditionLine(c)}`);
	for (const r of a.recommendations) parts.push(`r ${r.id} ${r.actionId} ${r.text} ${JSON.stringify(r.inputs)}`);
	return parts.join('\n');
}

/**
 * The assessment of the store at the console's clock. It depends on the sources' states and on `now`, so a
 * paused console's data turns unknown as it ages; it is recomputed at most once per second of the clock
 * (key presses in between reuse it), and a result that would draw the same as the last one is dropped in
 * favour of the last one, so what is derived from it (pane 1's rows) stays cached.
 */
function useAssessment(assess: NonNullable<ConsoleAppProps['assess']>, state: HiveConsoleState, now: number): Assessment | null {
	const kept = useRef<{assessment: Assessment | null; signature: string} | null>(null);
	const second = Math.floor(now / 1000);
	return useMemo(() => {
		const next = assess(state, now);
		const last = kept.current;
		if (last && last.assessment === next) return last.assessment;
		const signature = assessmentSignature(next);
		if (last && last.signature === signature) return last.assessment;
		kept.current = {assessment: next, signature};
		return next;
		// `now` is read through `second`: a new render within the same second does not re-assess.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [assess, state.snapshots, state.history, state.thresholds, state.backlog, state.sources, state.hivePolls, second]);
}

function sameInputs(a: DeriveInputs, b: DeriveInputs): boolean {
	return a.source === b.source && a.history === b.history && a.assessment === b.assessment && a.filter === b.filter && a.sortColumn === b.sortColumn && a.sortDescending === b.sortDescending;
}

export function ConsoleApp(props: ConsoleAppProps) {
	const {theme, keymap} = props;
	const state = useCoalescedStore(props.store, consoleFrameDelay);
	const size = useTerminalSize(props.size);
	// No clock of its own while polls re-render anyway: a frame costs a full Ink layout and output pass
	// (about 25-35 ms at 120x40), so a 1 s tick alone cost 3-4 % of a core (scripts/bench/console.mjs).
	// Ages then move with the polls; paused, failing, or slow-polling consoles tick every few seconds.
	const tickMs = props.now !== undefined ? 0 : clockTickMs(props.store.getState());
	useNow(tickMs);
	// Read at render time: renders come from the store, keys, resizes and the tick above.
	const now = props.now ?? Date.now();
	const [view, setView] = useState<ViewState>(() => ({...initialViewState(), ...props.initialView}));
	// Keys can arrive several per chunk (typed fast, pasted, tmux send-keys): each must see the view the
	// previous one left, not the last rendered one, so the view lives in a ref and React gets copies.
	const viewRef = useRef(view);
	const dispatch = useCallback((action: ViewAction) => {
		viewRef.current = viewReducer(viewRef.current, action);
		setView(viewRef.current);
	}, []);
	const [notice, setNotice] = useState<Notice | null>(null);
	const [scenario, setScenario] = useState<string | null>(props.demo?.current ?? null);
	const starts = useRef(new Map<PaneId, number>());
	const cache = useRef(new Map<PaneId, {inputs: DeriveInputs; result: Derived}>());

	const assessment = useAssessment(props.assess ?? selectAssessment, state, now);
	// The command palette, over everything it was opened from, and the commands it ran (newest first).
	const paletteRef = useRef<PaletteState | null>(null);
	const recentRef = useRef<CommandId[] | null>(null);
	recentRef.current ??= props.paletteHistory?.load() ?? [];
	const [, setPaletteDrawn] = useState(0);
	const setPalette = (next: PaletteState | null) => {
		paletteRef.current = next;
		setPaletteDrawn((n) => n + 1);
	};
	// The Fleet view: every context polled while it is open; the selection follows a context by name.
	const fleetRef = useRef<FleetViewState | null>(null);
	const [, setFleetDrawn] = useState(0);
	// The view stack, bottom first: the panes, then the filter prompt, details, the layer's view, help,
	// the palette.
	const stackOf = (v: ViewState): ViewId[] => {
		const stack: ViewId[] = ['panes'];
		if (v.editingFilter) stack.push('filter');
		if (v.detail) stack.push('detail');
		const layerTop = props.layer?.top();
		if (layerTop) stack.push(layerTop);
		if (fleetRef.current) stack.push('fleet');
		if (v.help) stack.push('help');
		if (paletteRef.current) stack.push('palette');
		return stack;
	};
	const topOf = (v: ViewState): ViewId => stackOf(v).at(-1)!;
	// Each scrolled view starts at its top; the position is the console's, the view reports how far it goes.
	const scrollRef = useRef<{view: ViewId | null; top: number; maxTop: number; page: number}>({view: null, top: 0, maxTop: 0, page: 1});
	const [, setScrolled] = useState(0);
	const scrollFor = (top: ViewId): ScrollWindow => {
		const s = scrollRef.current;
		if (s.view !== top) Object.assign(s, {view: top, top: 0, maxTop: 0, page: 1});
		return {
			top: s.top,
			hint: scrollHint(keymap, top, theme.ascii),
			measure: (maxTop, page) => {
				s.maxTop = maxTop;
				s.page = page;
			},
		};
	};
	const topView = topOf(view);
	const scroll = scrollFor(topView);
	const layerHeight = Math.max(0, frameRows(size.rows) - 2);
	const drawn = props.layer?.draw({assessment, now, focused: view.focused, width: size.columns, height: layerHeight, scroll}) ?? {};
	const ctx: PaneContext = {state, assessment, thresholds: state.thresholds ?? null, theme, now};

	const derive = (pane: PaneId): Derived => {
		const spec = PANES[pane];
		const pv = viewRef.current.panes[pane];
		const inputs: DeriveInputs = {
			source: state.snapshots[spec.source],
			history: pane === 'metrics' ? state.history : null,
			assessment: pane === 'metrics' ? assessment : null,
			filter: pv.filter,
			sortColumn: pv.sortColumn,
			sortDescending: pv.sortDescending,
		};
		const hit = cache.current.get(pane);
		if (hit && sameInputs(hit.inputs, inputs)) return hit.result;
		const all = spec.rows(ctx);
		const needle = pv.filter.toLowerCase();
		const filtered = needle ? all.filter((row) => searchTextOf(spec, row).includes(needle)) : all;
		const shown = sortRows(filtered, spec.columns, {column: pv.sortColumn, descending: pv.sortDescending});
		const result: Derived = {all, shown, found: null};
		cache.current.set(pane, {inputs, result});
		return result;
	};

	const selectedIndex = (pane: PaneId, d: Derived): number => {
		const pv = viewRef.current.panes[pane];
		if (d.shown.length === 0) return 0;
		if (pv.selectedKey !== null) {
			// A scan rather than a Map of every key: after a sort or a filter over 10,000 rows the Map cost
			// more to build (and to collect) than the scans of the keys pressed before the next poll.
			if (d.found?.key !== pv.selectedKey) {
				const keyOf = PANES[pane].key as (row: unknown) => string;
				const wanted = pv.selectedKey;
				d.found = {key: wanted, index: d.shown.findIndex((row) => keyOf(row) === wanted)};
			}
			if (d.found.index >= 0) return d.found.index;
		}
		return Math.min(pv.selected, d.shown.length - 1);
	};

	const historyHeight = drawn.strip?.height ?? 0;
	// The action-history slot takes its rows from the bottom of the pane area.
	const layout = computeLayout(size.columns, size.rows - historyHeight, view.focused, view.zoomed);

	const paneBoxes: PaneBox[] = layout.kind === 'grid' ? layout.panes : layout.kind === 'single' ? [layout.pane] : [];
	const tableHeight = (box: PaneBox): number => {
		const {summary, extra} = paneChromeLines(PANES[box.id], ctx, state.sources[PANES[box.id].source]);
		return Math.max(1, tableRowsFor(box, summary.length + extra));
	};
	const focusedBox = paneBoxes.find((b) => b.id === view.focused);

	const showNotice = useCallback((n: Notice) => setNotice(n), []);
	useEffect(() => {
		if (!notice) return;
		// The only timer besides the clock and the poll, and only while a notice is on screen.
		const t = setTimeout(() => setNotice(null), 3000);
		return () => clearTimeout(t);
	}, [notice]);

	/** From the palette or the Fleet view: the console is mounted again on success, or says why not. */
	const switchContext = (name: string) => {
		showNotice({text: `switching to context "${name}"…`, tone: 'muted'});
		void props.contexts?.switchTo(name).then((why) => {
			if (why) showNotice({text: `cannot switch to context "${name}": ${why}`, tone: 'critical'});
		});
	};
	const redrawFleet = () => setFleetDrawn((n) => n + 1);
	const closeFleetView = () => {
		const f = fleetRef.current;
		fleetRef.current = null;
		f?.stop();
		redrawFleet();
	};
	useEffect(() => () => fleetRef.current?.stop(), []);
	const openFleetView = () => {
		if (fleetRef.current) return closeFleetView();
		if (!props.contexts) return showNotice({text: 'the fleet is every context of a config file, and this console has none (README, Configuration)', tone: 'muted'});
		const entry: FleetViewState = {watch: null, selected: null, stop: () => undefined};
		fleetRef.current = entry;
		redrawFleet();
		void props.contexts.openFleet().then((watch) => {
			if (fleetRef.current !== entry) return void watch.close();
			const unsubscribe = watch.subscribe(redrawFleet);
			entry.watch = watch;
			entry.stop = () => {
				unsubscribe();
				void watch.close();
			};
			redrawFleet();
		});
	};
	const fleetCommand = (command: CommandId) => {
		const f = fleetRef.current;
		const report = f?.watch?.report(Date.now());
		if (command === 'close' || command === 'fleet') return closeFleetView();
		if (!f || !report || report.hives.length === 0) return;
		const at = fleetIndex(report, f.selected);
		if (command === 'fleet-up' || command === 'fleet-down') {
			f.selected = report.hives[Math.max(0, Math.min(report.hives.length - 1, at + (command === 'fleet-up' ? -1 : 1)))]!.context;
			redrawFleet();
		} else if (command === 'fleet-open') {
			const name = report.hives[at]!.context;
			if (props.contexts?.choices.find((c) => c.name === name)?.current) return closeFleetView();
			switchContext(name);
		}
	};

	const run = (command: CommandId) =>
		command === 'fleet' ? openFleetView() : runPaneCommand(command, {
			view: () => viewRef.current,
			dispatch,
			derive,
			selectedIndex,
			box: (pane) => paneBoxes.find((b) => b.id === pane) ?? (pane === viewRef.current.focused ? focusedBox : undefined),
			pageSize: tableHeight,
			paused: state.paused,
			intervalMs: state.intervalMs,
			controls: props.controls,
			notice: showNotice,
			quit: props.onQuit,
			demo: props.demo,
			setScenario,
			layerCommand: (c, selection) => void props.layer?.command(c, selection),
			copy: (what, text) => {
				if (!props.clipboard) return showNotice({text: 'copying is not available in this console', tone: 'muted'});
				const result = props.clipboard.copy(what, text);
				showNotice({text: result.message, tone: result.ok ? 'ok' : 'warning'});
			},
		});

	const scrollBy = (command: CommandId): boolean => {
		const s = scrollRef.current;
		const top = Math.min(s.top, s.maxTop);
		const to: Record<string, number> = {'scroll-up': top - 1, 'scroll-down': top + 1, 'scroll-page-up': top - s.page, 'scroll-page-down': top + s.page, 'scroll-top': 0, 'scroll-bottom': s.maxTop};
		if (to[command] === undefined) return false;
		s.top = Math.max(0, Math.min(s.maxTop, to[command]!));
		setScrolled((n) => n + 1);
		return true;
	};

	// Rows an action could act on, named as `y` would copy them; the first 200 shown (filter and sort kept).
	const paletteRows = (pane: 'agents' | 'tasks' | 'streams') => {
		const spec = PANES[pane];
		return derive(pane).shown.slice(0, 200).map((row) => ({key: spec.key(row), label: cutToWidth(spec.copy?.(row).text ?? spec.key(row), 48)}));
	};
	const paletteList = () => {
		const query = paletteRef.current?.query ?? '';
		const entries = [...paletteEntries(keymap, drawn.helpNotes, props.demo !== undefined, theme.ascii), ...contextEntries(props.contexts?.choices ?? [])];
		return paletteMatches(query.trim() === '' ? entries : [...entries, ...targetEntries(entries, paletteRows)], query, recentRef.current!);
	};
	/** Runs what the palette has highlighted exactly as its key would (an action through the gate). */
	const runPalette = () => {
		const p = paletteRef.current;
		if (!p) return;
		const seconds = parseIntervalCommand(p.query);
		const entry = seconds === null ? paletteList()[p.selected] : undefined;
		if (seconds === null && !entry) return;
		setPalette(null);
		if (seconds !== null) {
			props.controls.setIntervalMs(seconds * 1000);
			showNotice({text: `poll interval set to ${seconds} s`, tone: 'ok'});
			return;
		}
		if (entry!.context !== undefined) {
			const name = entry!.context;
			if (entry!.off) return showNotice({text: `context "${name}" is ${entry!.off}`, tone: 'muted'});
			return switchContext(name);
		}
		recentRef.current = [entry!.command, ...recentRef.current!.filter((c) => c !== entry!.command)].slice(0, 10);
		props.paletteHistory?.save(recentRef.current);
		if (entry!.target) {
			// Select that row first, so the action takes it as its key would take the selection.
			const {pane, key} = entry!.target;
			const selected = derive(pane).shown.findIndex((row) => PANES[pane].key(row) === key);
			dispatch({type: 'focus', pane});
			if (selected !== -1) dispatch({type: 'sync-selection', pane, selected, key});
		}
		run(entry!.command);
	};
	const paletteCommand = (command: CommandId) => {
		const p = paletteRef.current!;
		if (command === 'palette-close') setPalette(null);
		else if (command === 'palette-run') runPalette();
		else if (command === 'palette-next') setPalette({...p, selected: Math.min(Math.max(0, paletteList().length - 1), p.selected + 1)});
		else if (command === 'palette-prev') setPalette({...p, selected: Math.max(0, p.selected - 1)});
		else if (command === 'palette-delete') setPalette({query: [...p.query].slice(0, -1).join(''), selected: 0});
		else if (command === 'palette-complete') {
			const entry = paletteList()[p.selected];
			if (entry) setPalette({query: entryName(entry), selected: 0});
		}
	};

	/** A command of a view over the panes, found in that view's own bindings. */
	const viewCommand = (top: ViewId, command: CommandId, input: string) => {
		if (scrollFor(top) && scrollBy(command)) return;
		switch (top) {
			case 'palette':
				paletteCommand(command);
				return;
			case 'fleet':
				fleetCommand(command);
				return;
			case 'filter':
				if (command === 'filter-keep') dispatch({type: 'filter-accept'});
				else if (command === 'filter-clear') dispatch({type: 'escape'});
				else if (command === 'filter-delete') dispatch({type: 'filter-backspace'});
				return;
			case 'help':
				if (command === 'close') dispatch({type: 'help'});
				return;
			case 'detail':
				if (command === 'close') dispatch({type: 'escape'});
				// The details follow the selection, so these page through the rows one by one.
				else if (command === 'detail-prev') run('up');
				else if (command === 'detail-next') run('down');
				return;
			default:
				props.layer?.viewCommand(top, command, input);
		}
	};

	const handleInput = (input: string, key: Key) => {
		const top = topOf(viewRef.current);
		const routed = route(keymap, top, input, key, props.demo !== undefined);
		if (routed.kind === 'quit') props.onQuit();
		else if (routed.kind === 'text') {
			if (routed.view === 'filter') dispatch({type: 'filter-input', text: routed.text});
			else if (routed.view === 'palette') setPalette({query: (paletteRef.current?.query ?? '') + routed.text, selected: 0});
			else props.layer?.text(routed.view, routed.text);
		} else if (routed.kind === 'command') {
			if (routed.view === 'panes' && routed.command === 'palette') setPalette({query: '', selected: 0});
			else if (routed.view === 'panes') run(routed.command);
			else viewCommand(routed.view, routed.command, routed.input);
		}
	};
	// Ink subscribes the handler in an effect; a ref makes every key see the latest rendered view.
	const inputRef = useRef(handleInput);
	inputRef.current = handleInput;
	useInput((input, key) => {
		// Esc then a letter in one read (typed fast, over SSH, or two tmux send-keys) reaches Ink as Alt+letter.
		// Nothing is bound to Alt: replay it as the two keys the user pressed, so "Esc q" closes and quits.
		const arrow = key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown;
		if (key.meta && !key.escape && !key.ctrl && !arrow && !key.tab && !key.return && [...input].length === 1 && input >= ' ') {
			inputRef.current('', {...key, meta: true, escape: true});
			inputRef.current(input, {...key, meta: false});
			return;
		}
		// Ink hands over a run of plain characters (typed fast, pasted, tmux send-keys) as one input:
		// replay it key by key so "/claude⏎" filters instead of being one unknown key.
		const special = arrow || key.tab || key.escape || key.ctrl || key.meta;
		if (!special && [...input].length > 1) {
			for (const ch of input) {
				// Tab too: "Tab, Enter" typed fast on a confirmation must reach Confirm before Enter presses it.
				const plain = {...key, return: ch === '\r' || ch === '\n', backspace: ch === '\u007f' || ch === '\b', tab: ch === '\t', shift: ch !== ch.toLowerCase()};
				inputRef.current(plain.return || plain.backspace || plain.tab ? '' : ch, plain);
			}
			return;
		}
		inputRef.current(input, key);
	});

	const frame = frameRows(size.rows);
	const focusedFilter = view.panes[view.focused].filter;
	const paneStates = Object.fromEntries(PANE_IDS.map((id) => [id, state.sources[PANES[id].source].state])) as Record<PaneId, SourceStatus['state']>;

	const renderPane = (box: PaneBox) => {
		const spec = PANES[box.id];
		const d = derive(box.id);
		const height = tableHeight(box);
		const selected = selectedIndex(box.id, d);
		const start = windowStart(starts.current.get(box.id) ?? 0, selected, height, d.shown.length);
		starts.current.set(box.id, start);
		const pv = view.panes[box.id];
		return (
			<Pane
				key={box.id}
				spec={spec}
				ctx={ctx}
				status={state.sources[spec.source]}
				rows={d.shown}
				totalRows={d.all.length}
				selected={selected}
				start={start}
				tableHeight={height}
				filter={pv.filter}
				editingFilter={view.editingFilter && box.id === view.focused}
				sort={{column: pv.sortColumn, descending: pv.sortDescending}}
				width={box.width}
				height={box.height}
				focused={box.id === view.focused}
				paused={state.paused}
				theme={theme}
			/>
		);
	};

	/** The keys that close a view, as its footer names them. */
	const closeKeys = (view: ViewId) => viewHints(keymap, view, theme.ascii).find((h) => h.label === 'close')?.keys ?? 'Esc';
	let body: React.ReactNode;
	if (layout.kind === 'too-small') {
		body = <TooSmall columns={layout.columns} rows={layout.rows} needColumns={layout.needColumns} needRows={layout.needRows} />;
	} else if (topView === 'palette' && paletteRef.current) {
		const close = closeKeys('palette');
		body = <PaletteOverlay state={paletteRef.current} matches={paletteList()} width={size.columns} height={layerHeight} theme={theme} closeHint={`${close} closes, nothing runs`} />;
	} else if (topView === 'fleet' && fleetRef.current) {
		const close = closeKeys('fleet');
		const f = fleetRef.current;
		body = f.watch
			? <FleetOverlay report={f.watch.report(now)} selected={f.selected} current={props.contexts?.choices.find((c) => c.current)?.name ?? null} unusable={f.watch.unusable} width={size.columns} height={layerHeight} theme={theme} closeHint={`${close} closes`} />
			: <DetailOverlay detail={{title: 'Fleet', fields: [['', 'reading every context of the config file…']]}} width={size.columns} height={layerHeight} theme={theme} closeHint={`${close} closes`} />;
	} else if (topView === 'help') {
		body = <HelpOverlay keymap={keymap} notes={drawn.helpNotes} demo={props.demo !== undefined} width={size.columns} height={layerHeight} theme={theme} scroll={scroll} />;
	} else if (drawn.view && topView !== 'panes' && topView !== 'filter' && topView !== 'detail') {
		body = drawn.view;
	} else if (view.detail) {
		const spec = PANES[view.detail.pane];
		const d = derive(view.detail.pane);
		const detailKey = view.detail.key;
		const row = d.shown.find((r) => spec.key(r) === detailKey) ?? d.all.find((r) => spec.key(r) === detailKey);
		const close = closeKeys('detail');
		body = row === undefined
			? <DetailOverlay detail={{title: 'Gone', fields: [['', `this row is no longer reported by its source (${close} closes)`]]}} width={size.columns} height={layerHeight} theme={theme} closeHint={`${close} closes`} scroll={scroll} />
			: <DetailOverlay detail={spec.detail(row, ctx)} width={size.columns} height={layerHeight} theme={theme} closeHint={`${close} closes`} scroll={scroll} />;
	} else if (layout.kind === 'grid') {
		const rowsOfPanes: PaneBox[][] = [];
		for (const box of layout.panes) {
			const r = PANE_IDS.indexOf(box.id) / layout.gridColumns;
			(rowsOfPanes[Math.floor(r)] ??= []).push(box);
		}
		body = (
			<Box flexDirection="column">
				{rowsOfPanes.map((boxes, i) => (
					<Box key={i} flexDirection="row">
						{boxes.map(renderPane)}
					</Box>
				))}
				{drawn.strip?.node}
			</Box>
		);
	} else {
		body = (
			<Box flexDirection="column">
				{layout.tabs && <TabBar focused={view.focused} width={size.columns} theme={theme} states={paneStates} />}
				{renderPane(layout.pane)}
				{drawn.strip?.node}
			</Box>
		);
	}

	if (layout.kind === 'too-small') {
		return <TooSmall columns={layout.columns} rows={layout.rows} needColumns={layout.needColumns} needRows={layout.needRows} />;
	}
	return (
		<Box flexDirection="column" width={size.columns} height={frame} overflowY="hidden">
			<Header
				info={props.header}
				profile={state.snapshots.hive?.profile ?? null}
				overall={assessment?.overall ?? 'unknown'}
				untrusted={assessment?.untrusted ?? null}
				paused={state.paused}
				intervalMs={state.intervalMs}
				unfocused={state.unfocused ?? null}
				now={now}
				width={size.columns}
				theme={theme}
				demo={scenario === null ? null : props.demo?.speed !== undefined && props.demo.speed !== 1 ? `${scenario} · sim ×${props.demo.speed}` : scenario}
			/>
			<Box height={Math.max(0, frame - 2)} flexDirection="column" overflowY="hidden">
				{body}
			</Box>
			<Footer
				keymap={keymap}
				demo={props.demo !== undefined}
				scenario={scenario}
				editingFilter={view.editingFilter}
				filter={focusedFilter}
				notice={drawn.toast ?? notice}
				extra={drawn.footerExtra}
				hints={topView === 'panes' || topView === 'filter' ? undefined : viewHints(keymap, topView, theme.ascii)}
				width={size.columns}
				theme={theme}
			/>
		</Box>
	);
}
