// Restarting agents: one chosen agent, or the runbook's "problem agents" (status error or heartbeat older
// than 300 s) one at a time, 5 s apart.
import type {Agent} from '../../contract/types.js';
import type {ActionArgs, ActionEnv, ActionTarget, Baseline, EffectCheck, PreCheck} from '../types.js';
import {defineAction} from './define.js';
import {agentBack, heartbeatBaseline, httpRequest, noInputs, plural, problemReason, type NoInputs} from './common.js';

async function readAgents(env: ActionEnv, signal: AbortSignal): Promise<Agent[]> {
	const snap = await env.readHive(signal);
	if (!snap.agents) throw new Error(`could not read the agents list${snap.partialErrors[0] ? `: ${snap.partialErrors[0]}` : ''}`);
	return snap.agents;
}

export function agentTarget(agent: Agent, reason?: string | null): ActionTarget {
	return {kind: 'agent', id: agent.id, name: agent.name, ...(reason ? {reason} : {})};
}

// An agent picked because it was a problem is left alone if it is no longer one; an agent the operator
// picked while it was healthy is restarted as asked.
async function keepStillNeeded({env, signal, targets}: ActionArgs<NoInputs>): Promise<PreCheck> {
	const agents = new Map((await readAgents(env, signal)).map((a) => [a.id, a]));
	const keep: ActionTarget[] = [];
	const notes: string[] = [];
	for (const target of targets) {
		const agent = agents.get(target.id);
		if (!agent) {
			notes.push(`${target.name} (${target.id}) no longer exists; not sent`);
			continue;
		}
		if (target.reason && problemReason(agent) === null) {
			notes.push(`${target.name} has recovered (was ${target.reason}, now ${agent.status}); not sent`);
			continue;
		}
		keep.push(target);
	}
	if (keep.length === 0) return {proceed: false, reason: notes.join('; ') || 'no agent left to restart'};
	return {proceed: true, targets: keep, notes};
}

async function allBack({env, signal, targets, baseline}: ActionArgs<NoInputs> & {baseline: Baseline}): Promise<EffectCheck> {
	const agents = new Map((await readAgents(env, signal)).map((a) => [a.id, a]));
	const waiting = targets.filter((t) => {
		const agent = agents.get(t.id);
		return !agent || !agentBack(agent, baseline[t.id] as number | null | undefined);
	});
	if (waiting.length === 0) return {seen: true, message: `${targets.length === 1 ? targets[0]!.name + ' is' : plural(targets.length, 'agent') + ' are'} active with a fresh heartbeat`};
	return {seen: false, message: `waiting for ${waiting.map((t) => t.name).join(', ')} to heartbeat again`};
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
	describe: async ({env, targets}) => ({
		requests: targets.map((t) => httpRequest(env.profile, 'restartAgent', {targetId: t.id, params: {id: t.id}})),
		summary: `Restarts ${targets.map((t) => `${t.name} (${t.id})`).join(', ')}: it goes to maintenance, then comes back with a fresh heartbeat.`,
		irreversible:
			env.profile === 'beehive'
				? 'The hive refuses (without force) if the agent still has active tasks.'
				: "The agent's current task is interrupted.",
		notes: [],
	}),
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
		const now = Date.now();
		return (await readAgents(env, signal)).flatMap((a) => {
			const reason = problemReason(a, now);
			return reason ? [agentTarget(a, reason)] : [];
		});
	},
	describe: async ({env, targets}) => ({
		requests: targets.map((t) => httpRequest(env.profile, 'restartAgent', {targetId: t.id, params: {id: t.id}})),
		summary:
			targets.length === 0
				? 'No agent has status error or a heartbeat older than 300 s: nothing to restart.'
				: `Restarts ${plural(targets.length, 'problem agent')} one at a time, 5 s apart; each is re-checked right before its restart and skipped if it has recovered.`,
		irreversible: targets.length === 0 ? null : "Each agent's current task is interrupted.",
		notes: targets.map((t) => `${t.name} (${t.id}): ${t.reason ?? 'chosen'}`),
	}),
	preCheck: keepStillNeeded,
	baseline: async ({env, signal}) => heartbeatBaseline(await readAgents(env, signal)),
	effect: allBack,
	spacingMs: 5000,
	effectTimeoutMs: 120_000,
});
