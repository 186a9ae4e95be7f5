// Pane 3: task counts by status and the queue, then the tasks that need a look: stuck ones first, then the
// open ones, each with its age and agent.
import type {Task} from '../../contract/types.js';
import type {StuckTask} from '../../contract/snapshot.js';
import {ageSince, compactNumber, duration} from '../format.js';
import {seg, type Line} from '../line.js';
import type {PaneSpec} from './pane-spec.js';

const TASK_STATUS_ORDER = ['pending', 'assigned', 'in_progress', 'blocked', 'completed', 'failed', 'cancelled'];
function statusRank(status: string): number {
	const i = TASK_STATUS_ORDER.indexOf(status);
	return i === -1 ? TASK_STATUS_ORDER.length : i;
}

export interface TaskRow {
	id: string;
	title: string;
	status: string;
	stuck: boolean;
	agent: string | null;
	priority: string | null;
	/** Epoch ms the age counts from (started, else created); null if unknown. */
	since: number | null;
	/** From the stuck list when no timestamp came with it. */
	ageSeconds: number | null;
	retries: string;
	task: Task | null;
	/**
	 * False for a stuck id the hive gave without anything else (the runbook profile's stuck list) and that
	 * could not be joined: title, agent and age are unknown, not absent, and the row says so.
	 */
	known: boolean;
}

/** What an operator can tell tasks apart by when the title is unknown: the id's first block. */
export function shortTaskId(id: string): string {
	return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}

export const UNKNOWN_TASK_HINT = 'the hive listed only their ids; --database (or DATABASE_URL) joins titles, agents and ages from its tasks table';

const OPEN = new Set(['pending', 'assigned', 'in_progress', 'blocked']);
const LONG_RUNNING_MS = 3_600_000;

function age(row: TaskRow, now: number): number | null {
	if (row.since !== null) return (now - row.since) / 1000;
	return row.ageSeconds;
}

