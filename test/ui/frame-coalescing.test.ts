// How long a change to the store waits before it is drawn. Each source records its poll as its answer comes,
// so new readings wait up to a quarter of a second for the rest of the cycle (one frame instead of three or
// four); a first answer, a source changing state, and anything a key changes are drawn after 40 ms.
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {createHiveStore} from '../../source/store/store.js';
import {consoleFrameDelay, ROUTINE_FRAME_MS, subscribeCoalesced, URGENT_FRAME_MS} from '../../source/ui/use-terminal.js';
import {hiveSnapshot, okStatus, redisSnapshot} from './fixtures.js';

function storeWithData() {
	const store = createHiveStore({intervalMs: 2000});
	store.getState().recordPoll('hive', okStatus(), hiveSnapshot());
	store.getState().recordPoll('redis', okStatus(), redisSnapshot());
	return store;
}

describe('frame delay', () => {
	it('new readings of sources that had data wait for the cycle; first data, state changes and keys do not', () => {
		const store = createHiveStore({intervalMs: 2000});
		const delays: number[] = [];
		store.subscribe((next, previous) => delays.push(consoleFrameDelay(next, previous)));
		store.getState().recordPoll('hive', okStatus(), hiveSnapshot());
		store.getState().recordPoll('hive', okStatus({lastSuccessAt: 2}), hiveSnapshot());
		store.getState().recordPoll('redis', okStatus({state: 'down', lastError: 'redis: connection refused'}));
		store.getState().setPaused(true);
		expect(delays).toEqual([URGENT_FRAME_MS, ROUTINE_FRAME_MS, URGENT_FRAME_MS, URGENT_FRAME_MS]);
	});
});

describe('coalescing', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('folds the readings of one cycle into one frame, and an urgent change brings a pending frame forward', () => {
		const store = storeWithData();
		const frames: number[] = [];
		const start = Date.now();
		const unsubscribe = subscribeCoalesced(store, consoleFrameDelay, () => frames.push(Date.now() - start));
		// Hive, then Redis 100 ms later: one frame, 250 ms after the first.
		store.getState().recordPoll('hive', okStatus({lastSuccessAt: 3}), hiveSnapshot());
		vi.advanceTimersByTime(100);
		store.getState().recordPoll('redis', okStatus({lastSuccessAt: 3}), redisSnapshot());
		vi.advanceTimersByTime(400);
		expect(frames).toEqual([ROUTINE_FRAME_MS]);
		// A reading, then the user pauses 10 ms later: drawn 40 ms after the pause, not 250 ms after the reading.
		store.getState().recordPoll('hive', okStatus({lastSuccessAt: 4}), hiveSnapshot());
		vi.advanceTimersByTime(10);
		store.getState().setPaused(true);
		vi.advanceTimersByTime(400);
		expect(frames).toEqual([ROUTINE_FRAME_MS, 500 + 10 + URGENT_FRAME_MS]);
		unsubscribe();
	});
});
