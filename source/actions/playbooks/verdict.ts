// What "recovered" means for each runbook scenario, judged by the model's own assess() with the config's
// thresholds (the same function and table the header uses), and the hive-clock arithmetic behind waits
// and watches. Pure: snapshots in, failures out.
import {assess} from '../../model/assess.js';
import {unevenAssignment} from '../../model/assess.js';
import {formatNumber, withUnit} from '../../model/metrics.js';
import {hiveTime} from '../../model/agents.js';
import type {MetricAssessment, RunbookScenario, Threshold, Thresholds} from '../../model/types.js';
import type {HiveSnapshot} from '../../contract/snapshot.js';
import type {Countdown, Failure} from './types.js';

function targetText(t: Threshold): string {
	return `target ${t.direction === 'higher-is-better' ? '≥' : '≤'} ${withUnit(t.target, t.unit)}`;
}

/** A metric that is not in its target (state 'ok'), as a failure; null when it is. */
function notInTarget(m: MetricAssessment, t: Threshold): Failure | null {
	if (m.state === 'ok') return null;
	return {metric: m.label, value: m.value === null ? `unknown (${m.reason})` : `${withUnit(m.value, t.unit)} (${m.state})`, threshold: targetText(t)};
}

const SCENARIO_NAMES: Record<RunbookScenario, string> = {
	'coordination-critical': 'Scenario 1',
	'communication-failure': 'Scenario 2',
	'task-distribution': 'Scenario 3',
};

/**
 * The scenario's metrics that are not in their target, and the scenario itself if the model still detects
 * it. Empty means the scenario is over by the model's own judgement.
 * - coordination-critical: success rate and active agents in target, queue length not critical;
 * - communication-failure: no stale heartbeat, no agent in error, response time in target;
 * - task-distribution: queue length in target, no long-running task, no uneven assignment.
 */
export function scenarioFailures(scenario: RunbookScenario, hive: HiveSnapshot, thresholds: Thresholds): Failure[] {
	const a = assess({hive, thresholds});
	const m = a.metrics;
	const failures: Failure[] = [];
	const push = (f: Failure | null) => {
		if (f) failures.push(f);
	};
	if (scenario === 'coordination-critical') {
		push(notInTarget(m.successRate, thresholds.successRate));
		push(notInTarget(m.activeAgents, thresholds.activeAgents));
		if (m.queueLength.state === 'critical' || m.queueLength.state === 'unknown') {
			push({metric: m.queueLength.label, value: m.queueLength.value === null ? 'unknown' : `${formatNumber(m.queueLength.value)} (${m.queueLength.state})`, threshold: `not critical (≤ ${formatNumber(thresholds.queueLength.critical)})`});
		}
	} else if (scenario === 'communication-failure') {
		if (a.staleHeartbeats === null) push({metric: 'stale heartbeats', value: 'unknown (agents list unavailable)', threshold: '0'});
		else if (a.staleHeartbeats > 0) push({metric: 'stale heartbeats', value: String(a.staleHeartbeats), threshold: '0 (heartbeat ≤ 300 s)'});
		const errors = hive.agents?.filter((x) => x.status === 'error') ?? null;
		if (errors === null) push({metric: 'agents in error', value: 'unknown (agents list unavailable)', threshold: '0'});
		else if (errors.length > 0) push({metric: 'agents in error', value: `${errors.length} (${errors.slice(0, 3).map((x) => x.name).join(', ')}${errors.length > 3 ? ', …' : ''})`, threshold: '0'});
		push(notInTarget(m.responseTime, thresholds.responseTime));
	} else {
		push(notInTarget(m.queueLength, thresholds.queueLength));
		const longRunning = hive.tasks?.longRunning ?? hive.coordination?.longRunning ?? null;
		if (longRunning === null) push({metric: 'long-running tasks', value: 'unknown', threshold: '0 (in progress > 1 h)'});
		else if (longRunning > 0) push({metric: 'long-running tasks', value: formatNumber(longRunning), threshold: '0 (in progress > 1 h)'});
		const uneven = unevenAssignment(hive);
		if (uneven) push({metric: 'uneven assignment', value: `${uneven.busiest} holds ${uneven.count}, mean ${formatNumber(uneven.mean)}`, threshold: 'busiest < 2 × mean or < 5 more than the idlest'});
	}
	const still = a.scenarios.find((s) => s.scenario === scenario);
	if (still) failures.push({metric: `${SCENARIO_NAMES[scenario]} detection`, value: still.reason, threshold: 'not detected'});
	return failures;
}

export function failureText(f: Failure): string {
	return `${f.metric}: ${f.value}; ${f.threshold}`;
}

/**
 * A span measured on the hive's clock with wall time as the backstop: it has elapsed when either clock has
 * moved `seconds` since it began (a simulator at --speed 60 ends a 30 s wait in half a second; a real hive's
 * clock runs at wall speed, so the two agree there). Without a hive clock reading it is wall time alone.
 */
export class HiveSpan {
	private hiveStart: number | null = null;
	private hiveLatest: number | null = null;
	private latestWall: number;

	constructor(
		readonly seconds: number,
		readonly wallStart: number,
	) {
		this.latestWall = wallStart;
	}

	/** Records a reading of the hive's clock taken at wall time `wall`. */
	observe(hive: Pick<HiveSnapshot, 'at' | 'hiveNow'> | null, wall: number): void {
		this.latestWall = Math.max(this.latestWall, wall);
		if (!hive) return;
		const now = hiveTime(hive);
		if (this.hiveStart === null) this.hiveStart = now;
		this.hiveLatest = now;
	}

	/** Hive seconds per wall second, as seen so far (at least 1: the wall clock is the backstop). */
	rate(wall = this.latestWall): number {
		if (this.hiveStart === null || this.hiveLatest === null) return 1;
		const wallElapsed = wall - this.wallStart;
		if (wallElapsed <= 0) return 1;
		return Math.max(1, (this.hiveLatest - this.hiveStart) / wallElapsed);
	}

	/** Seconds elapsed: the larger of the hive's and the wall clock's. */
	elapsedSeconds(wall: number): number {
		const wallElapsed = Math.max(0, wall - this.wallStart);
		const hiveElapsed = this.hiveStart === null || this.hiveLatest === null ? 0 : Math.max(0, this.hiveLatest - this.hiveStart);
		return Math.max(wallElapsed, hiveElapsed) / 1000;
	}

	remainingSeconds(wall: number): number {
		return Math.max(0, this.seconds - this.elapsedSeconds(wall));
	}

	done(wall: number): boolean {
		return this.remainingSeconds(wall) <= 0;
	}

	countdown(wall: number): Countdown {
		return {seconds: this.remainingSeconds(wall), at: wall, rate: this.rate(wall)};
	}

	/** Wall ms until the span ends at the rate seen so far. */
	wallMsLeft(wall: number): number {
		return (this.remainingSeconds(wall) * 1000) / this.rate(wall);
	}
}

/** Hive seconds left on a countdown at wall time `now`, for display. */
export function countdownLeft(c: Countdown, now: number): number {
	return Math.max(0, Math.ceil(c.seconds - (Math.max(0, now - c.at) / 1000) * c.rate));
}
