// Slow database and flaky API: named from what the snapshots carry, with what the runbook offers; the
// runbook scenarios stay as they were (the playbooks read them).
import {describe, expect, it} from 'vitest';
import {assess, conditionLine, flakyApi} from '../../source/model/index.js';
import {initialSourceStatus} from '../../source/store/store.js';
import {classifyReadFailure, pollRecord} from '../../source/store/poll-records.js';
import type {PollRecord, PostgresSnapshot} from '../../source/contract/snapshot.js';
import {AT, agent, snapshot} from './fixtures.js';

const slowAgents = [agent({name: 's1', averageResponseTime: 14}), agent({name: 's2', averageResponseTime: 18}), agent({name: 's3', status: 'busy', averageResponseTime: 16})];

function postgres(meanMs: number): PostgresSnapshot {
	return {
		at: AT,
		statements: {version: '1.10', byMean: [{query: 'SELECT … FROM tasks', calls: 20, meanMs, totalMs: meanMs * 20, rows: 3, hitPercent: 99}], byTotal: []},
		extensionHint: null,
		longRunning: [],
		serverVersion: '15',
	};
}

describe('slow database', () => {
	it('names it when agents answer far above target and pg_stat_statements shows slow statements, with what the runbook offers', () => {
		const a = assess({hive: snapshot({agents: slowAgents}), postgres: postgres(812.4)});
		expect(a.conditions).toEqual([
			{
				condition: 'slow-database',
				title: 'Slow database',
				reason: 'agents answer in 16 s (target < 5 s); slowest statement 812 ms mean',
				offers: 'L latency analysis · pane 5 slow queries · C task cleanup (the weekly cleanup, days=7)',
			},
		]);
		expect(conditionLine(a.conditions[0]!)).toMatch(/^Slow database: agents answer in 16 s .* · L latency analysis/);
		// A separate kind: the runbook scenarios (and the playbooks that read them) are untouched.
		expect(a.scenarios).toEqual([]);
	});

	it('takes /health database timing or a late API as evidence when PostgreSQL is not configured', () => {
		const hive = snapshot({agents: slowAgents});
		hive.health = {status: 'healthy', version: '2', components: [{name: 'database', status: 'healthy', details: null, error: null, responseTime: '1200'}]};
		expect(assess({hive}).conditions[0]?.reason).toContain('/health database 1200 ms');
		const late = {...initialSourceStatus(5000), state: 'slow' as const, lastSuccessAt: AT, lastDurationMs: 2600, consecutiveFailures: 0};
		expect(assess({hive: snapshot({agents: slowAgents}), sources: {hive: late}, now: AT}).conditions[0]?.reason).toContain('hive API answered in 2.6 s');
	});

	it('is not named from slow agents alone (that is as likely communication trouble), nor from slow queries with fast agents', () => {
		expect(assess({hive: snapshot({agents: slowAgents})}).conditions).toEqual([]);
		expect(assess({hive: snapshot(), postgres: postgres(900)}).conditions).toEqual([]);
	});
});

const ok = (at: number, failures: PollRecord['failures'] = []): PollRecord => ({at, ok: true, failures});
const fail = (at: number, kind: 'http-5xx' | 'timeout' | 'malformed' | 'other' = 'timeout'): PollRecord => ({at, ok: false, failures: [{endpoint: '*', kind}]});

describe('flaky API', () => {
	it('is named when a share of recent polls meet 5xx, timeouts or broken bodies while others succeed', () => {
		const polls = [
			ok(1),
			ok(2, [{endpoint: 'GET /health', kind: 'http-5xx'}]),
			ok(3),
			fail(4, 'timeout'),
			ok(5),
			ok(6, [{endpoint: 'GET /api/dashboard/metrics', kind: 'malformed'}]),
			ok(7),
			ok(8),
		];
		const c = flakyApi(polls)!;
		expect(c.condition).toBe('flaky-api');
		expect(c.reason).toBe('3 of the last 8 polls met failed reads (1 × HTTP 5xx, 1 timeout, 1 malformed body) while others succeeded');
		expect(c.offers).toContain('L latency analysis');
	});

	it('is not named for a hive that went down (no success after the trouble began), a single burst that cleared, or a broken endpoint', () => {
		expect(flakyApi([ok(1), ok(2), ok(3), fail(4), fail(5), fail(6)])).toBeNull();
		expect(flakyApi([ok(1), ok(2), fail(3, 'other'), fail(4, 'other'), fail(5, 'other'), ok(6)])).toBeNull();
		const broken = Array.from({length: 8}, (_, i) => ok(i, [{endpoint: 'GET /api/dashboard/metrics/coordination', kind: 'http-5xx'}]));
		expect(flakyApi(broken)).toBeNull();
		expect(flakyApi([ok(1), fail(2)])).toBeNull();
	});

	it('classifies the failures our hive client reports', () => {
		expect(classifyReadFailure('GET /health: hive error HTTP 502; check the hive\'s logs')).toBe('http-5xx');
		expect(classifyReadFailure('GET /health: no answer within 3 s from http://h; the hive may be overloaded or hung')).toBe('timeout');
		expect(classifyReadFailure('GET /api/dashboard/metrics: malformed Prometheus text at line 3')).toBe('malformed');
		expect(classifyReadFailure('GET /health: connection refused; is the hive running at http://h?')).toBe('other');
		const record = pollRecord(5, {...initialSourceStatus(5000), state: 'ok'}, {...snapshot(), partialErrors: ['GET /health: hive error HTTP 500; check the hive\'s logs']});
		expect(record).toEqual({at: 5, ok: true, failures: [{endpoint: 'GET /health', kind: 'http-5xx'}]});
	});
});
