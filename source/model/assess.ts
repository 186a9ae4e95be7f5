// The pure model: snapshots in, an Assessment out (metric states, overall state, runbook scenarios, the
// slow-database and flaky-API conditions, and the runbook's tuning advice). No I/O and no clock of its own:
// the caller passes "now" with the sources' poll states, and the snapshot's own time is the hive's "now".
import type {HiveSnapshot, PollRecord, PostgresSnapshot, RedisSnapshot, SourceName, SourceStatus} from '../contract/snapshot.js';
import type {Assessment, Condition, HealthState, MetricAssessment, MetricName, OverallState, Recommendation, RunbookScenario, Thresholds, UntrustedSource} from './types.js';
import {DEFAULT_THRESHOLDS} from './thresholds.js';
import {assessMetric, formatNumber, withUnit} from './metrics.js';
import {reasonName, responseTimeOfWorking, staleAgentsOf} from './agents.js';
import {flakyApi, slowDatabase} from './conditions.js';
import {judgeSource} from './freshness.js';

export interface AssessInput {
	hive: HiveSnapshot | null;
	redis?: RedisSnapshot | null;
	postgres?: PostgresSnapshot | null;
	/** Total stream backlog (pending + known lag) of recent Redis polls, oldest first. */
	backlog?: number[];
	thresholds?: Thresholds;
	/**
	 * The sources' poll states and the time to judge them at. Without them every snapshot is taken as
	 * current (pure tests of the rules); with them, a source down twice in a row or with data older than two
	 * intervals is not trusted, and the metrics it feeds are unknown.
	 */
	sources?: Partial<Record<SourceName, SourceStatus>>;
	now?: number;
	/** The last hive polls, for the flaky-API condition. */
	hivePolls?: PollRecord[];
}

/** Growing: the last three samples each larger than the one before. */
export function isGrowing(samples: number[] | undefined): boolean {
	if (!samples || samples.length < 3) return false;
	const [a, b, c] = samples.slice(-3) as [number, number, number];
	return a < b && b < c;
}

/**
 * Uneven: among working agents (active or busy), the busiest holds at least 5 more open tasks than the
 * idlest and at least twice the mean. Needs the task list (beehive profile's queue endpoint).
 */
export function unevenAssignment(hive: HiveSnapshot): {busiest: string; count: number; mean: number} | null {
	if (!hive.agents || !hive.tasks || hive.tasks.items.length === 0) return null;
	const working = hive.agents.filter((a) => a.status === 'active' || a.status === 'busy');
	if (working.length < 2) return null;
	const counts = new Map<string, number>(working.map((a) => [a.id, 0]));
	for (const task of hive.tasks.items) {
		if ((task.status === 'assigned' || task.status === 'in_progress') && task.assignedAgentId && counts.has(task.assignedAgentId)) {
			counts.set(task.assignedAgentId, counts.get(task.assignedAgentId)! + 1);
		}
	}
	const values = [...counts.values()];
	const max = Math.max(...values);
	const min = Math.min(...values);
	const mean = values.reduce((s, v) => s + v, 0) / values.length;
	if (max - min < 5 || max < 2 * mean) return null;
	const busiestId = [...counts.entries()].find(([, v]) => v === max)![0];
	return {busiest: working.find((a) => a.id === busiestId)!.name, count: max, mean};
}

function metricsOf(hive: HiveSnapshot | null, t: Thresholds): Record<MetricName, MetricAssessment> {
	const missingHive = 'the hive could not be read';
	const coordinationMissing = !hive
		? missingHive
		: hive.coordination
			? 'the hive sent no usable value (no sample, NaN or ±Inf)'
			: 'coordination metrics unavailable this poll';
	const agentsMissing = hive ? 'agents list unavailable this poll' : missingHive;
	const successRate = assessMetric('successRate', hive?.coordination?.successRate ?? null, t.successRate, {missing: coordinationMissing});
	const queueLength = assessMetric('queueLength', hive?.coordination?.queueLength ?? null, t.queueLength, {missing: coordinationMissing});
	const activeAgents = assessMetric('activeAgents', hive?.activeAgents ?? null, t.activeAgents, {missing: agentsMissing});
	let responseTime: MetricAssessment;
	if (!hive?.agents) {
		responseTime = assessMetric('responseTime', null, t.responseTime, {missing: agentsMissing});
	} else {
		const rt = responseTimeOfWorking(hive.agents);
		responseTime = rt
			? assessMetric('responseTime', rt.mean, t.responseTime, {
					detail: `slowest: ${reasonName(rt.slowest.name)} ${withUnit(rt.slowest.averageResponseTime!, 's')}`,
				})
			: assessMetric('responseTime', null, t.responseTime, {missing: 'no active or busy agent reports a response time'});
	}
	return {successRate, responseTime, queueLength, activeAgents};
}

