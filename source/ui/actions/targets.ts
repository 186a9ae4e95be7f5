// Target capture: the target(s) a key press means, taken by id at the moment of the key press (the selected
// agent, task or stream, or every marked task), so a live update that reorders the rows cannot change what
// the confirmation names.
import {agentTarget, problemReason, streamTarget, type ActionDefinition, type ActionTarget} from '../../actions/index.js';
import type {Agent} from '../../contract/types.js';
import type {HiveSnapshot} from '../../contract/snapshot.js';
import {hiveTime} from '../../model/agents.js';
import type {Thresholds} from '../../model/types.js';
import type {SelectedRow} from '../app.js';
import type {StreamRow} from '../panes/streams.js';
import type {TaskRow} from '../panes/tasks.js';

export interface TargetContext {
	marked: ReadonlyMap<string, ActionTarget>;
	/** The hive snapshot on screen: its clock judges whether a selected agent is a problem agent. */
	hive: HiveSnapshot | null;
	thresholds: Thresholds | undefined;
}

export function taskTarget(row: TaskRow): ActionTarget {
	return {kind: 'task', id: row.id, name: row.title, ...(row.stuck ? {reason: 'stuck'} : {})};
}

/** The target(s) a key press means, captured by id now; or why there is none. */
export function captureTargets(action: ActionDefinition, selection: SelectedRow | null, ctx: TargetContext): {targets?: ActionTarget[]} | {error: string} {
	if (action.defaultTargets || action.targetKind === 'hive' || action.targetKind === 'setting') return {};
	const need = {agent: ['agents', '2'], task: ['tasks', '3'], stream: ['streams', '4']}[action.targetKind as 'agent' | 'task' | 'stream'];
	if (action.targetKind === 'task' && ctx.marked.size > 0) return {targets: [...ctx.marked.values()]};
	if (!selection || selection.pane !== need[0]) return {error: `${action.title} acts on the selected ${action.targetKind}: focus the ${need[0]} pane (${need[1]}) and select one`};
	if (action.targetKind === 'agent') {
		const agent = selection.row as Agent;
		// Judged as the agents pane judges it: on the hive's clock, with the configured threshold.
		const staleHeartbeatSeconds = ctx.thresholds?.staleHeartbeatSeconds;
		const reason = problemReason(agent, ctx.hive ? hiveTime(ctx.hive) : Date.now(), staleHeartbeatSeconds === undefined ? {} : {staleHeartbeatSeconds});
		return {targets: [agentTarget(agent, reason)]};
	}
	if (action.targetKind === 'task') return {targets: [taskTarget(selection.row as TaskRow)]};
	return {targets: [streamTarget((selection.row as StreamRow).key)]};
}

/** Marks toggle by task id and keep the name the task had when marked. */
export function toggleMark(marked: ReadonlyMap<string, ActionTarget>, row: TaskRow): Map<string, ActionTarget> {
	const next = new Map(marked);
	if (next.has(row.id)) next.delete(row.id);
	else next.set(row.id, taskTarget(row));
	return next;
}
