// Drives a real store through polls on a test clock, for the timeline's tests.
import type {HiveSnapshot, SourceStatus} from '../../source/contract/snapshot.js';
import {createHiveStore, initialSourceStatus, type HiveStore} from '../../source/store/store.js';
import {AT, agent, snapshot} from '../model/fixtures.js';

export {AT, agent, snapshot};

export const INTERVAL = 5000;

export interface Driver {
	store: HiveStore;
	clock: {now: number};
	/** A good hive poll at the clock's time, then the clock moves one interval on. */
	good(hive: HiveSnapshot): void;
	/** A failed hive poll. */
	fail(error: string): void;
}

export function driver(): Driver {
	const store = createHiveStore({intervalMs: INTERVAL, disabled: {redis: 'off', postgres: 'off', logs: 'off'}});
	const clock = {now: AT};
	let failures = 0;
	let failingSince: number | null = null;
	let lastSuccessAt: number | null = null;
	const status = (patch: Partial<SourceStatus>): SourceStatus => ({...initialSourceStatus(INTERVAL), lastAttemptAt: clock.now, lastDurationMs: 10, lastSuccessAt, ...patch});
	return {
		store,
		clock,
		good(hive) {
			failures = 0;
			failingSince = null;
			lastSuccessAt = clock.now;
			store.getState().recordPoll('hive', status({state: 'ok', lastSuccessAt}), {...hive, at: clock.now, hiveNow: hive.hiveNow ?? null});
			clock.now += INTERVAL;
		},
		fail(error) {
			failures++;
			failingSince ??= clock.now;
			store.getState().recordPoll('hive', status({state: 'down', lastError: error, consecutiveFailures: failures, failingSince}));
			clock.now += INTERVAL;
		},
	};
}
