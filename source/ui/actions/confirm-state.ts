// A confirmation's state and what its keys do to it, as a pure reducer: focus moves, fields are edited and
// validated as typed, and the focused button is what Enter presses, always (Enter on Cancel sends nothing,
// whatever the action's risk). The reducer only says what should happen next (cancel, re-plan for new
// inputs, submit an answer); the controller does it through the gate.
import {validateInputs, type ConfirmationAnswer, type PreparedAction} from '../../actions/index.js';
import type {CommandId} from '../keymap.js';

export type Focus = 'cancel' | 'confirm' | 'typed' | `input:${string}`;

export interface ConfirmState {
	prepared: PreparedAction;
	/** Raw text of each input field, validated as typed. */
	inputs: Record<string, string>;
	inputError: string | null;
	focus: Focus;
	typed: string;
	/** Why the last confirmation attempt was refused (wrong name), shown until the next key. */
	error: string | null;
	/** A re-plan for new inputs is on its way: confirming waits for it. */
	replanning: boolean;
	/** Opened from a playbook step: the run goes through the runner, and the view returns to the playbook. */
	fromPlaybook: boolean;
	/** An answer was handed to the gate: a second Enter before the modal closes must not send again. */
	sending: boolean;
}

export type ConfirmEvent =
	| {type: 'command'; command: CommandId; input?: string}
	| {type: 'text'; text: string}
	/** The re-plan for `inputs` came back. */
	| {type: 'planned'; inputs: Record<string, string>; prepared: PreparedAction}
	| {type: 'plan-failed'; inputs: Record<string, string>; reason: string}
	/** The gate refused the answer (a wrong typed name). */
	| {type: 'refused'; reason: string};

export type ConfirmEffect =
	| {kind: 'none'}
	| {kind: 'cancel'}
	| {kind: 'replan'; inputs: Record<string, string>}
	| {kind: 'submit'; answer: ConfirmationAnswer};

export interface ConfirmStep {
	state: ConfirmState;
	effect: ConfirmEffect;
}

const PRINTABLE = /^[^\u0000-\u001f\u007f]$/u;
const NONE: ConfirmEffect = {kind: 'none'};

export function openConfirmState(prepared: PreparedAction, inputs: Record<string, string>, fromPlaybook: boolean): ConfirmState {
	return {prepared, inputs, inputError: null, focus: 'cancel', typed: '', error: null, replanning: false, fromPlaybook, sending: false};
}

export function fieldOf(focus: Focus): string | null {
	return focus.startsWith('input:') ? focus.slice(6) : null;
}

/** The focus order of a confirmation: input fields, the typed name, then the two buttons. */
export function focusOrder(c: ConfirmState): Focus[] {
	const order: Focus[] = c.prepared.action.inputFields.map((f) => `input:${f.name}` as Focus);
	if (c.prepared.confirmation.kind === 'typed') order.push('typed');
	order.push('cancel', 'confirm');
	return order;
}

function edit(c: ConfirmState, field: string, text: string): ConfirmStep {
	const inputs = {...c.inputs, [field]: text};
	const check = validateInputs(c.prepared.action, inputs);
	const state: ConfirmState = {...c, focus: `input:${field}`, inputs, inputError: check.ok ? null : check.reason, error: null, replanning: check.ok};
	// The plan shows the exact body, so it follows valid inputs; the targets stay the ones captured.
	return {state, effect: check.ok ? {kind: 'replan', inputs} : NONE};
}

/** Enter on Cancel of a confirm-kind modal; the modal adds the keys that move to Confirm (they are keymap data). */
export const NOT_ON_CONFIRM = 'move to Confirm and press Enter';

