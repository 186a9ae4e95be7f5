// The one keymap. Every key the console answers to is declared here once, for the panes and for every view
// over them (help, details, the confirmation, a run, the history, the playbook); the help overlay and the
// footer hints are generated from it, and the config file may remap any key by command id. Recovery
// actions join as category 'action' entries; a destructive one can never sit on a Ctrl- key or a
// navigation key.
import type {Key} from 'ink';

export type CommandId =
	| 'focus-1' | 'focus-2' | 'focus-3' | 'focus-4' | 'focus-5' | 'focus-6'
	| 'focus-next' | 'focus-prev' | 'zoom'
	| 'up' | 'down' | 'page-up' | 'page-down' | 'top' | 'bottom'
	| 'details' | 'filter' | 'clear' | 'sort' | 'sort-reverse' | 'copy'
	| 'pause' | 'refresh' | 'faster' | 'slower'
	| 'help' | 'quit' | 'demo-scenario'
	| (string & {});

export type KeyCategory = 'navigation' | 'view' | 'polling' | 'app' | 'demo' | 'action' | 'overlay';

/**
 * The views of the console's view stack. `panes` is the base (the grid or the tabs); every other view is
 * drawn over it and answers keys first (README "Keys": the view stack and its one input router).
 */
export type ViewId = 'panes' | 'filter' | 'help' | 'detail' | 'preparing' | 'message' | 'confirm' | 'run' | 'history' | 'playbook' | 'timeline' | 'palette' | 'fleet';

export interface KeyBinding {
	command: CommandId;
	keys: string[];
	category: KeyCategory;
	/** Text for the help overlay. */
	description: string;
	/** Short label for the footer; entries without one are only in the help overlay. */
	hint?: string;
	/** Footer order; lower shows first and survives a narrow footer longer. */
	hintPriority?: number;
	/** For category 'action': high and critical actions are destructive. */
	severity?: 'low' | 'high' | 'critical';
	/** Shown and active only in `hive-console demo`. */
	demoOnly?: boolean;
	/** For an action that acts on the selected row: the pane whose rows are its targets (the palette lists them). */
	targetPane?: 'agents' | 'tasks' | 'streams';
	/**
	 * The views this binding belongs to; none means the base view's global bindings. A view's own binding
	 * shadows a global one on the same key while that view is on top (q closes help instead of quitting).
	 */
	views?: ViewId[];
}

