// Whether the model may trust a source's data now. The store keeps the last good snapshot on screen when a
// source fails; this decides when that snapshot may no longer stand for "now". Pure: the caller passes the
// clock. The rule (README, "The overall state never lies"):
// - two polls in a row failed: not trusted (one failed poll alone never flips the state);
// - one poll failed: trusted until its retry has had its chance (four intervals since the last good data);
// - no failure but data older than two intervals (paused, or a poll that never settles): not trusted;
// - a good poll: trusted at once.
import type {SourceName, SourceStatus} from '../contract/snapshot.js';
import type {UntrustedSource} from './types.js';
import {shortDuration} from '../util/duration.js';

export {shortDuration};

export function judgeSource(source: SourceName, status: SourceStatus | undefined, now: number): UntrustedSource | null {
	if (!status || status.state === 'disabled') return null;
	const failures = status.consecutiveFailures;
	const lastGoodAt = status.lastSuccessAt;
	const since = status.failingSince ?? status.lastAttemptAt ?? null;
	const failing = status.state === 'down' || status.state === 'unauthorised' || status.state === 'misconfigured';
	if (lastGoodAt === null) {
		return {source, what: failing ? status.state : 'pending', since: failing ? since : null, lastGoodAt: null};
	}
	const age = now - lastGoodAt;
	if (failing && failures >= 2) return {source, what: status.state, since, lastGoodAt};
	if (failing && failures === 1) return age > 4 * status.intervalMs ? {source, what: status.state, since, lastGoodAt} : null;
	if (age > 2 * status.intervalMs) return {source, what: 'stale', since: lastGoodAt, lastGoodAt};
	return null;
}

/** "hive down 40 s", "redis unauthorised 2 min", "hive data 40 s old", "no hive data yet", "hive down" (just now). */
export function describeUntrusted(u: UntrustedSource, now: number): string {
	if (u.what === 'pending') return `no ${u.source} data yet`;
	if (u.what === 'stale') return `${u.source} data ${shortDuration((now - (u.lastGoodAt ?? now)) / 1000)} old`;
	// A one-shot read that failed has no history worth a duration ("hive down 0 s").
	return u.since === null || now - u.since < 1000 ? `${u.source} ${u.what}` : `${u.source} ${u.what} ${shortDuration((now - u.since) / 1000)}`;
}