/** The metrics fed by a hive whose data is not current: state unknown, the last good value kept and said so. */
function distrust(metrics: Record<MetricName, MetricAssessment>, u: UntrustedSource): Record<MetricName, MetricAssessment> {
	const why = u.what === 'stale' ? 'the hive\'s data is older than two poll intervals' : u.what === 'pending' ? 'no hive data yet' : `the hive is ${u.what}`;
	const out = {} as Record<MetricName, MetricAssessment>;
	for (const [name, m] of Object.entries(metrics) as Array<[MetricName, MetricAssessment]>) {
		const last = m.value === null ? 'no last good value' : `last good value ${withUnit(m.value, UNIT[name])}`;
		out[name] = {...m, state: 'unknown', reason: `${m.label}: unknown (${why}; ${last})`};
	}
	return out;
}

const UNIT: Record<MetricName, '%' | 's' | ''> = {successRate: '%', responseTime: 's', queueLength: '', activeAgents: ''};

const RANK: Record<HealthState, number> = {ok: 0, degraded: 0, unknown: 1, warning: 2, critical: 3};

function overallOf(metrics: Record<MetricName, MetricAssessment>, communicationTrouble: boolean): OverallState {
	let worst = 0;
	for (const m of Object.values(metrics)) worst = Math.max(worst, RANK[m.state]);
	if (communicationTrouble) worst = Math.max(worst, RANK.warning);
	return worst === 3 ? 'critical' : worst === 2 ? 'warning' : worst === 1 ? 'unknown' : 'healthy';
}

export function recommendationsFor(successRate: number | null, t: Thresholds): Recommendation[] {
	if (successRate === null || Number.isNaN(successRate)) return [];
	const s = t.successRate;
	if (successRate < s.critical) {
		return [
			{id: 'review-database-indexing', text: 'Architecture review: review database indexing', actionId: null, inputs: {}},
			{id: 'consider-redis-cluster', text: 'Architecture review: consider a Redis cluster setup', actionId: null, inputs: {}},
			{id: 'evaluate-communication-patterns', text: 'Architecture review: evaluate agent communication patterns', actionId: null, inputs: {}},
			{id: 'check-resource-constraints', text: 'Architecture review: check for resource constraints', actionId: null, inputs: {}},
		];
	}
	if (successRate < s.warning) {
		return [
			{
				id: 'increase-coordination-timeout',
				text: 'Moderate intervention: increase the coordination timeout to 60 s',
				actionId: 'set-coordination-timeout',
				inputs: {timeout: 60},
			},
			{id: 'add-agent-workers', text: 'Moderate intervention: add 2 agent workers', actionId: 'scale-up', inputs: {count: 2}},
		];
	}
	if (successRate < s.target) {
		return [
			{
				id: 'tune-heartbeat-interval',
				text: 'Minor optimisation: set the agent heartbeat interval to 30 s',
				actionId: 'set-heartbeat-interval',
				inputs: {interval: 30},
			},
		];
	}
	return [];
}

