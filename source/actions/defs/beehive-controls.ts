// The shipped (beehive) server's own recovery controls beyond the runbook's: the hard and full coordination
// resets and the emergency override's other modes. Each says exactly what the server's code does, and its
// effect check reads the server's own account (actions_performed, affected_components) as well as the state.
import {actionFacts, affectedCount, performedCount, saidLine} from '../../contract/action-reply.js';
import type {ActionReply, Agent} from '../../contract/types.js';
import type {HiveSnapshot} from '../../contract/snapshot.js';
import type {ActionEnv, EffectCheck} from '../types.js';
import {defineAction, defineHiveAction} from './define.js';
import {agentBack, heartbeatBaseline, httpRequest, noInputs, plural, type NoInputs} from './common.js';
import {readStreamFacts} from './redis.js';
import {describeTaskFacts, formatAge, taskFactsOf, taskLabel, tasksOnAgent, type TaskFacts} from './task-facts.js';
import {agentName, readSnapshot, safe, trySnapshot} from './reads.js';
import {resetStuckTasks} from './hive-wide.js';
import {HIVE_REASON} from './tasks.js';

function quoted(said: string | null): string {
	return said ? `the hive said "${said}"` : 'the hive said nothing about what it did';
}

function notInactive(agents: Agent[] | null): Agent[] {
	return (agents ?? []).filter((a) => a.status !== 'inactive');
}

/** Up to `n` task lines, then "and 12 more". */
function someTasks(tasks: TaskFacts[], n = 4): string[] {
	const lines = tasks.slice(0, n).map((t) => describeTaskFacts(t, t.id));
	if (tasks.length > n) lines.push(`and ${tasks.length - n} more`);
	return lines;
}

/**
 * Every agent the hive put in maintenance is back: active or busy, with a heartbeat newer than the one it
 * had (the hive clears it). `claimed` is the count the hive reported; 0 means it put no agent there.
 */
function agentsBack(snap: HiveSnapshot, baseline: Record<string, unknown>, claimed: number | null, said: string | null): EffectCheck {
	if (claimed === 0) return {seen: false, final: true, message: `${quoted(said)}: no agent was put in maintenance`};
	if (claimed === null) return {seen: false, message: `${quoted(said)}: no count of agents put in maintenance`};
	const heartbeats = (baseline.heartbeats ?? {}) as Record<string, number | null>;
	const expected = (baseline.agents as string[] | undefined) ?? [];
	const agents = new Map((snap.agents ?? []).map((a) => [a.id, a]));
	const back = expected.filter((id) => {
		const agent = agents.get(id);
		return agent !== undefined && agentBack(agent, heartbeats[id]);
	});
	const waiting = expected.filter((id) => !back.includes(id));
	if (waiting.length === 0) return {seen: true, message: `${quoted(said)}; all ${plural(expected.length, 'agent')} re-registered with a fresh heartbeat`};
	const names = waiting.slice(0, 4).map((id) => agentName(snap.agents, id)).join(', ');
	return {seen: false, message: `${back.length} of ${expected.length} agents back so far; waiting for ${names}${waiting.length > 4 ? ` and ${waiting.length - 4} more` : ''} (${quoted(said)})`};
}

async function agentsBaseline(env: ActionEnv, signal: AbortSignal) {
	const snap = await readSnapshot(env, signal, {agents: true});
	return {heartbeats: heartbeatBaseline(snap.agents), agents: notInactive(snap.agents).map((a) => a.id)};
}

/** What a full reset deletes from Redis, counted the console's way (SCAN), when it has a Redis connection. */
async function streamsToDelete(env: ActionEnv): Promise<string> {
	if (!env.redis) return 'the console has no Redis connection to count them (--redis URL shows the count here)';
	const keys: string[] = [];
	let cursor = '0';
	do {
		const [next, batch] = (await env.redis.call('SCAN', cursor, 'MATCH', 'agent_messages:*', 'COUNT', 500)) as [string, string[]];
		cursor = String(next);
		keys.push(...batch.map(String));
	} while (cursor !== '0' && keys.length < 100_000);
	let messages = 0;
	let pending = 0;
	for (const key of keys.slice(0, 500)) {
		const facts = await readStreamFacts(env.redis, key).catch(() => null);
		if (!facts?.exists) continue;
		messages += facts.length;
		pending += facts.groups.reduce((sum, g) => sum + g.pending, 0);
	}
	const sampled = keys.length > 500 ? ' (messages counted in the first 500)' : '';
	return `${plural(keys.length, 'agent_messages:* stream')} now, ${plural(messages, 'message')}${sampled}, ${plural(pending, 'pending message')} never acknowledged`;
}

