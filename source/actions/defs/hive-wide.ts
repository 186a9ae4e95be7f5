// Actions on the whole hive: emergency stop, restart orchestrator, rebalance, Redis pool refresh, scale up,
// task cleanup, performance-metrics update. Their target is the context (typed for the critical ones).
import {z} from 'zod';
import {actionFacts, affectedCount, performedCount, saidLine} from '../../contract/action-reply.js';
import type {HiveSnapshot} from '../../contract/snapshot.js';
import type {ActionEnv, EffectCheck} from '../types.js';
import {defineAction, defineHiveAction} from './define.js';
import {agentBack, heartbeatBaseline, hiveTarget, httpRequest, plural, problemReasonIn} from './common.js';
import {describeTaskFacts, taskFactsOf, taskLabel, type TaskFacts} from './task-facts.js';
import {isWorking, readSnapshot, RESET_STUCK_AFTER_MS, trySnapshot} from './reads.js';

const RUNNING = ['in_progress', 'assigned'];

function runningTasks(snap: HiveSnapshot | null): TaskFacts[] {
	return snap?.tasks ? [...taskFactsOf(snap).values()].filter((t) => t.status !== null && RUNNING.includes(t.status)) : [];
}

/** Tasks a beehive coordination reset (any type) puts back to pending: in progress for more than 2 h. */
export function resetStuckTasks(snap: HiveSnapshot | null): TaskFacts[] {
	if (!snap?.tasks) return [];
	return [...taskFactsOf(snap).values()].filter((t) => t.status === 'in_progress' && t.ageSeconds !== null && t.ageSeconds * 1000 > RESET_STUCK_AFTER_MS);
}

function quoted(said: string | null): string {
	return said ? `the hive said "${said}"` : 'the hive said nothing about what it did';
}

/** Agents that were not working with a current heartbeat before an action: those that can "come back". */
/** Agents not at work, or stale or in error on the hive's clock: the ones a restart should bring back. */
function downAgents(env: ActionEnv, snap: HiveSnapshot): string[] {
	const problem = problemReasonIn(env, snap);
	return (snap.agents ?? []).filter((a) => !isWorking(a) || problem(a) !== null).map((a) => a.id);
}

export const emergencyStop = defineHiveAction({
	id: 'emergency-stop',
	title: 'Emergency stop',
	key: 'E',
	severity: 'critical',
	mutates: true,
	uses: ['emergencyStop'],
	describe: async ({env, signal, targets}) => {
		const request = httpRequest(env.profile, 'emergencyStop', {targetId: targets[0]!.id});
		if (env.profile !== 'beehive') {
			return {
				requests: [request],
				summary: 'Stops all agents and their running tasks; running tasks are blocked until the orchestrator restarts.',
				irreversible: 'Work in progress on every agent is interrupted; agents stay stopped until you restart the orchestrator.',
				notes: [],
			};
		}
		const {snap, error} = await trySnapshot(env, signal);
		const running = runningTasks(snap);
		return {
			requests: [request],
			summary: `Blocks every task in progress or assigned (${snap?.tasks ? plural(running.length, 'task') + ' now' : 'how many is unknown'}). Agents keep running; the beehive stop does not stop them.`,
			irreversible: 'Blocked tasks stay blocked until retried (retry-task): a soft coordination reset only moves tasks in progress for more than 2 h.',
			notes: error ? [`could not read the tasks: ${error}`] : running.slice(0, 5).map((t) => describeTaskFacts(t, t.id)),
		};
	},
	baseline: async ({env, signal}) => {
		const snap = await env.readHive(signal);
		return {running: runningTasks(snap).map((t) => t.id)};
	},
	effect: async ({env, signal, replies, baseline}): Promise<EffectCheck> => {
		const snap = await env.readHive(signal);
		const said = saidLine(replies[0]?.body);
		if (env.profile === 'beehive') {
			const body = replies[0]?.body;
			const stopped = performedCount(actionFacts(body), /\b(stopped|blocked)\b.*\btasks?\b/i) ?? affectedCount(body, 'tasks_stopped', 'affected_tasks');
			const before = (baseline.running as string[] | undefined) ?? [];
			if (!snap.tasks) return {seen: false, message: `could not re-read the tasks; ${quoted(said)}`};
			const facts = taskFactsOf(snap);
			const still = before.map((id) => facts.get(id)).filter((f): f is TaskFacts => f !== undefined && f.status !== null && RUNNING.includes(f.status));
			if (stopped === null) return {seen: false, message: `${quoted(said)}: no count of stopped tasks`};
			if (stopped === 0 && before.length > 0) return {seen: false, final: true, message: `${quoted(said)} while ${plural(before.length, 'task')} were in progress or assigned`};
			if (still.length > 0) return {seen: false, message: `${quoted(said)}, but ${still.map(taskLabel).join(', ')} still ${still.length === 1 ? 'runs' : 'run'}`};
			return {seen: true, message: `${quoted(said)}; none of the ${plural(before.length, 'task')} in progress or assigned before runs now (agents keep running)`};
		}
		const running = (snap.agents ?? []).filter((a) => a.status === 'busy' || a.status === 'active');
		const inProgress = snap.tasks?.byStatus.in_progress ?? 0;
		if (snap.agents && running.length === 0 && inProgress === 0) return {seen: true, message: `no agent is running and no task is in progress${said ? ` (${quoted(said)})` : ''}`};
		return {seen: false, message: `${plural(running.length, 'agent')} still running, ${plural(inProgress, 'task')} in progress`};
	},
	effectTimeoutMs: 60_000,
});

