// The shipped (beehive) server's auto-heal (POST recovery/auto-heal, docs/hive-server-routes.md) as gated
// actions. Planning asks the hive for its own dry run (dry_run=true, which changes nothing) and shows that
// plan in the confirmation, with the agents and tasks it would touch found by the server's own rules;
// confirming sends the same request with dry_run=false. The effect check reads what the hive says it did
// (the actions it executed) and then the state: stuck tasks no longer in progress, stale agents restarted.
//
// Two declarations rather than one with three recovery types: the gate takes an action's severity from its
// declaration, and aggressive (which also deletes every agent_messages:* stream) must need the typed name
// while smart and conservative need an explicit Confirm.
import {z} from 'zod';
import type {ActionReply, Agent} from '../../contract/types.js';
import type {HiveSnapshot} from '../../contract/snapshot.js';
import {hiveTime} from '../../model/agents.js';
import type {ActionEnv, ActionPlan, ActionTarget, EffectCheck, PreCheck} from '../types.js';
import {defineAction} from './define.js';
import {agentBack, heartbeatBaseline, hiveTarget, httpRequest, plural} from './common.js';
import {agentName, readSnapshot, safe, trySnapshot} from './reads.js';
import {describeTaskFacts, taskFactsOf, taskLabel, type TaskFacts} from './task-facts.js';
import {readAutoHeal, type AutoHealReply} from './server-replies.js';

export type RecoveryType = 'smart' | 'conservative' | 'aggressive';

/** The auto-heal action's recovery_type input: a number in the modal, a name accepted on the command line. */
export const RECOVERY_TYPE_CHOICES = ['smart', 'conservative'] as const;

const autoHealInputs = z
	.object({
		recovery_type: z
			.preprocess((v) => (typeof v === 'string' && RECOVERY_TYPE_CHOICES.includes(v.trim() as never) ? RECOVERY_TYPE_CHOICES.indexOf(v.trim() as never) : v), z.coerce.number().int().min(0).max(1))
			.default(0),
	})
	.strict();
type AutoHealInputs = z.infer<typeof autoHealInputs>;
const noInputs = z.object({}).strict();

const HOUR_MS = 3600_000;
/** The server's rules (dashboard_task_management.py): in progress for over an hour; active with a heartbeat null or over 10 minutes old. */
const STUCK_AFTER_MS = HOUR_MS;
const STALE_AFTER_MS = 10 * 60_000;

function stuckTasks(snap: HiveSnapshot): TaskFacts[] {
	const now = hiveTime(snap);
	const started = new Map((snap.tasks?.items ?? []).map((t) => [t.id, t.startedAt]));
	return [...taskFactsOf(snap).values()]
		.filter((t) => t.status === 'in_progress')
		.filter((t) => {
			const at = started.get(t.id);
			return at !== undefined && at !== null ? at < now - STUCK_AFTER_MS : t.stuck;
		})
		.sort((a, b) => (b.ageSeconds ?? 0) - (a.ageSeconds ?? 0));
}

function staleAgents(snap: HiveSnapshot): Agent[] {
	const now = hiveTime(snap);
	return (snap.agents ?? []).filter((a) => a.status === 'active' && (a.lastHeartbeat === null || now - a.lastHeartbeat > STALE_AFTER_MS));
}

function listed(items: string[], n: number): string {
	return items.slice(0, n).join(', ') + (items.length > n ? `, and ${items.length - n} more` : '');
}

/** How many agent_messages:* keys Redis has now (SCAN, never KEYS), when the console has a Redis connection. */
async function agentStreamCount(env: ActionEnv): Promise<number | null> {
	if (!env.redis) return null;
	let cursor = '0';
	let count = 0;
	do {
		const [next, batch] = (await env.redis.call('SCAN', cursor, 'MATCH', 'agent_messages:*', 'COUNT', 500)) as [string, string[]];
		cursor = String(next);
		count += batch.length;
	} while (cursor !== '0' && count < 100_000);
	return count;
}

function autoHealRequest(env: ActionEnv, target: ActionTarget, type: RecoveryType, dryRun: boolean) {
	return httpRequest(env.profile, 'autoHeal', {targetId: target.id, query: {recovery_type: type, dry_run: dryRun ? 'true' : 'false'}});
}

/** Asks the hive for its plan: the same request with dry_run=true, which the server answers without changing anything. */
async function dryRun(env: ActionEnv, target: ActionTarget, type: RecoveryType, signal: AbortSignal): Promise<AutoHealReply> {
	const reply = await env.send(autoHealRequest(env, target, type, true), signal);
	if (!reply.ok) throw new Error(`the hive's dry run failed: ${reply.message}`);
	const plan = readAutoHeal(reply.body);
	if (!plan) throw new Error('the hive\'s dry run answered something that is not an auto-heal plan');
	return plan;
}