function hardResetNotes(snap: HiveSnapshot | null, error: string | null): string[] {
	if (!snap) return [`could not read the hive: ${error ?? 'unknown error'}`];
	const stuck = resetStuckTasks(snap);
	const agents = notInactive(snap.agents);
	return [
		`${plural(agents.length, 'agent')} not inactive go to maintenance: ${agents.slice(0, 6).map((a) => safe(a.name, 30)).join(', ')}${agents.length > 6 ? `, and ${agents.length - 6} more` : ''}`,
		stuck.length === 0 ? 'no task has been in progress for more than 2 h: none goes back to pending' : `${plural(stuck.length, 'task')} in progress for more than 2 h go back to pending:`,
		...someTasks(stuck),
	];
}

const HARD_SUMMARY =
	'Hard coordination reset: tasks in progress for more than 2 h go back to pending, unassigned; every agent that is not inactive goes to maintenance with its heartbeat cleared; a coordination_reset broadcast asks them to restart. Agents come back and re-register on their own.';

function resetEffect(type: 'hard' | 'full') {
	return async ({env, signal, baseline, replies}: {env: ActionEnv; signal: AbortSignal; baseline: Record<string, unknown>; replies: ActionReply[]}): Promise<EffectCheck> => {
		const body = replies[0]?.body;
		const facts = actionFacts(body);
		const said = saidLine(body, 240);
		if (facts.reset_type !== null && facts.reset_type !== type) return {seen: false, message: `the hive answered a ${safe(facts.reset_type, 10)} reset, not ${type} (${quoted(said)})`};
		const snap = await readSnapshot(env, signal, {agents: true});
		return agentsBack(snap, baseline, performedCount(facts, /agents? to maintenance/i), said);
	};
}

// Hard and full differ only in what the full reset deletes besides (every agent stream), which the modal counts.
function coordinationReset(type: 'hard' | 'full', key: string, title: string) {
	return defineHiveAction({
		id: `coordination-reset-${type}`,
		title,
		key,
		severity: 'critical',
		mutates: true,
		uses: ['coordinationReset'],
		describe: async ({env, signal, targets}) => {
			const {snap, error} = await trySnapshot(env, signal);
			const request = httpRequest(env.profile, 'coordinationReset', {targetId: targets[0]!.id, query: {reset_type: type, confirm: 'true'}});
			const notes = hardResetNotes(snap, error);
			if (type === 'hard') {
				return {
					requests: [request],
					summary: HARD_SUMMARY,
					irreversible: 'Work in progress on every agent is interrupted while it restarts; the progress of tasks in progress for more than 2 h is dropped.',
					notes,
				};
			}
			const lost = await streamsToDelete(env).catch((e: unknown) => `could not count them: ${e instanceof Error ? e.message : String(e)}`);
			return {
				requests: [request],
				summary: `${HARD_SUMMARY} Then the hive deletes every Redis key matching agent_messages:* (every agent's stream and the broadcast and role streams, with their consumer groups) and every workflow_coordination:* key.`,
				irreversible: `Every message in every agent_messages:* stream is deleted, acknowledged or not: ${lost}. The hive finds the keys with KEYS, which blocks Redis while it scans.`,
				notes,
			};
		},
		baseline: ({env, signal}) => agentsBaseline(env, signal),
		effect: resetEffect(type),
		effectTimeoutMs: 180_000,
	});
}

export const coordinationResetHard = coordinationReset('hard', 'I', 'Coordination reset (hard)');
export const coordinationResetFull = coordinationReset('full', 'V', 'Coordination reset (full: hard + delete every agent stream)');

function overrideQuery(action: string, extra: Record<string, string> = {}): Record<string, string> {
	return {action, confirm_emergency: 'true', ...extra, reason: HIVE_REASON};
}

