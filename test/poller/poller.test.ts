// The poller's timing logic, driven by small in-process Source objects (the poller's inputs are Sources;
// these implement the interface, they do not imitate an outside system).
import {afterEach, describe, expect, it} from 'vitest';
import {createPoller, retryDelayMs, type Poller} from '../../source/poller/index.js';
import {createHiveStore} from '../../source/store/store.js';
import {SourceError, type Source} from '../../source/sources/source.js';
import type {SourceName} from '../../source/contract/snapshot.js';

type Behaviour = (signal: AbortSignal, call: number) => Promise<unknown>;

function source(name: SourceName, behaviour: Behaviour) {
	let calls = 0;
	let active = 0;
	let maxActive = 0;
	const signals: AbortSignal[] = [];
	const src: Source<unknown> & {calls: () => number; maxActive: () => number; signals: AbortSignal[]} = {
		name,
		async poll(signal) {
			calls++;
			active++;
			maxActive = Math.max(maxActive, active);
			signals.push(signal);
			try {
				return await behaviour(signal, calls);
			} finally {
				active--;
			}
		},
		async close() {},
		calls: () => calls,
		maxActive: () => maxActive,
		signals,
	};
	return src;
}

const snapshotOf = (n: number) => ({at: n, streams: [], truncated: false, truncatedReason: null, clients: {connected: null, blocked: null, maxClients: null}, memory: {usedBytes: null, peakBytes: null, allocator: null}, serverVersion: null, cluster: false});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hang: Behaviour = (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await sleep(10);
	}
}

let poller: Poller | null = null;
afterEach(async () => {
	await poller?.stop();
	poller = null;
});

