// Cancelling stuck tasks, one or several marked at once. The beehive server has no cancel endpoint (the
// route table says so and names reassign/retry instead).
import type {StuckTask} from '../../store/types.js';
import type {Task} from '../../contract/types.js';
import type {ActionEnv, ActionTarget} from '../types.js';
import {defineAction} from './define.js';
import {httpRequest, isFinishedTaskStatus, noInputs, plural, type NoInputs} from './common.js';

interface TaskView {
	present: Map<string, {status: string | null}>;
}

async function readTasks(env: ActionEnv, signal: AbortSignal): Promise<TaskView> {
	const snap = await env.readHive(signal);
	if (!snap.tasks) throw new Error(`could not read the tasks${snap.partialErrors[0] ? `: ${snap.partialErrors[0]}` : ''}`);
	const present = new Map<string, {status: string | null}>();
	for (const t of snap.tasks.stuck) present.set(t.id, {status: t.status});
	for (const t of snap.tasks.items) present.set(t.id, {status: t.status});
	return {present};
}

export function taskTarget(task: Task | StuckTask): ActionTarget {
	return {kind: 'task', id: task.id, name: task.title ?? task.id, reason: 'stuck'};
}

export const cancelTask = defineAction<NoInputs>({
	id: 'cancel-task',
	title: 'Cancel task',
	key: 'x',
	severity: 'high',
	targetKind: 'task',
	multiTarget: true,
	mutates: true,
	uses: ['cancelTask'],
	inputSchema: noInputs,
	inputFields: [],
	describe: async ({env, targets}) => ({
		requests: targets.map((t) => httpRequest(env.profile, 'cancelTask', {targetId: t.id, params: {id: t.id}})),
		summary: `Cancels ${targets.length === 1 ? `${targets[0]!.name} (${targets[0]!.id})` : plural(targets.length, 'task')}; the agent stops working on it.`,
		irreversible: 'A cancelled task is not retried; it has to be submitted again.',
		notes: targets.length > 1 ? targets.map((t) => `${t.name} (${t.id})`) : [],
	}),
	// A task that finished meanwhile is left alone. In the runbook profile, where only the stuck list can be
	// read, a task that has left that list is no longer stuck.
	preCheck: async ({env, signal, targets}) => {
		const view = await readTasks(env, signal);
		const keep: ActionTarget[] = [];
		const notes: string[] = [];
		for (const t of targets) {
			const seen = view.present.get(t.id);
			if (!seen) notes.push(`${t.name} (${t.id}) is no longer listed as stuck; not sent`);
			else if (isFinishedTaskStatus(seen.status)) notes.push(`${t.name} (${t.id}) is already ${seen.status}; not sent`);
			else keep.push(t);
		}
		if (keep.length === 0) return {proceed: false, reason: notes.join('; ')};
		return {proceed: true, targets: keep, notes};
	},
	effect: async ({env, signal, targets, replies}) => {
		const view = await readTasks(env, signal);
		const open = targets.filter((t) => {
			const seen = view.present.get(t.id);
			return seen !== undefined && seen.status !== 'cancelled';
		});
		const saidCancelled = replies.every((r) => (r.body as {status?: unknown} | null)?.status === 'cancelled');
		if (open.length === 0 && saidCancelled) return {seen: true, message: `${targets.length === 1 ? 'task' : plural(targets.length, 'task')} cancelled`};
		return {seen: false, message: open.length ? `still open: ${open.map((t) => t.name).join(', ')}` : 'the hive did not report the task cancelled'};
	},
});
