// How a context's threshold overrides merge into the runbook's table (contract/thresholds.ts).
import {DEFAULT_THRESHOLDS, METRIC_NAMES, type MetricName, type Threshold, type Thresholds} from '../contract/thresholds.js';

export {DEFAULT_THRESHOLDS, METRIC_NAMES};

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
