// Pane 1: the runbook's four metrics against their thresholds, with the state as glyph + word, the reason,
// and a trend from the store's history; then the components reported by /health.
import type {HealthState, MetricName, Threshold} from '../../model/types.js';
import type {HistoryPoint} from '../../contract/snapshot.js';
import type {HealthComponent} from '../../contract/types.js';
import {compactNumber, percent} from '../format.js';
import {healthLook, sparkline, type Tone} from '../theme.js';
import {seg} from '../line.js';
import {displayWidth, sanitise} from '../../util/terminal-text.js';
import type {PaneContext, PaneSpec} from './pane-spec.js';

const METRICS: MetricName[] = ['successRate', 'responseTime', 'queueLength', 'activeAgents'];
const LABELS: Record<MetricName, string> = {
	successRate: 'success rate',
	responseTime: 'response time',
	queueLength: 'queue length',
	activeAgents: 'active agents',
};

export type MetricsRow =
	| {kind: 'metric'; name: MetricName; label: string; value: number | null; state: HealthState; reason: string; threshold: Threshold | null; trend: Array<number | null>; spark: string; glyph: string}
	| {kind: 'component'; name: string; state: HealthState; component: HealthComponent; glyph: string};

function formatValue(value: number | null, unit: string): string {
	if (value === null) return '?';
	if (unit === '%') return percent(value);
	if (unit === 's') return `${compactNumber(value)} s`;
	return compactNumber(value);
}

function thresholdText(t: Threshold | null): string {
	if (!t) return '?';
	const [good, bad] = t.direction === 'higher-is-better' ? ['>', '<'] : ['<', '>'];
	const u = t.unit === '%' ? '' : t.unit;
	if (t.direction === 'higher-is-better' && t.unit === '') return `≥${t.target} <${t.warning} <${t.critical}${u}`;
	return `${good}${t.target} ${bad}${t.warning} ${bad}${t.critical}${u}`;
}

function componentState(status: string): HealthState {
	if (status === 'healthy') return 'ok';
	if (status === 'unhealthy') return 'critical';
	if (status === 'degraded') return 'degraded';
	return 'unknown';
}

const HISTORY_KEY: Record<MetricName, keyof Omit<HistoryPoint, 'at'>> = {
	successRate: 'successRate',
	responseTime: 'responseTime',
	queueLength: 'queueLength',
	activeAgents: 'activeAgents',
};

const STATE_RANK: Record<HealthState, number> = {critical: 4, warning: 3, degraded: 2, unknown: 1, ok: 0};

