// Actions on tasks, one or several marked at once: cancel (runbook profile), and the beehive server's own
// reassign and retry. Every task is shown by title, agent and age (task-facts.ts), never by a bare id.
import {z} from 'zod';
import type {StuckTask} from '../../contract/snapshot.js';
import type {Agent, Task} from '../../contract/types.js';
import {reassignmentOf, retryOutcomeOf} from '../../contract/action-reply.js';
import type {ActionArgs, ActionEnv, ActionTarget, EffectCheck, PreCheck} from '../types.js';
import {defineAction} from './define.js';
import {httpRequest, isFinishedTaskStatus, noInputs, plural, type NoInputs} from './common.js';
import {describeTaskFacts, namedTaskTarget, taskFactsOf, taskLabel, type TaskFacts} from './task-facts.js';
import {agentName, readSnapshot, safe, trySnapshot} from './reads.js';

export function taskTarget(task: Task | StuckTask): ActionTarget {
	return {kind: 'task', id: task.id, name: task.title || `task ${task.id.slice(0, 8)}`, reason: 'stuck'};
}

/** What the query's `reason` says on the hive (it stores it in the task's error_message). */
export const HIVE_REASON = 'hive-console';

const reasonInput = z.string().trim().min(1).max(200).regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters').optional();

async function factsFor(args: {env: ActionEnv; signal: AbortSignal}): Promise<{facts: Map<string, TaskFacts>; error: string | null; snapAgents: Agent[] | null}> {
	const {snap, error} = await trySnapshot(args.env, args.signal);
	return {facts: snap ? taskFactsOf(snap) : new Map(), error, snapAgents: snap?.agents ?? null};
}

function targetNotes(targets: ActionTarget[], facts: Map<string, TaskFacts>, readError: string | null): string[] {
	const notes = targets.map((t) => describeTaskFacts(facts.get(t.id), t.id));
	if (readError) notes.unshift(`could not read the hive's tasks (${safe(readError, 120)}): titles, agents and ages unknown`);
	return notes;
}

function whichTasks(targets: ActionTarget[], facts: Map<string, TaskFacts>): string {
	return targets.length === 1 ? describeTaskFacts(facts.get(targets[0]!.id), targets[0]!.id) : plural(targets.length, 'task');
}

/** Re-reads the tasks right before sending; `keep` decides per task, by what the hive shows now. */
async function recheck(args: ActionArgs<Record<string, unknown>>, keep: (facts: TaskFacts | undefined, target: ActionTarget) => string | null): Promise<PreCheck> {
	const snap = await readSnapshot(args.env, args.signal, {tasks: true});
	const facts = taskFactsOf(snap);
	const kept: ActionTarget[] = [];
	const notes: string[] = [];
	for (const target of args.targets) {
		const seen = facts.get(target.id);
		const skip = keep(seen, target);
		if (skip) notes.push(`${seen ? taskLabel(seen) : target.name} ${skip}; not sent`);
		else kept.push(namedTaskTarget(target, seen));
	}
	if (kept.length === 0) return {proceed: false, reason: notes.join('; ')};
	return {proceed: true, targets: kept, notes};
}

export const cancelTask = defineAction<NoInputs>({
	id: 'cancel-task',
	title: 'Cancel task',
	key: 'x',
	severity: 'high',
	targetKind: 'task',
	multiTarget: true,
	mutates: true,
	uses: ['cancelTask'],
	inputSchema: noInputs,
	inputFields: [],
	describe: async ({env, signal, targets}) => {
		const {facts, error} = await factsFor({env, signal});
		return {
			requests: targets.map((t) => httpRequest(env.profile, 'cancelTask', {targetId: t.id, params: {id: t.id}})),
			summary: `Cancels ${whichTasks(targets, facts)}; the agent stops working on it.`,
			irreversible: 'A cancelled task is not retried; it has to be submitted again.',
			notes: targets.length > 1 || error ? targetNotes(targets, facts, error) : [],
		};
	},
	// A task that finished meanwhile is left alone. In the runbook profile, where only the stuck list can be
	// read, a task that has left that list is no longer stuck.
	preCheck: (args) =>
		recheck(args, (seen) => {
			if (!seen) return 'is no longer listed as stuck';
			if (isFinishedTaskStatus(seen.status)) return `is already ${seen.status}`;
			return null;
		}),
	effect: async ({env, signal, targets, replies}) => {
		const facts = taskFactsOf(await readSnapshot(env, signal, {tasks: true}));
		const open = targets.filter((t) => {
			const seen = facts.get(t.id);
			return seen !== undefined && seen.status !== 'cancelled';
		});
		const saidCancelled = replies.every((r) => (r.body as {status?: unknown} | null)?.status === 'cancelled');
		if (open.length === 0 && saidCancelled) return {seen: true, message: `${targets.length === 1 ? `${targets[0]!.name} cancelled` : `${plural(targets.length, 'task')} cancelled`}`};
		return {seen: false, message: open.length ? `still open: ${open.map((t) => t.name).join(', ')}` : 'the hive did not report the task cancelled'};
	},
});