function actionLine(a: NonNullable<AutoHealReply['actions']>[number]): string {
	return `${safe(a.description ?? a.type ?? 'an unnamed action', 80)}${a.impact ? ` (impact ${safe(a.impact, 10)})` : ''}`;
}

function typeOf(inputs: Record<string, unknown>, fixed: RecoveryType | null): RecoveryType {
	return fixed ?? RECOVERY_TYPE_CHOICES[Number(inputs.recovery_type ?? 0)] ?? 'smart';
}

const WHAT_EACH_DOES: Record<RecoveryType, string> = {
	conservative: 'conservative resets tasks in progress for over an hour to pending',
	smart: 'smart resets tasks in progress for over an hour to pending, puts active agents whose heartbeat is over 10 minutes old (or missing) in maintenance to restart, and above a 30 % failure rate in the last hour gives ten pending tasks a fresh retry budget',
	aggressive: 'aggressive resets every task in progress for over an hour, restarts every stale agent and deletes every agent_messages:* stream in Redis',
};

async function plan(env: ActionEnv, target: ActionTarget, type: RecoveryType, signal: AbortSignal): Promise<ActionPlan> {
	const hive = await dryRun(env, target, type, signal);
	const {snap, error} = await trySnapshot(env, signal);
	const actions = hive.actions ?? [];
	const a = hive.analysis ?? {};
	const figures = [
		a.stuck_tasks === undefined ? null : plural(a.stuck_tasks, 'stuck task'),
		a.stale_agents === undefined ? null : plural(a.stale_agents, 'stale agent'),
		a.failure_rate === undefined ? null : `failure rate ${Math.round(a.failure_rate * 10) / 10} % in the last hour`,
	].filter(Boolean);
	const outlook = [
		hive.success_likelihood === undefined ? null : `success likelihood ${hive.success_likelihood} %`,
		hive.estimated_recovery_time ? `about ${safe(hive.estimated_recovery_time, 20)}` : null,
	].filter(Boolean);
	const planned = actions.length === 0 ? 'it plans nothing' : `it plans ${plural(actions.length, 'action')}: ${actions.map(actionLine).join('; ')}`;
	const notes: string[] = actions.map((x) => `would: ${actionLine(x)}`);
	if (!snap) notes.push(`could not read the hive to name the agents and tasks: ${error ?? 'unknown error'}`);
	else {
		const tasks = stuckTasks(snap);
		const agents = staleAgents(snap);
		const agentLine = type === 'conservative' ? null : agents.length === 0 ? 'agents: none active with a stale heartbeat' : `agents to maintenance: ${listed(agents.map((x) => safe(x.name, 30)), 6)}`;
		if (snap.tasks) {
			if (tasks.length === 0) notes.push('tasks: none in progress for over an hour');
			else {
				// One task a line (the modal shows six notes), the agents' line kept below them.
				const room = Math.max(1, 6 - notes.length - (agentLine ? 1 : 0));
				const shown = tasks.length > room ? room - 1 : tasks.length;
				tasks.slice(0, Math.max(1, shown)).forEach((t, i) => notes.push(`${i === 0 ? `tasks back to pending (${tasks.length}): ` : '  '}${describeTaskFacts(t, t.id)}`));
				if (tasks.length > Math.max(1, shown)) notes.push(`  and ${tasks.length - Math.max(1, shown)} more`);
			}
		}
		if (agentLine) notes.push(agentLine);
	}
	let irreversible: string | null = 'The progress of the tasks reset to pending is dropped; agents put in maintenance stop their work until they restart.';
	if (type === 'aggressive') {
		const streams = await agentStreamCount(env).catch(() => null);
		irreversible = `${irreversible} Every agent_messages:* stream is deleted with its messages and consumer groups${streams === null ? '' : ` (${plural(streams, 'stream')} now)`}, acknowledged or not.`;
	}
	return {
		requests: [autoHealRequest(env, target, type, false)],
		summary: `Auto-heal (${type}): the hive's own dry run (${[...figures].join(', ') || 'no analysis'}) ${planned}${outlook.length ? `; ${outlook.join(', ')}` : ''}. Confirming sends it with dry_run=false. In the server's code, ${WHAT_EACH_DOES[type]}.`,
		irreversible,
		notes,
	};
}

async function precheck(env: ActionEnv, targets: ActionTarget[], type: RecoveryType, signal: AbortSignal): Promise<PreCheck> {
	const hive = await dryRun(env, targets[0]!, type, signal);
	const actions = hive.actions ?? [];
	if (actions.length === 0) return {proceed: false, reason: `the hive's dry run (${type}) now plans nothing: nothing to heal, nothing sent`};
	return {proceed: true, targets, notes: [`plan when sent: ${actions.map(actionLine).join('; ')}`]};
}

