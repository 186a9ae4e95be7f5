// The freshness line every pane carries: how old its data is, whether it is stale (two missed intervals),
// and on failure the source's error in one line with a retry countdown. The last good data stays on
// screen, so this line is what tells the reader how far to trust it.
import type {SourceStatus} from '../contract/snapshot.js';
import {duration} from './format.js';

export type FreshnessKind = 'pending' | 'fresh' | 'stale' | 'failing' | 'disabled' | 'paused';

export interface Freshness {
	kind: FreshnessKind;
	/** Data on screen should be dimmed. */
	dim: boolean;
	/** One line, e.g. "updated 3 s ago", "STALE · updated 41 s ago", "down: … · retry in 4 s". */
	text: string;
	/** The error line (sanitised by the caller before rendering), when failing. */
	error: string | null;
}

export function freshness(status: SourceStatus, now: number, paused: boolean, disabledHint?: string): Freshness {
	if (status.state === 'disabled') {
		return {kind: 'disabled', dim: true, text: `not configured${disabledHint ? `: ${disabledHint}` : ''}`, error: null};
	}
	const age = status.lastSuccessAt === null ? null : (now - status.lastSuccessAt) / 1000;
	const updated = age === null ? 'no data yet' : `updated ${duration(age)} ago`;
	if (paused) return {kind: 'paused', dim: false, text: `PAUSED · ${updated}`, error: null};
	const failing = status.state === 'down' || status.state === 'unauthorised' || status.state === 'misconfigured';
	if (failing) {
		const retry = status.nextPollAt === null ? '' : ` · retry in ${duration(Math.max(0, (status.nextPollAt - now) / 1000))}`;
		return {
			kind: 'failing',
			dim: true,
			text: `${status.state}${retry} · ${age === null ? 'no data yet' : `last good data ${duration(age)} ago`}`,
			error: status.lastError ?? `${status.state}`,
		};
	}
	if (status.state === 'pending' || age === null) return {kind: 'pending', dim: false, text: 'waiting for the first poll…', error: null};
	if (age * 1000 > 2 * status.intervalMs) return {kind: 'stale', dim: true, text: `STALE · ${updated}`, error: null};
	const text = status.state === 'slow' ? `${updated} · slow (${duration((status.lastDurationMs ?? 0) / 1000)})` : updated;
	// Changes arrive pushed between the (then slower) full reads: say so, and how often those come.
	const pushed = status.pushedBy ? ` · live (WebSocket) · read every ${duration(status.intervalMs / 1000)}` : '';
	return {kind: 'fresh', dim: false, text: `${text}${pushed}`, error: null};
}
