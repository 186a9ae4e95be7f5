// Pane 6: the recent log lines that match the runbook's patterns, newest first.
import type {LogLine} from '../../store/types.js';
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
		{id: 'category', title: 'Kind', width: 18, minWidth: 12, priority: 4, cell: (r) => r.line.category, sortKey: (r) => r.line.category},
		{id: 'text', title: 'Line', width: 40, minWidth: 10, flex: true, priority: 9, cell: (r) => r.line.text, sortKey: (r) => r.line.text},
	],
	defaultSort: {column: 'time', descending: true},
	rows: (ctx) => (ctx.state.snapshots.logs?.lines ?? []).map((line, i) => ({id: `${i}:${line.at}`, line})),
	key: (r) => r.id,
	searchText: (r) => `${r.line.category} ${r.line.text}`,
	tone: (r) => (r.line.category.endsWith('error') || r.line.category === 'task-fail' ? 'warning' : 'plain'),
	summary(ctx): Line[] {
		const logs = ctx.state.snapshots.logs;
		if (!logs) return [[seg('no log lines yet', 'muted')]];
		return [[seg(`${logs.lines.length} matching lines`, 'plain', true), seg(` from ${logs.origin}`, 'muted')]];
	},
	empty: () => 'no matching lines (coordination/agent errors, timeouts, task assign/fail)',
	detail(r, ctx) {
		return {title: 'Log line', fields: [['read at', clock(r.line.at)], ['kind', r.line.category]], text: {title: 'Line', body: r.line.text}};
	},
};
