// "The overall state never lies", through the real poller, store and selector: one failed hive poll does
// not flip the state, two in a row make it unknown with the reason, a good poll shows at once; data older
// than two intervals is never judged healthy; failed polls move the history on (a gap in the trend).
import {afterEach, describe, expect, it} from 'vitest';
import {createPoller, type Poller} from '../../source/poller/index.js';
import {createHiveStore} from '../../source/store/store.js';
import {selectAssessment} from '../../source/model/select.js';
import {SourceError, type Source} from '../../source/sources/source.js';
import {describeUntrusted, judgeSource} from '../../source/model/index.js';
import {initialSourceStatus} from '../../source/store/store.js';
import {agent, snapshot} from '../model/fixtures.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A hive source whose next answers the test scripts: 'ok', 'down', or 'partial' (coordination metrics fail). */
function scriptedHive() {
	const plan: Array<'ok' | 'down' | 'partial'> = [];
	let calls = 0;
	const src: Source<unknown> & {plan: typeof plan; calls: () => number} = {
		name: 'hive',
		async poll() {
			calls++;
			const next = plan.shift() ?? 'ok';
			if (next === 'down') throw new SourceError('hive', 'down', 'hive GET /health: connection refused; is the hive running at http://127.0.0.1:9?');
			const snap = {...snapshot({agents: [agent({name: 'a1', lastHeartbeat: Date.now() - 5000}), agent({name: 'a2', lastHeartbeat: Date.now() - 5000}), agent({name: 'a3', lastHeartbeat: Date.now() - 5000})]}), at: Date.now()};
			if (next === 'partial') return {...snap, coordination: null, partialErrors: ["GET /api/dashboard/metrics/coordination: hive error HTTP 500; check the hive's logs"]};
			return snap;
		},
		async close() {},
		plan,
		calls: () => calls,
	};
	return src;
}

const hiveOnlyStore = (intervalMs: number) => createHiveStore({intervalMs, disabled: {redis: 'redis: not configured', postgres: 'postgres: not configured', logs: 'logs: not configured'}});

let poller: Poller | null = null;
afterEach(async () => {
	await poller?.stop();
	poller = null;
});