export const restartAllAgents = defineHiveAction({
	id: 'restart-all-agents',
	title: 'Restart all agents (emergency override)',
	key: 'B',
	severity: 'critical',
	mutates: true,
	uses: ['emergencyOverride'],
	describe: async ({env, signal, targets}) => {
		const {snap, error} = await trySnapshot(env, signal);
		const agents = notInactive(snap?.agents ?? null);
		return {
			requests: [httpRequest(env.profile, 'emergencyOverride', {targetId: targets[0]!.id, query: overrideQuery('restart_all_agents')})],
			summary: 'Every agent that is not inactive goes to maintenance with its heartbeat cleared, and an emergency_restart_all broadcast asks them to restart; they come back and re-register on their own. Tasks are not touched.',
			irreversible: 'Work in progress on every agent is interrupted while it restarts.',
			notes: snap
				? [`${plural(agents.length, 'agent')} go to maintenance: ${agents.slice(0, 8).map((a) => safe(a.name, 30)).join(', ')}${agents.length > 8 ? `, and ${agents.length - 8} more` : ''}`]
				: [`could not read the agents: ${error}`],
		};
	},
	baseline: ({env, signal}) => agentsBaseline(env, signal),
	effect: async ({env, signal, baseline, replies}) => {
		const body = replies[0]?.body;
		const snap = await readSnapshot(env, signal, {agents: true});
		const claimed = affectedCount(body, 'agents_restarted') ?? performedCount(actionFacts(body), /agents? to maintenance|restarted \d+ agents/i);
		return agentsBack(snap, baseline, claimed, saidLine(body));
	},
	effectTimeoutMs: 180_000,
});

export const clearTaskQueue = defineHiveAction({
	id: 'clear-task-queue',
	title: 'Clear the task queue (emergency override)',
	key: 'X',
	severity: 'critical',
	mutates: true,
	uses: ['emergencyOverride'],
	describe: async ({env, signal, targets}) => {
		const {snap, error} = await trySnapshot(env, signal);
		const pending = snap?.tasks ? [...taskFactsOf(snap).values()].filter((t) => t.status === 'pending') : [];
		const count = snap?.tasks?.byStatus.pending ?? (snap?.tasks ? pending.length : null);
		return {
			requests: [httpRequest(env.profile, 'emergencyOverride', {targetId: targets[0]!.id, query: overrideQuery('clear_task_queue')})],
			summary: `Cancels every pending task (${count === null ? 'how many is unknown' : plural(count, 'task') + ' now'}). Assigned and running tasks are not touched.`,
			irreversible: 'Cancelled tasks are gone from the queue for good: the hive retries only failed or blocked tasks, so they must be submitted again.',
			notes: snap?.tasks ? someTasks(pending.sort((a, b) => (b.ageSeconds ?? 0) - (a.ageSeconds ?? 0)), 5) : [`could not read the tasks: ${error}`],
		};
	},
	preCheck: async ({env, signal, targets}) => {
		const snap = await readSnapshot(env, signal, {tasks: true});
		const pending = snap.tasks!.byStatus.pending ?? [...taskFactsOf(snap).values()].filter((t) => t.status === 'pending').length;
		if (pending === 0) return {proceed: false, reason: 'no task is pending: nothing to clear, nothing sent'};
		return {proceed: true, targets};
	},
	baseline: async ({env, signal}) => {
		const snap = await readSnapshot(env, signal, {tasks: true});
		return {pending: [...taskFactsOf(snap).values()].filter((t) => t.status === 'pending').map((t) => t.id)};
	},
	effect: async ({env, signal, baseline, replies}) => {
		const body = replies[0]?.body;
		const said = saidLine(body);
		const cleared = affectedCount(body, 'tasks_cleared') ?? performedCount(actionFacts(body), /pending tasks?/i);
		if (cleared === null) return {seen: false, message: `${quoted(said)}: no count of cleared tasks`};
		const before = (baseline.pending as string[] | undefined) ?? [];
		if (cleared === 0 && before.length > 0) return {seen: false, final: true, message: `${quoted(said)} while ${plural(before.length, 'task')} were pending`};
		const facts = taskFactsOf(await readSnapshot(env, signal, {tasks: true}));
		const still = before.map((id) => facts.get(id)).filter((f): f is TaskFacts => f?.status === 'pending');
		if (still.length > 0) return {seen: false, message: `${quoted(said)}, but ${still.slice(0, 3).map(taskLabel).join(', ')} still pending`};
		return {seen: true, message: `${quoted(said)}; none of the ${plural(before.length, 'task')} pending before is pending now`};
	},
	effectTimeoutMs: 30_000,
});

