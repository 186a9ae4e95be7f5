// The snapshot as Markdown for an incident document: GitHub tables, no terminal escapes. Every cell is one
// line, cut to a width, and escaped so that a hostile name can neither break the table (`|`), open code
// (backticks), nor become a link, an image, emphasis or HTML. Long tables are cut with a line that says how
// many rows are in the JSON file only.
import {formatNumber, withUnit} from '../model/metrics.js';
import {shortDuration} from '../model/freshness.js';
import type {TimelineEntry} from '../timeline/types.js';
import {cutToWidth, sanitise} from '../util/terminal-text.js';
import type {SnapshotDocument} from './build.js';

export const NAME_WIDTH = 60;
export const TEXT_WIDTH = 160;

// The punctuation that means something inside a table cell (the cell's end, code, emphasis, strikethrough,
// links and images, HTML and entities); each is backslash-escaped. Line-start syntax (#, -, +) cannot
// occur: every cell follows a `|`.
const MARKDOWN_SPECIAL = /[\\`*_[\]<>|~&]/g;

/** One table cell: sanitised, one line, cut to `width` columns, Markdown-escaped. */
export function cell(value: unknown, width: number = NAME_WIDTH): string {
	if (value === null || value === undefined || value === '') return '–';
	const text = cutToWidth(sanitise(String(value)).trim(), width);
	return text.replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
}

function table(headers: string[], rows: string[][], more = 0): string {
	const lines = [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
	if (rows.length === 0) lines.push(`| ${headers.map((_, i) => (i === 0 ? '_none_' : '')).join(' | ')} |`);
	if (more > 0) lines.push('', `_…and ${more} more row${more === 1 ? '' : 's'} in the JSON file._`);
	return lines.join('\n');
}

const STATE_WORD: Record<string, string> = {ok: '● ok', healthy: '● healthy', degraded: '◐ degraded', warning: '▲ warning', critical: '✗ critical', unknown: '? unknown'};
const state = (s: string) => STATE_WORD[s] ?? cell(s, 20);

function num(v: number | null | undefined, unit: '' | '%' | 's' | 'ms' = ''): string {
	if (v === null || v === undefined || !Number.isFinite(v)) return '–';
	return unit === 'ms' ? `${formatNumber(v)} ms` : withUnit(v, unit);
}

function age(seconds: number | null | undefined): string {
	return seconds === null || seconds === undefined || !Number.isFinite(seconds) ? '–' : shortDuration(seconds);
}

function limited<T>(items: T[], limit: number): {shown: T[]; more: number} {
	return {shown: items.slice(0, limit), more: Math.max(0, items.length - limit)};
}

function timeOf(iso: string | null): string {
	return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : '–';
}

function timelineRows(entries: TimelineEntry[]): string[][] {
	return entries
		.slice()
		.reverse()
		.map((e) => [
			timeOf(new Date(e.at).toISOString()),
			state(e.severity === 'info' ? 'info' : e.severity),
			cell(e.kind, 16),
			cell(`${e.text}${e.count && e.count > 1 ? ` (×${e.count})` : ''}${e.baseline ? ' [at start]' : ''}`, TEXT_WIDTH),
		]);
}

export function renderMarkdown(doc: SnapshotDocument, limits: {agents?: number; rows?: number} = {}): string {
	const maxAgents = limits.agents ?? 200;
	const maxRows = limits.rows ?? 100;
	const out: string[] = [];
	const h = doc.header;
	const title = doc.context ? `Hive incident snapshot: ${cell(doc.context, 40)}` : 'Hive incident snapshot';
	out.push(`# ${title}`, '');
	const overall = `${state(h.overall).toUpperCase()}${h.overallReason ? ` · ${cell(h.overallReason, TEXT_WIDTH)}` : ''}`;
	out.push(
		table(
			['', ''],
			[
				['**Overall**', `**${overall}**`],
				['Scenario', h.scenarios.length ? h.scenarios.map((s) => `${cell(s.scenario, 40)}: ${cell(s.reason, TEXT_WIDTH)}`).join('<br>') : 'none detected'],
				['Conditions', h.conditions.length ? h.conditions.map((c) => `${cell(c.title, 40)}: ${cell(c.reason, TEXT_WIDTH)}`).join('<br>') : 'none'],
				['Context', `${cell(doc.context ?? 'default', 40)}${doc.environment ? ` (${cell(doc.environment, 20)})` : ''}`],
				['Hive', `${cell(doc.hive, 100)} (${cell(doc.profile ?? 'profile unknown', 20)})`],
				['Generated', `${timeOf(doc.generatedAt)} UTC (hive clock ${timeOf(doc.hiveClock)} UTC)`],
				['Polling', h.paused ? `PAUSED (interval ${formatNumber(h.intervalSeconds)} s)` : `every ${formatNumber(h.intervalSeconds)} s`],
				['Versions', `hive-console ${cell(doc.versions.hiveConsole, 20)} · Node.js ${cell(doc.versions.node, 20)} · ${cell(doc.versions.platform, 30)}${doc.versions.hive ? ` · hive ${cell(doc.versions.hive, 30)}` : ''}`],
			],
		),
		'',
	);

	if (doc.playbook) {
		const p = doc.playbook;
		const status = p.finished ? `finished${p.outcome ? `: ${cell(p.outcome, 20)}` : ''}` : p.aborted ? 'aborted' : 'in progress';
		out.push(`## Playbook: ${cell(p.title, 80)} (${status})`, '');
		out.push(table(['#', 'Step', 'Kind', 'Status', 'Message'], p.steps.map((s, i) => [String(i + 1), cell(s.title, 80), cell(s.kind, 10), cell(s.status, 10), cell(s.message, TEXT_WIDTH)])), '');
	}

	out.push('## Metrics vs thresholds', '');
	out.push(
		table(
			['State', 'Metric', 'Value', 'Target', 'Warning', 'Critical', 'Reason'],
			doc.metrics.map((m) => {
				const better = m.threshold.direction === 'higher-is-better';
				return [
					state(m.state),
					cell(m.label, 20),
					num(m.value, m.unit),
					`${better ? '≥' : '≤'} ${num(m.threshold.target, m.unit)}`,
					`${better ? '\\<' : '\\>'} ${num(m.threshold.warning, m.unit)}`,
					`${better ? '\\<' : '\\>'} ${num(m.threshold.critical, m.unit)}`,
					cell(m.reason, TEXT_WIDTH),
				];
			}),
		),
		'',
	);
	if (doc.recommendations.length) out.push('Runbook advice: ' + doc.recommendations.map((r) => cell(r.text, TEXT_WIDTH)).join('; '), '');
	if (doc.health) {
		out.push(`/health: **${cell(doc.health.status, 20)}**${doc.health.version ? ` · version ${cell(doc.health.version, 30)}` : ''}`, '');
		if (doc.health.components.length) {
			out.push(table(['Component', 'Status', 'Response', 'Details / error'], doc.health.components.map((c) => [cell(c.name, 30), cell(c.status, 20), cell(c.responseTime, 20), cell(c.error ?? c.details, TEXT_WIDTH)])), '');
		}
	}

	out.push('## Sources', '');
	out.push(
		table(
			['Source', 'State', 'Last good data', 'Age', 'Failures in a row', 'Error'],
			doc.sources.map((s) => [
				cell(s.name, 10),
				`${cell(s.state, 16)}${s.untrusted ? ` (not trusted: ${cell(s.untrusted, 40)})` : ''}`,
				timeOf(s.lastSuccessAt),
				age(s.ageSeconds),
				String(s.consecutiveFailures),
				cell(s.error, TEXT_WIDTH),
			]),
		),
		'',
	);
	if (doc.partialErrors.length) out.push('Partial errors in the last hive poll:', '', ...doc.partialErrors.map((e) => `- ${cell(e, TEXT_WIDTH)}`), '');

	out.push('## Agents', '');
	if (!doc.agents) out.push('_The agents list was not read._', '');
	else {
		const a = doc.agents;
		const counts = Object.entries(a.byStatus).map(([k, v]) => `${cell(k, 20)} ${v}`).join(' · ');
		out.push(`${a.rows.length} agents · ${counts || 'none'} · stale heartbeat after ${formatNumber(a.staleHeartbeatSeconds)} s: ${a.rows.filter((r) => r.stale).length} stale`, '');
		// Problem agents first: they are what the incident is about, and the table may be cut.
		const rank = (r: (typeof a.rows)[number]) => (r.status === 'error' ? 0 : r.stale ? 1 : 2);
		const {shown, more} = limited(a.rows.slice().sort((x, y) => rank(x) - rank(y)), maxAgents);
		out.push(
			table(
				['Name', 'ID', 'Status', 'Heartbeat', 'Stale', 'Response', 'Done / failed', 'Health'],
				shown.map((r) => [
					cell(r.name),
					cell(r.id, 40),
					r.status === 'error' ? `**${cell(r.status, 16)}**` : cell(r.status, 16),
					r.heartbeatAgeSeconds === null ? 'none' : age(r.heartbeatAgeSeconds),
					r.stale ? `**stale** (${cell(r.staleReason, 60)})` : 'no',
					num(r.responseTimeSeconds, 's'),
					`${r.tasksCompleted} / ${r.tasksFailed}`,
					num(r.healthScore),
				]),
				more,
			),
			'',
		);
	}

	out.push('## Tasks', '');
	if (!doc.tasks) out.push('_The tasks were not read._', '');
	else {
		const t = doc.tasks;
		const counts = Object.entries(t.byStatus).map(([k, v]) => `${cell(k, 20)} ${v}`).join(' · ');
		out.push(`queue ${num(t.queueLength)} · long-running ${num(t.longRunning)} · stuck ${t.stuck.length}${counts ? ` · ${counts}` : ''}`, '');
		out.push('Stuck tasks:', '');
		const stuck = limited(t.stuck, maxRows);
		out.push(table(['Task', 'ID', 'Status', 'Agent', 'Age'], stuck.shown.map((s) => [cell(s.title ?? s.id), cell(s.id, 40), cell(s.status, 16), cell(s.agentName ?? s.agentId), age(s.ageSeconds)]), stuck.more), '');
		if (t.items.length) {
			out.push('Open tasks:', '');
			const items = limited(t.items, maxRows);
			out.push(table(['Task', 'ID', 'Status', 'Priority', 'Agent', 'Age', 'Retries'], items.shown.map((i) => [cell(i.title), cell(i.id, 40), cell(i.status, 16), cell(i.priority, 10), cell(i.agent), age(i.ageSeconds), String(i.retryCount)]), items.more), '');
		}
	}

	out.push('## Redis streams', '');
	if (!doc.streams) out.push('_Redis was not read._', '');
	else {
		const s = doc.streams;
		out.push(
			`${s.rows.length} streams · clients ${num(s.clients.connected)} connected, ${num(s.clients.blocked)} blocked, max ${num(s.clients.maxClients)} · Redis ${cell(s.serverVersion ?? '?', 20)}${s.cluster ? ' (cluster)' : ''}${s.truncated ? ` · scan cut: ${cell(s.truncated, 80)}` : ''}`,
			'',
		);
		const rows: string[][] = [];
		const pendingOf = (r: (typeof s.rows)[number]) => r.groups.reduce((n, g) => n + g.pending, 0);
		for (const r of s.rows.slice().sort((a, b) => pendingOf(b) - pendingOf(a))) {
			if (r.groups.length === 0) rows.push([cell(r.key), String(r.length), '–', '–', '–', '–', '–']);
			for (const g of r.groups) {
				rows.push([cell(r.key), String(r.length), cell(g.name, 40), String(g.consumers), String(g.pending), g.lag === null ? 'unknown' : String(g.lag), g.oldestPendingIdleMs === null ? '–' : age(g.oldestPendingIdleMs / 1000)]);
			}
		}
		const {shown, more} = limited(rows, maxRows);
		out.push(table(['Stream', 'Length', 'Group', 'Consumers', 'Pending', 'Lag', 'Oldest pending idle'], shown, more), '');
	}

	out.push('## Slow queries', '');
	if (!doc.slowQueries) out.push('_PostgreSQL was not read._', '');
	else {
		const q = doc.slowQueries;
		out.push(`PostgreSQL ${cell(q.serverVersion ?? '?', 30)} · pg_stat_statements ${cell(q.extensionVersion ?? 'not available', 20)}`, '');
		if (q.extensionHint) out.push(cell(q.extensionHint, 300), '');
		const top = limited(q.byMean, 20);
		out.push(table(['Mean', 'Calls', 'Rows', 'Hit %', 'Query'], top.shown.map((r) => [num(r.meanMs, 'ms'), String(r.calls), String(r.rows), num(r.hitPercent, '%'), cell(r.query, TEXT_WIDTH)]), top.more), '');
		if (q.longRunning.length) {
			out.push('Running long:', '');
			const long = limited(q.longRunning, 20);
			out.push(table(['PID', 'Duration', 'State', 'Wait', 'Application', 'Query'], long.shown.map((l) => [String(l.pid), age(l.durationSeconds), cell(l.state, 20), cell(l.waitEvent, 20), cell(l.applicationName, 30), cell(l.query, TEXT_WIDTH)]), long.more), '');
		}
	}

	out.push('## Logs', '');
	if (!doc.logs) out.push('_No log source configured._', '');
	else {
		out.push(`From ${cell(doc.logs.origin, 100)}, newest first:`, '');
		const lines = limited(doc.logs.lines.slice().reverse(), 50);
		out.push(table(['Read at', 'Kind', 'Line'], lines.shown.map((l) => [timeOf(l.at).slice(11), cell(l.category, 20), cell(l.text, TEXT_WIDTH)]), lines.more), '');
	}

	out.push('## Timeline (last hour, newest first, hive clock UTC)', '');
	const tl = limited(timelineRows(doc.timeline), 300);
	out.push(table(['Time', 'Severity', 'Kind', 'What'], tl.shown, tl.more), '');

	out.push('## Recent audit entries (newest first)', '');
	const audit = limited(doc.audit.slice().reverse(), maxRows);
	out.push(
		table(
			['Time', 'User@host', 'Action', 'Phase', 'Result', 'Targets / message'],
			audit.shown.map((e) => [
				timeOf(e.time),
				cell(`${e.user}@${e.host}`, 30),
				cell(e.action, 30),
				cell(e.phase, 10),
				cell(e.result, 12),
				cell([(Array.isArray(e.targets) ? e.targets : []).map((t) => t?.name || t?.id).join(', '), e.message ?? (e.phase === 'intent' && Array.isArray(e.requests) ? e.requests.join('; ') : '')].filter(Boolean).join(' — '), TEXT_WIDTH),
			]),
			audit.more,
		),
		'',
	);

	out.push('## Configuration in use (secrets removed)', '');
	const c = doc.config;
	const thresholdText = Object.entries(c.thresholds)
		.map(([k, v]) => (typeof v === 'object' && v ? `${k} ${['target', 'warning', 'critical'].map((f) => (v as Record<string, unknown>)[f]).join('/')}` : `${k} ${String(v)}`))
		.join('; ');
	out.push(
		table(
			['Setting', 'Value'],
			[
				['config file', cell(c.configFile ?? 'none', 100)],
				['hive', `${cell(c.hive, 100)} (from ${cell(c.origins.hive, 10)})`],
				['hive token', c.hiveToken],
				['redis', cell(c.redis ?? 'not configured', 100)],
				['database', cell(c.database ?? 'not configured', 100)],
				['alertmanager', cell(c.alertmanager ?? 'not configured', 100)],
				['API profile', cell(c.apiProfile, 10)],
				['interval', `${formatNumber(c.intervalSeconds)} s`],
				['read-only', c.readOnly ? 'yes' : 'no'],
				['logs', cell(c.logs ?? 'not configured', 100)],
				['streams', cell(c.redisStreams?.join(', ') ?? 'default list', 100)],
				['thresholds', cell(thresholdText, 300)],
				['audit log', cell(c.auditLog, 100)],
			],
		),
		'',
	);
	out.push(`_Written by hive-console ${cell(doc.versions.hiveConsole, 20)}; the JSON file beside this one (schema ${cell(doc.schema, 40)}) holds every row._`, '');
	return out.join('\n');
}
