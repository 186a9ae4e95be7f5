// What an operator needs to recognise a task in a confirmation, a note or the history: its title, the agent
// it is on and how long it has been there, read from the hive snapshot (the beehive task queue, the
// runbook stuck list joined with the hive's database). When only an id is known, the text says what is
// unknown instead of showing a bare id.
import type {Task} from '../../contract/types.js';
import type {HiveSnapshot, StuckTask} from '../../contract/snapshot.js';
import type {ActionTarget} from '../types.js';
import {cutToWidth, sanitise} from '../../util/terminal-text.js';
import {shortDuration} from '../../util/duration.js';

/** A stuck task's fields (age on the hive's clock), plus retries and whether the hive lists it as stuck. */
export interface TaskFacts extends StuckTask {
	retryCount: number | null;
	maxRetries: number | null;
	/** Listed by the hive as stuck (in progress for more than an hour). */
	stuck: boolean;
}

/** The task's age in prose ("2 h 5 min"), or null when unknown. */
export function formatAge(seconds: number | null): string | null {
	return seconds === null || !Number.isFinite(seconds) ? null : shortDuration(seconds);
}

export function shortId(id: string): string {
	return id.length > 8 ? id.slice(0, 8) : id;
}

function clean(text: string, width = 60): string {
	return cutToWidth(sanitise(text).replace(/\s+/g, ' ').trim(), width);
}

function fromTask(task: Task, now: number, agentNames: Map<string, string>, stuck: boolean): TaskFacts {
	const since = task.startedAt ?? task.assignedAt ?? task.createdAt;
	return {
		id: task.id,
		title: task.title || null,
		status: task.status,
		agentId: task.assignedAgentId,
		agentName: task.assignedAgentName ?? (task.assignedAgentId ? agentNames.get(task.assignedAgentId) ?? null : null),
		ageSeconds: since === null ? null : Math.max(0, (now - since) / 1000),
		retryCount: task.retryCount,
		maxRetries: task.maxRetries,
		stuck,
	};
}

function fromStuck(s: StuckTask, agentNames: Map<string, string>): TaskFacts {
	return {
		id: s.id,
		title: s.title,
		status: s.status,
		agentId: s.agentId,
		agentName: s.agentName ?? (s.agentId ? agentNames.get(s.agentId) ?? null : null),
		ageSeconds: s.ageSeconds,
		retryCount: null,
		maxRetries: null,
		stuck: true,
	};
}

/** Every task the snapshot knows, by id: queue items first, the stuck list filling what they lack. */
export function taskFactsOf(snap: HiveSnapshot): Map<string, TaskFacts> {
	const now = snap.hiveNow ?? snap.at;
	const agentNames = new Map((snap.agents ?? []).map((a) => [a.id, a.name]));
	const out = new Map<string, TaskFacts>();
	const stuckIds = new Set((snap.tasks?.stuck ?? []).map((s) => s.id));
	for (const t of snap.tasks?.items ?? []) out.set(t.id, fromTask(t, now, agentNames, stuckIds.has(t.id)));
	for (const s of snap.tasks?.stuck ?? []) if (!out.has(s.id)) out.set(s.id, fromStuck(s, agentNames));
	return out;
}

/** The tasks the snapshot shows on one agent, with the given statuses, oldest first. */
export function tasksOnAgent(snap: HiveSnapshot, agentId: string, statuses: readonly string[]): TaskFacts[] {
	return [...taskFactsOf(snap).values()]
		.filter((t) => t.agentId === agentId && t.status !== null && statuses.includes(t.status))
		.sort((a, b) => (b.ageSeconds ?? -1) - (a.ageSeconds ?? -1));
}

/** The name a task goes by: its title, else "task 9eae5450" (never the whole id alone). */
export function taskLabel(facts: Pick<TaskFacts, 'id' | 'title'>): string {
	return facts.title ? `"${clean(facts.title)}"` : `task ${shortId(facts.id)}`;
}

/**
 * One line per task for a confirmation or the history: "Fix auth #12" (in_progress on gemini-backend-06
 * for 2 h 5 min, retries 1/3, id 9eae5450). What is unknown is said: a bare stuck id reads "title, agent and
 * age unknown".
 */
export function describeTaskFacts(facts: TaskFacts | undefined, id: string): string {
	if (!facts) return `task ${shortId(id)} (not in the hive's task lists now: status, agent and age unknown; id ${id})`;
	if (facts.title === null && facts.status === null && facts.agentId === null && facts.ageSeconds === null) {
		return `task ${shortId(id)} (title, agent and age unknown: the hive listed only its id${facts.stuck ? ' as stuck' : ''}; id ${id})`;
	}
	const parts: string[] = [];
	const age = formatAge(facts.ageSeconds);
	const where = facts.agentName ? ` on ${clean(facts.agentName, 40)}` : facts.agentId ? ` on agent ${shortId(facts.agentId)}` : facts.status === 'pending' ? ', unassigned' : '';
	parts.push(`${facts.status ?? 'status unknown'}${where}${age ? ` for ${age}` : ', age unknown'}`);
	if (facts.stuck) parts.push('stuck');
	if (facts.retryCount !== null && facts.maxRetries !== null) parts.push(`retries ${facts.retryCount}/${facts.maxRetries}`);
	parts.push(`id ${shortId(id)}`);
	return `${taskLabel(facts)} (${parts.join(', ')})`;
}

/** The target named by its title when the snapshot knows it (a target picked by id carries only the id). */
export function namedTaskTarget(target: ActionTarget, facts: TaskFacts | undefined): ActionTarget {
	if (!facts?.title) return target;
	const title = clean(facts.title);
	return title === target.name ? target : {...target, name: title};
}
