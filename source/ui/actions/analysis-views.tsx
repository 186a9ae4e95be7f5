// The shipped server's analysis replies as readable views: a summary of the key figures, then tables, as
// lines the run view scrolls with ↑/↓ (j/k), PgUp/PgDn and g/G when they do not fit. Each reply is read with the server's
// schemas (loosened in source/actions/defs/server-replies.ts, so a missing field shows as "?" instead of
// losing the view). A reply of another shape (the runbook profile's analyses) gets no view here and the run
// view falls back to its generic table. Every string from the hive passes the sanitiser: SegmentLine and
// fitCell both sanitise and cut by display width.
import {readDiagnostics, readDistribution, readFailures, readSuccessRate, readSystemHealth, type DiagnosticsReply, type DistributionReply, type FailuresReply, type SuccessRateReply, type SystemHealthReply} from '../../actions/defs/server-replies.js';
import {cutToWidth, displayWidth, fitCell, sanitise} from '../../util/terminal-text.js';
import {seg, type Line} from '../line.js';
import type {Tone} from '../theme.js';

type Cell = string | number | null | undefined;

const unknown = '?';

function num(value: number | null | undefined, digits = 1): string {
	if (value === null || value === undefined || !Number.isFinite(value)) return unknown;
	const factor = 10 ** digits;
	return String(Math.round(value * factor) / factor);
}

function pct(value: number | null | undefined): string {
	const n = num(value);
	return n === unknown ? n : `${n} %`;
}

function text(value: unknown, width = 80): string {
	if (value === null || value === undefined || value === '') return unknown;
	return cutToWidth(sanitise(String(value)).replace(/\s+/g, ' ').trim(), width);
}

function heading(title: string): Line {
	return [seg(title, 'accent', true)];
}

/**
 * A table as lines: a header, then one line per row, columns as wide as their widest cell (each at most
 * `cap`), narrowed from the widest when the whole does not fit. Numbers are right-aligned.
 */
export function tableLines(headers: string[], rows: Cell[][], width: number, cap = 40): Line[] {
	if (rows.length === 0) return [[seg('  none', 'muted')]];
	const cells = rows.map((row) => row.map((c) => (c === null || c === undefined ? unknown : sanitise(String(c)).replace(/\s+/g, ' '))));
	const numeric = headers.map((_, i) => rows.every((row) => typeof row[i] === 'number' || row[i] === null || row[i] === undefined));
	const widths = headers.map((h, i) => Math.min(cap, Math.max(displayWidth(h), ...cells.map((row) => displayWidth(row[i] ?? '')))));
	const gap = 2;
	const room = Math.max(headers.length * 3, width - 2 - gap * (headers.length - 1));
	while (widths.reduce((a, b) => a + b, 0) > room) {
		const widest = widths.indexOf(Math.max(...widths));
		if (widths[widest]! <= 3) break;
		widths[widest]!--;
	}
	const line = (values: string[], tone: Tone, bold: boolean): Line => [seg('  '), seg(values.map((v, i) => fitCell(v, widths[i]!, numeric[i] ? 'right' : 'left')).join(' '.repeat(gap)), tone, bold)];
	return [line(headers, 'muted', true), ...cells.map((row) => line(row, 'plain', false))];
}

function listLines(items: Array<string | null | undefined>, width: number, tone: Tone = 'plain'): Line[] {
	const shown = items.filter((x): x is string => typeof x === 'string' && x.trim() !== '');
	if (shown.length === 0) return [[seg('  none', 'muted')]];
	return shown.map((x) => [seg('  • ', 'muted'), seg(text(x, width), tone)]);
}

const TREND_TONE: Record<string, Tone> = {improving: 'ok', stable: 'plain', declining: 'warning'};
const LEVEL_TONE: Record<string, Tone> = {critical: 'critical', warning: 'warning', info: 'accent', high: 'warning', medium: 'plain', low: 'muted'};