export const metricsPane: PaneSpec<MetricsRow> = {
	id: 'metrics',
	number: 1,
	title: 'Metrics vs thresholds',
	tab: 'Metrics',
	source: 'hive',
	disabledHint: 'give the hive URL with --hive URL or HIVE_URL',
	columns: [
		{id: 'state', title: 'State', width: 10, minWidth: 10, priority: 9, cell: (r) => `${r.glyph} ${r.state}`, sortKey: (r) => STATE_RANK[r.state]},
		{id: 'name', title: 'Metric', width: 16, minWidth: 13, priority: 8, cell: (r) => (r.kind === 'metric' ? r.label : `  ${r.name}`), sortKey: (r) => (r.kind === 'metric' ? r.label : r.name)},
		{
			id: 'value',
			title: 'Value',
			width: 9,
			minWidth: 6,
			align: 'right',
			priority: 7,
			cell: (r) => (r.kind === 'metric' ? formatValue(r.value, r.threshold?.unit ?? '') : r.component.responseTime === null ? '' : `${r.component.responseTime} ms`),
			sortKey: (r) => (r.kind === 'metric' ? r.value : null),
		},
		{id: 'thresholds', title: 'Thresholds', width: 13, minWidth: 12, priority: 3, cell: (r) => (r.kind === 'metric' ? thresholdText(r.threshold) : '')},
		{id: 'trend', title: 'Trend', width: 12, minWidth: 6, priority: 4, cell: (r) => (r.kind === 'metric' ? r.spark : '')},
		{
			id: 'reason',
			title: 'Reason',
			width: 20,
			minWidth: 6,
			flex: true,
			priority: 1,
			cell: (r) => (r.kind === 'metric' ? r.reason : r.component.error ?? r.component.details ?? r.component.status),
		},
	],
	defaultSort: {column: '', descending: false},
	rows(ctx: PaneContext): MetricsRow[] {
		const rows: MetricsRow[] = METRICS.map((name) => {
			const m = ctx.assessment?.metrics[name];
			const state = m?.state ?? 'unknown';
			return {
				kind: 'metric',
				name,
				label: m?.label ?? LABELS[name],
				value: m?.value ?? null,
				state,
				reason: m?.reason ?? 'no data yet',
				threshold: ctx.thresholds?.[name] ?? null,
				trend: ctx.state.history.map((p) => p[HISTORY_KEY[name]]),
				spark: sparkline(ctx.theme, ctx.state.history.map((p) => p[HISTORY_KEY[name]]), 12),
				glyph: healthLook(ctx.theme, state).glyph,
			};
		});
		for (const component of ctx.state.snapshots.hive?.health?.components ?? []) {
			const state = componentState(component.status);
			rows.push({kind: 'component', name: component.name, state, component, glyph: healthLook(ctx.theme, state).glyph});
		}
		return rows;
	},
	key: (r) => (r.kind === 'metric' ? `m:${r.name}` : `c:${r.name}`),
	searchText: (r) => (r.kind === 'metric' ? `${r.label} ${r.state} ${r.reason}` : `${r.name} ${r.state} ${r.component.details ?? ''}`),
	tone: (r): Tone => (r.state === 'unknown' ? 'unknown' : r.state),
	summary(ctx, width) {
		const health = ctx.state.snapshots.hive?.health;
		const scenarios = ctx.assessment?.scenarios ?? [];
		const lines = [];
		if (health) {
			const look = healthLook(ctx.theme, componentState(health.status));
			lines.push([seg('/health '), seg(`${look.glyph} ${health.status}`, look.tone, true), seg(health.version ? `  version ${health.version}` : '', 'muted')]);
		} else {
			lines.push([seg('/health: no report yet', 'muted')]);
		}
		if (scenarios.length > 0) {
			lines[0]!.push(seg(`  runbook: ${scenarios[0]!.scenario}`, 'critical', true));
		}
		// The first condition (slow database, flaky API) only when it fits whole: the line under the panes
		// names it in full, and a cut-off name here would say less than nothing.
		const condition = ctx.assessment?.conditions[0];
		if (condition && width !== undefined) {
			const part = seg(`  ${healthLook(ctx.theme, 'warning').glyph} ${condition.title}`, 'warning', true);
			const used = lines[0]!.reduce((n, s) => n + displayWidth(sanitise(s.text)), 0);
			if (used + displayWidth(sanitise(part.text)) <= width) lines[0]!.push(part);
		}
		return lines;
	},
	empty: () => 'no metrics yet',
	detail(row, ctx) {
		if (row.kind === 'component') {
			return {
				title: `/health component ${row.name}`,
				fields: [
					['status', `${row.glyph} ${row.component.status}`],
					['response time', row.component.responseTime ?? '?'],
					['details', row.component.details ?? ''],
					['error', row.component.error ?? ''],
				],
			};
		}
		const recs = ctx.assessment?.recommendations ?? [];
		return {
			title: `Metric: ${row.label}`,
			fields: [
				['state', `${row.glyph} ${row.state}`],
				['value', formatValue(row.value, row.threshold?.unit ?? '')],
				['thresholds', thresholdText(row.threshold)],
				['reason', row.reason],
				['trend', sparkline(ctx.theme, row.trend, 40)],
			],
			table: recs.length > 0 ? {title: 'Runbook advice', rows: recs.map((r) => ({advice: r.text}))} : undefined,
		};
	},
};
