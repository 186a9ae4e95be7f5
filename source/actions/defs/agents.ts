// Restarting agents: one chosen agent, or the runbook's "problem agents" (status error, or a heartbeat older
// than the context's threshold, 300 s by default, on the hive's clock) one at a time, 5 s apart.
import type {ActionReply, Agent} from '../../contract/types.js';
import {affectedCount} from '../../contract/action-reply.js';
import {DEFAULT_STALE_HEARTBEAT_SECONDS} from '../../model/agents.js';
import type {HiveSnapshot} from '../../contract/snapshot.js';
import type {ActionArgs, ActionEnv, ActionPlan, ActionTarget, Baseline, EffectCheck, PreCheck} from '../types.js';
import {defineAction} from './define.js';
import {agentBack, heartbeatBaseline, httpRequest, noInputs, plural, problemReasonIn, type NoInputs} from './common.js';
import {formatAge, taskLabel, tasksOnAgent, type TaskFacts} from './task-facts.js';
import {safe, trySnapshot} from './reads.js';

/** A fresh read's agents, and whether each is a problem agent on that read's hive clock and the context's threshold. */
async function readAgentsJudged(env: ActionEnv, signal: AbortSignal): Promise<{agents: Agent[]; problem: (agent: Agent) => string | null}> {
	const snap = await env.readHive(signal);
	if (!snap.agents) throw new Error(`could not read the agents list${snap.partialErrors[0] ? `: ${snap.partialErrors[0]}` : ''}`);
	return {agents: snap.agents, problem: problemReasonIn(env, snap)};
}

async function readAgents(env: ActionEnv, signal: AbortSignal): Promise<Agent[]> {
	return (await readAgentsJudged(env, signal)).agents;
}

export function agentTarget(agent: Agent, reason?: string | null): ActionTarget {
	return {kind: 'agent', id: agent.id, name: agent.name, ...(reason ? {reason} : {})};
}

// An agent picked because it was a problem is left alone if it is no longer one; an agent the operator
// picked while it was healthy is restarted as asked.
async function keepStillNeeded({env, signal, targets}: ActionArgs<NoInputs>): Promise<PreCheck> {
	const read = await readAgentsJudged(env, signal);
	const agents = new Map(read.agents.map((a) => [a.id, a]));
	const keep: ActionTarget[] = [];
	const notes: string[] = [];
	for (const target of targets) {
		const agent = agents.get(target.id);
		if (!agent) {
			notes.push(`${target.name} (${target.id}) no longer exists; not sent`);
			continue;
		}
		if (target.reason && read.problem(agent) === null) {
			notes.push(`${target.name} has recovered (was ${target.reason}, now ${agent.status}); not sent`);
			continue;
		}
		keep.push(target);
	}
	if (keep.length === 0) return {proceed: false, reason: notes.join('; ') || 'no agent left to restart'};
	return {proceed: true, targets: keep, notes};
}

async function allBack({env, signal, targets, baseline, replies}: ActionArgs<NoInputs> & {baseline: Baseline; replies: ActionReply[]}): Promise<EffectCheck> {
	const agents = new Map((await readAgents(env, signal)).map((a) => [a.id, a]));
	const waiting = targets.filter((t) => {
		const agent = agents.get(t.id);
		return !agent || !agentBack(agent, baseline[t.id] as number | null | undefined);
	});
	// What the hive said it did with the tasks in progress (force=true), so the operator knows where they went.
	const moved = replies.map((r) => affectedCount(r.body, 'active_tasks_reassigned')).reduce<number>((sum, n) => sum + (n ?? 0), 0);
	const movedText = moved > 0 ? ` (the hive put ${plural(moved, 'task')} in progress back to pending)` : '';
	if (waiting.length === 0) return {seen: true, message: `${targets.length === 1 ? targets[0]!.name + ' is' : plural(targets.length, 'agent') + ' are'} active with a fresh heartbeat${movedText}`};
	return {seen: false, message: `waiting for ${waiting.map((t) => t.name).join(', ')} to heartbeat again${movedText}`};
}

const describeTask = (t: TaskFacts) => {
	const age = formatAge(t.ageSeconds);
	return `${taskLabel(t)}${age ? ` (${t.status} for ${age})` : ` (${t.status}, age unknown)`}`;
};

interface RestartPlanPart {
	/** The beehive server refuses a restart without force while the agent has a task in progress. */
	force: boolean;
	notes: string[];
}

/**
 * Whether a beehive restart needs force=true, and the notes that name what it does to the agent's work:
 * tasks in progress go back to pending (force); tasks only assigned stay assigned while it restarts.
 * Without a task list, the agents list's current_task (the title of a task in progress) still tells.
 */