export function successRateLines(reply: SuccessRateReply, width: number): Line[] {
	const m = reply.current_metrics ?? {};
	const lines: Line[] = [
		[
			seg('success rate ', 'muted'),
			seg(pct(m.success_rate), 'plain', true),
			seg(' · tasks ', 'muted'),
			seg(m.total_tasks ?? unknown, 'plain', true),
			seg(`: ${m.successful_tasks ?? unknown} succeeded, ${m.failed_tasks ?? unknown} failed, ${m.pending_tasks ?? unknown} pending`),
			seg(' · trend ', 'muted'),
			seg(m.trend_direction ?? unknown, TREND_TONE[m.trend_direction ?? ''] ?? 'plain', true),
		],
		[
			seg('average completion ', 'muted'),
			seg(`${num(m.average_completion_time)} min`),
			seg(' · coordination errors ', 'muted'),
			seg(m.coordination_errors ?? unknown, (m.coordination_errors ?? 0) > 0 ? 'warning' : 'plain'),
			seg(' · last failure ', 'muted'),
			seg(m.last_coordination_failure === null ? 'none' : text(m.last_coordination_failure, 40)),
			seg(` · current figures: last 24 h; breakdown: ${reply.time_range_hours ?? unknown} h`, 'muted'),
		],
	];
	for (const alert of reply.critical_alerts ?? []) {
		lines.push([seg(`${(alert.level ?? 'alert').toUpperCase()} `, LEVEL_TONE[alert.level ?? ''] ?? 'warning', true), seg(text(alert.message, width)), seg(alert.threshold ? ` (threshold ${text(alert.threshold, 30)})` : '', 'muted'), seg(alert.impact ? ` ${text(alert.impact, 60)}` : '', 'muted')]);
	}
	lines.push([], heading('Recommendations'), ...listLines(reply.recommendations ?? [], width));
	// The server sends the hours newest first, as "HH:MM" with no date, so they are kept in its order:
	// sorting the text would put 23:00 yesterday above 01:00 today.
	const hours = reply.hourly_breakdown ?? [];
	lines.push([], heading(`Hourly breakdown, newest first (${hours.length} h)`), ...tableLines(['hour', 'tasks', 'succeeded', 'success %'], hours.map((h) => [h.hour, h.total_tasks, h.successful_tasks, h.success_rate === undefined ? null : Math.round(h.success_rate * 10) / 10]), width));
	const patterns = Object.entries(reply.failure_patterns ?? {}).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
	lines.push([], heading('Failure patterns'), ...tableLines(['pattern', 'count'], patterns.map(([p, n]) => [p, n]), width, 70));
	return lines;
}

export function distributionLines(reply: DistributionReply, width: number): Line[] {
	const m = reply.distribution_metrics ?? {};
	const agents = reply.agent_distribution ?? [];
	const balance = new Map((reply.workload_balance ?? []).map((w) => [w.agent_id, w]));
	const total = agents.reduce((sum, a) => sum + (a.task_count ?? 0), 0);
	const lines: Line[] = [
		[
			seg(`last ${reply.time_range_hours ?? unknown} h: `, 'muted'),
			seg(`${total} tasks`, 'plain', true),
			seg(' over ', 'muted'),
			seg(`${m.total_agents_with_tasks ?? agents.length} agents`, 'plain', true),
			seg(' · efficiency ', 'muted'),
			seg(pct(m.distribution_efficiency), 'plain', true),
			seg(' · variance ', 'muted'),
			seg(num(m.workload_variance)),
		],
		[seg('most utilised ', 'muted'), seg(m.most_utilized_agent === null ? 'none' : text(m.most_utilized_agent, 40), 'plain', true), seg(' · least utilised ', 'muted'), seg(m.least_utilized_agent === null ? 'none' : text(m.least_utilized_agent, 40), 'plain', true)],
	];
	const shares = (items: Array<{label: string | undefined; count: number | undefined; percentage: number | undefined}>) =>
		items.map((x) => `${text(x.label, 24)} ${x.count ?? unknown} (${pct(x.percentage)})`).join(', ') || 'none';
	lines.push([seg('types: ', 'muted'), seg(shares((reply.type_distribution ?? []).map((t) => ({label: t.task_type, count: t.count, percentage: t.percentage}))))]);
	lines.push([seg('priorities: ', 'muted'), seg(shares((reply.priority_distribution ?? []).map((p) => ({label: p.priority, count: p.count, percentage: p.percentage}))))]);
	const byLoad = [...agents].sort((a, b) => (b.task_count ?? -1) - (a.task_count ?? -1) || (balance.get(b.agent_id)?.active_tasks ?? -1) - (balance.get(a.agent_id)?.active_tasks ?? -1));
	lines.push(
		[],
		heading(`Agents by load (${agents.length})`),
		...tableLines(
			['agent', 'tasks', 'share %', 'active', 'avg min', 'load'],
			byLoad.map((a) => {
				const w = balance.get(a.agent_id);
				return [a.agent_name ?? a.agent_id, a.task_count, a.percentage === undefined ? null : Math.round(a.percentage * 10) / 10, w?.active_tasks, w?.average_completion_minutes === undefined ? null : Math.round(w.average_completion_minutes * 10) / 10, w?.load_score === undefined ? null : Math.round(w.load_score * 10) / 10];
			}),
			width,
		),
	);
	// "YYYY-MM-DD HH:00" sorts as text; the server sends it oldest first.
	const timeline = [...(reply.hourly_timeline ?? [])].sort((a, b) => String(b.hour ?? '').localeCompare(String(a.hour ?? '')));
	lines.push([], heading('Hourly timeline, newest first'), ...tableLines(['hour', 'tasks', 'completed', 'failed', 'success %'], timeline.map((h) => [h.hour, h.total_tasks, h.completed_tasks, h.failed_tasks, h.success_rate === undefined ? null : Math.round(h.success_rate * 10) / 10]), width));
	return lines;
}