export function assess(input: AssessInput): Assessment {
	const t = input.thresholds ?? DEFAULT_THRESHOLDS;
	const untrusted: UntrustedSource[] = [];
	if (input.sources && input.now !== undefined) {
		for (const name of ['hive', 'redis', 'postgres'] as const) {
			const u = judgeSource(name, input.sources[name], input.now);
			if (u) untrusted.push(u);
		}
	}
	const hiveDistrust = untrusted.find((u) => u.source === 'hive') ?? null;
	const trusted = (name: SourceName) => !untrusted.some((u) => u.source === name);
	// Data that is not current still shows on screen (the panes say how old), but judges nothing.
	const hive = hiveDistrust ? null : input.hive;
	const postgres = trusted('postgres') ? (input.postgres ?? null) : null;
	const backlog = trusted('redis') ? input.backlog : undefined;
	const metrics = hiveDistrust && input.hive ? distrust(metricsOf(input.hive, t), hiveDistrust) : metricsOf(hive, t);

	let staleHeartbeats: number | null = null;
	let staleNames: string[] = [];
	if (hive?.agents) {
		const stale = staleAgentsOf(hive, t.staleHeartbeatSeconds);
		staleHeartbeats = stale.length;
		staleNames = stale.map((a) => reasonName(a.name));
	} else if (hive?.agentMetrics?.staleHeartbeats !== undefined && hive.agentMetrics.staleHeartbeats !== null) {
		// Without the agents list, the hive's own count (active agents only) is the best there is.
		staleHeartbeats = hive.agentMetrics.staleHeartbeats;
	}
	const errorAgents = hive?.agents?.filter((a) => a.status === 'error') ?? [];
	const backlogGrowing = isGrowing(backlog);

	const scenarios: Assessment['scenarios'] = [];
	const sr = hive ? metrics.successRate.value : null;
	if (sr !== null && sr < t.successRate.critical) {
		scenarios.push({scenario: 'coordination-critical', reason: `success rate ${formatNumber(sr)} % < ${formatNumber(t.successRate.critical)} %`});
	}
	const comms: string[] = [];
	if (staleHeartbeats) {
		const names = staleNames.slice(0, 3).join(', ');
		comms.push(`${staleHeartbeats} stale heartbeat${staleHeartbeats === 1 ? '' : 's'}${names ? ` (${names}${staleNames.length > 3 ? ', …' : ''})` : ''}`);
	}
	if (errorAgents.length) comms.push(`${errorAgents.length} agent${errorAgents.length === 1 ? '' : 's'} in error`);
	if (backlogGrowing) comms.push(`stream backlog growing (${backlog!.slice(-3).join(' → ')})`);
	if (comms.length) scenarios.push({scenario: 'communication-failure', reason: comms.join('; ')});

	const tasks: string[] = [];
	const ql = hive ? metrics.queueLength.value : null;
	if (ql !== null && ql > t.queueLength.critical) tasks.push(`queue length ${formatNumber(ql)} > ${formatNumber(t.queueLength.critical)}`);
	const longRunning = hive?.tasks?.longRunning ?? hive?.coordination?.longRunning ?? null;
	const stuck = hive?.tasks?.stuck.length ?? 0;
	if (longRunning) tasks.push(`${formatNumber(longRunning)} long-running task${longRunning === 1 ? '' : 's'}`);
	else if (stuck) tasks.push(`${stuck} stuck task${stuck === 1 ? '' : 's'}`);
	const uneven = hive ? unevenAssignment(hive) : null;
	if (uneven) tasks.push(`uneven assignment (${reasonName(uneven.busiest)} holds ${uneven.count}, mean ${formatNumber(uneven.mean)})`);
	if (tasks.length) scenarios.push({scenario: 'task-distribution' as RunbookScenario, reason: tasks.join('; ')});

	const conditions: Condition[] = [];
	const slow = hive ? slowDatabase({responseTime: metrics.responseTime, hive, postgres, hiveStatus: input.sources?.hive, thresholds: t}) : null;
	if (slow) conditions.push(slow);
	const flaky = flakyApi(input.hivePolls);
	if (flaky) conditions.push(flaky);

	return {
		overall: hiveDistrust ? 'unknown' : overallOf(metrics, comms.length > 0),
		metrics,
		scenarios,
		recommendations: recommendationsFor(sr, t),
		staleHeartbeats,
		conditions,
		untrusted,
	};
}