export const DEFAULT_BINDINGS: readonly KeyBinding[] = [
	{command: 'focus-1', keys: ['1'], category: 'navigation', description: 'Focus pane 1: metrics vs thresholds'},
	{command: 'focus-2', keys: ['2'], category: 'navigation', description: 'Focus pane 2: agents'},
	{command: 'focus-3', keys: ['3'], category: 'navigation', description: 'Focus pane 3: tasks'},
	{command: 'focus-4', keys: ['4'], category: 'navigation', description: 'Focus pane 4: Redis streams'},
	{command: 'focus-5', keys: ['5'], category: 'navigation', description: 'Focus pane 5: slow queries'},
	{command: 'focus-6', keys: ['6'], category: 'navigation', description: 'Focus pane 6: logs'},
	{command: 'focus-next', keys: ['tab'], category: 'navigation', description: 'Focus the next pane', hint: 'pane', hintPriority: 3},
	{command: 'focus-prev', keys: ['shift-tab'], category: 'navigation', description: 'Focus the previous pane'},
	{command: 'up', keys: ['up', 'k'], category: 'navigation', description: 'Select the row above'},
	{command: 'down', keys: ['down', 'j'], category: 'navigation', description: 'Select the row below', hint: 'move', hintPriority: 6},
	{command: 'page-up', keys: ['pageup'], category: 'navigation', description: 'Page up'},
	{command: 'page-down', keys: ['pagedown'], category: 'navigation', description: 'Page down'},
	{command: 'top', keys: ['g'], category: 'navigation', description: 'First row'},
	{command: 'bottom', keys: ['G'], category: 'navigation', description: 'Last row'},
	{command: 'details', keys: ['enter'], category: 'view', description: 'Details of the selected row', hint: 'details', hintPriority: 4},
	{command: 'zoom', keys: ['z'], category: 'view', description: 'Zoom the focused pane', hint: 'zoom', hintPriority: 5},
	{command: 'filter', keys: ['/'], category: 'view', description: 'Filter this pane (Esc clears)', hint: 'filter', hintPriority: 7},
	{command: 'clear', keys: ['escape'], category: 'view', description: 'Close details/help; clear filter'},
	{command: 'copy', keys: ['y'], category: 'view', description: 'Copy the selected row with OSC 52 (over SSH and tmux)', hint: 'copy', hintPriority: 7.5},
	{command: 'sort', keys: ['s'], category: 'view', description: 'Sort by the next column', hint: 'sort', hintPriority: 8},
	{command: 'sort-reverse', keys: ['S'], category: 'view', description: 'Reverse the sort order'},
	{command: 'pause', keys: ['p'], category: 'polling', description: 'Pause or resume polling', hint: 'pause', hintPriority: 9},
	{command: 'refresh', keys: ['r'], category: 'polling', description: 'Refresh every source now', hint: 'refresh', hintPriority: 10},
	{command: 'faster', keys: ['+', '='], category: 'polling', description: 'Poll more often'},
	{command: 'slower', keys: ['-'], category: 'polling', description: 'Poll less often'},
	{command: 'demo-scenario', keys: ['c'], category: 'demo', description: 'Next scenario of the simulated hive', hint: 'scenario', hintPriority: 2, demoOnly: true},
	{command: 'help', keys: ['?'], category: 'app', description: 'Show or hide this help', hint: 'help', hintPriority: 1},
	{command: 'palette', keys: [':'], category: 'app', description: 'Command palette: any action, pane or command by name, fuzzy (Tab completes; "interval 10" sets the poll interval)', hint: 'palette', hintPriority: 4.5},
	{command: 'fleet', keys: ['ctrl-f'], category: 'app', description: 'Fleet: every context of the config file, worst first (Enter switches to one)'},
	{command: 'quit', keys: ['q', 'ctrl-c'], category: 'app', description: 'Quit (restores the terminal)', hint: 'quit', hintPriority: 0},
];

const SCROLLING: ViewId[] = ['help', 'detail', 'run', 'timeline'];
const CLOSING: ViewId[] = ['help', 'detail', 'message', 'run', 'history', 'playbook', 'timeline', 'fleet'];

/**
 * The keys of the views over the panes, as data: the router reads them, the footer shows the ones with a
 * hint while their view is on top, the help lists them all, and the config's keymap remaps them by command
 * id like any other key (a remapped `close` closes every overlay on its new key).
 */