const HEALTH_TONE: Record<string, Tone> = {healthy: 'ok', degraded: 'degraded', critical: 'critical', failed: 'critical'};

export function diagnosticsLines(reply: DiagnosticsReply, width: number): Line[] {
	const d = reply.diagnostics ?? {};
	const health = d.overall_health ?? {};
	const issues = health.issues ?? [];
	const lines: Line[] = [
		[
			seg('health score ', 'muted'),
			seg(`${num(health.score, 0)}/100`, HEALTH_TONE[health.status ?? ''] ?? 'plain', true),
			seg(' · ', 'muted'),
			seg(health.status ?? unknown, HEALTH_TONE[health.status ?? ''] ?? 'plain', true),
			seg(` · ${issues.length} issue${issues.length === 1 ? '' : 's'}`, issues.length > 0 ? 'warning' : 'muted'),
			seg(reply.timestamp ? ` · at ${text(reply.timestamp, 32)}` : '', 'muted'),
		],
		[],
		heading('Issues'),
		...listLines(issues, width, 'warning'),
		[],
		heading('Recommendations'),
		...listLines(reply.recommendations ?? [], width),
	];
	const db = d.database ?? {};
	const redis = (d.redis ?? {}) as Record<string, unknown>;
	const co = d.coordination ?? {};
	const rows: Cell[][] = [
		['database', 'agents', db.total_agents],
		['database', 'active agents', db.active_agents],
		['database', 'tasks', db.total_tasks],
		['database', 'orphaned tasks', db.orphaned_tasks],
		['redis', 'connectivity', redis.connectivity as Cell],
	];
	if (redis.error !== undefined) rows.push(['redis', 'error', redis.error as Cell]);
	else rows.push(['redis', 'active streams', redis.active_streams as Cell], ['redis', 'active workflows', redis.active_workflows as Cell], ['redis', 'memory', redis.memory_usage as Cell]);
	rows.push(['coordination', 'queued > 10 min', co.stale_unassigned_tasks], ['coordination', 'running > 1 h', co.long_running_tasks], ['coordination', 'stale heartbeats', co.agents_with_stale_heartbeats]);
	lines.push([], heading('Checks'), ...tableLines(['check', 'figure', 'value'], rows.map((r) => r.map((c) => (typeof c === 'number' ? String(c) : c))), width, 60));
	return lines;
}

export function failuresLines(reply: FailuresReply, width: number): Line[] {
	const failures = reply.detailed_failures ?? [];
	const top = reply.top_error_patterns ?? [];
	const retryable = failures.filter((f) => f.can_retry === true).length;
	const lines: Line[] = [
		[
			seg('failures ', 'muted'),
			seg(reply.total_failures ?? failures.length, (reply.total_failures ?? failures.length) > 0 ? 'warning' : 'ok', true),
			seg(` · ${retryable} can be retried`, 'muted'),
			seg(' · top pattern ', 'muted'),
			seg(top[0] ? `${text(top[0].pattern, 50)} (${top[0].count ?? unknown})` : 'none', 'plain', true),
		],
	];
	const counts = (record: Record<string, number | undefined> | undefined) =>
		Object.entries(record ?? {})
			.sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
			.slice(0, 6)
			.map(([k, n]) => `${text(k, 24)} ${n ?? unknown}`)
			.join(', ') || 'none';
	lines.push([seg('by type: ', 'muted'), seg(counts(reply.analysis?.by_type))]);
	lines.push([seg('by agent: ', 'muted'), seg(counts(reply.analysis?.by_agent))]);
	lines.push([], heading('Recommended actions'), ...tableLines(['action', 'applies to', 'urgency'], (reply.recovery_recommendations ?? []).map((r) => [r.action, r.applicable_to, r.urgency]), width, 70));
	lines.push([], heading('Failure patterns'), ...tableLines(['pattern', 'count'], top.map((p) => [p.pattern, p.count]), width, 70));
	lines.push(
		[],
		heading(`Recent failures (${failures.length})`),
		...tableLines(
			['task', 'type', 'agent', 'retries', 'retry?', 'min ago', 'error'],
			failures.map((f) => [f.title, f.type, f.assigned_agent_id ? f.assigned_agent_id.slice(0, 8) : '-', `${f.retry_count ?? unknown}/${f.max_retries ?? unknown}`, f.can_retry === undefined ? null : f.can_retry ? 'yes' : 'no', f.minutes_since_failure === null || f.minutes_since_failure === undefined ? null : Math.round(f.minutes_since_failure), f.error_message]),
			width,
			36,
		),
	);
	return lines;
}