export const tasksPane: PaneSpec<TaskRow> = {
	id: 'tasks',
	number: 3,
	title: 'Tasks',
	tab: 'Tasks',
	source: 'hive',
	disabledHint: 'give the hive URL with --hive URL or HIVE_URL',
	columns: [
		{id: 'status', title: 'Status', width: 17, minWidth: 11, priority: 8, cell: (r) => (r.stuck ? `STUCK ${r.status}` : r.status), sortKey: (r) => (r.stuck ? ` ${r.status}` : r.status)},
		{id: 'title', title: 'Task', width: 24, minWidth: 8, flex: true, priority: 9, cell: (r) => r.title, sortKey: (r) => r.title.toLowerCase()},
		{id: 'agent', title: 'Agent', width: 16, minWidth: 6, priority: 6, cell: (r) => r.agent ?? '-', sortKey: (r) => r.agent},
		{id: 'age', title: 'Age', width: 6, minWidth: 5, align: 'right', priority: 7, cell: (r, now) => duration(age(r, now)), sortKey: (r) => (r.since === null ? r.ageSeconds === null ? null : -r.ageSeconds * 1000 : r.since)},
		{id: 'priority', title: 'Prio', width: 8, minWidth: 6, priority: 3, cell: (r) => r.priority ?? '?', sortKey: (r) => r.priority},
		{id: 'retries', title: 'Retry', width: 5, align: 'right', priority: 2, cell: (r) => r.retries},
	],
	defaultSort: {column: 'age', descending: false},
	rows(ctx) {
		const tasks = ctx.state.snapshots.hive?.tasks;
		if (!tasks) return [];
		const stuckIds = new Set(tasks.stuck.map((s) => s.id));
		const byId = new Map(tasks.items.map((t) => [t.id, t]));
		const rows: TaskRow[] = tasks.stuck.map((s: StuckTask) => {
			const t = byId.get(s.id) ?? null;
			const known = t !== null || s.title !== null || s.status !== null;
			return {
				id: s.id,
				title: s.title || t?.title || (known ? `task ${shortTaskId(s.id)} (untitled)` : `task ${shortTaskId(s.id)} · title unknown`),
				status: s.status ?? t?.status ?? '?',
				stuck: true,
				agent: s.agentName ?? t?.assignedAgentName ?? s.agentId ?? (known ? null : '?'),
				priority: t?.priority ?? null,
				since: t ? t.startedAt ?? t.createdAt : null,
				ageSeconds: s.ageSeconds,
				retries: t ? `${t.retryCount}/${t.maxRetries}` : '?',
				task: t,
				known,
			};
		});
		for (const t of tasks.items) {
			if (stuckIds.has(t.id) || !OPEN.has(t.status)) continue;
			rows.push({
				id: t.id,
				title: t.title || `task ${shortTaskId(t.id)} (untitled)`,
				status: t.status,
				stuck: false,
				agent: t.assignedAgentName ?? t.assignedAgentId,
				priority: t.priority,
				since: t.startedAt ?? t.createdAt,
				ageSeconds: null,
				retries: `${t.retryCount}/${t.maxRetries}`,
				task: t,
				known: true,
			});
		}
		return rows;
	},
	key: (r) => r.id,
	searchText: (r) => `${r.title} ${r.status} ${r.agent ?? ''} ${r.id} ${r.stuck ? 'stuck' : ''}`,
	copy: (r) => ({what: `task ${r.id}`, text: `${r.id} ${r.title}`}),
	tone(r, now) {
		if (r.stuck) return 'critical';
		if (r.status === 'blocked') return 'warning';
		if (r.status === 'in_progress' && r.since !== null && now - r.since > LONG_RUNNING_MS) return 'warning';
		return 'plain';
	},
	summary(ctx): Line[] {
		const tasks = ctx.state.snapshots.hive?.tasks;
		const coordination = ctx.state.snapshots.hive?.coordination;
		if (!tasks) return [[seg('task data unavailable this poll', 'muted')]];
		const line: Line = [seg(`queue ${compactNumber(tasks.queueLength)}`, 'plain', true), seg(' · '), seg(`long-running ${compactNumber(tasks.longRunning)}`, (tasks.longRunning ?? 0) > 0 ? 'warning' : 'plain')];
		line.push(seg(' · '), seg(`stuck ${compactNumber(tasks.stuck.length)}`, tasks.stuck.length > 0 ? 'critical' : 'plain', tasks.stuck.length > 0));
		if (coordination?.completedPerHour !== undefined && coordination?.completedPerHour !== null) line.push(seg(` · ${compactNumber(coordination.completedPerHour)}/h done`, 'muted'));
		// In the lifecycle's order (the hive's JSON object has none), so the line does not reorder between polls.
		const counts = Object.entries(tasks.byStatus)
			.filter(([, n]) => n > 0)
			.sort(([a], [b]) => statusRank(a) - statusRank(b) || a.localeCompare(b));
		const second: Line = counts.length === 0 ? [seg('no tasks by status', 'muted')] : counts.flatMap(([s, n], i) => [seg(i === 0 ? '' : ' · '), seg(`${s} ${compactNumber(n)}`, s === 'failed' ? 'warning' : 'plain')]);
		const idOnly = tasks.stuck.filter((s) => s.title === null && s.status === null && !tasks.items.some((t) => t.id === s.id)).length;
		if (idOnly === 0) return [line, second];
		return [line, second, [seg(`${compactNumber(idOnly)} stuck without details: `, 'warning'), seg(UNKNOWN_TASK_HINT, 'muted')]];
	},
	empty: () => 'no open or stuck tasks',
	detail(r, ctx) {
		const t = r.task;
		return {
			title: `Task ${r.title}`,
			fields: [
				['id', r.id],
				...(r.known ? [] : [['details', `unknown: ${UNKNOWN_TASK_HINT}`] as [string, string]]),
				['status', r.stuck ? `${r.status} (stuck)` : r.status],
				['agent', r.agent ?? '-'],
				['priority', r.priority ?? '?'],
				['type', t?.taskType ?? '?'],
				['age', duration(age(r, ctx.now))],
				['created', t ? `${ageSince(t.createdAt, ctx.now)} ago` : '?'],
				['started', t?.startedAt ? `${ageSince(t.startedAt, ctx.now)} ago` : '-'],
				['retries', r.retries],
			],
			text: t?.errorMessage ? {title: 'Error', body: t.errorMessage} : undefined,
		};
	},
};
