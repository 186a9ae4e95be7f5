// The confirmation's reducer on its own: the focused button is what Enter presses (Cancel sends nothing,
// whatever the action's risk), y answers only a low-risk question outside a field, inputs are validated as
// typed and a valid one asks for a re-plan, and a second Enter after the answer was handed over does nothing.
import {describe, expect, it} from 'vitest';
import {getAction, type PreparedAction} from '../../source/actions/index.js';
import {confirmReducer, openConfirmState, type ConfirmState} from '../../source/ui/actions/confirm-state.js';

function prepared(actionId: string, kind: 'yes' | 'confirm' | 'typed', inputs: Record<string, unknown> = {}): PreparedAction {
	return {
		action: getAction(actionId)!,
		targets: [{kind: 'hive', id: 'ui-test', name: 'ui-test'}],
		inputs,
		plan: {requests: [{display: 'POST /api/v1/x'}], summary: 'does x', irreversible: null, notes: []},
		confirmation: kind === 'typed' ? {kind, prompt: 'type it', expected: 'ui-test'} : {kind, prompt: 'sure?'},
	} as unknown as PreparedAction;
}

const press = (c: ConfirmState, command: string, input = '') => confirmReducer(c, {type: 'command', command, input});

describe('the confirmation reducer', () => {
	const low = () => openConfirmState(prepared('refresh-redis-pools', 'yes'), {}, false);

	it('opens on Cancel; Enter there cancels even a low-risk action and submits nothing', () => {
		const c = low();
		expect(c.focus).toBe('cancel');
		expect(press(c, 'activate').effect).toEqual({kind: 'cancel'});
	});

	it('Enter on Confirm submits a low-risk action; y submits it from a button', () => {
		const onConfirm = press(low(), 'button-switch').state;
		expect(onConfirm.focus).toBe('confirm');
		expect(press(onConfirm, 'activate').effect).toEqual({kind: 'submit', answer: {kind: 'yes'}});
		expect(press(low(), 'confirm-yes', 'y').effect).toEqual({kind: 'submit', answer: {kind: 'yes'}});
	});

	it('after the answer is handed over, further keys change nothing; Esc still closes', () => {
		const sent = press(press(low(), 'button-switch').state, 'activate').state;
		expect(sent.sending).toBe(true);
		expect(press(sent, 'activate').effect).toEqual({kind: 'none'});
		expect(press(sent, 'cancel').effect).toEqual({kind: 'cancel'});
	});

	it('a high action answers only from Confirm: Tab moves there, Shift-Tab back', () => {
		const c = openConfirmState(prepared('restart-agent', 'confirm'), {}, false);
		expect(press(c, 'confirm-yes', 'y').effect.kind).toBe('none');
		const next = press(c, 'field-next').state;
		expect(next.focus).toBe('confirm');
		expect(press(next, 'field-prev').state.focus).toBe('cancel');
		expect(press(next, 'activate').effect).toEqual({kind: 'submit', answer: {kind: 'confirm'}});
	});

	it('a critical action types the name: letters go to the name field, y included', () => {
		let c = openConfirmState(prepared('emergency-stop', 'typed'), {}, false);
		for (const ch of 'ui-testy') c = confirmReducer(c, ch === 'y' ? {type: 'command', command: 'confirm-yes', input: 'y'} : {type: 'text', text: ch}).state;
		expect(c.focus).toBe('typed');
		expect(c.typed).toBe('ui-testy');
		c = press(c, 'field-delete').state;
		expect(press(c, 'activate').effect).toEqual({kind: 'submit', answer: {kind: 'typed', text: 'ui-test'}});
	});

	it('inputs are validated as typed: an invalid one blocks the answer, a valid one asks for a re-plan', () => {
		const action = getAction('set-heartbeat-interval')!;
		const field = action.inputFields[0]!.name;
		let c = openConfirmState(prepared('set-heartbeat-interval', 'confirm', {[field]: 30}), {[field]: '30'}, false);
		let step = confirmReducer(c, {type: 'text', text: '999'});
		expect(step.state.inputError).toMatch(/input/);
		expect(step.effect.kind).toBe('none');
		c = press(press(press(step.state, 'field-delete').state, 'field-delete').state, 'field-delete').state;
		step = confirmReducer(c, {type: 'text', text: '45'});
		expect(step.state.inputError).toBeNull();
		expect(step.effect).toEqual({kind: 'replan', inputs: {[field]: '45'}});
		// Until the plan for 45 is back, pressing Confirm says so and sends nothing.
		const onConfirm = press(press(step.state, 'field-next').state, 'field-next').state;
		expect(onConfirm.focus).toBe('confirm');
		expect(press(onConfirm, 'activate').effect.kind).toBe('none');
		const planned = confirmReducer(onConfirm, {type: 'planned', inputs: {[field]: '45'}, prepared: prepared('set-heartbeat-interval', 'confirm', {[field]: 45})}).state;
		expect(press(planned, 'activate').effect).toEqual({kind: 'submit', answer: {kind: 'confirm'}});
	});
});
