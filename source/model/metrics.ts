// One metric against its threshold row: state and the one-line reason (pure).
import type {HealthState, MetricAssessment, MetricName, Threshold} from './types.js';

export const METRIC_LABELS: Record<MetricName, string> = {
	successRate: 'success rate',
	responseTime: 'response time',
	queueLength: 'queue length',
	activeAgents: 'active agents',
};

/** Python prints 66.66666666666666; people read 66.7. Integers stay integers. */
export function formatNumber(value: number): string {
	if (Number.isNaN(value)) return 'NaN';
	if (value === Infinity) return '+Inf';
	if (value === -Infinity) return '-Inf';
	if (Number.isInteger(value)) return String(value);
	const abs = Math.abs(value);
	const digits = abs >= 100 ? 0 : abs >= 1 ? 1 : 2;
	return String(Number(value.toFixed(digits)));
}

export function withUnit(value: number, unit: Threshold['unit']): string {
	return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

/**
 * Warning and critical bounds are strict, as in the runbook's table (< 90 % is warning, so 90 % is not);
 * a value no worse than the target is ok (95 % is ok, matching the daily check's "< 95 %" warning).
 * Between target and warning the metric is degraded.
 */
export function classify(value: number, t: Threshold): Exclude<HealthState, 'unknown'> {
	if (t.direction === 'higher-is-better') {
		if (value < t.critical) return 'critical';
		if (value < t.warning) return 'warning';
		if (value < t.target) return 'degraded';
		return 'ok';
	}
	if (value > t.critical) return 'critical';
	if (value > t.warning) return 'warning';
	if (value > t.target) return 'degraded';
	return 'ok';
}

/**
 * @param missing why there is no value, when `value` is null ("coordination metrics unavailable").
 * @param detail appended to the reason, e.g. "slowest: agent-7 41.2 s".
 */
export function assessMetric(
	name: MetricName,
	value: number | null | undefined,
	t: Threshold,
	options: {missing?: string; detail?: string} = {},
): MetricAssessment {
	const label = METRIC_LABELS[name];
	if (value === null || value === undefined) {
		return {name, label, value: null, state: 'unknown', reason: `${label}: no data (${options.missing ?? 'not reported'})`};
	}
	if (Number.isNaN(value)) {
		return {name, label, value: null, state: 'unknown', reason: `${label}: the hive reported NaN (no value to judge)`};
	}
	const state = classify(value, t);
	const v = withUnit(value, t.unit);
	const lower = t.direction === 'higher-is-better';
	let reason: string;
	switch (state) {
		case 'critical':
			reason = `${label} ${v} ${lower ? '<' : '>'} ${withUnit(t.critical, t.unit)} critical`;
			break;
		case 'warning':
			reason = `${label} ${v} ${lower ? '<' : '>'} ${withUnit(t.warning, t.unit)} warning`;
			break;
		case 'degraded':
			reason = `${label} ${v} ${lower ? '<' : '>'} ${withUnit(t.target, t.unit)} target (degraded)`;
			break;
		default:
			reason = `${label} ${v} ${lower ? '≥' : '≤'} ${withUnit(t.target, t.unit)} target`;
	}
	if (options.detail) reason += `; ${options.detail}`;
	return {name, label, value, state, reason};
}
