// The fleet: one row per configured hive, built from each hive's own StatusReport, worst first, as text
// for people and as JSON (schema 1) for scripts. Pure: the command polls, this only shapes and renders.
import {formatNumber} from '../model/metrics.js';
import type {HealthState, MetricName, OverallState} from '../model/types.js';
import {cutToWidth, displayWidth, fitCell, sanitise} from '../util/terminal-text.js';
import {shortDuration} from '../util/duration.js';
import type {Paint} from './color.js';
import {exitCodeFor, type StatusReport} from './report.js';

export const FLEET_SCHEMA = 1;

export interface FleetRow {
	context: string;
	environment: string | null;
	/** Hive base URL without credentials. */
	hive: string;
	overall: OverallState;
	/** Why the state is unknown ("hive down 12 s"), else null. */
	overallReason: string | null;
	metrics: Record<MetricName, {value: number | null; state: HealthState}>;
	/** Agents the hive lists, and how many have a stale heartbeat. */
	agents: number;
	staleHeartbeats: number | null;
	/** The first runbook scenario detected, or null. */
	scenario: string | null;
	/** Seconds since the hive last answered, null if it never did. */
	updatedSecondsAgo: number | null;
	/** The hive source's error, one line, or null. */
	error: string | null;
}

export interface FleetReport {
	schema: typeof FLEET_SCHEMA;
	generatedAt: string;
	/** The worst row's state (unknown counts as worst: a hive nobody can read may be down). */
	worst: OverallState;
	hives: FleetRow[];
}

export function fleetRow(context: string, report: StatusReport, updatedSecondsAgo: number | null): FleetRow {
	const metrics = {} as FleetRow['metrics'];
	for (const [name, m] of Object.entries(report.metrics) as Array<[MetricName, StatusReport['metrics'][MetricName]]>) metrics[name] = {value: m.value, state: m.state};
	return {
		context,
		environment: report.environment,
		hive: report.hive,
		overall: report.overall,
		overallReason: report.overallReason,
		metrics,
		agents: report.agents.length,
		staleHeartbeats: report.staleHeartbeats,
		scenario: report.scenarios[0]?.scenario ?? null,
		updatedSecondsAgo,
		error: report.sources.hive.error,
	};
}

/** Rows worst first (by exit code: unknown, critical, warning, healthy), then in the config's order. */
export function buildFleetReport(rows: FleetRow[], now: number): FleetReport {
	const order = rows.map((row, i) => ({row, i}));
	order.sort((a, b) => exitCodeFor(b.row.overall) - exitCodeFor(a.row.overall) || a.i - b.i);
	const hives = order.map((o) => o.row);
	return {schema: FLEET_SCHEMA, generatedAt: new Date(now).toISOString(), worst: hives[0]?.overall ?? 'unknown', hives};
}

const METRICS: Array<[MetricName, string, string]> = [
	['successRate', 'SUCCESS', ' %'],
	['responseTime', 'RESPONSE', ' s'],
	['queueLength', 'QUEUE', ''],
	['activeAgents', 'ACTIVE', ''],
];

/** The fleet as an aligned table; lines cut to `width` on a terminal, whole (but bounded) in a pipe. */
export function renderFleetText(report: FleetReport, options: {paint: Paint; width: number | null; title?: string}): string {
	const {paint} = options;
	const nameOf = (h: FleetRow) => sanitise(h.environment ? `${h.context} [${h.environment}]` : h.context);
	const contextWidth = Math.min(24, Math.max(7, ...report.hives.map((h) => displayWidth(nameOf(h)))));
	const header = [fitCell('CONTEXT', contextWidth), fitCell('STATE', 8), ...METRICS.map(([, heading]) => fitCell(heading, 9)), fitCell('AGENTS', 8), fitCell('UPDATED', 8), 'SCENARIO / ERROR'].join(' ');
	const lines = [options.title ?? `hive-console fleet · ${report.hives.length} hives · worst ${report.worst.toUpperCase()} · ${report.generatedAt.replace(/\.\d+Z$/, 'Z')}`, header];
	for (const h of report.hives) {
		const metricText = METRICS.map(([name, , unit]) => {
			const m = h.metrics[name];
			return {text: fitCell(m.value === null ? '—' : `${formatNumber(m.value)}${unit}`, 9), state: m.state};
		});
		const agents = h.staleHeartbeats ? `${h.agents} (${h.staleHeartbeats} stale)` : String(h.agents);
		const updated = h.updatedSecondsAgo === null ? 'never' : `${shortDuration(h.updatedSecondsAgo)} ago`;
		const note = sanitise([h.scenario, h.overallReason, h.error].filter(Boolean).join(' · '));
		const fixed = [fitCell(nameOf(h), contextWidth), fitCell(h.overall.toUpperCase(), 8), ...metricText.map((m) => m.text), fitCell(agents, 8), fitCell(updated, 8)];
		const fixedWidth = fixed.reduce((n, c) => n + displayWidth(c) + 1, 0);
		// Colour goes on whole cells, after the cut is decided, so an escape sequence is never cut in two.
		if (options.width !== null && fixedWidth > options.width) {
			lines.push(cutToWidth([...fixed, note].join(' '), options.width));
			continue;
		}
		const room = options.width === null ? 200 : Math.max(0, options.width - fixedWidth);
		lines.push(
			[
				fixed[0]!,
				paint.bold(paint.state(fixed[1]!, h.overall)),
				...metricText.map((m) => paint.state(m.text, m.state)),
				fixed[6]!,
				fixed[7]!,
				cutToWidth(note, room),
			].join(' ').trimEnd(),
		);
	}
	const width = options.width;
	return [...lines.slice(0, 2).map((l) => (width ? cutToWidth(l, width) : l)), ...lines.slice(2)].join('\n');
}