export const restartOrchestrator = defineHiveAction({
	id: 'restart-orchestrator',
	title: 'Restart orchestrator',
	key: 'O',
	severity: 'critical',
	mutates: true,
	uses: ['restartOrchestrator'],
	describe: async ({env, signal, targets}) => {
		const request = httpRequest(env.profile, 'restartOrchestrator', {targetId: targets[0]!.id});
		if (env.profile !== 'beehive') {
			return {
				requests: [request],
				summary: 'Restarts the agent orchestrator: agents re-register and coordination starts over.',
				irreversible: 'In-flight coordination state (assignments being negotiated) is dropped.',
				notes: [],
			};
		}
		const {snap, error} = await trySnapshot(env, signal);
		const stuck = resetStuckTasks(snap);
		return {
			requests: [request],
			summary:
				"Soft coordination reset (the beehive server's closest to an orchestrator restart): tasks in progress for more than 2 h go back to pending, unassigned. Agents are not restarted and blocked tasks stay blocked.",
			irreversible: stuck.length > 0 ? `The progress of ${plural(stuck.length, 'task')} in progress for more than 2 h is dropped.` : null,
			notes: error
				? [`could not read the tasks: ${error}`]
				: stuck.length === 0
					? ['no task has been in progress for more than 2 h: the hive will reset 0 tasks and change nothing else']
					: stuck.slice(0, 5).map((t) => describeTaskFacts(t, t.id)),
		};
	},
	baseline: async ({env, signal}) => {
		const snap = await env.readHive(signal);
		return {heartbeats: heartbeatBaseline(snap.agents), down: downAgents(env, snap), stuck: resetStuckTasks(snap).map((t) => t.id)};
	},
	// Both read what the hive answered first: a reply that says it re-registered (or reset) nothing is never
	// shown as confirmed, whatever heartbeats happen to arrive meanwhile.
	effect: async ({env, signal, baseline, replies}): Promise<EffectCheck> => {
		const body = replies[0]?.body;
		const said = saidLine(body);
		const snap = await readSnapshot(env, signal, {agents: env.profile !== 'beehive', tasks: env.profile === 'beehive'});
		if (env.profile === 'beehive') {
			const reset = performedCount(actionFacts(body), /stuck tasks?/i);
			if (reset === null) return {seen: false, message: `${quoted(said)}: no count of stuck tasks reset`};
			if (reset === 0) return {seen: false, final: true, message: `${quoted(said)}: nothing was in progress for more than 2 h, and a soft reset changes nothing else`};
			const facts = taskFactsOf(snap);
			const still = ((baseline.stuck as string[] | undefined) ?? []).map((id) => facts.get(id)).filter((f): f is TaskFacts => f?.status === 'in_progress');
			if (still.length > 0) return {seen: false, message: `${quoted(said)}, but ${still.map(taskLabel).join(', ')} still in progress`};
			return {seen: true, message: `${quoted(said)}; they are pending for the orchestrator`};
		}
		const heartbeats = (baseline.heartbeats ?? {}) as Record<string, number | null>;
		const down = new Set((baseline.down as string[] | undefined) ?? []);
		const claimed = affectedCount(body, 'agents_restarted', 'agents_reregistered') ?? performedCount(actionFacts(body), /re-?regist/i);
		if (claimed === 0) return {seen: false, final: true, message: `${quoted(said)}: it re-registered no agent`};
		const agents = snap.agents ?? [];
		// Agents that were down come back; when none was down, any agent re-registering after the restart counts.
		const pool = down.size > 0 ? agents.filter((a) => down.has(a.id)) : agents;
		const back = pool.filter((a) => agentBack(a, heartbeats[a.id]));
		const need = Math.max(1, Math.min(claimed ?? 1, pool.length));
		if (back.length >= need) return {seen: true, message: `${plural(back.length, 'agent')} registered again with a fresh heartbeat${said ? ` (${quoted(said)})` : ''}`};
		return {seen: false, message: `${back.length} of ${claimed ?? pool.length} agents registered again so far${said ? ` (${quoted(said)})` : ''}`};
	},
	effectTimeoutMs: 120_000,
});

