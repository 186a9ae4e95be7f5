// What the pure model derives from the store's snapshots (issue 3, Poller, store, model).

export type HealthState = 'ok' | 'degraded' | 'warning' | 'critical' | 'unknown';
export type OverallState = 'healthy' | 'warning' | 'critical' | 'unknown';

export type MetricName = 'successRate' | 'responseTime' | 'queueLength' | 'activeAgents';

/** One row of the runbook's threshold table (contract §7); `direction` says which way is bad. */
export interface Threshold {
	target: number;
	warning: number;
	critical: number;
	direction: 'higher-is-better' | 'lower-is-better';
	unit: '%' | 's' | '';
}

export type Thresholds = Record<MetricName, Threshold>;

export interface MetricAssessment {
	name: MetricName;
	label: string;
	value: number | null;
	state: HealthState;
	/** One line, e.g. "success rate 87.5 % < 90 % warning". */
	reason: string;
}

export type RunbookScenario = 'coordination-critical' | 'communication-failure' | 'task-distribution';

export interface Recommendation {
	/** Stable id, e.g. "tune-heartbeat-interval". */
	id: string;
	text: string;
	/** The action id from the registry that carries it out, if any (issue 5). */
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
	/** Active agents whose heartbeat is older than 300 s (contract §2 definition). */
	staleHeartbeats: number | null;
}
