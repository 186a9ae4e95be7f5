// How long to wait before the next poll of a failing source. A source that is down (unreachable, hanging,
// answering garbage) is probed again soon, at its interval but at most every few seconds, so the console
// notices the moment it is back: a failed poll of an unreachable hive costs next to nothing. Credentials
// and configuration cannot fix themselves, so those back off exponentially to the cap. Jitter keeps many
// consoles watching one sick hive from retrying in lockstep.
import type {SourceState} from '../contract/snapshot.js';

/** A down source is probed at least this often, whatever its interval. */
export const PROBE_CAP_MS = 5000;

export interface BackoffOptions {
	intervalMs: number;
	/** Upper bound of the exponential backoff; never below the interval. */
	capMs: number;
	/** [0, 1) */
	random: number;
	/** Longest wait between probes of a down source (default PROBE_CAP_MS). */
	probeCapMs?: number;
}

export function retryDelayMs(failures: number, state: SourceState, options: BackoffOptions): number {
	if (state === 'unauthorised' || state === 'misconfigured') {
		const cap = Math.max(options.intervalMs, options.capMs);
		// "Equal jitter": half fixed, half random, never sooner than one interval.
		return Math.max(options.intervalMs, Math.round(cap / 2 + (cap / 2) * options.random));
	}
	const probe = Math.min(options.intervalMs, options.probeCapMs ?? PROBE_CAP_MS, Math.max(1, options.capMs));
	// Up to 10 % earlier, never later: the bound is what the freshness line promises.
	return Math.max(1, Math.round(probe * (0.9 + 0.1 * options.random)));
}

/** The per-poll deadline: shorter than the interval so a poll never runs into the next one. */
export function deadlineMs(intervalMs: number): number {
	return Math.max(250, Math.min(Math.round(intervalMs * 0.8), 30_000));
}

/** The interval whose deadline is `timeoutMs` (one-shot commands poll once and care only for the deadline). */
export function intervalForDeadline(timeoutMs: number): number {
	return Math.ceil(timeoutMs / 0.8);
}