function submit(c: ConfirmState): ConfirmStep {
	if (c.inputError) return {state: {...c, error: `fix the input first: ${c.inputError}`}, effect: NONE};
	if (c.replanning) return {state: {...c, error: 'the request is being re-planned for the new input; press again'}, effect: NONE};
	const kind = c.prepared.confirmation.kind;
	let answer: ConfirmationAnswer;
	if (kind === 'typed') answer = {kind: 'typed', text: c.typed};
	else if (kind === 'confirm') {
		if (c.focus !== 'confirm') return {state: {...c, error: NOT_ON_CONFIRM}, effect: NONE};
		answer = {kind: 'confirm'};
	} else answer = {kind: 'yes'};
	return {state: {...c, sending: true}, effect: {kind: 'submit', answer}};
}

function text(c: ConfirmState, input: string): ConfirmStep {
	if (!PRINTABLE.test(input)) return {state: c, effect: NONE};
	const field = fieldOf(c.focus);
	if (field) return edit(c, field, c.inputs[field]! + input);
	if (c.focus === 'typed') return {state: {...c, typed: c.typed + input, error: null}, effect: NONE};
	// Typing starts in the first text field: the name for a critical action, else the first input.
	const first = c.prepared.confirmation.kind === 'typed' ? 'typed' : focusOrder(c).find((f) => fieldOf(f) !== null);
	if (first === 'typed') return {state: {...c, focus: 'typed', typed: input, error: null}, effect: NONE};
	if (first) return edit({...c, focus: first}, fieldOf(first)!, input);
	return {state: c, effect: NONE};
}

export function confirmReducer(c: ConfirmState, event: ConfirmEvent): ConfirmStep {
	switch (event.type) {
		case 'planned':
			if (JSON.stringify(event.inputs) !== JSON.stringify(c.inputs)) return {state: c, effect: NONE};
			return {state: {...c, prepared: event.prepared, replanning: false}, effect: NONE};
		case 'plan-failed':
			if (JSON.stringify(event.inputs) !== JSON.stringify(c.inputs)) return {state: c, effect: NONE};
			return {state: {...c, inputError: event.reason, replanning: false}, effect: NONE};
		case 'refused':
			return {state: {...c, error: event.reason, typed: '', sending: false}, effect: NONE};
		case 'text':
			if (c.sending) return {state: c, effect: NONE};
			// A run of letters (a paste) is typed one by one; the last one's effect stands for the field's final text.
			return [...event.text].reduce<ConfirmStep>((step, ch) => text(step.state, ch), {state: c, effect: NONE});
		case 'command':
			break;
	}
	if (event.command === 'cancel') return {state: {...c, sending: false}, effect: {kind: 'cancel'}};
	if (c.sending) return {state: c, effect: NONE};
	const order = focusOrder(c);
	const at = order.indexOf(c.focus);
	const field = fieldOf(c.focus);
	switch (event.command) {
		case 'field-next':
			return {state: {...c, focus: order[(at + 1) % order.length]!, error: null}, effect: NONE};
		case 'field-prev':
			return {state: {...c, focus: order[(at - 1 + order.length) % order.length]!, error: null}, effect: NONE};
		case 'button-switch':
			if (c.focus !== 'cancel' && c.focus !== 'confirm') return {state: c, effect: NONE};
			return {state: {...c, focus: c.focus === 'cancel' ? 'confirm' : 'cancel', error: null}, effect: NONE};
		case 'field-delete':
			if (field) return edit(c, field, [...c.inputs[field]!].slice(0, -1).join(''));
			if (c.focus === 'typed') return {state: {...c, typed: [...c.typed].slice(0, -1).join(''), error: null}, effect: NONE};
			return {state: c, effect: NONE};
		case 'activate':
			// The focused button, always: Enter on Cancel cancels, whatever the action's risk.
			if (c.focus === 'cancel') return {state: c, effect: {kind: 'cancel'}};
			if (field) return {state: {...c, focus: order[at + 1]!}, effect: NONE};
			return submit(c);
		case 'confirm-yes':
			// y is a letter while a field has the focus; otherwise it answers a low-risk question.
			if (field || c.focus === 'typed' || c.prepared.confirmation.kind !== 'yes') return text(c, event.input || 'y');
			return submit(c);
		default:
			return {state: c, effect: NONE};
	}
}
