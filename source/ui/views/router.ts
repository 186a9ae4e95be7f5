// The one input router: every key goes to the view on top of the stack. A view answers with its own
// bindings (keymap data, remappable from the config); only where the view says so does a key fall through
// to the base view's global bindings. Views that take text (the filter prompt, a confirmation's fields)
// receive printable keys nobody claimed as text. Ctrl-C always quits, whatever is on top.
import type {Key} from 'ink';
import {keyName, type CommandId, type KeyBinding, type Keymap, type ViewId} from '../keymap.js';

export interface ViewRouting {
	/** Global commands still answered while this view is on top: all of them, none, or a few. */
	fallThrough: boolean | readonly CommandId[];
	/** Unclaimed printable keys arrive as text. */
	text?: boolean;
}

export const VIEW_ROUTING: Record<ViewId, ViewRouting> = {
	panes: {fallThrough: true},
	filter: {fallThrough: false, text: true},
	// `?` toggles the help it opened.
	help: {fallThrough: ['help']},
	// The row's actions, Enter (closes), pane focus and polling keep working over the details.
	detail: {fallThrough: true},
	preparing: {fallThrough: false},
	message: {fallThrough: false},
	confirm: {fallThrough: false, text: true},
	run: {fallThrough: false},
	// H toggles the history it opened.
	history: {fallThrough: ['action-history']},
	playbook: {fallThrough: false},
	// The timeline's key closes the timeline it opened; polling keys keep working under it.
	timeline: {fallThrough: ['timeline', 'pause', 'refresh', 'faster', 'slower']},
	// Every printable key is the query; nothing falls through (q is a letter here, not quit).
	palette: {fallThrough: false, text: true},
	// Its key closes the fleet it opened; the palette opens over it.
	fleet: {fallThrough: ['fleet', 'palette']},
};

export type Routed =
	| {kind: 'quit'}
	| {kind: 'command'; view: ViewId; binding: KeyBinding; command: CommandId; input: string}
	| {kind: 'text'; view: ViewId; text: string}
	| {kind: 'none'};

const CONTROL = /[\u0000-\u001f\u007f]/u;

export function route(keymap: Keymap, top: ViewId, input: string, key: Key, demo: boolean): Routed {
	const name = keyName(input, key);
	if (name === 'ctrl-c') return {kind: 'quit'};
	const own = top === 'panes' ? undefined : keymap.views.get(top)?.get(name);
	if (own) return {kind: 'command', view: top, binding: own, command: own.command, input};
	const routing = VIEW_ROUTING[top];
	const global = keymap.lookup.get(name);
	const passes = global && (!global.demoOnly || demo) && (routing.fallThrough === true || (Array.isArray(routing.fallThrough) && routing.fallThrough.includes(global.command)));
	if (global && passes) return {kind: 'command', view: 'panes', binding: global, command: global.command, input};
	if (routing.text && !key.ctrl && !key.meta && input.length > 0 && !CONTROL.test(input)) return {kind: 'text', view: top, text: input};
	return {kind: 'none'};
}