export const VIEW_BINDINGS: readonly KeyBinding[] = [
	{command: 'close', keys: ['escape', 'q'], category: 'overlay', views: CLOSING, description: 'Close the view on top (q quits only from the panes)', hint: 'close', hintPriority: 0},
	{command: 'scroll-up', keys: ['up', 'k'], category: 'overlay', views: SCROLLING, description: 'Scroll up a line'},
	{command: 'scroll-down', keys: ['down', 'j'], category: 'overlay', views: SCROLLING, description: 'Scroll down a line', hint: 'scroll', hintPriority: 1},
	{command: 'scroll-page-up', keys: ['pageup'], category: 'overlay', views: [...SCROLLING, 'confirm', 'playbook'], description: 'Scroll up a page'},
	{command: 'scroll-page-down', keys: ['pagedown'], category: 'overlay', views: [...SCROLLING, 'confirm', 'playbook'], description: 'Scroll down a page'},
	{command: 'scroll-top', keys: ['g'], category: 'overlay', views: SCROLLING, description: 'Scroll to the top'},
	{command: 'scroll-bottom', keys: ['G'], category: 'overlay', views: SCROLLING, description: 'Scroll to the bottom'},
	{command: 'detail-prev', keys: ['['], category: 'overlay', views: ['detail'], description: 'Details of the row above', hint: 'prev row', hintPriority: 2},
	{command: 'detail-next', keys: [']'], category: 'overlay', views: ['detail'], description: 'Details of the row below', hint: 'next row', hintPriority: 3},
	{command: 'palette-run', keys: ['enter'], category: 'overlay', views: ['palette'], description: 'Run the highlighted command (an action opens its confirmation, as its key does)', hint: 'run', hintPriority: 1},
	{command: 'palette-next', keys: ['down'], category: 'overlay', views: ['palette'], description: 'Highlight the next match', hint: 'move', hintPriority: 3},
	{command: 'palette-prev', keys: ['up'], category: 'overlay', views: ['palette'], description: 'Highlight the previous match'},
	{command: 'palette-complete', keys: ['tab'], category: 'overlay', views: ['palette'], description: 'Complete the typed text to the highlighted entry (with its row or context)', hint: 'complete', hintPriority: 2},
	{command: 'palette-delete', keys: ['backspace'], category: 'overlay', views: ['palette'], description: 'Delete the last character'},
	{command: 'palette-close', keys: ['escape'], category: 'overlay', views: ['palette'], description: 'Close the palette; nothing runs', hint: 'close', hintPriority: 0},
	{command: 'filter-keep', keys: ['enter'], category: 'overlay', views: ['filter'], description: 'Keep the filter and leave the prompt', hint: 'keep', hintPriority: 1},
	{command: 'filter-clear', keys: ['escape'], category: 'overlay', views: ['filter'], description: 'Clear the filter and leave the prompt', hint: 'clear', hintPriority: 2},
	{command: 'filter-delete', keys: ['backspace'], category: 'overlay', views: ['filter'], description: 'Delete the last character'},
	{command: 'cancel', keys: ['escape'], category: 'overlay', views: ['confirm', 'preparing'], description: 'Cancel: nothing is sent', hint: 'cancel', hintPriority: 0},
	{command: 'field-next', keys: ['tab', 'down'], category: 'overlay', views: ['confirm'], description: 'Next field or button', hint: 'next', hintPriority: 1},
	{command: 'field-prev', keys: ['shift-tab', 'up'], category: 'overlay', views: ['confirm'], description: 'Previous field or button'},
	{command: 'button-switch', keys: ['left', 'right'], category: 'overlay', views: ['confirm'], description: 'Switch between Cancel and Confirm'},
	{command: 'activate', keys: ['enter'], category: 'overlay', views: ['confirm', 'message', 'run'], description: 'Press the focused button (Cancel sends nothing); closes a message or a run', hint: 'press', hintPriority: 2},
	{command: 'confirm-yes', keys: ['y'], category: 'overlay', views: ['confirm'], description: 'Confirm a low-risk action (outside a field)'},
	{command: 'field-delete', keys: ['backspace'], category: 'overlay', views: ['confirm'], description: 'Delete the last character of the field'},
	{command: 'confirm-copy', keys: ['ctrl-y'], category: 'overlay', views: ['confirm'], description: 'Copy the exact request(s) with OSC 52, before confirming (y answers the question here)', hint: 'copy', hintPriority: 3},
	{command: 'copy-request', keys: ['y'], category: 'overlay', views: ['run', 'history'], description: 'Copy the exact request(s) of the run with OSC 52'},
	{command: 'run-stop', keys: ['s'], category: 'overlay', views: ['run', 'history'], description: 'Stop the run before its next target', hint: 'stop', hintPriority: 4},
	{command: 'run-skip-wait', keys: ['w'], category: 'overlay', views: ['run', 'history'], description: 'Skip the wait before the next target'},
	{command: 'history-up', keys: ['up', 'k'], category: 'overlay', views: ['history'], description: 'Select the newer run'},
	{command: 'history-down', keys: ['down', 'j'], category: 'overlay', views: ['history'], description: 'Select the older run', hint: 'move', hintPriority: 1},
	{command: 'history-page-up', keys: ['pageup'], category: 'overlay', views: ['history'], description: 'Select a page newer'},
	{command: 'history-page-down', keys: ['pagedown'], category: 'overlay', views: ['history'], description: 'Select a page older'},
	{command: 'history-top', keys: ['g'], category: 'overlay', views: ['history'], description: 'Select the newest run'},
	{command: 'history-bottom', keys: ['G'], category: 'overlay', views: ['history'], description: 'Select the oldest run'},
	{command: 'history-open', keys: ['enter'], category: 'overlay', views: ['history'], description: 'Open the selected run', hint: 'details', hintPriority: 2},
	{command: 'fleet-up', keys: ['up', 'k'], category: 'overlay', views: ['fleet'], description: 'Select the hive above'},
	{command: 'fleet-down', keys: ['down', 'j'], category: 'overlay', views: ['fleet'], description: 'Select the hive below', hint: 'move', hintPriority: 1},
	{command: 'fleet-open', keys: ['enter'], category: 'overlay', views: ['fleet'], description: "Switch the console to the selected hive's context", hint: 'open', hintPriority: 2},
	{command: 'playbook-step', keys: ['enter'], category: 'overlay', views: ['playbook'], description: 'Start the playbook, run or retry the current step; closes a finished one', hint: 'run step', hintPriority: 1},
	{command: 'playbook-skip', keys: ['s'], category: 'overlay', views: ['playbook'], description: 'Skip the wait, or skip the current step', hint: 'skip', hintPriority: 2},
	{command: 'playbook-abort', keys: ['a'], category: 'overlay', views: ['playbook'], description: 'Abort the playbook', hint: 'abort', hintPriority: 3},
];

