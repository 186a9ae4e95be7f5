// Pure selectors for the UI and the headless commands. The assessment is memoised on its inputs' identity,
// so a re-render with 10,000 agents does not re-run the model unless a snapshot changed.
import {assess} from '../model/assess.js';
import type {Assessment} from '../model/types.js';
import type {HiveConsoleState, SourceName, SourceStatus} from './types.js';

let memo: {hive: unknown; redis: unknown; backlog: unknown; thresholds: unknown; result: Assessment} | null = null;

export function selectAssessment(state: HiveConsoleState): Assessment {
	const {hive, redis} = state.snapshots;
	if (memo && memo.hive === hive && memo.redis === redis && memo.backlog === state.backlog && memo.thresholds === state.thresholds) {
		return memo.result;
	}
	const result = assess({hive, redis, backlog: state.backlog?.map((b) => b.total), thresholds: state.thresholds});
	memo = {hive, redis, backlog: state.backlog, thresholds: state.thresholds, result};
	return result;
}

export const selectSnapshots = (state: HiveConsoleState) => state.snapshots;
export const selectSourceStatus = (name: SourceName) => (state: HiveConsoleState): SourceStatus => state.sources[name];
export const selectHistory = (state: HiveConsoleState) => state.history;
export const selectPaused = (state: HiveConsoleState) => state.paused;
export const selectIntervalMs = (state: HiveConsoleState) => state.intervalMs;

/** Stale: no success for more than two intervals (the pane dims and says so). */
export function isSourceStale(status: SourceStatus, now: number): boolean {
	if (status.state === 'disabled' || status.lastSuccessAt === null) return false;
	return now - status.lastSuccessAt > 2 * status.intervalMs;
}

/** Seconds since the last success, or null; the UI renders "updated 3 s ago". */
export function secondsSinceSuccess(status: SourceStatus, now: number): number | null {
	return status.lastSuccessAt === null ? null : Math.max(0, Math.round((now - status.lastSuccessAt) / 1000));
}

/** Seconds until the next poll (the retry countdown while failing), or null when none is scheduled. */
export function secondsUntilNextPoll(status: SourceStatus, now: number): number | null {
	return status.nextPollAt === null ? null : Math.max(0, Math.ceil((status.nextPollAt - now) / 1000));
}