const reassignInputs = z
	.object({
		/** An agent id or name (command line only); without it the hive picks the least-loaded active agent. */
		new_agent_id: z.string().trim().min(1).max(200).regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters').optional(),
		reason: reasonInput,
	})
	.strict();
type ReassignInputs = z.infer<typeof reassignInputs>;

export const reassignTask = defineAction<ReassignInputs>({
	id: 'reassign-task',
	title: 'Reassign task',
	key: 'n',
	severity: 'high',
	targetKind: 'task',
	multiTarget: true,
	mutates: true,
	uses: ['reassignTask'],
	inputSchema: reassignInputs as never,
	inputFields: [],
	describe: async ({env, signal, targets, inputs}) => {
		const {facts, error, snapAgents} = await factsFor({env, signal});
		const reason = inputs.reason ?? HIVE_REASON;
		let chosen: {id: string; note: string | null} | null = null;
		if (inputs.new_agent_id) {
			const byIdOrName = (snapAgents ?? []).filter((a) => a.id === inputs.new_agent_id || a.name === inputs.new_agent_id);
			if (byIdOrName.length > 1) throw new Error(`"${safe(inputs.new_agent_id)}" names ${byIdOrName.length} agents; give the id`);
			const agent = byIdOrName[0];
			chosen = {
				id: agent?.id ?? inputs.new_agent_id,
				note: !agent
					? `agent ${safe(inputs.new_agent_id)} is not in the agents list; the hive answers 400 unless it is an active agent`
					: agent.status !== 'active'
						? `${safe(agent.name)} is ${agent.status}: the hive only assigns to agents in status active and will refuse (400)`
						: null,
			};
		}
		const query = (): Record<string, string> => (chosen ? {auto_select: 'false', new_agent_id: chosen.id, reason} : {auto_select: 'true', reason});
		const to = chosen ? agentName(snapAgents, chosen.id) : "the active agent with the fewest assigned or in-progress tasks (the hive's choice; it may be the same agent)";
		const notes = targetNotes(targets, facts, error);
		if (chosen?.note) notes.unshift(chosen.note);
		return {
			requests: targets.map((t) => httpRequest(env.profile, 'reassignTask', {targetId: t.id, params: {id: t.id}, query: query()})),
			summary: `Moves ${whichTasks(targets, facts)} to ${to}; the task becomes assigned and the new agent gets a task_reassignment message on its stream.`,
			irreversible: 'Work the current agent has done on it is abandoned; the hive notes "Reassigned" in its error message.',
			notes: targets.length > 1 || error || chosen?.note ? notes : [],
		};
	},
	// The hive reassigns whatever it is given, even a completed task (it becomes assigned again): only open
	// tasks the console can see are sent. A failed one wants retry, which keeps its retry count.
	preCheck: (args) =>
		recheck(args, (seen) => {
			if (!seen) return "is not in the hive's open-task list now (it may have finished)";
			if (seen.status === 'failed') return 'has failed: retry it instead (e), which keeps its retry count';
			if (isFinishedTaskStatus(seen.status)) return `is already ${seen.status}`;
			return null;
		}),
	baseline: async ({env, signal}) => {
		const facts = taskFactsOf(await readSnapshot(env, signal, {tasks: true}));
		return Object.fromEntries([...facts.values()].map((f) => [f.id, f.agentId]));
	},
	effect: async ({env, signal, targets, replies, baseline}): Promise<EffectCheck> => {
		const snap = await readSnapshot(env, signal, {tasks: true});
		const facts = taskFactsOf(snap);
		const done: string[] = [];
		const waiting: string[] = [];
		for (const [i, target] of targets.entries()) {
			const said = reassignmentOf(replies[i]?.body);
			const label = facts.get(target.id) ? taskLabel(facts.get(target.id)!) : target.name;
			if (!said) {
				waiting.push(`${label}: the hive's reply named no reassignment`);
				continue;
			}
			const before = said.originalAgentId ?? (baseline[target.id] as string | null | undefined) ?? null;
			const toName = said.newAgentName ? safe(said.newAgentName, 40) : said.newAgentId ? agentName(snap.agents, said.newAgentId) : null;
			if (said.newAgentId === null || said.method === 'reset_to_pending') {
				const now = facts.get(target.id);
				if (now && now.status !== 'pending' && now.agentId === before) waiting.push(`${label} is still ${now.status} on its agent`);
				else done.push(`${label} back to pending for the orchestrator`);
				continue;
			}
			if (before !== null && said.newAgentId === before) {
				waiting.push(`the hive put ${label} back on the same agent ${toName ?? ''} (it had the fewest tasks): not moved`);
				continue;
			}
			const now = facts.get(target.id);
			if (now && now.agentId !== said.newAgentId && now.agentId === before) {
				waiting.push(`${label} still shows on its old agent`);
				continue;
			}
			const load = said.agentTaskLoad !== null ? `, which had ${plural(said.agentTaskLoad, 'task')}` : '';
			done.push(`${label} now on ${toName ?? 'another agent'}${load}${now ? '' : " (not in the queue's listing to re-check)"}`);
		}
		if (waiting.length === 0) return {seen: true, message: done.join('; ')};
		return {seen: false, message: waiting.join('; ')};
	},
	effectTimeoutMs: 30_000,
});