export const forceAgentRestart = defineAction<NoInputs>({
	id: 'force-agent-restart',
	title: 'Force agent restart (emergency override)',
	key: 'F',
	severity: 'high',
	targetKind: 'agent',
	multiTarget: false,
	mutates: true,
	uses: ['emergencyOverride'],
	inputSchema: noInputs,
	inputFields: [],
	describe: async ({env, signal, targets}) => {
		const target = targets[0]!;
		const {snap, error} = await trySnapshot(env, signal);
		const tasks = snap?.tasks ? tasksOnAgent(snap, target.id, ['assigned', 'in_progress']) : [];
		const agent = snap?.agents?.find((a) => a.id === target.id);
		const notes = !snap?.tasks
			? [`could not read the tasks${error ? `: ${error}` : ''}${agent?.currentTask ? `; it reports working on "${safe(agent.currentTask)}"` : ''}`]
			: tasks.length === 0
				? [`${safe(target.name, 40)} has no assigned or in-progress task`]
				: [`its ${plural(tasks.length, 'task')} go back to pending, unassigned:`, ...someTasks(tasks, 5)];
		return {
			requests: [httpRequest(env.profile, 'emergencyOverride', {targetId: target.id, query: overrideQuery('force_agent_restart', {target_agent_id: target.id})})],
			summary: `Forces ${target.name} (${target.id}) to restart: its assigned and in-progress tasks go back to pending, unassigned, and it goes to maintenance with its heartbeat cleared, whatever it is doing.`,
			irreversible: tasks.length > 0 || !snap?.tasks ? 'The progress of its tasks in progress is dropped.' : null,
			notes,
		};
	},
	baseline: async ({env, signal, targets}) => {
		const snap = await readSnapshot(env, signal, {agents: true});
		const tasks = snap.tasks ? tasksOnAgent(snap, targets[0]!.id, ['assigned', 'in_progress']).map((t) => t.id) : [];
		return {heartbeats: heartbeatBaseline(snap.agents), tasks};
	},
	effect: async ({env, signal, baseline, replies, targets}) => {
		const target = targets[0]!;
		const body = replies[0]?.body;
		const said = saidLine(body);
		const moved = affectedCount(body, 'tasks_reassigned') ?? performedCount(actionFacts(body), /reassigned \d+ tasks?/i);
		if (moved === null && !said) return {seen: false, message: `${quoted(said)}: no account of the restart`};
		const snap = await readSnapshot(env, signal, {agents: true});
		const agent = snap.agents!.find((a) => a.id === target.id);
		if (!agent) return {seen: false, message: `${target.name} is no longer in the agents list (${quoted(said)})`};
		const facts = snap.tasks ? taskFactsOf(snap) : new Map<string, TaskFacts>();
		const still = ((baseline.tasks as string[] | undefined) ?? []).map((id) => facts.get(id)).filter((f): f is TaskFacts => f !== undefined && f.agentId === target.id && (f.status === 'assigned' || f.status === 'in_progress'));
		if (still.length > 0) return {seen: false, message: `${quoted(said)}, but ${still.map(taskLabel).join(', ')} still on ${target.name}`};
		const heartbeats = (baseline.heartbeats ?? {}) as Record<string, number | null>;
		const back = agentBack(agent, heartbeats[target.id]);
		if (agent.status !== 'maintenance' && !back) return {seen: false, message: `${target.name} is ${agent.status}, not in maintenance or back (${quoted(said)})`};
		const age = back && agent.lastHeartbeat !== null ? formatAge(((snap.hiveNow ?? snap.at) - agent.lastHeartbeat) / 1000) : null;
		return {seen: true, message: `${quoted(said)}; ${target.name} is ${back ? `back, heartbeat ${age ?? '?'} ago` : 'in maintenance until it restarts'}`};
	},
	effectTimeoutMs: 60_000,
});
