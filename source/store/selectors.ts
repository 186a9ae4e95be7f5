// Plain selectors over the store's state for the UI and the headless commands; the assessment against
// thresholds is the model's (model/select.ts).
import type {HiveConsoleState, SourceName, SourceStatus} from '../contract/snapshot.js';

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