export const rebalance = defineHiveAction({
	id: 'rebalance',
	title: 'Rebalance task distribution',
	key: 'b',
	severity: 'high',
	mutates: true,
	uses: ['rebalance'],
	describe: async ({env, targets}) => ({
		requests: [httpRequest(env.profile, 'rebalance', {targetId: targets[0]!.id})],
		summary: 'Moves queued and assigned tasks from overloaded agents to idle ones.',
		irreversible: null,
		notes: [],
	}),
});

export const refreshRedisPools = defineHiveAction({
	id: 'refresh-redis-pools',
	title: 'Refresh Redis connection pools',
	key: 'f',
	severity: 'low',
	mutates: true,
	uses: ['refreshRedisPools'],
	describe: async ({env, targets}) => ({
		requests: [httpRequest(env.profile, 'refreshRedisPools', {targetId: targets[0]!.id})],
		summary: "Makes the hive drop and re-open its Redis connections.",
		irreversible: null,
		notes: [],
	}),
});

const scaleUpInputs = z.object({count: z.coerce.number().int().min(1).max(50).default(2)}).strict();

export const scaleUp = defineAction<z.infer<typeof scaleUpInputs>>({
	id: 'scale-up',
	title: 'Scale up agents',
	key: 'u',
	severity: 'high',
	targetKind: 'hive',
	multiTarget: false,
	mutates: true,
	uses: ['scaleUp'],
	inputSchema: scaleUpInputs as never,
	inputFields: [{name: 'count', label: 'agents to add', unit: '', min: 1, max: 50, default: 2}],
	defaultTargets: async (env) => [hiveTarget(env)],
	describe: async ({env, targets, inputs}) => ({
		requests: [httpRequest(env.profile, 'scaleUp', {targetId: targets[0]!.id, body: {count: inputs.count}})],
		summary: `Starts ${plural(inputs.count, 'new agent')}.`,
		irreversible: null,
		notes: [],
	}),
	baseline: async ({env, signal}) => {
		const snap = await env.readHive(signal);
		return {total: snap.agents?.length ?? snap.totalAgents ?? null};
	},
	effect: async ({env, signal, baseline, inputs}) => {
		const snap = await env.readHive(signal);
		const total = snap.agents?.length ?? snap.totalAgents ?? 0;
		const before = baseline.total as number | null;
		if (before === null) return {seen: total > 0, message: `${plural(total, 'agent')} now`};
		if (total >= before + inputs.count) return {seen: true, message: `${plural(total - before, 'new agent')} registered (${total} in all)`};
		return {seen: false, message: `${total - before} of ${inputs.count} new agents registered so far`};
	},
});

const cleanupInputs = z.object({days: z.coerce.number().int().min(1).max(365).default(7)}).strict();

export const cleanupTasks = defineAction<z.infer<typeof cleanupInputs>>({
	id: 'cleanup-tasks',
	title: 'Clean up completed tasks',
	key: 'C',
	severity: 'critical',
	targetKind: 'hive',
	multiTarget: false,
	mutates: true,
	uses: ['cleanupTasks'],
	inputSchema: cleanupInputs as never,
	inputFields: [{name: 'days', label: 'older than', unit: 'days', min: 1, max: 365, default: 7}],
	defaultTargets: async (env) => [hiveTarget(env)],
	describe: async ({env, targets, inputs}) => ({
		requests: [httpRequest(env.profile, 'cleanupTasks', {targetId: targets[0]!.id, query: {days: inputs.days}})],
		summary: `Deletes completed tasks older than ${plural(inputs.days, 'day')} from the hive's database.`,
		irreversible: `The deleted tasks and their history are gone for good (older than ${plural(inputs.days, 'day')}).`,
		notes: [],
	}),
});

export const updatePerformanceMetrics = defineHiveAction({
	id: 'update-performance-metrics',
	title: 'Update agent performance metrics',
	key: 'U',
	severity: 'low',
	mutates: true,
	uses: ['updatePerformanceMetrics'],
	describe: async ({env, targets}) => ({
		requests: [httpRequest(env.profile, 'updatePerformanceMetrics', {targetId: targets[0]!.id})],
		summary: "Recomputes every agent's performance figures (response time, success rate).",
		irreversible: null,
		notes: [],
	}),
});
