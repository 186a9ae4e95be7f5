// Pane 1: the runbook's four metrics against their thresholds, with the state as glyph + word, the reason,
// and a trend from the store's history; then the components reported by /health.
import type {HealthState, MetricName, Threshold} from '../../model/types.js';
import type {HistoryPoint} from '../../contract/snapshot.js';
import type {HealthComponent} from '../../contract/types.js';
import {compactNumber, percent} from '../format.js';
import {asciiText} from '../ascii-output.js';
import {healthLook, sparkline, type SparkScale, type Theme, type Tone} from '../theme.js';
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

const SHORT_LABELS: Record<MetricName, string> = {
	successRate: 'success',
	responseTime: 'response',
	queueLength: 'queue',
	activeAgents: 'agents',
};

function labelFor(row: {name: MetricName; label: string}, width: number | undefined): string {
	return width === undefined || displayWidth(row.label) <= width ? row.label : SHORT_LABELS[row.name];
}

export type MetricsRow =
	| {kind: 'metric'; name: MetricName; label: string; value: number | null; state: HealthState; reason: string; threshold: Threshold | null; trend: Array<number | null>; spark: (width: number) => string; thresholdText: string; glyph: string}
	| {kind: 'component'; name: string; state: HealthState; component: HealthComponent; glyph: string};

function formatValue(value: number | null, unit: string): string {
	if (value === null) return '?';
	if (unit === '%') return percent(value);
	if (unit === 's') return `${compactNumber(value)} s`;
	return compactNumber(value);
}

/** ">95 <90 <70", "<5 >10 >30s", "≥3 <3 <1" (">=3" under --ascii, where "≥" would otherwise read as ">"). */
function thresholdText(t: Threshold | null, theme: Theme): string {
	if (!t) return '?';
	const [good, bad] = t.direction === 'higher-is-better' ? ['>', '<'] : ['<', '>'];
	const u = t.unit === '%' ? '' : t.unit;
	if (t.direction === 'higher-is-better' && t.unit === '') return `${theme.ascii ? '>=' : '≥'}${t.target} <${t.warning} <${t.critical}${u}`;
	return `${good}${t.target} ${bad}${t.warning} ${bad}${t.critical}${u}`;
}

// The least range a trend is drawn over when the metric has no thresholds, per unit: a wobble smaller
// than this is noise, not news.
const MIN_SPAN: Record<Threshold['unit'], number> = {'%': 5, s: 1, '': 2};

/**
 * A trend is scaled against the metric's thresholds as well as its own values, so its height says how
 * close the metric is to trouble: 98.2 -> 98.1 % against 70..95 draws nearly flat, a fall to 85 % does not.
 */
function trendScale(t: Threshold | null): SparkScale {
	return t ? {include: [t.target, t.warning, t.critical], minSpan: MIN_SPAN[t.unit]} : {minSpan: 1};
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
		// Narrow (a 3-column grid's pane) the metric keeps its short name rather than push out the thresholds.
		{id: 'name', title: 'Metric', width: 16, minWidth: 8, priority: 8, cell: (r, _now, width) => (r.kind === 'metric' ? labelFor(r, width) : `  ${r.name}`), sortKey: (r) => (r.kind === 'metric' ? r.label : r.name)},
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
		{id: 'thresholds', title: 'Thresholds', width: 13, minWidth: 12, priority: 3, cell: (r) => (r.kind === 'metric' ? r.thresholdText : '')},
		// Right-aligned and drawn at the column's width: the newest sample is always at the right edge, and a
		// narrow column leaves out the oldest.
		{id: 'trend', title: 'Trend', width: 12, minWidth: 6, align: 'right', priority: 4, cell: (r, _now, width) => (r.kind === 'metric' ? r.spark(width ?? 12) : '')},
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
			const threshold = ctx.thresholds?.[name] ?? null;
			const trend = ctx.state.history.map((p) => p[HISTORY_KEY[name]]);
			return {
				kind: 'metric',
				name,
				label: m?.label ?? LABELS[name],
				value: m?.value ?? null,
				state,
				reason: m?.reason ?? 'no data yet',
				threshold,
				trend,
				spark: (width) => sparkline(ctx.theme, trend, width, trendScale(threshold)),
				thresholdText: thresholdText(threshold, ctx.theme),
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
	copy: (r) => (r.kind === 'metric' ? {what: r.label, text: r.reason} : {what: `component ${r.name}`, text: `${r.name}: ${r.state}${r.component.details ? ` (${r.component.details})` : ''}${r.component.error ? ` error: ${r.component.error}` : ''}`}),
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
		// The details view lays these out itself: under --ascii they are written out here, before it measures them.
		const text = (value: string) => (ctx.theme.ascii ? asciiText(value) : value);
		return {
			title: `Metric: ${row.label}`,
			fields: [
				['state', `${row.glyph} ${row.state}`],
				['value', formatValue(row.value, row.threshold?.unit ?? '')],
				['thresholds', row.thresholdText],
				['reason', text(row.reason)],
				['trend', row.spark(40)],
			],
			table: recs.length > 0 ? {title: 'Runbook advice', rows: recs.map((r) => ({advice: text(r.text)}))} : undefined,
		};
	},
};
