// The runbook's recovery scenarios (and its weekly optimisation) as guided steps, per API profile. The
// runbook profile follows the runbook's own commands. The beehive profile (the shipped server, which has no
// pool refresh, cancel or rebalance) reaches the same ends with the controls that server has: the emergency
// override, the coordination reset (hard: agents to maintenance and back, re-registered; soft: stale
// in-progress work reset and the agent ranking lifted), task retry and reassign.
import type {ApiProfile} from '../../contract/types.js';
import {formatNumber} from '../../model/metrics.js';
import {hiveTime} from '../../model/agents.js';
import type {RunbookScenario, Thresholds} from '../../model/types.js';
import type {HiveSnapshot} from '../../contract/snapshot.js';
import {describeError} from '../../util/redact.js';
import {agentTarget} from '../defs/agents.js';
import {problemReason} from '../defs/common.js';
import {readStreamFacts, streamTarget} from '../defs/redis.js';
import {taskTarget} from '../defs/tasks.js';
import type {ActionTarget} from '../types.js';
import {failureText, scenarioFailures} from './verdict.js';
import type {CheckResult, Playbook, PlaybookId, StepContext, StepDef} from './types.js';

const fmt = (v: number | null | undefined, unit = '') => (v === null || v === undefined ? 'unknown' : `${formatNumber(v)}${unit}`);

/** The runbook deletes agent_messages:coordination when it is "corrupted"; it is usually absent, which is fine. */
export const CORRUPTED_STREAM_CANDIDATE = 'agent_messages:coordination';

// ------------------------------------------------------------------------------------------ checks

async function successRateCheck(ctx: StepContext): Promise<CheckResult> {
	const hive = await ctx.read();
	return {ok: true, message: `coordination success rate ${fmt(hive.coordination?.successRate, ' %')}, ${fmt(hive.activeAgents)} active agents, queue ${fmt(hive.coordination?.queueLength)}`};
}

/** The runbook's "verify core services": database and Redis components of /health. */
async function coreServicesCheck(ctx: StepContext): Promise<CheckResult> {
	const hive = await ctx.read();
	const components = hive.health?.components ?? [];
	const wanted = ['database', 'redis'];
	const failures = wanted.flatMap((name) => {
		const c = components.find((x) => x.name === name);
		return c?.status === 'healthy' ? [] : [{metric: `/health ${name}`, value: c ? `${c.status}${c.error ? ` (${c.error})` : ''}` : 'not reported', threshold: 'healthy'}];
	});
	const ok = failures.length === 0;
	return {ok, message: ok ? 'database and Redis are healthy' : `not healthy: ${failures.map((f) => `${f.metric} ${f.value}`).join('; ')}`, failures, details: failures.map(failureText)};
}

/** Stale or in error, on the hive's clock and with the configured stale-heartbeat threshold. */
function problemAgents(hive: HiveSnapshot, thresholds: Thresholds | undefined) {
	const now = hiveTime(hive);
	const options = thresholds?.staleHeartbeatSeconds === undefined ? {} : {staleHeartbeatSeconds: thresholds.staleHeartbeatSeconds};
	return (hive.agents ?? []).flatMap((a) => {
		const reason = problemReason(a, now, options);
		return reason ? [{agent: a, reason}] : [];
	});
}

async function communicationCheck(ctx: StepContext): Promise<CheckResult> {
	const hive = await ctx.read();
	const problems = problemAgents(hive, ctx.thresholds);
	let clients = 'Redis clients unknown (no Redis configured)';
	if (ctx.env.redis) {
		try {
			const info = String(await ctx.env.redis.call('INFO', 'clients'));
			const connected = /connected_clients:(\d+)/.exec(info)?.[1];
			const blocked = /blocked_clients:(\d+)/.exec(info)?.[1];
			clients = `Redis clients: ${connected ?? '?'} connected, ${blocked ?? '?'} blocked`;
		} catch (error) {
			clients = `Redis clients unreadable: ${describeError(error)}`;
		}
	}
	return {
		ok: true,
		message: `${fmt(hive.agentMetrics?.staleHeartbeats)} stale heartbeats (Prometheus), ${problems.length} problem agents; ${clients}`,
		details: problems.slice(0, 10).map((p) => `${p.agent.name}: ${p.reason}`),
	};
}