const retryInputs = z
	.object({
		/** 0: only when the task has used its retries (the hive would refuse otherwise); 1: always. */
		reset_retry_count: z.coerce.number().int().min(0).max(1).default(0),
		reason: reasonInput,
	})
	.strict();
type RetryInputs = z.infer<typeof retryInputs>;

const RETRYABLE = ['failed', 'blocked'];

/**
 * Whether the hive would refuse a plain retry. Its retry adds one to retry_count first and refuses when
 * the result reaches max_retries, so a task at 2 of 3 already needs the reset.
 */
export function needsRetryReset(facts: TaskFacts | undefined): boolean {
	if (!facts || facts.retryCount === null || facts.maxRetries === null) return false;
	return facts.retryCount + 1 >= facts.maxRetries;
}

export const retryTask = defineAction<RetryInputs>({
	id: 'retry-task',
	title: 'Retry task',
	key: 'e',
	severity: 'high',
	targetKind: 'task',
	multiTarget: true,
	mutates: true,
	uses: ['retryTask'],
	inputSchema: retryInputs as never,
	inputFields: [{name: 'reset_retry_count', label: 'reset retry count (0 when needed, 1 always)', unit: '', min: 0, max: 1, default: 0}],
	describe: async ({env, signal, targets, inputs}) => {
		const {facts, error} = await factsFor({env, signal});
		const reason = inputs.reason ?? HIVE_REASON;
		const notes = targetNotes(targets, facts, error);
		const resets: string[] = [];
		const requests = targets.map((t) => {
			const f = facts.get(t.id);
			const reset = inputs.reset_retry_count === 1 || needsRetryReset(f);
			if (reset && inputs.reset_retry_count !== 1 && f) {
				resets.push(`${taskLabel(f)} has used ${f.retryCount} of ${f.maxRetries} retries: the hive counts this retry first and refuses at ${f.maxRetries}, so this sends reset_retry_count=true and its count starts again at 0`);
			}
			return httpRequest(env.profile, 'retryTask', {targetId: t.id, params: {id: t.id}, query: reset ? {reset_retry_count: 'true', reason} : {reason}});
		});
		for (const t of targets) {
			const f = facts.get(t.id);
			if (f?.status && !RETRYABLE.includes(f.status)) notes.push(`${taskLabel(f)} is ${f.status}: only failed or blocked tasks can be retried; it will not be sent`);
			else if (!f) notes.push(`${t.name === t.id ? `task ${t.id.slice(0, 8)}` : t.name}: not in the hive's open-task list (failed tasks are not); the hive checks its status and answers 400 unless it is failed or blocked; its retry count is unknown here, so if the hive refuses naming max_retries, retry with reset retry count = 1`);
		}
		if (inputs.reset_retry_count === 1) resets.push('reset retry count = 1: every task\'s retry count starts again at 0');
		return {
			requests,
			summary: `Puts ${whichTasks(targets, facts)} back to pending with its agent dropped, so the orchestrator assigns it again.`,
			irreversible: null,
			notes: [...resets, ...(targets.length > 1 || error ? notes : notes.slice(1))],
		};
	},
	// A task that is pending (someone retried it) or running again no longer needs a retry. A task not
	// listed is sent: failed tasks are not in the beehive queue, and the hive checks the status itself.
	preCheck: (args) =>
		recheck(args, (seen) => {
			if (!seen?.status || RETRYABLE.includes(seen.status)) return null;
			return `is ${seen.status} now: only failed or blocked tasks can be retried`;
		}),
	effect: async ({env, signal, targets, replies}): Promise<EffectCheck> => {
		const facts = taskFactsOf(await readSnapshot(env, signal, {tasks: true}));
		const done: string[] = [];
		const waiting: string[] = [];
		for (const [i, target] of targets.entries()) {
			const said = retryOutcomeOf(replies[i]?.body);
			const now = facts.get(target.id);
			const label = now ? taskLabel(now) : target.name;
			if (!said || (said.taskStatus !== null && said.taskStatus !== 'pending')) {
				waiting.push(`${label}: the hive's reply did not say pending${said?.taskStatus ? ` (it said ${safe(said.taskStatus, 20)})` : ''}`);
				continue;
			}
			if (now?.status && RETRYABLE.includes(now.status)) {
				waiting.push(`${label} is still ${now.status}`);
				continue;
			}
			const count = said.countReset ? 'retry count reset to 0' : said.retryCount !== null ? `retry ${said.retryCount}${said.maxRetries !== null ? ` of ${said.maxRetries}` : ''}` : null;
			done.push(`${label} ${now?.status && now.status !== 'pending' ? `pending again, now ${now.status}` : 'pending again'}${count ? ` (${count})` : ''}`);
		}
		if (waiting.length === 0) return {seen: true, message: done.join('; ')};
		return {seen: false, message: waiting.join('; ')};
	},
	effectTimeoutMs: 30_000,
});