describe('poller', () => {
	it('polls each source, writes its snapshot and marks it ok, and schedules the next poll', async () => {
		const store = createHiveStore({intervalMs: 1000});
		const redis = source('redis', async (_s, n) => snapshotOf(n));
		poller = createPoller({store, sources: [redis]});
		expect(store.getState().sources.redis.state).toBe('pending');
		poller.start();
		await until('first poll', () => store.getState().sources.redis.state !== 'pending');
		const status = store.getState().sources.redis;
		expect(status.state).toBe('ok');
		expect(store.getState().snapshots.redis).toMatchObject({at: 1});
		expect(status.lastSuccessAt).not.toBeNull();
		expect(status.nextPollAt).toBeGreaterThan(status.lastAttemptAt!);
	});

	it('polls again on schedule', async () => {
		const store = createHiveStore({intervalMs: 50});
		const redis = source('redis', async (_s, n) => snapshotOf(n));
		poller = createPoller({store, sources: [redis], deadlineFor: () => 40});
		poller.start();
		await until('three polls', () => redis.calls() >= 3);
		expect((store.getState().snapshots.redis as {at: number}).at).toBeGreaterThanOrEqual(2);
	});

	it('aborts a poll at its deadline, marks the source down, and keeps the last good snapshot', async () => {
		const store = createHiveStore({intervalMs: 100});
		const redis = source('redis', (signal, n) => (n === 1 ? Promise.resolve(snapshotOf(1)) : hang(signal, n)));
		poller = createPoller({store, sources: [redis], deadlineFor: () => 60, random: () => 0});
		poller.start();
		await until('a failed poll', () => store.getState().sources.redis.state === 'down');
		const status = store.getState().sources.redis;
		expect(status.lastError).toBe('redis: no answer within the 0.1 s deadline; it may be overloaded or hanging');
		expect(redis.signals[1]!.aborted).toBe(true);
		expect(store.getState().snapshots.redis).toMatchObject({at: 1});
		expect(status.consecutiveFailures).toBe(1);
	});

	it('never overlaps a source with itself, even one that ignores its abort signal', async () => {
		const store = createHiveStore({intervalMs: 30});
		// Ignores the signal and takes 5 intervals.
		const redis = source('redis', async (_s, n) => {
			await sleep(150);
			return snapshotOf(n);
		});
		poller = createPoller({store, sources: [redis], deadlineFor: () => 20, maxBackoffMs: 30});
		poller.start();
		await until('the second call', () => redis.calls() >= 2, 15_000);
		expect(redis.maxActive()).toBe(1);
		expect(store.getState().sources.redis.state).toBe('down');
	});

	it('maps SourceError kinds to states and names the failure', async () => {
		const store = createHiveStore({intervalMs: 1000});
		const hive = source('hive', async () => {
			throw new SourceError('hive', 'unauthorised', 'hive GET /health: 401 Unauthorized; check HIVE_TOKEN');
		});
		const postgres = source('postgres', async () => {
			throw new Error('connect ECONNREFUSED 127.0.0.1:5432 for postgres://u:pw12345@h/db');
		});
		poller = createPoller({store, sources: [hive, postgres]});
		await poller.refreshNow();
		expect(store.getState().sources.hive).toMatchObject({state: 'unauthorised', lastError: 'hive GET /health: 401 Unauthorized; check HIVE_TOKEN'});
		expect(store.getState().sources.postgres.state).toBe('down');
		expect(store.getState().sources.postgres.lastError).toContain('postgres: connect ECONNREFUSED');
		expect(store.getState().sources.postgres.lastError).not.toContain('pw12345');
	});

	it('refreshNow before start polls once and schedules nothing (status, check)', async () => {
		const store = createHiveStore({intervalMs: 20});
		const redis = source('redis', async (_s, n) => snapshotOf(n));
		poller = createPoller({store, sources: [redis]});
		await poller.refreshNow();
		expect(redis.calls()).toBe(1);
		expect(store.getState().sources.redis.nextPollAt).toBeNull();
		await sleep(100);
		expect(redis.calls()).toBe(1);
	});

	it('refreshNow while a poll is in flight waits for it instead of starting another', async () => {
		const store = createHiveStore({intervalMs: 5000});
		const redis = source('redis', async (_s, n) => {
			await sleep(50);
			return snapshotOf(n);
		});
		poller = createPoller({store, sources: [redis]});
		poller.start();
		await poller.refreshNow('redis');
		expect(redis.calls()).toBe(1);
	});

	it('probes a down source again within its interval (not a growing back-off) and recovers to ok', async () => {
		const store = createHiveStore({intervalMs: 40});
		let failing = true;
		const redis = source('redis', async (_s, n) => {
			if (failing) throw new SourceError('redis', 'down', 'redis 127.0.0.1:1: connection refused');
			return snapshotOf(n);
		});
		poller = createPoller({store, sources: [redis], random: () => 1, maxBackoffMs: 60_000});
		poller.start();
		await until('four failures', () => store.getState().sources.redis.consecutiveFailures >= 4);
		const s = store.getState().sources.redis;
		expect(s.nextPollAt! - s.lastAttemptAt!).toBeLessThanOrEqual(40 + 20);
		failing = false;
		await until('recovery', () => store.getState().sources.redis.state === 'ok');
		expect(store.getState().sources.redis).toMatchObject({consecutiveFailures: 0, lastError: null, failingSince: null});
	});

	it('remembers when a run of failures began', async () => {
		const store = createHiveStore({intervalMs: 30});
		const hive = source('hive', async () => {
			throw new SourceError('hive', 'down', 'hive GET /health: connection refused');
		});
		poller = createPoller({store, sources: [hive]});
		poller.start();
		await until('one failure', () => store.getState().sources.hive.consecutiveFailures === 1);
		const first = store.getState().sources.hive.failingSince;
		expect(first).toBe(store.getState().sources.hive.lastAttemptAt);
		await until('three failures', () => store.getState().sources.hive.consecutiveFailures >= 3);
		expect(store.getState().sources.hive.failingSince).toBe(first);
	});

	it('pause stops scheduling and resume polls again', async () => {
		const store = createHiveStore({intervalMs: 20});
		const redis = source('redis', async (_s, n) => snapshotOf(n));
		poller = createPoller({store, sources: [redis], deadlineFor: () => 15});
		poller.start();
		await until('two polls', () => redis.calls() >= 2);
		poller.pause();
		expect(store.getState().paused).toBe(true);
		expect(store.getState().sources.redis.nextPollAt).toBeNull();
		await sleep(30);
		const during = redis.calls();
		await sleep(100);
		expect(redis.calls()).toBe(during);
		poller.resume();
		await until('a poll after resume', () => redis.calls() > during);
		expect(store.getState().paused).toBe(false);
	});

	it('setInterval changes the store and each source interval (by its factor)', () => {
		const store = createHiveStore({intervalMs: 5000});
		poller = createPoller({store, sources: [source('hive', async () => ({})), {source: source('postgres', async () => ({})), intervalFactor: 2}]});
		poller.setInterval(2000);
		expect(store.getState().intervalMs).toBe(2000);
		expect(store.getState().sources.hive.intervalMs).toBe(2000);
		expect(store.getState().sources.postgres.intervalMs).toBe(4000);
	});

	it('an interval changed while a poll is in flight is the one recorded and scheduled when it ends', async () => {
		const store = createHiveStore({intervalMs: 1000});
		const redis = source('redis', async (_s, n) => {
			await sleep(100);
			return snapshotOf(n);
		});
		poller = createPoller({store, sources: [redis]});
		poller.start();
		await sleep(20);
		// As when the hive's WebSocket goes live mid-poll: the source's reads stretch to every 10 s.
		poller.setFactor('redis', 10);
		await until('the poll to end', () => store.getState().sources.redis.lastSuccessAt !== null);
		const status = store.getState().sources.redis;
		expect(status.intervalMs).toBe(10_000);
		expect(status.nextPollAt! - status.lastSuccessAt!).toBeGreaterThanOrEqual(9_900);
	});

	it('stop clears every timer: nothing polls afterwards', async () => {
		const store = createHiveStore({intervalMs: 20});
		const redis = source('redis', async (_s, n) => snapshotOf(n));
		poller = createPoller({store, sources: [redis], deadlineFor: () => 15});
		poller.start();
		await until('a poll', () => redis.calls() >= 1);
		await poller.stop();
		const calls = redis.calls();
		await sleep(100);
		expect(redis.calls()).toBe(calls);
	});
});

describe('retryDelayMs', () => {
	const base = {intervalMs: 5000, capMs: 60_000};
	it('probes a down source every interval, at most every 5 s, a little earlier with jitter, never later', () => {
		expect(retryDelayMs(1, 'down', {...base, random: 1})).toBe(5000);
		expect(retryDelayMs(10, 'down', {...base, random: 1})).toBe(5000);
		expect(retryDelayMs(3, 'down', {...base, random: 0})).toBe(4500);
		expect(retryDelayMs(3, 'down', {intervalMs: 60_000, capMs: 60_000, random: 1})).toBe(5000);
		expect(retryDelayMs(3, 'down', {intervalMs: 2000, capMs: 60_000, random: 1})).toBe(2000);
	});
	it('goes straight to the cap for credentials and configuration', () => {
		expect(retryDelayMs(1, 'unauthorised', {...base, random: 1})).toBe(60_000);
		expect(retryDelayMs(1, 'misconfigured', {...base, random: 0})).toBe(30_000);
	});
});