describe('the overall state and a failing hive', () => {
	it('holds on one miss, says unknown with the reason after two, and recovers on the first good poll', async () => {
		const store = hiveOnlyStore(10_000);
		const hive = scriptedHive();
		poller = createPoller({store, sources: [hive]});
		const overall = () => selectAssessment(store.getState(), Date.now());

		await poller.refreshNow();
		expect(overall().overall).toBe('healthy');

		hive.plan.push('down');
		await poller.refreshNow();
		expect(store.getState().sources.hive.state).toBe('down');
		expect(overall().overall).toBe('healthy');
		expect(overall().untrusted).toEqual([]);

		hive.plan.push('down');
		await poller.refreshNow();
		const a = overall();
		expect(a.overall).toBe('unknown');
		expect(a.untrusted).toEqual([expect.objectContaining({source: 'hive', what: 'down'})]);
		expect(describeUntrusted(a.untrusted[0]!, Date.now())).toMatch(/^hive down( \d+ s)?$/);
		// The last good values stay, labelled: never a healthy state from them.
		expect(a.metrics.successRate).toMatchObject({state: 'unknown', value: 98});
		expect(a.metrics.successRate.reason).toBe('success rate: unknown (the hive is down; last good value 98 %)');
		expect(a.scenarios).toEqual([]);

		await poller.refreshNow();
		expect(overall().overall).toBe('healthy');
		expect(overall().untrusted).toEqual([]);
	});

	it('one endpoint failing for one poll does not flip what it feeds; failing twice in a row does', async () => {
		const store = hiveOnlyStore(10_000);
		const hive = scriptedHive();
		poller = createPoller({store, sources: [hive]});
		const assessment = () => selectAssessment(store.getState(), Date.now());
		await poller.refreshNow();
		hive.plan.push('partial');
		await poller.refreshNow();
		expect(assessment().overall).toBe('healthy');
		expect(assessment().metrics.successRate).toMatchObject({state: 'ok', value: 98});
		expect(store.getState().snapshots.hive!.carried).toEqual(['coordination']);
		// The trend shows the miss as a gap; the status lists the endpoint's error.
		expect(store.getState().history.map((p) => p.successRate)).toEqual([98, null]);
		expect(store.getState().snapshots.hive!.partialErrors).toHaveLength(1);
		hive.plan.push('partial');
		await poller.refreshNow();
		expect(assessment().metrics.successRate.state).toBe('unknown');
		expect(assessment().overall).toBe('unknown');
		await poller.refreshNow();
		expect(assessment().overall).toBe('healthy');
	});

	it('a failed poll leaves a gap in the trend and is recorded for the flaky-API detection', async () => {
		const store = hiveOnlyStore(10_000);
		const hive = scriptedHive();
		poller = createPoller({store, sources: [hive]});
		await poller.refreshNow();
		hive.plan.push('down');
		await poller.refreshNow();
		const {history, hivePolls} = store.getState();
		expect(history.map((p) => p.successRate)).toEqual([98, null]);
		expect(hivePolls!.map((p) => p.ok)).toEqual([true, false]);
	});

	it('while running, a down hive is probed within seconds and a good answer refreshes at once', async () => {
		const store = hiveOnlyStore(60_000);
		const hive = scriptedHive();
		// Every poll fails until the plan runs out; a 60 s interval would mean a minute's wait without probing.
		hive.plan.push('down', 'down');
		poller = createPoller({store, sources: [hive], probeCapMs: 50});
		poller.start();
		const end = Date.now() + 5000;
		while (store.getState().sources.hive.state !== 'ok' && Date.now() < end) await sleep(10);
		expect(hive.calls()).toBe(3);
		expect(store.getState().sources.hive.state).toBe('ok');
		expect(selectAssessment(store.getState(), Date.now()).overall).toBe('healthy');
	});
});

describe('judgeSource', () => {
	const now = Date.parse('2025-08-07T10:30:00Z');
	const status = (patch: Partial<ReturnType<typeof initialSourceStatus>>) => ({...initialSourceStatus(5000), state: 'ok' as const, ...patch});

	it('trusts fresh data and data within two intervals', () => {
		expect(judgeSource('hive', status({lastSuccessAt: now - 9_000}), now)).toBeNull();
	});

	it('does not trust data older than two intervals, even without a failure (paused, or a poll that never ends)', () => {
		expect(judgeSource('hive', status({lastSuccessAt: now - 11_000}), now)).toEqual({source: 'hive', what: 'stale', since: now - 11_000, lastGoodAt: now - 11_000});
		expect(describeUntrusted(judgeSource('hive', status({lastSuccessAt: now - 40_000}), now)!, now)).toBe('hive data 40 s old');
	});

	it('gives one failed poll its retry, but not for ever', () => {
		const oneMiss = status({state: 'down', consecutiveFailures: 1, lastSuccessAt: now - 12_000, failingSince: now - 6_000});
		expect(judgeSource('hive', oneMiss, now)).toBeNull();
		expect(judgeSource('hive', {...oneMiss, lastSuccessAt: now - 21_000}, now)).toMatchObject({what: 'down', since: now - 6_000});
	});

	it('says down since the first failure after two misses, and "no data yet" before any answer', () => {
		const twoMisses = status({state: 'down', consecutiveFailures: 2, lastSuccessAt: now - 8_000, failingSince: now - 7_000});
		expect(describeUntrusted(judgeSource('hive', twoMisses, now)!, now)).toBe('hive down 7 s');
		expect(describeUntrusted(judgeSource('hive', initialSourceStatus(5000), now)!, now)).toBe('no hive data yet');
		expect(judgeSource('redis', {...initialSourceStatus(5000, 'disabled')}, now)).toBeNull();
	});
});
