// The run's record in the action history: created when a run starts (or is refused), then updated in place
// as it moves on, so the console's history pane and toasts follow it live.
import {randomUUID} from 'node:crypto';
import {addRun, updateRun, type ActionHistoryStore, type ActionRun, type RunProgress, type RunStatus} from '../history.js';
import type {ActionTarget} from '../types.js';
import type {PreparedAction, RunHandle} from './types.js';

export function newRun(prepared: PreparedAction, status: RunStatus, message: string): ActionRun {
	return {
		runId: randomUUID(),
		actionId: prepared.action.id,
		title: prepared.action.title,
		severity: prepared.action.severity,
		targets: prepared.targets,
		inputs: prepared.inputs,
		requests: prepared.plan.requests.map((r) => r.display),
		status,
		message,
		notes: [...prepared.plan.notes],
		startedAt: Date.now(),
		sentAt: null,
		finishedAt: status === 'checking' ? null : Date.now(),
		confirmedBy: null,
		progress: [],
		replies: [],
		waitingUntil: null,
	};
}

/** A run that ended before it began (refused, busy, dry run): recorded, with a handle that is already done. */
export function finishedHandle(history: ActionHistoryStore, run: ActionRun): RunHandle {
	addRun(history, run);
	return {runId: run.runId, done: Promise.resolve(run), stop() {}, skipWait() {}};
}

export interface RunRecord {
	update(patch: Partial<ActionRun> | ((r: ActionRun) => Partial<ActionRun>)): ActionRun;
	progress(target: ActionTarget, state: RunProgress['state'], message: string): ActionRun;
	finish(status: RunStatus, message: string, extra?: Partial<ActionRun>): ActionRun;
}

export function runRecord(history: ActionHistoryStore, runId: string): RunRecord {
	const update: RunRecord['update'] = (patch) => updateRun(history, runId, patch)!;
	return {
		update,
		progress: (target, state, message) =>
			update((r) => ({progress: [...r.progress, {at: Date.now(), targetId: target.id, targetName: target.name, state, message}]})),
		finish: (status, message, extra = {}) => update({status, message, finishedAt: Date.now(), waitingUntil: null, ...extra}),
	};
}
