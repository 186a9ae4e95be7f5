// Plain-text rendering of a StatusReport for people: `status` prints it once, `watch` once per frame.
// Compact, label-aligned, no Ink. Every outside string goes through sanitise(); lines are cut to the
// terminal width only when there is a terminal (a pipe or log gets whole lines).
import {formatNumber} from '../model/metrics.js';
import type {MetricName} from '../model/types.js';
import type {SourceState} from '../contract/snapshot.js';
import {cutToWidth, sanitise} from '../util/terminal-text.js';
import type {Paint} from './color.js';
import type {StatusReport} from './report.js';
import {shortDuration as duration} from '../util/duration.js';

export interface SourceTiming {
	/** Seconds since the last success, null if never. */
	updatedSecondsAgo: number | null;
	/** Seconds until the next poll or retry, null if none is scheduled. */
	nextPollInSeconds: number | null;
}

export interface RenderOptions {
	paint: Paint;
	/** Terminal columns, or null for no cutting (pipes, files). */
	width: number | null;
	/** First line; defaults to one naming context, hive, profile and time. */
	title?: string;
	/** Per-source freshness and retry countdown (watch). */
	timing?: Partial<Record<'hive' | 'redis' | 'postgres', SourceTiming>>;
	/** Environment badge colour (from the config). */
	badgeColor?: string;
}

const LABEL_WIDTH = 14;
const NAME_WIDTH = 60;
const TEXT_WIDTH = 300;
const UNITS: Record<MetricName, string> = {successRate: ' %', responseTime: ' s', queueLength: '', activeAgents: ''};

function list<T>(items: T[], max: number, show: (item: T) => string): string {
	const shown = items.slice(0, max).map(show).join(', ');
	return items.length > max ? `${shown}, … (${items.length - max} more)` : shown;
}

