// Pane 6: the recent log lines that match the runbook's patterns, newest first. Lines from a command's
// earlier run (it died or was restarted) stay, marked `prev` and muted, with how that run ended above them.
import {isPreviousRunLine, previousRunOf} from '../../contract/snapshot.js';
import type {LogLine} from '../../contract/snapshot.js';
import {clock} from '../format.js';
import {seg, type Line} from '../line.js';
import type {PaneSpec} from './pane-spec.js';

export interface LogRow {
	id: string;
	line: LogLine;
}

export const logsPane: PaneSpec<LogRow> = {
	id: 'logs',
	number: 6,
	title: 'Logs',
	tab: 'Logs',
	source: 'logs',
	disabledHint: "start with --logs FILE or --logs 'cmd:docker compose logs api --tail=200'",
	columns: [
		{id: 'time', title: 'Time', width: 8, minWidth: 8, priority: 5, cell: (r) => clock(r.line.at), sortKey: (r) => r.line.at},
		{id: 'category', title: 'Kind', width: 18, minWidth: 12, priority: 4, cell: (r) => (isPreviousRunLine(r.line) ? `prev ${r.line.category}` : r.line.category), sortKey: (r) => r.line.category},
		{id: 'text', title: 'Line', width: 40, minWidth: 10, flex: true, priority: 9, cell: (r) => r.line.text, sortKey: (r) => r.line.text},
	],
	defaultSort: {column: 'time', descending: true},
	rows: (ctx) => (ctx.state.snapshots.logs?.lines ?? []).map((line, i) => ({id: `${i}:${line.at}`, line})),
	key: (r) => r.id,
	searchText: (r) => `${r.line.category} ${r.line.text}`,
	copy: (r) => ({what: 'the log line', text: r.line.text}),
	tone: (r) => (isPreviousRunLine(r.line) ? 'muted' : r.line.category.endsWith('error') || r.line.category === 'task-fail' ? 'warning' : 'plain'),
	summary(ctx): Line[] {
		const logs = ctx.state.snapshots.logs;
		if (!logs) return [[seg('no log lines yet', 'muted')]];
		const lines: Line[] = [[seg(`${logs.lines.length} matching lines`, 'plain', true), seg(` from ${logs.origin}`, 'muted')]];
		const previous = previousRunOf(logs);
		if (previous) {
			const old = logs.lines.filter(isPreviousRunLine).length;
			const how = previous.signal ? `killed by ${previous.signal}` : `exit code ${previous.code}`;
			lines.push([
				seg(previous.died ? `↻ previous run died (${how}) at ${clock(previous.endedAt)}` : `↻ previous run ended at ${clock(previous.endedAt)}`, previous.died ? 'warning' : 'muted'),
				seg(` · restarted ${clock(previous.restartedAt)} · ${old} prev line${old === 1 ? '' : 's'}`, 'muted'),
			]);
		}
		return lines;
	},
	empty: () => 'no matching lines (coordination/agent errors, timeouts, task assign/fail)',
	detail(r, ctx) {
		const run = isPreviousRunLine(r.line) ? [['run', 'previous (the command has been restarted since)'] as [string, string]] : [];
		return {title: 'Log line', fields: [['read at', clock(r.line.at)], ['kind', r.line.category], ...run], text: {title: 'Line', body: r.line.text}};
	},
};