async function baseline(env: ActionEnv, signal: AbortSignal) {
	const snap = await readSnapshot(env, signal, {agents: true});
	const tasks = stuckTasks(snap);
	return {
		stuck: tasks.map((t) => ({id: t.id, agentId: t.agentId})),
		stale: staleAgents(snap).map((a) => a.id),
		heartbeats: heartbeatBaseline(snap.agents),
	};
}

/** What the hive says it executed: the actions marked execute in a reply that is not a dry run. */
async function effect(env: ActionEnv, signal: AbortSignal, base: Record<string, unknown>, replies: ActionReply[]): Promise<EffectCheck> {
	const hive = readAutoHeal(replies[0]?.body);
	if (!hive) return {seen: false, final: true, message: 'the hive\'s answer is not an auto-heal result; check the hive before trying again'};
	if (hive.dry_run === true) return {seen: false, final: true, message: 'the hive answered with a dry run: nothing was done'};
	const done = (hive.actions ?? []).filter((a) => a.execute !== false);
	if (done.length === 0) return {seen: false, final: true, message: 'the hive did nothing: its answer lists no action performed'};
	const said = done.map(actionLine).join('; ');
	const failed = done.filter((a) => a.type?.endsWith('_failed'));
	const snap = await readSnapshot(env, signal, {agents: true});
	const waiting: string[] = [];
	const types = new Set(done.map((a) => a.type ?? ''));
	if (types.has('reset_stuck_tasks') || types.has('reset_all_stuck_tasks')) {
		const facts = snap.tasks ? taskFactsOf(snap) : null;
		const stuck = (base.stuck as Array<{id: string; agentId: string | null}> | undefined) ?? [];
		if (facts) {
			const still = stuck.map((s) => ({s, f: facts.get(s.id)})).filter(({s, f}) => f?.status === 'in_progress' && f.agentId === s.agentId);
			if (still.length > 0) waiting.push(`${listed(still.map(({f}) => taskLabel(f!)), 3)} still in progress on the same agent`);
		}
	}
	if (types.has('restart_stale_agents') || types.has('restart_all_stale_agents')) {
		const heartbeats = (base.heartbeats ?? {}) as Record<string, number | null>;
		const agents = new Map((snap.agents ?? []).map((a) => [a.id, a]));
		const notRestarted = ((base.stale as string[] | undefined) ?? []).filter((id) => {
			const agent = agents.get(id);
			return agent !== undefined && agent.status !== 'maintenance' && !agentBack(agent, heartbeats[id]);
		});
		if (notRestarted.length > 0) waiting.push(`${listed(notRestarted.map((id) => agentName(snap.agents, id)), 4)} neither in maintenance nor back`);
	}
	if (failed.length > 0) return {seen: false, final: true, message: `the hive performed: ${said}; ${failed.map(actionLine).join('; ')} failed`};
	if (waiting.length > 0) return {seen: false, message: `the hive performed: ${said}; but ${waiting.join('; ')}`};
	return {seen: true, message: `the hive performed: ${said}; the tasks and agents it reset are no longer stuck or stale`};
}

function autoHealAction(id: 'auto-heal' | 'auto-heal-aggressive', fixed: RecoveryType | null) {
	return defineAction<AutoHealInputs>({
		id,
		title: fixed === 'aggressive' ? 'Auto-heal (aggressive: also deletes agent streams)' : 'Auto-heal (smart or conservative)',
		key: fixed === 'aggressive' ? 'N' : 'Y',
		severity: fixed === 'aggressive' ? 'critical' : 'high',
		targetKind: 'hive',
		multiTarget: false,
		mutates: true,
		uses: ['autoHeal'],
		inputSchema: (fixed ? noInputs : autoHealInputs) as never,
		inputFields: fixed ? [] : [{name: 'recovery_type', label: 'recovery type (0 smart, 1 conservative)', unit: '', min: 0, max: 1, default: 0}],
		defaultTargets: async (env) => [hiveTarget(env)],
		describe: ({env, signal, targets, inputs}) => plan(env, targets[0]!, typeOf(inputs, fixed), signal),
		preCheck: ({env, signal, targets, inputs}) => precheck(env, targets, typeOf(inputs, fixed), signal),
		baseline: ({env, signal}) => baseline(env, signal),
		effect: ({env, signal, baseline: base, replies}) => effect(env, signal, base, replies),
		effectTimeoutMs: 60_000,
	});
}

export const autoHeal = autoHealAction('auto-heal', null);
export const autoHealAggressive = autoHealAction('auto-heal-aggressive', 'aggressive');
