// Pane 5: pg_stat_statements' slowest statements by mean time and the statements running right now; when
// the extension is missing, the hint that says how to enable it.
import type {LongRunningStatement, SlowQuery} from '../../contract/snapshot.js';
import {compactNumber, duration, milliseconds, percent} from '../format.js';
import {seg, type Line} from '../line.js';
import type {PaneSpec} from './pane-spec.js';

export type QueryRow =
	| {kind: 'slow'; id: string; query: string; q: SlowQuery}
	| {kind: 'running'; id: string; query: string; s: LongRunningStatement};

function oneLine(query: string): string {
	return query.replace(/\s+/g, ' ').trim();
}

export const queriesPane: PaneSpec<QueryRow> = {
	id: 'queries',
	number: 5,
	title: 'Slow queries',
	tab: 'Queries',
	source: 'postgres',
	disabledHint: 'start with --database URL (or DATABASE_URL) to see pg_stat_statements',
	columns: [
		// "RUN" in a 3-column grid's pane, so the rows column still fits there as it does in a wider one.
		{id: 'kind', title: 'Kind', width: 8, minWidth: 4, priority: 4, cell: (r, _now, width) => (r.kind === 'slow' ? 'top' : width !== undefined && width < 7 ? 'RUN' : 'RUNNING'), sortKey: (r) => r.kind},
		{id: 'mean', title: 'Mean', width: 9, minWidth: 7, align: 'right', priority: 9, cell: (r) => (r.kind === 'slow' ? milliseconds(r.q.meanMs) : duration(r.s.durationSeconds)), sortKey: (r) => (r.kind === 'slow' ? r.q.meanMs : r.s.durationSeconds * 1000)},
		{id: 'calls', title: 'Calls', width: 7, align: 'right', priority: 6, cell: (r) => (r.kind === 'slow' ? compactNumber(r.q.calls) : '-'), sortKey: (r) => (r.kind === 'slow' ? r.q.calls : null)},
		{id: 'rows', title: 'Rows', width: 7, align: 'right', priority: 3, cell: (r) => (r.kind === 'slow' ? compactNumber(r.q.rows) : '-'), sortKey: (r) => (r.kind === 'slow' ? r.q.rows : null)},
		{id: 'hit', title: 'Hit %', width: 6, align: 'right', priority: 5, cell: (r) => (r.kind === 'slow' ? percent(r.q.hitPercent, 0) : ''), sortKey: (r) => (r.kind === 'slow' ? r.q.hitPercent : null)},
		{id: 'query', title: 'Query', width: 30, minWidth: 10, flex: true, priority: 8, cell: (r) => (r.kind === 'slow' ? oneLine(r.query) : `[pid ${r.s.pid} ${r.s.state ?? ''}] ${oneLine(r.query)}`), sortKey: (r) => r.query},
	],
	defaultSort: {column: 'mean', descending: true},
	rows(ctx) {
		const pg = ctx.state.snapshots.postgres;
		if (!pg) return [];
		const rows: QueryRow[] = (pg.statements?.byMean ?? []).map((q, i) => ({kind: 'slow', id: `slow:${i}:${q.query.slice(0, 64)}`, query: q.query, q}));
		for (const s of pg.longRunning) rows.push({kind: 'running', id: `run:${s.pid}`, query: s.query, s});
		return rows;
	},
	key: (r) => r.id,
	searchText: (r) => r.query,
	// The whole statement as PostgreSQL reported it, newlines kept, ready for EXPLAIN.
	copy: (r) => ({what: 'the query text', text: r.query}),
	tone: (r) => (r.kind === 'running' ? 'warning' : 'plain'),
	summary(ctx): Line[] {
		const pg = ctx.state.snapshots.postgres;
		if (!pg) return [[seg('no PostgreSQL data yet', 'muted')]];
		if (!pg.statements) return [[seg(pg.extensionHint ?? 'pg_stat_statements is not available', 'warning', true)]];
		return [[
			seg(`pg_stat_statements ${pg.statements.version}`, 'plain', true),
			seg(` · ${pg.longRunning.length} running long`, pg.longRunning.length > 0 ? 'warning' : 'plain'),
			seg(pg.serverVersion ? ` · PostgreSQL ${pg.serverVersion}` : '', 'muted'),
		]];
	},
	empty: (ctx) => (ctx.state.snapshots.postgres?.statements ? 'no statements recorded yet' : 'no statements: see the line above'),
	detail(r) {
		if (r.kind === 'slow') {
			return {
				title: 'Slow query',
				fields: [
					['mean', milliseconds(r.q.meanMs)],
					['total', milliseconds(r.q.totalMs)],
					['calls', String(r.q.calls)],
					['rows', String(r.q.rows)],
					['cache hit', percent(r.q.hitPercent)],
				],
				text: {title: 'Query', body: r.query},
			};
		}
		return {
			title: `Running statement (pid ${r.s.pid})`,
			fields: [
				['running for', duration(r.s.durationSeconds)],
				['state', r.s.state ?? '?'],
				['application', r.s.applicationName ?? '?'],
				['waiting on', r.s.waitEvent ?? '-'],
			],
			text: {title: 'Query', body: r.query},
		};
	},
};