/** Keys that move around the console: never a destructive action, whatever the config says. */
const ALWAYS_NAVIGATION = ['up', 'down', 'left', 'right', 'pageup', 'pagedown', 'home', 'end', 'tab', 'shift-tab', 'enter', 'escape', 'space'];

export class KeymapError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'KeymapError';
	}
}

export function isDestructive(binding: KeyBinding): boolean {
	return binding.category === 'action' && (binding.severity === 'high' || binding.severity === 'critical');
}

/** The name of a key press as the keymap spells it: "q", "G", "tab", "shift-tab", "ctrl-c", "pagedown". */
export function keyName(input: string, key: Key): string {
	if (key.upArrow) return 'up';
	if (key.downArrow) return 'down';
	if (key.leftArrow) return 'left';
	if (key.rightArrow) return 'right';
	if (key.pageUp) return 'pageup';
	if (key.pageDown) return 'pagedown';
	if (key.home) return 'home';
	if (key.end) return 'end';
	if (key.tab) return key.shift ? 'shift-tab' : 'tab';
	if (key.return) return 'enter';
	if (key.escape) return 'escape';
	if (key.backspace || key.delete) return 'backspace';
	if (key.ctrl && input) return `ctrl-${input.toLowerCase()}`;
	if (input === ' ') return 'space';
	return input;
}

const KEY_LABELS: Record<string, string> = {
	up: '↑', down: '↓', left: '←', right: '→', pageup: 'PgUp', pagedown: 'PgDn', tab: 'Tab', 'shift-tab': 'Shift-Tab',
	enter: 'Enter', escape: 'Esc', space: 'Space', home: 'Home', end: 'End', backspace: 'Backspace',
};
const ASCII_KEY_LABELS: Record<string, string> = {up: 'Up', down: 'Down', left: 'Left', right: 'Right'};

export function keyLabel(key: string, ascii = false): string {
	if (ascii && ASCII_KEY_LABELS[key]) return ASCII_KEY_LABELS[key];
	if (KEY_LABELS[key]) return KEY_LABELS[key];
	if (key.startsWith('ctrl-')) return `Ctrl-${key.slice(5).toUpperCase()}`;
	return key;
}

export interface Keymap {
	bindings: KeyBinding[];
	/** Key name → the base view's (global) command; built once. */
	lookup: Map<string, KeyBinding>;
	/** Per view over the panes: key name → that view's own command. */
	views: Map<ViewId, Map<string, KeyBinding>>;
}

export type KeyOverrides = Record<string, string | string[]>;

/**
 * The defaults with the config's `keys` applied ({"quit": ["q", "x"]}), for the base view and every view
 * over it. Unknown commands, keys bound twice in the same view, and destructive actions on Ctrl- or
 * navigation keys are refused with a message naming the key. A view's own key may shadow a global one (that
 * is how q closes an overlay). Ctrl-C always quits, whatever the overrides, so the terminal can always be
 * had back.
 */