export function renderStatusText(report: StatusReport, options: RenderOptions): string {
	const {paint} = options;
	// Outside text can be any length (a 10,000-character agent name inside a reason, a 2,000-character
	// query): a pipe or log gets whole lines, but never unbounded ones. Names are cut shorter still.
	const s = (v: unknown) => cutToWidth(sanitise(v), TEXT_WIDTH);
	const n = (v: unknown) => cutToWidth(sanitise(v), NAME_WIDTH);
	const lines: string[] = [];
	const row = (label: string, text: string) => lines.push(`${label.padEnd(LABEL_WIDTH)} ${text}`);
	const more = (text: string) => lines.push(`${' '.repeat(LABEL_WIDTH)} ${text}`);

	const badge = report.environment ? ` ${paint.badge(s(report.environment), options.badgeColor ?? 'red')}` : '';
	const title =
		options.title ??
		`hive-console status${report.context ? ` · ${s(report.context)}` : ''}${badge} · ${s(report.hive)} · ${report.profile ?? 'profile unknown'} · ${report.generatedAt.replace(/\.\d+Z$/, 'Z')}`;
	lines.push(title);
	row('overall', paint.bold(paint.state(report.overall.toUpperCase(), report.overall)) + (report.overallReason ? ` · ${paint.state(s(report.overallReason), report.overall)}` : ''));

	const metricNames: MetricName[] = ['successRate', 'responseTime', 'queueLength', 'activeAgents'];
	const labels: Record<MetricName, string> = {successRate: 'success rate', responseTime: 'response time', queueLength: 'queue length', activeAgents: 'active agents'};
	for (const name of metricNames) {
		const m = report.metrics[name];
		const value = m.value === null ? '—' : `${formatNumber(m.value)}${UNITS[name]}`;
		row(labels[name], `${value.padEnd(9)} ${paint.state(m.state.padEnd(8), m.state)}  ${s(m.reason)}`);
	}
	for (const sc of report.scenarios) row('scenario', `${sc.scenario}: ${s(sc.reason)}`);
	for (const c of report.conditions ?? []) row('condition', `${c.condition}: ${s(c.reason)} · ${s(c.offers)}`);
	report.recommendations.forEach((r, i) => {
		const action = r.actionId ? ` [${r.actionId}${Object.entries(r.inputs).map(([k, v]) => ` ${k}=${v}`).join('')}]` : '';
		(i === 0 ? (t: string) => row('advice', t) : more)(`${s(r.text)}${action}`);
	});

	if (report.sources.hive.state !== 'down' || report.agents.length > 0) {
		const byStatus = new Map<string, number>();
		for (const a of report.agents) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
		const counts = [...byStatus.entries()].sort((a, b) => b[1] - a[1]).map(([st, count]) => `${count} ${n(st)}`);
		// Never-seen heartbeats first, then the oldest.
		const stale = report.agents.filter((a) => a.staleHeartbeat).sort((a, b) => (b.heartbeatAgeSeconds ?? Infinity) - (a.heartbeatAgeSeconds ?? Infinity));
		let text = `${report.agents.length} total${counts.length ? ` · ${counts.join(' · ')}` : ''}`;
		if (report.staleHeartbeats) {
			text += ` · ${paint.state(`${report.staleHeartbeats} stale heartbeat${report.staleHeartbeats === 1 ? '' : 's'}`, 'warning')}`;
			if (stale.length) text += `: ${list(stale, 5, (a) => `${n(a.name)} (${a.heartbeatAgeSeconds === null ? 'no heartbeat' : duration(a.heartbeatAgeSeconds)})`)}`;
		}
		row('agents', text);

		const t = report.tasks;
		let tasks = `queue ${t.queueLength ?? '—'} · long-running ${t.longRunning ?? '—'}`;
		if (t.stuck.length) {
			tasks += ` · stuck ${t.stuck.length}: ${list(t.stuck, 3, (x) => `"${n(x.title ?? x.id)}"${x.agentName ? ` on ${n(x.agentName)}` : ''}${x.ageSeconds !== null ? `, ${duration(x.ageSeconds)}` : ''}`)}`;
		}
		row('tasks', tasks);

		if (report.health !== null) {
			const comps = Object.entries(report.components).map(
				([name, c]) => `${n(name)} ${paint.state(n(c.status), c.status === 'healthy' ? 'ok' : c.status === 'not_configured' ? 'disabled' : 'critical')}`,
			);
			row('health', [paint.state(s(report.health), report.health === 'healthy' ? 'ok' : report.health === 'degraded' ? 'warning' : 'critical'), ...comps].join(' · '));
		}
	}

	if (report.sources.redis.state !== 'disabled' || report.streams.length) {
		const groups = report.streams.flatMap((st) => st.groups.map((g) => ({key: st.key, ...g})));
		const pending = groups.reduce((n, g) => n + g.pending, 0);
		const unknownLag = groups.filter((g) => g.lag === null).length;
		const busiest = [...groups].sort((a, b) => b.pending + (b.lag ?? 0) - (a.pending + (a.lag ?? 0)))[0];
		let text = `${report.streams.length} stream${report.streams.length === 1 ? '' : 's'} · ${groups.length} group${groups.length === 1 ? '' : 's'} · pending ${pending}`;
		if (unknownLag) text += ` · lag unknown on ${unknownLag}`;
		if (busiest && busiest.pending + (busiest.lag ?? 0) > 0) {
			text += ` · busiest ${n(busiest.key)} ${n(busiest.name)} (pending ${busiest.pending}, lag ${busiest.lag ?? 'unknown'})`;
		}
		if (report.streamsTruncated) text += ` · truncated: ${s(report.streamsTruncated)}`;
		row('streams', text);
	}

	if (report.sources.postgres.state !== 'disabled' || report.slowQueries.length) {
		if (report.slowQueriesNote) row('slow queries', s(report.slowQueriesNote));
		report.slowQueries.forEach((q, i) => {
			const hit = q.hitPercent === null ? 'hit —' : `hit ${formatNumber(q.hitPercent)} %`;
			const text = `${i + 1}. ${formatNumber(q.meanMs)} ms mean · ${q.calls} calls · ${q.rows} rows · ${hit} · ${s(q.query.replace(/\s+/g, ' ').trim())}`;
			(i === 0 && !report.slowQueriesNote ? (x: string) => row('slow queries', x) : more)(text);
		});
	}

	const sourceNames = ['hive', 'redis', 'postgres'] as const;
	row(
		'sources',
		sourceNames
			.map((name) => {
				const src = report.sources[name];
				const timing = options.timing?.[name];
				let text = `${name} ${paint.state(src.state, src.state as SourceState)}`;
				if (timing?.updatedSecondsAgo !== null && timing?.updatedSecondsAgo !== undefined && src.state !== 'ok') {
					text += ` (updated ${duration(timing.updatedSecondsAgo)} ago)`;
				}
				return text;
			})
			.join(' · '),
	);
	for (const name of sourceNames) {
		const src = report.sources[name];
		if (!src.error || src.state === 'disabled') continue;
		const retry = options.timing?.[name]?.nextPollInSeconds;
		more(`${paint.state('!', src.state as SourceState)} ${s(src.error)}${retry !== null && retry !== undefined ? ` (retry in ${retry} s)` : ''}`);
	}
	for (const e of report.partialErrors.slice(0, 5)) more(`${paint.state('!', 'warning')} ${s(e)}`);

	return lines.map((line) => (options.width ? cutAnsiAware(line, options.width, paint.enabled) : line)).join('\n');
}

/** Cuts by display width; with colour on, cuts a stripped copy (our own codes only) to stay correct. */
function cutAnsiAware(line: string, width: number, colored: boolean): string {
	if (!colored) return cutToWidth(line, width);
	// eslint-disable-next-line no-control-regex
	const plain = line.replace(/\u001B\[[0-9;]*m/g, '');
	return cutToWidth(plain, width) === plain ? line : cutToWidth(plain, width);
}
