// The pure model: every threshold boundary of the runbook table, NaN and missing values, stale heartbeats,
// scenarios and the runbook's tuning advice.
import {describe, expect, it} from 'vitest';
import {assess, assessMetric, classify, DEFAULT_THRESHOLDS, formatNumber, isGrowing, mergeThresholds} from '../../source/model/index.js';
import {AT, agent, snapshot, task} from './fixtures.js';

const t = DEFAULT_THRESHOLDS;

describe('success rate boundaries (target 95, warning < 90, critical < 70)', () => {
	it.each([
		[100, 'ok'],
		[95.0001, 'ok'],
		[95, 'ok'],
		[94.9, 'degraded'],
		[90, 'degraded'],
		[89.99, 'warning'],
		[70, 'warning'],
		[69.99, 'critical'],
		[0, 'critical'],
		[-Infinity, 'critical'],
	])('%s %% is %s', (value, state) => {
		expect(classify(value, t.successRate)).toBe(state);
	});

	it('says why in one line, with the bound it crossed', () => {
		expect(assessMetric('successRate', 87.5, t.successRate).reason).toBe('success rate 87.5 % < 90 % warning');
		expect(assessMetric('successRate', 66.66666666666666, t.successRate).reason).toBe('success rate 66.7 % < 70 % critical');
		expect(assessMetric('successRate', 92, t.successRate).reason).toBe('success rate 92 % < 95 % target (degraded)');
		expect(assessMetric('successRate', 97, t.successRate).reason).toBe('success rate 97 % ≥ 95 % target');
	});

	it('is unknown for NaN and for a missing value, and says which', () => {
		const nan = assessMetric('successRate', NaN, t.successRate);
		expect(nan).toMatchObject({state: 'unknown', value: null});
		expect(nan.reason).toContain('NaN');
		const missing = assessMetric('successRate', null, t.successRate, {missing: 'coordination metrics unavailable this poll'});
		expect(missing).toMatchObject({state: 'unknown', value: null});
		expect(missing.reason).toBe('success rate: no data (coordination metrics unavailable this poll)');
	});
});

describe('lower-is-better boundaries', () => {
	it.each([
		[4.9, 'ok'],
		[5, 'ok'],
		[5.1, 'degraded'],
		[10, 'degraded'],
		[10.01, 'warning'],
		[30, 'warning'],
		[30.5, 'critical'],
		[Infinity, 'critical'],
	])('response time %s s is %s', (value, state) => {
		expect(classify(value, t.responseTime)).toBe(state);
	});

	it.each([
		[9, 'ok'],
		[10, 'ok'],
		[11, 'degraded'],
		[50, 'degraded'],
		[51, 'warning'],
		[100, 'warning'],
		[101, 'critical'],
	])('queue length %s is %s', (value, state) => {
		expect(classify(value, t.queueLength)).toBe(state);
	});
});

describe('active agents (≥ 3 target, < 3 warning, < 1 critical)', () => {
	it.each([
		[3, 'ok'],
		[2, 'warning'],
		[1, 'warning'],
		[0, 'critical'],
	])('%s active agents is %s', (value, state) => {
		expect(classify(value, t.activeAgents)).toBe(state);
	});
});

describe('formatNumber', () => {
	it('prints what Python printed, rounded for people', () => {
		expect(formatNumber(3)).toBe('3');
		expect(formatNumber(87.5)).toBe('87.5');
		expect(formatNumber(66.66666666666666)).toBe('66.7');
		expect(formatNumber(0.125)).toBe('0.13');
		expect(formatNumber(NaN)).toBe('NaN');
		expect(formatNumber(Infinity)).toBe('+Inf');
	});
});

