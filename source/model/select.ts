// The assessment of the store's state, as the UI and the headless commands read it. Memoised on its inputs'
// identity, so a re-render with 10,000 agents does not re-run the model unless a snapshot changed.
import type {HiveConsoleState} from '../contract/snapshot.js';
import {assess} from './assess.js';
import {judgeSource} from './freshness.js';
import type {Assessment} from './types.js';

interface Memo {
	hive: unknown;
	redis: unknown;
	postgres: unknown;
	backlog: unknown;
	thresholds: unknown;
	hivePolls: unknown;
	/** The trust verdicts (which sources, in what state, since when): the only clock-dependent input. */
	trust: string;
	hiveStatus: unknown;
	result: Assessment;
}
let memo: Memo | null = null;

/**
 * The store's own clock: when its latest poll settled. Views that re-assess on store changes judge the
 * data as of that moment, which is also when their assessment was last due.
 */
export function storeClock(state: HiveConsoleState): number {
	let latest = 0;
	for (const status of Object.values(state.sources)) {
		latest = Math.max(latest, status.lastSuccessAt ?? 0, status.lastAttemptAt === null ? 0 : status.lastAttemptAt + (status.lastDurationMs ?? 0));
	}
	return latest;
}

/**
 * The assessment of the store's state at `now` (default: the store's own clock; the headless commands pass
 * the real one). Sources down twice in a row, or with data older than two intervals, make the metrics they
 * feed unknown (model/freshness.ts).
 */
export function selectAssessment(state: HiveConsoleState, now: number = storeClock(state)): Assessment {
	const {hive, redis, postgres} = state.snapshots;
	const trust = (['hive', 'redis', 'postgres'] as const)
		.map((name) => {
			const u = judgeSource(name, state.sources[name], now);
			return u ? `${name}:${u.what}:${u.since}` : '';
		})
		.join('|');
	// The slow-database evidence reads the hive's poll duration, so its status is an input too.
	const hiveStatus = state.sources.hive;
	if (
		memo &&
		memo.hive === hive &&
		memo.redis === redis &&
		memo.postgres === postgres &&
		memo.backlog === state.backlog &&
		memo.thresholds === state.thresholds &&
		memo.hivePolls === state.hivePolls &&
		memo.trust === trust &&
		memo.hiveStatus === hiveStatus
	) {
		return memo.result;
	}
	const result = assess({
		hive,
		redis,
		postgres,
		backlog: state.backlog?.map((b) => b.total),
		thresholds: state.thresholds,
		sources: state.sources,
		now,
		hivePolls: state.hivePolls,
	});
	memo = {hive, redis, postgres, backlog: state.backlog, thresholds: state.thresholds, hivePolls: state.hivePolls, trust, hiveStatus, result};
	return result;
}