export function beehiveRestartPlan(agent: Agent | undefined, target: ActionTarget, snap: HiveSnapshot | null): RestartPlanPart {
	const name = safe(agent?.name ?? target.name, 40);
	if (!snap?.tasks) {
		if (agent?.currentTask) {
			return {force: true, notes: [`${name} is working on "${safe(agent.currentTask)}" (from the agents list; the task list could not be read): force=true puts its tasks in progress back to pending`]};
		}
		return {force: false, notes: [`${name}: the task list could not be read and it reports no current task: force=false, so the hive refuses if it has a task in progress`]};
	}
	const running = tasksOnAgent(snap, target.id, ['in_progress']);
	const assigned = tasksOnAgent(snap, target.id, ['assigned']);
	const notes: string[] = [];
	if (running.length > 0) {
		notes.push(`${name} has ${plural(running.length, 'task')} in progress: force=true, so they go back to pending, unassigned, and lose their progress: ${running.map(describeTask).join(', ')}`);
	} else if (agent?.currentTask) {
		notes.push(`${name} reports working on "${safe(agent.currentTask)}", which the task list does not show in progress: force=true so the restart is not refused`);
	} else if (assigned.length > 0) {
		notes.push(`${name} has no task in progress but ${plural(assigned.length, 'assigned task')}: force=true, so a task starting meanwhile cannot make the hive refuse`);
	} else {
		notes.push(`${name} has no task in progress: force=false (the hive refuses if one starts before the request arrives)`);
	}
	// The shipped server moves only tasks in progress; assigned ones stay with the agent while it restarts.
	if (assigned.length > 0) notes.push(`${name} keeps ${plural(assigned.length, 'assigned task')} while it restarts (the hive only moves tasks in progress): ${assigned.map(describeTask).join(', ')}`);
	return {force: running.length > 0 || assigned.length > 0 || Boolean(agent?.currentTask), notes};
}

async function restartPlan(env: ActionEnv, signal: AbortSignal, targets: ActionTarget[]): Promise<Pick<ActionPlan, 'requests' | 'notes'> & {forced: number}> {
	if (env.profile !== 'beehive') {
		return {requests: targets.map((t) => httpRequest(env.profile, 'restartAgent', {targetId: t.id, params: {id: t.id}})), notes: [], forced: 0};
	}
	const {snap, error} = await trySnapshot(env, signal);
	const agents = new Map((snap?.agents ?? []).map((a) => [a.id, a]));
	const notes: string[] = error ? [`could not read the hive (${safe(error, 120)})`] : [];
	let forced = 0;
	const requests = targets.map((t) => {
		const part = beehiveRestartPlan(agents.get(t.id), t, snap);
		notes.push(...part.notes);
		if (part.force) forced++;
		return httpRequest(env.profile, 'restartAgent', {targetId: t.id, params: {id: t.id}, query: {force: part.force ? 'true' : 'false'}});
	});
	return {requests, notes, forced};
}

export const restartAgent = defineAction<NoInputs>({
	id: 'restart-agent',
	title: 'Restart agent',
	key: 'R',
	severity: 'high',
	targetKind: 'agent',
	multiTarget: false,
	mutates: true,
	uses: ['restartAgent'],
	inputSchema: noInputs,
	inputFields: [],
	describe: async ({env, signal, targets}) => {
		const plan = await restartPlan(env, signal, targets);
		return {
			requests: plan.requests,
			summary: `Restarts ${targets.map((t) => `${t.name} (${t.id})`).join(', ')}: it goes to maintenance, then comes back with a fresh heartbeat.`,
			irreversible:
				env.profile === 'beehive'
					? plan.forced > 0
						? 'Its tasks in progress lose their progress and go back to pending (force=true).'
						: null
					: "The agent's current task is interrupted.",
			notes: plan.notes,
		};
	},
	preCheck: keepStillNeeded,
	baseline: async ({env, signal}) => heartbeatBaseline(await readAgents(env, signal)),
	effect: allBack,
});

export const restartProblemAgents = defineAction<NoInputs>({
	id: 'restart-problem-agents',
	title: 'Restart problem agents in sequence',
	key: 'P',
	severity: 'high',
	targetKind: 'agent',
	multiTarget: true,
	mutates: true,
	uses: ['agentsList', 'restartAgent'],
	inputSchema: noInputs,
	inputFields: [],
	defaultTargets: async (env, signal) => {
		const {agents, problem} = await readAgentsJudged(env, signal);
		return agents.flatMap((a) => {
			const reason = problem(a);
			return reason ? [agentTarget(a, reason)] : [];
		});
	},
	describe: async ({env, signal, targets}) => {
		const plan = await restartPlan(env, signal, targets);
		return {
			requests: plan.requests,
			summary:
				targets.length === 0
					? `No agent has status error or a heartbeat older than ${env.staleHeartbeatSeconds ?? DEFAULT_STALE_HEARTBEAT_SECONDS} s: nothing to restart.`
					: `Restarts ${plural(targets.length, 'problem agent')} one at a time, 5 s apart; each is re-checked right before its restart and skipped if it has recovered.`,
			irreversible:
				targets.length === 0
					? null
					: env.profile === 'beehive'
						? plan.forced > 0
							? `Tasks in progress on ${plural(plan.forced, 'agent')} lose their progress and go back to pending (force=true).`
							: null
						: "Each agent's current task is interrupted.",
			notes: [...targets.map((t) => `${t.name} (${t.id}): ${t.reason ?? 'chosen'}`), ...plan.notes],
		};
	},
	preCheck: keepStillNeeded,
	baseline: async ({env, signal}) => heartbeatBaseline(await readAgents(env, signal)),
	effect: allBack,
	spacingMs: 5000,
	effectTimeoutMs: 120_000,
});
