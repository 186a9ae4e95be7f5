// The runbook's threshold table (see README, Configuration) and how config overrides merge into it.
import {DEFAULT_STALE_HEARTBEAT_SECONDS} from './agents.js';
import type {MetricName, Threshold, Thresholds} from './types.js';

export const METRIC_NAMES: MetricName[] = ['successRate', 'responseTime', 'queueLength', 'activeAgents'];

export const DEFAULT_THRESHOLDS: Thresholds = {
	successRate: {target: 95, warning: 90, critical: 70, direction: 'higher-is-better', unit: '%'},
	responseTime: {target: 5, warning: 10, critical: 30, direction: 'lower-is-better', unit: 's'},
	queueLength: {target: 10, warning: 50, critical: 100, direction: 'lower-is-better', unit: ''},
	activeAgents: {target: 3, warning: 3, critical: 1, direction: 'higher-is-better', unit: ''},
	staleHeartbeatSeconds: DEFAULT_STALE_HEARTBEAT_SECONDS,
};

export type ThresholdOverrides = Partial<Record<MetricName, Partial<Pick<Threshold, 'target' | 'warning' | 'critical'>>>> & {staleHeartbeatSeconds?: number};

/**
 * Merges overrides into the defaults and returns the problems (e.g. a warning level beyond the target)
 * so the config loader can name the key; an inconsistent table would make states contradict each other.
 */
export function mergeThresholds(overrides: ThresholdOverrides | undefined): {thresholds: Thresholds; problems: string[]} {
	const thresholds = structuredClone(DEFAULT_THRESHOLDS);
	const problems: string[] = [];
	for (const name of METRIC_NAMES) {
		const merged: Threshold = {...thresholds[name], ...(overrides?.[name] ?? {})};
		thresholds[name] = merged;
		const {target, warning, critical} = merged;
		const ordered =
			merged.direction === 'higher-is-better' ? target >= warning && warning >= critical : target <= warning && warning <= critical;
		if (!ordered) {
			const relation = merged.direction === 'higher-is-better' ? '≥' : '≤';
			problems.push(
				`thresholds.${name}: expected target ${relation} warning ${relation} critical, got target ${target}, warning ${warning}, critical ${critical}`,
			);
		}
	}
	if (overrides?.staleHeartbeatSeconds !== undefined) thresholds.staleHeartbeatSeconds = overrides.staleHeartbeatSeconds;
	return {thresholds, problems};
}