export function buildKeymap(overrides: KeyOverrides = {}, extra: readonly KeyBinding[] = [], where = 'config "keys"'): Keymap {
	const bindings = [...DEFAULT_BINDINGS, ...extra, ...VIEW_BINDINGS].map((b) => ({...b, keys: [...b.keys]}));
	const byCommand = new Map(bindings.map((b) => [b.command, b]));
	for (const [command, value] of Object.entries(overrides)) {
		const binding = byCommand.get(command);
		if (!binding) {
			throw new KeymapError(`${where}.${command}: no such command; known: ${[...byCommand.keys()].join(', ')}`);
		}
		const keys = (Array.isArray(value) ? value : [value]).map((k) => String(k));
		if (keys.length === 0 || keys.some((k) => k.length === 0)) {
			throw new KeymapError(`${where}.${command}: give at least one non-empty key name, e.g. "x" or "ctrl-x"`);
		}
		binding.keys = command === 'quit' && !keys.includes('ctrl-c') ? [...keys, 'ctrl-c'] : keys;
	}
	const navigationKeys = new Set(ALWAYS_NAVIGATION);
	for (const b of bindings) if (b.category === 'navigation') for (const k of b.keys) navigationKeys.add(k);
	const add = (table: Map<string, KeyBinding>, binding: KeyBinding, key: string, scope: string) => {
		const taken = table.get(key);
		if (taken) {
			throw new KeymapError(`${where}.${binding.command}: key "${key}" is already bound to "${taken.command}"${scope}; rebind one of them`);
		}
		table.set(key, binding);
	};
	const lookup = new Map<string, KeyBinding>();
	const views = new Map<ViewId, Map<string, KeyBinding>>();
	for (const binding of bindings) {
		for (const key of binding.keys) {
			if (isDestructive(binding) && (key.startsWith('ctrl-') || navigationKeys.has(key))) {
				throw new KeymapError(
					`${where}.${binding.command}: "${key}" is a ${key.startsWith('ctrl-') ? 'Ctrl-' : 'navigation '}key; destructive actions must sit on a plain key that is not used for moving around`,
				);
			}
			if (key === 'ctrl-c' && binding.command !== 'quit') {
				throw new KeymapError(`${where}.${binding.command}: Ctrl-C always quits; pick another key`);
			}
			if (!binding.views) add(lookup, binding, key, '');
			else for (const view of binding.views) add(views.get(view) ?? views.set(view, new Map()).get(view)!, binding, key, ` in the ${view} view`);
		}
	}
	return {bindings, lookup, views};
}

export function commandFor(keymap: Keymap, input: string, key: Key, demo: boolean): CommandId | null {
	const binding = keymap.lookup.get(keyName(input, key));
	if (!binding || (binding.demoOnly && !demo)) return null;
	return binding.command;
}

export function keysOf(keymap: Keymap, command: CommandId, ascii = false): string {
	const binding = keymap.bindings.find((b) => b.command === command);
	return binding ? binding.keys.map((k) => keyLabel(k, ascii)).join('/') : '';
}

/** Footer hints in priority order, each "key label". */
export function footerHints(keymap: Keymap, demo: boolean, ascii = false): Array<{keys: string; label: string}> {
	return keymap.bindings
		.filter((b) => !b.views && b.hint && (!b.demoOnly || demo))
		.sort((a, b) => (a.hintPriority ?? 99) - (b.hintPriority ?? 99))
		.map((b) => ({keys: b.keys.filter((k) => k !== 'ctrl-c').map((k) => keyLabel(k, ascii)).join('/'), label: b.hint!}));
}

const CATEGORY_TITLES: Record<KeyCategory, string> = {
	navigation: 'Move',
	view: 'View',
	polling: 'Polling',
	app: 'Console',
	demo: 'Demo',
	action: 'Actions',
	overlay: 'Over the panes',
};