describe('assess', () => {
	it('is healthy when every metric is within target', () => {
		const a = assess({hive: snapshot()});
		expect(a.overall).toBe('healthy');
		expect(a.scenarios).toEqual([]);
		expect(a.recommendations).toEqual([]);
		expect(a.staleHeartbeats).toBe(0);
	});

	it('is unknown without a hive snapshot, and every metric says the hive could not be read', () => {
		const a = assess({hive: null});
		expect(a.overall).toBe('unknown');
		for (const m of Object.values(a.metrics)) {
			expect(m.state).toBe('unknown');
			expect(m.reason).toContain('the hive could not be read');
		}
	});

	it('is unknown when the coordination metrics failed this poll (the 200 error metric)', () => {
		const a = assess({hive: snapshot({coordination: null})});
		expect(a.overall).toBe('unknown');
		expect(a.metrics.successRate.reason).toContain('coordination metrics unavailable');
	});

	it('a critical metric wins over an unknown one', () => {
		const a = assess({hive: snapshot({successRate: null, queueLength: 150})});
		expect(a.overall).toBe('critical');
	});

	it('a degraded metric alone leaves the hive healthy', () => {
		expect(assess({hive: snapshot({successRate: 92})}).overall).toBe('healthy');
	});

	it('response time is the mean over active agents and names the slowest', () => {
		const hive = snapshot({
			agents: [
				agent({name: 'fast', averageResponseTime: 2}),
				agent({name: 'slow-one', averageResponseTime: 40}),
				agent({name: 'idle', status: 'inactive', averageResponseTime: 500}),
				agent({name: 'quiet', averageResponseTime: null}),
			],
		});
		const m = assess({hive}).metrics.responseTime;
		expect(m.value).toBe(21);
		expect(m.state).toBe('warning');
		expect(m.reason).toBe('response time 21 s > 10 s warning; slowest: slow-one 40 s');
	});

	it('a huge agent name is cut in the reason (it stays whole in the agents list)', () => {
		const huge = 'n'.repeat(10_000);
		const m = assess({hive: snapshot({agents: [agent({name: huge, averageResponseTime: 40})]})}).metrics.responseTime;
		expect(m.reason).toBe(`response time 40 s > 30 s critical; slowest: ${'n'.repeat(39)}… 40 s`);
	});

	it('response time comes from working agents: with every agent busy it is still known', () => {
		const hive = snapshot({agents: [agent({name: 'b1', status: 'busy', averageResponseTime: 3}), agent({name: 'b2', status: 'busy', averageResponseTime: 13})], activeAgents: 2});
		const m = assess({hive}).metrics.responseTime;
		expect(m.value).toBe(8);
		expect(m.state).toBe('degraded');
		expect(m.reason).toBe('response time 8 s > 5 s target (degraded); slowest: b2 13 s');
	});

	it('response time ignores agents that are not working, and is unknown when no working agent reports one', () => {
		const idle = snapshot({agents: [agent({status: 'sleeping', averageResponseTime: 99}), agent({status: 'inactive', averageResponseTime: 99})], activeAgents: 0});
		const m = assess({hive: idle}).metrics.responseTime;
		expect(m.state).toBe('unknown');
		expect(m.reason).toBe('response time: no data (no active or busy agent reports a response time)');
		const mixed = snapshot({agents: [agent({status: 'active', averageResponseTime: 2}), agent({status: 'error', averageResponseTime: 90})]});
		expect(assess({hive: mixed}).metrics.responseTime.value).toBe(2);
	});

	it('counts stale heartbeats: agents that should be alive, older than the threshold or never seen, at the snapshot time', () => {
		const hive = snapshot({
			agents: [
				agent({name: 'fresh', lastHeartbeat: AT - 299_000}),
				agent({name: 'edge', lastHeartbeat: AT - 300_000}),
				agent({name: 'stale', lastHeartbeat: AT - 301_000}),
				agent({name: 'never', lastHeartbeat: null}),
				agent({name: 'newborn', lastHeartbeat: null, createdAt: AT - 60_000}),
				agent({name: 'busy-old', status: 'busy', lastHeartbeat: AT - 3_600_000}),
				agent({name: 'sleeper', status: 'sleeping', lastHeartbeat: AT - 3_600_000}),
				agent({name: 'restarting', status: 'maintenance', lastHeartbeat: null}),
				agent({name: 'gone', status: 'inactive', lastHeartbeat: AT - 86_400_000}),
			],
		});
		const a = assess({hive});
		expect(a.staleHeartbeats).toBe(3);
		expect(a.scenarios).toEqual([{scenario: 'communication-failure', reason: '3 stale heartbeats (stale, never, busy-old)'}]);
		expect(a.overall).toBe('warning');
	});

	it('takes the stale-heartbeat threshold from the thresholds in force', () => {
		const hive = snapshot({agents: [agent({name: 'ten-min', lastHeartbeat: AT - 600_000}), agent({name: 'two-min', lastHeartbeat: AT - 120_000})]});
		const {thresholds} = mergeThresholds({staleHeartbeatSeconds: 900});
		expect(assess({hive, thresholds}).staleHeartbeats).toBe(0);
		expect(assess({hive, thresholds: mergeThresholds({staleHeartbeatSeconds: 60}).thresholds}).staleHeartbeats).toBe(2);
		expect(assess({hive}).staleHeartbeats).toBe(1);
	});

	it('names coordination-critical below 70 % with the architecture review checklist (no action)', () => {
		const a = assess({hive: snapshot({successRate: 65})});
		expect(a.overall).toBe('critical');
		expect(a.scenarios[0]).toEqual({scenario: 'coordination-critical', reason: 'success rate 65 % < 70 %'});
		expect(a.recommendations.length).toBe(4);
		expect(a.recommendations.every((r) => r.actionId === null)).toBe(true);
	});

	it('advises heartbeat interval 30 at 90–95 %', () => {
		expect(assess({hive: snapshot({successRate: 90})}).recommendations).toEqual([
			expect.objectContaining({actionId: 'set-heartbeat-interval', inputs: {interval: 30}}),
		]);
		expect(assess({hive: snapshot({successRate: 95})}).recommendations).toEqual([]);
	});

	it('advises coordination timeout 60 and scale-up 2 at 70–90 %', () => {
		const r = assess({hive: snapshot({successRate: 70})}).recommendations;
		expect(r.map((x) => [x.actionId, x.inputs])).toEqual([
			['set-coordination-timeout', {timeout: 60}],
			['scale-up', {count: 2}],
		]);
	});

	it('gives no advice for NaN or a missing success rate', () => {
		expect(assess({hive: snapshot({successRate: NaN})}).recommendations).toEqual([]);
		expect(assess({hive: snapshot({successRate: null})}).recommendations).toEqual([]);
	});

	it('names communication-failure for agents in error and for a growing backlog', () => {
		const hive = snapshot({agents: [agent(), agent(), agent(), agent({name: 'broken', status: 'error'})]});
		expect(assess({hive}).scenarios[0]!.reason).toBe('1 agent in error');
		const growing = assess({hive: snapshot(), backlog: [1, 5, 9]});
		expect(growing.scenarios[0]).toEqual({scenario: 'communication-failure', reason: 'stream backlog growing (1 → 5 → 9)'});
		expect(isGrowing([5, 5, 9])).toBe(false);
		expect(isGrowing([9, 5])).toBe(false);
	});

	it('names task-distribution for a queue over 100, long-running tasks, and uneven assignment', () => {
		expect(assess({hive: snapshot({queueLength: 101})}).scenarios[0]!.reason).toBe('queue length 101 > 100');
		expect(assess({hive: snapshot({queueLength: 100})}).scenarios).toEqual([]);
		expect(assess({hive: snapshot({longRunning: 2})}).scenarios[0]!.reason).toBe('2 long-running tasks');
		const a1 = agent({id: 'x1', name: 'hog'});
		const a2 = agent({id: 'x2', name: 'idle1'});
		const a3 = agent({id: 'x3', name: 'idle2'});
		const tasks = Array.from({length: 6}, () => task({assignedAgentId: 'x1'}));
		const uneven = assess({hive: snapshot({agents: [a1, a2, a3], tasks})});
		expect(uneven.scenarios[0]).toEqual({scenario: 'task-distribution', reason: 'uneven assignment (hog holds 6, mean 2)'});
	});

	it('uses overridden thresholds', () => {
		const {thresholds} = mergeThresholds({successRate: {warning: 97, target: 99}});
		expect(assess({hive: snapshot({successRate: 96}), thresholds}).metrics.successRate.reason).toBe('success rate 96 % < 97 % warning');
	});

	it('rejects an override that breaks the table order', () => {
		expect(mergeThresholds({queueLength: {warning: 200}}).problems[0]).toContain('thresholds.queueLength: expected target ≤ warning ≤ critical');
	});
});