export function systemHealthLines(reply: SystemHealthReply, width: number): Line[] {
	const health = reply.overall_health ?? {};
	const parts = health.component_scores ?? {};
	const tone = HEALTH_TONE[health.status ?? ''] ?? 'plain';
	const alerts = reply.alerts ?? [];
	const lines: Line[] = [
		[
			seg('health ', 'muted'),
			seg(`${num(health.score, 0)}/100`, tone, true),
			seg(' · ', 'muted'),
			seg(health.status ?? unknown, tone, true),
			seg(` · database ${num(parts.database, 0)} · redis ${num(parts.redis, 0)} · agents ${num(parts.agents, 0)} · tasks ${num(parts.tasks, 0)}`, 'muted'),
		],
		[seg('version ', 'muted'), seg(text(reply.system_info?.version, 30)), seg(' · up ', 'muted'), seg(text(reply.system_info?.uptime, 30)), seg(' · ', 'muted'), seg(text(reply.system_info?.environment, 30)), seg(reply.last_updated ? ` · at ${text(reply.last_updated, 32)}` : '', 'muted')],
		[],
		heading(`Alerts (${alerts.length})`),
		...(alerts.length === 0 ? [[seg('  none', 'muted')] as Line] : tableLines(['level', 'component', 'message', 'action'], alerts.map((a) => [a.level, a.component, a.message, a.action]), width, 50)),
	];
	const c = reply.components ?? {};
	const redis = (c.redis ?? {}) as Record<string, unknown>;
	const rows: Cell[][] = [
		['database', c.database?.status, `${c.database?.total_agents ?? unknown} agents, ${c.database?.total_tasks ?? unknown} tasks, ${c.database?.tasks_last_hour ?? unknown} in the last hour, ${text(c.database?.response_time_ms, 12)} ms`],
		['redis', redis.status as Cell, redis.error !== undefined ? text(redis.error, 60) : `${text(redis.memory_usage, 12)}, ${redis.connected_clients ?? unknown} clients, ${redis.active_streams ?? unknown} streams, ${text(redis.response_time_ms, 12)} ms`],
		['agents', c.agents?.status, `${c.agents?.active_agents ?? unknown} active, ${c.agents?.maintenance_agents ?? unknown} in maintenance, ${c.agents?.stale_heartbeats ?? unknown} stale`],
		['tasks', c.tasks?.status, `${c.tasks?.pending_tasks ?? unknown} pending, ${c.tasks?.in_progress_tasks ?? unknown} in progress, ${c.tasks?.long_running_tasks ?? unknown} running > 1 h, ${c.tasks?.recent_failures ?? unknown} failed recently`],
	];
	lines.push([], heading('Components'), ...tableLines(['component', 'status', 'figures'], rows, width, 80));
	// The server lists the day oldest first, as "YYYY-MM-DD HH:00": newest first here, as every analysis.
	const day = [...(reply.historical?.last_24_hours ?? [])].sort((a, b) => String(b.hour ?? '').localeCompare(String(a.hour ?? '')));
	if (day.length > 0) lines.push([], heading('Last 24 hours, newest first'), ...tableLines(['hour', 'success %', 'tasks'], day.map((h) => [h.hour, h.success_rate === undefined ? null : Math.round(h.success_rate * 10) / 10, h.task_volume]), width));
	return lines;
}

/** The view's lines for an analysis reply, or null when this body is not one of the server's shapes. */
export function analysisLines(actionId: string, body: unknown, width: number): Line[] | null {
	switch (actionId) {
		case 'weekly-analysis': {
			const reply = readSuccessRate(body);
			return reply ? successRateLines(reply, width) : null;
		}
		case 'distribution-analysis': {
			const reply = readDistribution(body);
			return reply ? distributionLines(reply, width) : null;
		}
		case 'coordination-diagnostics': {
			const reply = readDiagnostics(body);
			return reply ? diagnosticsLines(reply, width) : null;
		}
		case 'system-health': {
			const reply = readSystemHealth(body);
			return reply ? systemHealthLines(reply, width) : null;
		}
		case 'coordination-failures': {
			const reply = readFailures(body);
			return reply ? failuresLines(reply, width) : null;
		}
		default:
			return null;
	}
}
