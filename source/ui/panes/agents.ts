// Pane 2: every agent with its heartbeat age and load; error and stale-heartbeat rows stand out, and the
// summary counts agents by status. Stale means the model's rule (model/agents.ts) judged at the snapshot's
// own time on the hive's clock, so the pane's count is the banner's count; ages shown tick with the clock.
import type {Agent} from '../../contract/types.js';
import {DEFAULT_STALE_HEARTBEAT_SECONDS, hiveTime, staleHeartbeat} from '../../model/agents.js';
import type {HiveSnapshot} from '../../contract/snapshot.js';
import {ageSince, compactNumber, seconds} from '../format.js';
import {seg, type Line} from '../line.js';
import type {Tone} from '../theme.js';
import type {PaneContext, PaneSpec} from './pane-spec.js';

// The pane's row callbacks get only the clock, so the stale verdicts of the snapshot on screen are kept
// here, computed once per snapshot and threshold.
let verdicts: {hive: HiveSnapshot | null; threshold: number; stale: Set<string>} = {hive: null, threshold: DEFAULT_STALE_HEARTBEAT_SECONDS, stale: new Set()};

function staleIds(hive: HiveSnapshot | null | undefined, threshold: number = DEFAULT_STALE_HEARTBEAT_SECONDS): Set<string> {
	if (!hive) return new Set();
	if (verdicts.hive !== hive || verdicts.threshold !== threshold) {
		const at = hiveTime(hive);
		verdicts = {hive, threshold, stale: new Set((hive.agents ?? []).filter((a) => staleHeartbeat(a, at, threshold)).map((a) => a.id))};
	}
	return verdicts.stale;
}

function isStale(agent: Agent): boolean {
	return verdicts.stale.has(agent.id);
}

function thresholdOf(ctx: PaneContext): number {
	return ctx.thresholds?.staleHeartbeatSeconds ?? DEFAULT_STALE_HEARTBEAT_SECONDS;
}

/** Heartbeat age on the hive's clock (a skewed console clock must not age or rejuvenate it). */
function heartbeatAge(agent: Agent, hive: HiveSnapshot | null | undefined, now: number): string {
	return ageSince(agent.lastHeartbeat, hive ? hiveTime(hive, now) : now);
}

let shownHive: HiveSnapshot | null = null;

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
			cell: (a, now) => (isStale(a) ? `! ${heartbeatAge(a, shownHive, now)}` : heartbeatAge(a, shownHive, now)),
			sortKey: (a) => (a.lastHeartbeat === null ? null : -a.lastHeartbeat),
		},
		{id: 'response', title: 'Resp', width: 7, minWidth: 6, align: 'right', priority: 5, cell: (a) => seconds(a.averageResponseTime), sortKey: (a) => a.averageResponseTime},
		{id: 'tasks', title: 'Done/Fail', width: 11, align: 'right', priority: 4, cell: (a) => `${compactNumber(a.tasksCompleted)}/${compactNumber(a.tasksFailed)}`, sortKey: (a) => a.tasksFailed},
		{id: 'health', title: 'Health', width: 6, align: 'right', priority: 6, cell: (a) => compactNumber(a.healthScore), sortKey: (a) => a.healthScore},
	],
	defaultSort: {column: 'name', descending: false},
	rows: (ctx) => {
		shownHive = ctx.state.snapshots.hive;
		staleIds(shownHive, thresholdOf(ctx));
		return shownHive?.agents ?? [];
	},
	key: (a) => a.id,
	searchText: (a) => `${a.name} ${a.role} ${a.status} ${a.id} ${a.type}`,
	copy: (a) => ({what: `agent ${a.name}`, text: `${a.name} ${a.id}`}),
	tone(a) {
		if (a.status === 'error') return 'critical';
		if (isStale(a)) return 'warning';
		return a.status === 'inactive' || a.status === 'sleeping' ? 'muted' : 'plain';
	},
	summary(ctx): Line[] {
		const hive = ctx.state.snapshots.hive;
		shownHive = hive;
		const agents = hive?.agents;
		if (!agents) return [[seg('agents list unavailable this poll', 'muted')]];
		const staleSet = staleIds(hive, thresholdOf(ctx));
		const counts = new Map<string, number>();
		for (const a of agents) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
		const stale = staleSet.size;
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
				['heartbeat', heartbeatDetail(a, ctx)],
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

function heartbeatDetail(agent: Agent, ctx: PaneContext): string {
	const hive = ctx.state.snapshots.hive;
	const threshold = thresholdOf(ctx);
	const verdict = hive ? staleHeartbeat(agent, hiveTime(hive), threshold) : null;
	const age = agent.lastHeartbeat === null ? 'never' : `${heartbeatAge(agent, hive, ctx.now)} ago`;
	return verdict ? `${age} (stale: ${verdict.reason}, threshold ${threshold} s)` : age;
}
