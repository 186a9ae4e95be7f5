// The runbook's two tuning settings. Neither profile offers a read-back, so the hive's reply ({success, key,
// value, previous}) is what confirms them.
import {z} from 'zod';
import type {EffectCheck} from '../types.js';
import type {ActionReply} from '../../contract/types.js';
import {defineAction} from './define.js';
import {httpRequest} from './common.js';

const heartbeatInputs = z.object({interval: z.coerce.number().int().min(5).max(300).default(30)}).strict();
const timeoutInputs = z.object({timeout: z.coerce.number().int().min(5).max(600).default(60)}).strict();

function replySetsValue(replies: ActionReply[], value: number): EffectCheck {
	const body = replies[0]?.body as {value?: unknown; previous?: unknown} | undefined;
	if (body && Number(body.value) === value) return {seen: true, message: `now ${value} (was ${String(body.previous ?? 'unknown')})`};
	return {seen: false, message: `the hive did not report the new value ${value}`};
}

export const setHeartbeatInterval = defineAction<z.infer<typeof heartbeatInputs>>({
	id: 'set-heartbeat-interval',
	title: 'Set heartbeat interval',
	key: 'h',
	severity: 'high',
	targetKind: 'setting',
	multiTarget: false,
	mutates: true,
	uses: ['setHeartbeatInterval'],
	inputSchema: heartbeatInputs as never,
	inputFields: [{name: 'interval', label: 'heartbeat interval', unit: 's', min: 5, max: 300, default: 30}],
	defaultTargets: async () => [{kind: 'setting', id: 'heartbeat-interval', name: 'heartbeat interval'}],
	describe: async ({env, targets, inputs}) => ({
		requests: [httpRequest(env.profile, 'setHeartbeatInterval', {targetId: targets[0]!.id, body: {interval: inputs.interval}})],
		summary: `Sets the agents' heartbeat interval to ${inputs.interval} s.`,
		irreversible: null,
		notes: [],
	}),
	effect: async ({replies, inputs}) => replySetsValue(replies, inputs.interval),
});

export const setCoordinationTimeout = defineAction<z.infer<typeof timeoutInputs>>({
	id: 'set-coordination-timeout',
	title: 'Set coordination timeout',
	key: 't',
	severity: 'high',
	targetKind: 'setting',
	multiTarget: false,
	mutates: true,
	uses: ['setCoordinationTimeout'],
	inputSchema: timeoutInputs as never,
	inputFields: [{name: 'timeout', label: 'coordination timeout', unit: 's', min: 5, max: 600, default: 60}],
	defaultTargets: async () => [{kind: 'setting', id: 'coordination-timeout', name: 'coordination timeout'}],
	describe: async ({env, targets, inputs}) => ({
		requests: [httpRequest(env.profile, 'setCoordinationTimeout', {targetId: targets[0]!.id, body: {timeout: inputs.timeout}})],
		summary: `Sets the coordination timeout to ${inputs.timeout} s.`,
		irreversible: null,
		notes: [],
	}),
	effect: async ({replies, inputs}) => replySetsValue(replies, inputs.timeout),
});