/** `notes` marks commands unavailable here and now with the reason (actions the hive does not offer). */
export function helpSections(keymap: Keymap, demo: boolean, ascii = false, notes: Record<string, string> = {}): Array<{title: string; rows: Array<{keys: string; description: string}>}> {
	// The demo's own key first: in the demo it is the one a newcomer looks for.
	const order: KeyCategory[] = ['demo', 'navigation', 'view', 'polling', 'action', 'app'];
	const global = order
		.map((category) => {
			const bindings = keymap.bindings.filter((b) => !b.views && b.category === category && (!b.demoOnly || demo));
			const focus = bindings.filter((b) => /^focus-\d$/.test(b.command));
			const rows = bindings.filter((b) => !focus.includes(b)).map((b) => ({keys: b.keys.map((k) => keyLabel(k, ascii)).join(' '), description: notes[b.command] ? `${b.description} [off: ${notes[b.command]}]` : b.description}));
			// Six "focus pane N" lines say one thing: one line keeps the help on an 80x24 screen.
			if (focus.length > 0) rows.unshift({keys: focus.every((b, i) => b.keys.length === 1 && b.keys[0] === String(i + 1)) ? `1-${focus.length}` : focus.map((b) => b.keys.map((k) => keyLabel(k, ascii)).join('/')).join(' '), description: 'Focus pane 1 to 6 (as numbered)'});
			return {title: CATEGORY_TITLES[category], rows};
		})
		.filter((s) => s.rows.length > 0);
	return [...global, ...viewSections(keymap, ascii)];
}

export const VIEW_TITLES: Record<ViewId, string> = {
	panes: 'Panes',
	filter: 'Filter prompt',
	help: 'Help',
	detail: 'Details',
	preparing: 'Planning',
	message: 'Message',
	confirm: 'Confirmation',
	run: 'Run and result',
	history: 'Action history',
	playbook: 'Playbook',
	timeline: 'Timeline',
	palette: 'Command palette',
	fleet: 'Fleet',
};

/**
 * The views' own keys, one section per set of views sharing them ("Help · Details · Run and result"), in
 * the order the bindings are declared, so the help lists every key of every view.
 */
function viewSections(keymap: Keymap, ascii: boolean): Array<{title: string; rows: Array<{keys: string; description: string}>}> {
	const sections = new Map<string, Array<{keys: string; description: string}>>();
	for (const b of keymap.bindings) {
		if (!b.views) continue;
		const title = b.views.length > 3 ? 'Every view over the panes' : b.views.map((v) => VIEW_TITLES[v]).join(' · ');
		const rows = sections.get(title) ?? sections.set(title, []).get(title)!;
		rows.push({keys: b.keys.map((k) => keyLabel(k, ascii)).join(' '), description: b.description});
	}
	return [...sections].map(([title, rows]) => ({title, rows}));
}

/** The scroll keys bound in a view, paired ("↑/↓ PgUp/PgDn g/G scroll"), for the line under a scrolled window. */
export function scrollHint(keymap: Keymap, view: ViewId, ascii = false): string {
	const first = (command: CommandId) => {
		const key = keymap.bindings.find((b) => b.command === command && b.views?.includes(view))?.keys[0];
		return key === undefined ? null : keyLabel(key, ascii);
	};
	const pairs = ([['scroll-up', 'scroll-down'], ['scroll-page-up', 'scroll-page-down'], ['scroll-top', 'scroll-bottom']] as const).flatMap(([up, down]) => {
		const [a, b] = [first(up), first(down)];
		return a && b ? [`${a}/${b}`] : [];
	});
	return pairs.length > 0 ? `${pairs.join(' ')} scroll` : '';
}

/** The top view's own hints for the footer, in priority order (the base view uses footerHints). */
export function viewHints(keymap: Keymap, view: ViewId, ascii = false): Array<{keys: string; label: string}> {
	return keymap.bindings
		.filter((b) => b.views?.includes(view) && b.hint)
		.sort((a, b) => (a.hintPriority ?? 99) - (b.hintPriority ?? 99))
		.map((b) => ({keys: b.keys.map((k) => keyLabel(k, ascii)).join('/'), label: b.hint!}));
}
