// Actions on the whole hive: emergency stop, restart orchestrator, rebalance, Redis pool refresh, scale up,
// task cleanup, performance-metrics update. Their target is the context (typed for the critical ones).
import {z} from 'zod';
import {defineAction} from './define.js';
import {agentBack, heartbeatBaseline, hiveTarget, httpRequest, noInputs, plural} from './common.js';

export const emergencyStop = defineAction({
	id: 'emergency-stop',
	title: 'Emergency stop',
	key: 'E',
	severity: 'critical',
	targetKind: 'hive',
	multiTarget: false,
	mutates: true,
	uses: ['emergencyStop'],
	inputSchema: noInputs,
	inputFields: [],
	defaultTargets: async (env) => [hiveTarget(env)],
	describe: async ({env, targets}) => ({
		requests: [httpRequest(env.profile, 'emergencyStop', {targetId: targets[0]!.id})],
		summary: 'Stops all agents and their running tasks; running tasks are blocked until the orchestrator restarts.',
		irreversible: 'Work in progress on every agent is interrupted; agents stay stopped until you restart the orchestrator.',
		notes: [],
	}),
	effect: async ({env, signal}) => {
		const snap = await env.readHive(signal);
		const running = (snap.agents ?? []).filter((a) => a.status === 'busy' || a.status === 'active');
		const inProgress = snap.tasks?.byStatus.in_progress ?? 0;
		if (snap.agents && running.length === 0 && inProgress === 0) return {seen: true, message: 'no agent is running and no task is in progress'};
		return {seen: false, message: `${plural(running.length, 'agent')} still running, ${plural(inProgress, 'task')} in progress`};
	},
	effectTimeoutMs: 60_000,
});

export const restartOrchestrator = defineAction({
	id: 'restart-orchestrator',
	title: 'Restart orchestrator',
	key: 'O',
	severity: 'critical',
	targetKind: 'hive',
	multiTarget: false,
	mutates: true,
	uses: ['restartOrchestrator'],
	inputSchema: noInputs,
	inputFields: [],
	defaultTargets: async (env) => [hiveTarget(env)],
	describe: async ({env, targets}) => ({
		requests: [httpRequest(env.profile, 'restartOrchestrator', {targetId: targets[0]!.id})],
		summary:
			env.profile === 'beehive'
				? 'Soft-resets coordination (the beehive server\'s orchestrator restart): agents re-register and tasks are redistributed.'
				: 'Restarts the agent orchestrator: agents re-register and coordination starts over.',
		irreversible: 'In-flight coordination state (assignments being negotiated) is dropped.',
		notes: [],
	}),
	baseline: async ({env, signal}) => heartbeatBaseline((await env.readHive(signal)).agents),
	effect: async ({env, signal, baseline}) => {
		const snap = await env.readHive(signal);
		const back = (snap.agents ?? []).filter((a) => agentBack(a, baseline[a.id] as number | null | undefined));
		if (back.length > 0) return {seen: true, message: `${plural(back.length, 'agent')} registered again with a fresh heartbeat`};
		return {seen: false, message: 'no agent has re-registered yet'};
	},
	effectTimeoutMs: 120_000,
});

export const rebalance = defineAction({
	id: 'rebalance',
	title: 'Rebalance task distribution',
	key: 'b',
	severity: 'high',
	targetKind: 'hive',
	multiTarget: false,
	mutates: true,
	uses: ['rebalance'],
	inputSchema: noInputs,
	inputFields: [],
	defaultTargets: async (env) => [hiveTarget(env)],
	describe: async ({env, targets}) => ({
		requests: [httpRequest(env.profile, 'rebalance', {targetId: targets[0]!.id})],
		summary: 'Moves queued and assigned tasks from overloaded agents to idle ones.',
		irreversible: null,
		notes: [],
	}),
});

export const refreshRedisPools = defineAction({
	id: 'refresh-redis-pools',
	title: 'Refresh Redis connection pools',
	key: 'f',
	severity: 'low',
	targetKind: 'hive',
	multiTarget: false,
	mutates: true,
	uses: ['refreshRedisPools'],
	inputSchema: noInputs,
	inputFields: [],
	defaultTargets: async (env) => [hiveTarget(env)],
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

export const updatePerformanceMetrics = defineAction({
	id: 'update-performance-metrics',
	title: 'Update agent performance metrics',
	key: 'U',
	severity: 'low',
	targetKind: 'hive',
	multiTarget: false,
	mutates: true,
	uses: ['updatePerformanceMetrics'],
	inputSchema: noInputs,
	inputFields: [],
	defaultTargets: async (env) => [hiveTarget(env)],
	describe: async ({env, targets}) => ({
		requests: [httpRequest(env.profile, 'updatePerformanceMetrics', {targetId: targets[0]!.id})],
		summary: "Recomputes every agent's performance figures (response time, success rate).",
		irreversible: null,
		notes: [],
	}),
});
