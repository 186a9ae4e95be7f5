// The contract between a data source and the poller. A source reads one system (hive HTTP, Redis,
// PostgreSQL, logs) and returns a snapshot; it never schedules itself, never retries, never touches the
// store. The poller owns timing, deadlines, backoff and staleness.
import type {SourceName, SourceState} from '../contract/snapshot.js';

export interface Source<T> {
	readonly name: SourceName;
	/**
	 * Reads one snapshot. Must honour `signal` (the poller aborts at the deadline) and must throw a
	 * SourceError for every failure it can name. Partial failures that leave a usable snapshot go into the
	 * snapshot (e.g. HiveSnapshot.partialErrors), not into a throw.
	 */
	poll(signal: AbortSignal): Promise<T>;
	/** Releases connections and pools; idempotent. */
	close(): Promise<void>;
}

export type SourceErrorKind = Extract<SourceState, 'down' | 'unauthorised' | 'misconfigured'>;

/**
 * A failure with a one-line, already-redacted message that names the source, the endpoint or field, and
 * what to do, e.g. "hive GET /health: connection refused at http://127.0.0.1:8000; is the hive running?".
 * `kind` drives the source state: misconfigured and unauthorised are not helped by fast retries.
 */
export class SourceError extends Error {
	constructor(
		readonly source: SourceName,
		readonly kind: SourceErrorKind,
		message: string,
		options?: {cause?: unknown},
	) {
		super(message, options);
		this.name = 'SourceError';
	}
}