async function queueCheck(ctx: StepContext): Promise<CheckResult> {
	const hive = await ctx.read();
	return {ok: true, message: `queue length ${fmt(hive.coordination?.queueLength ?? hive.tasks?.queueLength)}, ${fmt(hive.coordination?.longRunning ?? hive.tasks?.longRunning)} long-running, ${hive.tasks?.stuck.length ?? 0} stuck`};
}

/**
 * The final verification: the scenario's metrics in their target by the model's own assess(), and the
 * scenario no longer detected. The runner asks for it to hold on `consecutive` polls in a row.
 */
function scenarioVerified(scenario: RunbookScenario) {
	let baseline: {rate: number | null; agents: number | null} | null = null;
	return async (ctx: StepContext): Promise<CheckResult> => {
		const hive = await ctx.read();
		const failures = scenarioFailures(scenario, hive, ctx.thresholds);
		const rate = hive.coordination?.successRate ?? null;
		baseline ??= {rate, agents: hive.activeAgents};
		let facts: string;
		if (scenario === 'coordination-critical') facts = `success rate ${fmt(baseline.rate, ' %')} → ${fmt(rate, ' %')}, active agents ${fmt(baseline.agents)} → ${fmt(hive.activeAgents)}`;
		else if (scenario === 'communication-failure') facts = `${problemAgents(hive, ctx.thresholds).length} problem agents, ${fmt(hive.agentMetrics?.staleHeartbeats)} stale heartbeats`;
		else facts = `queue length ${fmt(hive.coordination?.queueLength ?? hive.tasks?.queueLength)}, ${fmt(hive.coordination?.longRunning ?? hive.tasks?.longRunning)} long-running`;
		const ok = failures.length === 0;
		return {ok, message: ok ? `in target: ${facts}` : `still failing: ${failures.map((f) => `${f.metric} ${f.value}`).join('; ')} (${facts})`, failures, details: failures.map(failureText)};
	};
}

// ------------------------------------------------------------------------------------------ targets

async function corruptedStream(ctx: StepContext): Promise<{targets: ActionTarget[]} | {skip: string}> {
	if (!ctx.env.redis) return {skip: 'no Redis configured: no stream to inspect'};
	const facts = await readStreamFacts(ctx.env.redis, CORRUPTED_STREAM_CANDIDATE);
	if (!facts.exists) return {skip: `${CORRUPTED_STREAM_CANDIDATE} does not exist (normal): no corrupted stream identified`};
	return {targets: [streamTarget(CORRUPTED_STREAM_CANDIDATE)]};
}

async function stuckTasks(ctx: StepContext): Promise<{targets: ActionTarget[]} | {skip: string}> {
	const hive = await ctx.read();
	if (!hive.tasks) return {skip: 'the task list could not be read, so no stuck task can be named'};
	const stuck = hive.tasks.stuck;
	if (stuck.length === 0) return {skip: 'no stuck or long-running task listed'};
	return {targets: stuck.map(taskTarget)};
}

