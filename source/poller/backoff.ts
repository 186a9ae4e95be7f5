// How long to wait before the next poll of a failing source: exponential in the number of consecutive
// failures, capped, with jitter so that many consoles watching one sick hive do not retry in lockstep.
import type {SourceState} from '../store/types.js';

export interface BackoffOptions {
	intervalMs: number;
	/** Upper bound; never below the interval. */
	capMs: number;
	/** [0, 1) */
	random: number;
}

export function retryDelayMs(failures: number, state: SourceState, options: BackoffOptions): number {
	const cap = Math.max(options.intervalMs, options.capMs);
	// Retrying quickly cannot fix credentials or configuration; go straight to the cap.
	const exponential = state === 'unauthorised' || state === 'misconfigured' ? cap : options.intervalMs * 2 ** Math.max(0, failures - 1);
	const bounded = Math.min(cap, exponential);
	// "Equal jitter": half fixed, half random, never sooner than one interval.
	return Math.max(options.intervalMs, Math.round(bounded / 2 + (bounded / 2) * options.random));
}

/** The per-poll deadline: shorter than the interval so a poll never runs into the next one. */
export function deadlineMs(intervalMs: number): number {
	return Math.max(250, Math.min(Math.round(intervalMs * 0.8), 30_000));
}
