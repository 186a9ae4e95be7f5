// What the pure model derives from the store's snapshots (see README, Architecture).
import type {SourceName, SourceState} from '../contract/snapshot.js';

export type HealthState = 'ok' | 'degraded' | 'warning' | 'critical' | 'unknown';
export type OverallState = 'healthy' | 'warning' | 'critical' | 'unknown';

export type {MetricName, Threshold, Thresholds} from '../contract/thresholds.js';
import type {MetricName} from '../contract/thresholds.js';

export interface MetricAssessment {
	name: MetricName;
	label: string;
	value: number | null;
	state: HealthState;
	/** One line, e.g. "success rate 87.5 % < 90 % warning". */
	reason: string;
}

export type RunbookScenario = 'coordination-critical' | 'communication-failure' | 'task-distribution';

/** Problems the runbook has no scenario (playbook) for, but which the console recognises and names. */
export type ConditionKind = 'slow-database' | 'flaky-api';

export interface Condition {
	condition: ConditionKind;
	/** Short name, e.g. "Slow database". */
	title: string;
	/** The evidence, one line, e.g. "agents answer in 14.2 s (target < 5 s); slowest statement 812 ms mean". */
	reason: string;
	/** What the console and the runbook offer for it, with keys, e.g. "L latency analysis · 5 slow queries · …". */
	offers: string;
}

/**
 * A source whose data the model did not trust this time: down for two polls in a row, or its data older
 * than two poll intervals (see model/freshness.ts). Metrics it feeds are unknown.
 */
export interface UntrustedSource {
	source: SourceName;
	/** The source's state ("down", "unauthorised", "misconfigured"), "stale" (old data, no failure) or "pending" (no data yet). */
	what: SourceState | 'stale';
	/** Since when (epoch ms): the first failed poll of the run, or the last success for "stale"; null if unknown. */
	since: number | null;
	/** Epoch ms of the last good data, or null if there never was any. */
	lastGoodAt: number | null;
}

export interface Recommendation {
	/** Stable id, e.g. "tune-heartbeat-interval". */
	id: string;
	text: string;
	/** The action id from the registry that carries it out, if any. */
	actionId: string | null;
	/** Inputs for that action, e.g. {interval: 30}. */
	inputs: Record<string, number | string>;
}

export interface Assessment {
	overall: OverallState;
	metrics: Record<MetricName, MetricAssessment>;
	/** Runbook scenarios whose conditions hold now, most severe first. */
	scenarios: Array<{scenario: RunbookScenario; reason: string}>;
	recommendations: Recommendation[];
	/** Agents that should be alive with a heartbeat older than the threshold, or none (model/agents.ts); null when unknown. */
	staleHeartbeats: number | null;
	/** Slow database, flaky API: named with what the runbook offers, beside (not in) the runbook scenarios. */
	conditions: Condition[];
	/** Sources whose data was not trusted, the hive first; when the hive is among them, overall is unknown. */
	untrusted: UntrustedSource[];
}
