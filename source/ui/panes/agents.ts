// Pane 2: every agent with its heartbeat age and load; error and stale-heartbeat rows stand out, and the
// summary counts agents by status.
import type {Agent} from '../../contract/types.js';
import {ageSince, compactNumber, seconds} from '../format.js';
import {seg, type Line} from '../line.js';
import type {Tone} from '../theme.js';
import type {PaneSpec} from './pane-spec.js';

/** Contract §2: a heartbeat older than 300 s is stale. */
export const STALE_HEARTBEAT_MS = 300_000;

function isStale(agent: Agent, now: number): boolean {
	return agent.lastHeartbeat !== null && now - agent.lastHeartbeat > STALE_HEARTBEAT_MS;
}

function statusTone(status: string): Tone {
	switch (status) {
		case 'error':
			return 'critical';
		case 'active':
		case 'busy':
			return 'ok';
		case 'maintenance':
		case 'shutting_down':
			return 'warning';
		default:
			return 'muted';
	}
}

export const agentsPane: PaneSpec<Agent> = {
	id: 'agents',
	number: 2,
	title: 'Agents',
	tab: 'Agents',
	source: 'hive',
	disabledHint: 'give the hive URL with --hive URL or HIVE_URL',
	columns: [
		{id: 'name', title: 'Name', width: 22, minWidth: 8, flex: true, priority: 9, cell: (a) => a.name, sortKey: (a) => a.name.toLowerCase()},
		{id: 'role', title: 'Role', width: 18, minWidth: 6, priority: 3, cell: (a) => a.role, sortKey: (a) => a.role},
		{id: 'status', title: 'Status', width: 11, minWidth: 7, priority: 8, cell: (a) => a.status, sortKey: (a) => a.status},
		{
			id: 'heartbeat',
			title: 'Heartbeat',
			width: 10,
			minWidth: 9,
			align: 'right',
			priority: 7,
			cell: (a, now) => (isStale(a, now) ? `! ${ageSince(a.lastHeartbeat, now)}` : ageSince(a.lastHeartbeat, now)),
			sortKey: (a) => (a.lastHeartbeat === null ? null : -a.lastHeartbeat),
		},
		{id: 'response', title: 'Resp', width: 7, minWidth: 6, align: 'right', priority: 5, cell: (a) => seconds(a.averageResponseTime), sortKey: (a) => a.averageResponseTime},
		{id: 'tasks', title: 'Done/Fail', width: 11, align: 'right', priority: 4, cell: (a) => `${compactNumber(a.tasksCompleted)}/${compactNumber(a.tasksFailed)}`, sortKey: (a) => a.tasksFailed},
		{id: 'health', title: 'Health', width: 6, align: 'right', priority: 6, cell: (a) => compactNumber(a.healthScore), sortKey: (a) => a.healthScore},
	],
	defaultSort: {column: 'name', descending: false},
	rows: (ctx) => ctx.state.snapshots.hive?.agents ?? [],
	key: (a) => a.id,
	searchText: (a) => `${a.name} ${a.role} ${a.status} ${a.id} ${a.type}`,
	tone(a, now) {
		if (a.status === 'error') return 'critical';
		if (isStale(a, now)) return 'warning';
		return a.status === 'inactive' || a.status === 'sleeping' ? 'muted' : 'plain';
	},
	summary(ctx): Line[] {
		const agents = ctx.state.snapshots.hive?.agents;
		if (!agents) return [[seg('agents list unavailable this poll', 'muted')]];
		const counts = new Map<string, number>();
		let stale = 0;
		for (const a of agents) {
			counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
			if (isStale(a, ctx.now)) stale++;
		}
		const line: Line = [seg(`${compactNumber(agents.length)} agent${agents.length === 1 ? "" : "s"}`, 'plain', true)];
		for (const [status, n] of [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
			// Ties by name: the hive lists agents in no fixed order, and a summary that reorders itself every poll reads as a change.
			line.push(seg(' · '), seg(`${status} ${compactNumber(n)}`, statusTone(status)));
		}
		if (stale > 0) line.push(seg(' · '), seg(`stale heartbeat ${compactNumber(stale)}`, 'warning', true));
		return [line];
	},
	empty: () => 'no agents registered',
	detail(a, ctx) {
		const tasks = (ctx.state.snapshots.hive?.tasks?.items ?? []).filter((t) => t.assignedAgentId === a.id).slice(0, 8);
		return {
			title: `Agent ${a.name}`,
			fields: [
				['id', a.id],
				['type / role', `${a.type} / ${a.role}`],
				['status', a.status],
				['heartbeat', `${ageSince(a.lastHeartbeat, ctx.now)} ago${isStale(a, ctx.now) ? ' (stale: > 300 s)' : ''}`],
				['last active', `${ageSince(a.lastActive, ctx.now)} ago`],
				['response time', seconds(a.averageResponseTime)],
				['tasks done / failed', `${a.tasksCompleted} / ${a.tasksFailed}`],
				['errors', String(a.errorCount)],
				['health score', compactNumber(a.healthScore)],
				['context window', a.contextWindowUsage === null ? '?' : `${Math.round(a.contextWindowUsage * 100)}%`],
				['current task', a.currentTask ?? '-'],
				['tmux session', a.tmuxSession ?? '-'],
			],
			table: tasks.length > 0 ? {title: 'Assigned tasks', rows: tasks.map((t) => ({task: t.title, status: t.status, priority: t.priority ?? '?'}))} : undefined,
		};
	},
};