async function blockedTasks(ctx: StepContext): Promise<{targets: ActionTarget[]} | {skip: string}> {
	const hive = await ctx.read();
	if (!hive.tasks) return {skip: 'the task queue could not be read, so no blocked task can be named'};
	const blocked = hive.tasks.items.filter((t) => t.status === 'blocked');
	if (blocked.length === 0) return {skip: `no task is blocked${hive.tasks.byStatus.blocked ? ` in the queue's list (${hive.tasks.byStatus.blocked} counted)` : ''}: nothing the stop left behind to retry`};
	return {targets: blocked.map((t) => ({...taskTarget(t), reason: 'blocked'}))};
}

/** The agents still stale or in error, measured on the hive's clock. */
async function stillProblemAgents(ctx: StepContext): Promise<{targets: ActionTarget[]} | {skip: string}> {
	const hive = await ctx.read();
	if (!hive.agents) return {skip: 'the agents list could not be read'};
	const problems = problemAgents(hive, ctx.thresholds);
	if (problems.length === 0) return {skip: 'no agent is still stale or in error: nothing left to restart'};
	return {targets: problems.map((p) => agentTarget(p.agent, p.reason))};
}

// ------------------------------------------------------------------------------------------ playbooks

/** Fresh step objects per playbook list: a verification keeps its baseline (the first reading) in a closure. */
function sharedSteps(): Record<'assess1' | 'core' | 'verify1' | 'assess2' | 'verify2' | 'assess3' | 'verify3', StepDef> {
	return {
		assess1: {kind: 'check', id: 'assess', title: 'Read the success rate and agents', check: successRateCheck},
		core: {kind: 'check', id: 'core', title: 'Verify database and Redis health', check: coreServicesCheck, watchSeconds: 60, verify: true},
		verify1: {
			kind: 'check',
			id: 'recovery',
			title: 'Watch the success rate recover and agents register',
			check: scenarioVerified('coordination-critical'),
			watchSeconds: 900,
			verify: true,
			consecutive: 2,
		},
		assess2: {kind: 'check', id: 'assess', title: 'Stale heartbeats and Redis clients', check: communicationCheck},
		verify2: {kind: 'check', id: 'verify', title: 'Verify heartbeats are current, no agent in error', check: scenarioVerified('communication-failure'), watchSeconds: 300, verify: true, consecutive: 2},
		assess3: {kind: 'check', id: 'assess', title: 'Queue length and long-running tasks', check: queueCheck},
		// A backlog drains at the agents' pace: give it up to an hour of the hive's time (it ends as soon as the
		// queue holds in target on two polls; at the demo's x60 an hour is a minute).
		verify3: {kind: 'check', id: 'verify', title: 'Verify the queue and the distribution', check: scenarioVerified('task-distribution'), watchSeconds: 3600, verify: true, consecutive: 2},
	};
}

const ESCALATE = 'escalate along the configured path (L1 on-call first) with this summary';

/** What names a scenario's playbook, the same on both profiles (and on the console's banner). */
export const SCENARIO_HEADERS: Record<RunbookScenario, Pick<Playbook, 'id' | 'title' | 'when' | 'critical'>> = {
	'coordination-critical': {id: 'coordination-critical', title: 'Scenario 1: coordination success rate below 70 %', when: 'success rate < 70 %', critical: true},
	'communication-failure': {id: 'communication-failure', title: 'Scenario 2: agent communication failures', when: 'stale heartbeats, agents in error, or a growing stream backlog', critical: false},
	'task-distribution': {id: 'task-distribution', title: 'Scenario 3: task distribution failures', when: 'queue above 100, long-running or stuck tasks, uneven assignment', critical: false},
};

// What to try next when a scenario's playbook ends without recovery, and the steps both profiles share.
const NEXT_COORDINATION = ['watch longer: the success rate counts the last 24 h, so it climbs as new work completes', "the runbook's architecture review: database indexes, Redis cluster, communication patterns, resources", ESCALATE];
const RESTART_STILL_STALE = 'restart the agents still stale one by one (R on the agent, or `hive-console action restart-agent AGENT`)';
const WATCH_QUEUE = 'watch longer: the queue drains as agents work through it';
const GRACEFUL: StepDef = {kind: 'wait', id: 'graceful', title: 'Wait for graceful shutdown', seconds: 30};
const HEARTBEATS: StepDef = {kind: 'wait', id: 'settle', title: 'Let heartbeats come in', seconds: 60};
const REDISTRIBUTION: StepDef = {kind: 'wait', id: 'settle', title: 'Let the redistribution settle', seconds: 30};

function scenarioPlaybooks(profile: ApiProfile): Playbook[] {
	const {assess1, core, verify1, assess2, verify2, assess3, verify3} = sharedSteps();
	const scenario = (id: RunbookScenario, next: string[], steps: StepDef[]): Playbook => ({profile, ...SCENARIO_HEADERS[id], next, steps});
	const action = (id: string, title: string, actionId: string, targets?: Extract<StepDef, {kind: 'action'}>['targets']): StepDef => ({kind: 'action', id, title, actionId, ...(targets ? {targets} : {})});
	// The shipped server has no pool refresh or stream delete: a hard reset makes every agent reconnect.
	if (profile === 'beehive') {
		return [
			scenario('coordination-critical', NEXT_COORDINATION, [
				assess1,
				action('stop', 'Emergency stop: stop all tasks', 'emergency-stop'),
				GRACEFUL,
				action('reset', 'Hard coordination reset: agents re-register', 'coordination-reset-hard'),
				action('retry', 'Retry the tasks the stop left blocked', 'retry-task', blockedTasks),
				core,
				verify1,
			]),
			scenario('communication-failure', [RESTART_STILL_STALE, 'check Redis itself (INFO clients, the streams pane) and restart it if needed', ESCALATE], [
				assess2,
				action('reset', 'Hard coordination reset: every agent reopens its Redis connections', 'coordination-reset-hard'),
				HEARTBEATS,
				action('restart', 'Restart the agents still stale or in error', 'restart-problem-agents', stillProblemAgents),
				verify2,
			]),
			scenario('task-distribution', ['reassign the tasks still long-running (or retry them)', WATCH_QUEUE, ESCALATE], [
				assess3,
				action('reassign', 'Reassign the stuck tasks (auto-select the least loaded agent)', 'reassign-task', stuckTasks),
				action('reset', 'Soft coordination reset: stale work reset, agent ranking lifted', 'restart-orchestrator'),
				REDISTRIBUTION,
				verify3,
			]),
		];
	}
	return [
		scenario('coordination-critical', NEXT_COORDINATION, [
			assess1,
			action('stop', 'Emergency stop of all agents', 'emergency-stop'),
			GRACEFUL,
			action('restart', 'Restart the orchestrator', 'restart-orchestrator'),
			action('clear-stream', 'Clear a corrupted stream, if one is identified', 'delete-stream', corruptedStream),
			core,
			verify1,
		]),
		scenario('communication-failure', [RESTART_STILL_STALE, 'restart Redis if the pools stay broken (the runbook: docker-compose restart redis)', ESCALATE], [
			assess2,
			action('pools', 'Refresh Redis connection pools', 'refresh-redis-pools'),
			action('restart', 'Restart the problem agents in sequence', 'restart-problem-agents', stillProblemAgents),
			HEARTBEATS,
			verify2,
		]),
		scenario('task-distribution', ['cancel the tasks still stuck (x on the task, or `hive-console action cancel-task TASK_ID`) and rebalance again', WATCH_QUEUE, ESCALATE], [
			assess3,
			action('cancel', 'Cancel the stuck tasks', 'cancel-task', stuckTasks),
			action('rebalance', 'Rebalance task distribution', 'rebalance'),
			REDISTRIBUTION,
			verify3,
		]),
	];
}

function weeklyOptimisation(profile: ApiProfile): Playbook {
	return {
		id: 'weekly-optimisation',
		profile,
		title: 'Weekly coordination optimisation',
		when: 'weekly maintenance',
		critical: false,
		maintenance: true,
		next: [],
		steps: [
			{kind: 'action', id: 'analysis', title: 'Analyse coordination patterns', actionId: 'weekly-analysis'},
			{kind: 'action', id: 'cleanup', title: 'Clean up completed tasks older than 7 days', actionId: 'cleanup-tasks', inputs: {days: 7}},
			{kind: 'action', id: 'purge', title: 'Optimise Redis memory (MEMORY PURGE, jemalloc only)', actionId: 'memory-purge'},
			{kind: 'action', id: 'metrics', title: 'Update agent performance metrics', actionId: 'update-performance-metrics'},
		],
	};
}

/** The playbooks for a hive of this profile: the three scenarios, then the weekly optimisation. */
export function playbooks(profile: ApiProfile = 'runbook'): Playbook[] {
	return [...scenarioPlaybooks(profile), weeklyOptimisation(profile)];
}

export function getPlaybook(id: string, profile: ApiProfile = 'runbook'): Playbook | undefined {
	return playbooks(profile).find((p) => p.id === id);
}

export const SCENARIO_PLAYBOOKS: readonly RunbookScenario[] = ['coordination-critical', 'communication-failure', 'task-distribution'];

export function isPlaybookId(id: string): id is PlaybookId {
	return id === 'weekly-optimisation' || (SCENARIO_PLAYBOOKS as readonly string[]).includes(id);
}
