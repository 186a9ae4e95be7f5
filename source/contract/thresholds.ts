// The runbook's threshold table: the four coordination metrics, the level at which each turns warning and
// critical, and the stale-heartbeat limit (README, Configuration). A context's config may override them;
// the merge lives with the model (model/thresholds.ts).

export type MetricName = 'successRate' | 'responseTime' | 'queueLength' | 'activeAgents';

/** One row of the threshold table; `direction` says which way is bad. */
export interface Threshold {
	target: number;
	warning: number;
	critical: number;
	direction: 'higher-is-better' | 'lower-is-better';
	unit: '%' | 's' | '';
}

export type Thresholds = Record<MetricName, Threshold> & {
	/** Seconds without a heartbeat before an agent that should be alive counts as stale (default 300). */
	staleHeartbeatSeconds?: number;
};

/** The default stale-heartbeat limit; a context can set its own (`thresholds.staleHeartbeatSeconds`). */
export const DEFAULT_STALE_HEARTBEAT_SECONDS = 300;

export const METRIC_NAMES: MetricName[] = ['successRate', 'responseTime', 'queueLength', 'activeAgents'];

export const DEFAULT_THRESHOLDS: Thresholds = {
	successRate: {target: 95, warning: 90, critical: 70, direction: 'higher-is-better', unit: '%'},
	responseTime: {target: 5, warning: 10, critical: 30, direction: 'lower-is-better', unit: 's'},
	queueLength: {target: 10, warning: 50, critical: 100, direction: 'lower-is-better', unit: ''},
	activeAgents: {target: 3, warning: 3, critical: 1, direction: 'higher-is-better', unit: ''},
	staleHeartbeatSeconds: DEFAULT_STALE_HEARTBEAT_SECONDS,
};
