// The beehive server's own controls and the task actions, planned and checked against a hand-built hive
// snapshot: the exact request line each sends, the tasks each names (title, agent, age, never a bare id),
// and effect checks that believe what the hive answered, never "0 re-registered" as a success.
import {describe, expect, it} from 'vitest';
import {availability, getAction} from '../../source/actions/registry.js';
import type {ActionDefinition, ActionEnv, ActionTarget} from '../../source/actions/types.js';
import type {Agent, ActionReply, Task} from '../../source/contract/types.js';
import type {HiveSnapshot} from '../../source/contract/snapshot.js';
import {actionBindings} from '../../source/ui/actions/action-keys.js';
import {buildKeymap} from '../../source/ui/keymap.js';
import {tasksPane} from '../../source/ui/panes/tasks.js';

const NOW = Date.parse('2026-12-01T10:00:00Z');
const MIN = 60_000;

function agent(id: string, name: string, status: string, extra: Partial<Agent> = {}): Agent {
	return {
		id, name, type: 'claude', role: 'backend', status, lastHeartbeat: NOW - 10_000, lastActive: null, createdAt: null,
		tasksCompleted: 0, tasksFailed: 0, averageResponseTime: 1, contextWindowUsage: null, healthScore: 90, currentTask: null,
		errorCount: 0, tmuxSession: null, ...extra,
	};
}

function task(id: string, title: string, status: string, extra: Partial<Task> = {}): Task {
	return {
		id, title, taskType: 'feature', status, priority: 'medium', assignedAgentId: null, assignedAgentName: null, retryCount: 0,
		maxRetries: 3, errorMessage: null, createdAt: NOW - 10 * MIN, assignedAt: null, startedAt: null, completedAt: null, ...extra,
	};
}

const AGENTS = [
	agent('a1a1a1a1-0000-4000-8000-000000000001', 'gemini-backend-06', 'active'),
	agent('b2b2b2b2-0000-4000-8000-000000000002', 'claude-qa-02', 'busy', {currentTask: 'Fix auth #12'}),
	agent('c3c3c3c3-0000-4000-8000-000000000003', 'gpt-docs-03', 'inactive'),
];
const [IDLE, BUSY] = AGENTS as [Agent, Agent, Agent];
const T_RUNNING = task('9eae5450-8425-41b6-aeed-000000000001', 'Fix auth #12', 'in_progress', {assignedAgentId: BUSY.id, assignedAgentName: BUSY.name, startedAt: NOW - (125 * MIN)});
const T_ASSIGNED = task('9eae5450-8425-41b6-aeed-000000000002', 'Write router tests', 'assigned', {assignedAgentId: BUSY.id, assignedAgentName: BUSY.name, assignedAt: NOW - 3 * MIN});
const T_BLOCKED = task('9eae5450-8425-41b6-aeed-000000000003', 'Migrate webhook store', 'blocked', {retryCount: 2, maxRetries: 3, startedAt: NOW - 40 * MIN});
const T_PENDING = task('9eae5450-8425-41b6-aeed-000000000004', 'Document retry policy', 'pending', {createdAt: NOW - 7 * MIN});

function snapshot(profile: 'beehive' | 'runbook', patch: Partial<HiveSnapshot> = {}): HiveSnapshot {
	return {
		at: NOW, hiveNow: NOW, profile, profileSource: 'configured', coordination: null, agentMetrics: null, health: null,
		agents: AGENTS, activeAgents: 2, totalAgents: 3,
		tasks: {byStatus: {pending: 1, assigned: 1, in_progress: 1, blocked: 1}, queueLength: 2, longRunning: 1, stuck: [], items: [T_RUNNING, T_ASSIGNED, T_BLOCKED, T_PENDING]},
		partialErrors: [], ...patch,
	};
}

function fakeEnv(profile: 'beehive' | 'runbook', snap: () => HiveSnapshot = () => snapshot(profile)): ActionEnv {
	return {
		profile,
		contextName: 'demo',
		send: async () => ({ok: true, httpStatus: 200, message: 'done', body: {}}),
		readHive: async () => snap(),
		redis: null,
		redisAllocator: async () => null,
	};
}

const signal = new AbortController().signal;
const act = (id: string): ActionDefinition => getAction(id)!;
const taskT = (t: Task, name = t.title): ActionTarget => ({kind: 'task', id: t.id, name});
const agentT = (a: Agent): ActionTarget => ({kind: 'agent', id: a.id, name: a.name});
const hive: ActionTarget = {kind: 'hive', id: 'demo', name: 'demo'};
const reply = (body: unknown): ActionReply => ({ok: true, httpStatus: 200, message: 'done', body});

async function plan(id: string, targets: ActionTarget[], inputs: Record<string, unknown> = {}, env = fakeEnv('beehive')) {
	const action = act(id);
	const parsed = action.inputSchema.parse(inputs);
	return action.describe({env, signal, targets, inputs: parsed as Record<string, unknown>});
}

describe('the exact requests', () => {
	it('restart-agent sends force=true for an agent with a task in progress and names it, force=false otherwise', async () => {
		const busy = await plan('restart-agent', [agentT(BUSY)]);
		expect(busy.requests.map((r) => r.display)).toEqual([`POST /api/dashboard/agents/${BUSY.id}/restart?force=true`]);
		expect(busy.notes.join('\n')).toContain('"Fix auth #12" (in_progress for 2 h 5 min)');
		expect(busy.notes.join('\n')).toContain('keeps 1 assigned task while it restarts');
		expect(busy.irreversible).toContain('go back to pending');
		const idle = await plan('restart-agent', [agentT(IDLE)]);
		expect(idle.requests.map((r) => r.display)).toEqual([`POST /api/dashboard/agents/${IDLE.id}/restart?force=false`]);
		expect(idle.notes.join('\n')).toContain('no task in progress: force=false');
		const runbook = await plan('restart-agent', [agentT(BUSY)], {}, fakeEnv('runbook'));
		expect(runbook.requests.map((r) => r.display)).toEqual([`POST /api/v1/agents/${BUSY.id}/restart`]);
	});

	it('restart-agent falls back on the agents list current_task when the task list cannot be read', async () => {
		const env = fakeEnv('beehive', () => snapshot('beehive', {tasks: null}));
		const busy = await plan('restart-agent', [agentT(BUSY)], {}, env);
		expect(busy.requests[0]!.display).toMatch(/\?force=true$/);
		expect(busy.notes.join('\n')).toContain('"Fix auth #12" (from the agents list');
	});

	it('reassign-task asks the hive to pick the least-loaded agent, or names one with auto_select=false', async () => {
		const auto = await plan('reassign-task', [taskT(T_RUNNING)]);
		expect(auto.requests.map((r) => r.display)).toEqual([`POST /api/dashboard/tasks/${T_RUNNING.id}/reassign?auto_select=true&reason=hive-console`]);
		expect(auto.summary).toContain('"Fix auth #12" (in_progress on claude-qa-02 for 2 h 5 min');
		expect(auto.summary).toContain('fewest assigned or in-progress tasks');
		const named = await plan('reassign-task', [taskT(T_RUNNING)], {new_agent_id: 'gemini-backend-06'});
		expect(named.requests[0]!.display).toBe(`POST /api/dashboard/tasks/${T_RUNNING.id}/reassign?auto_select=false&new_agent_id=${IDLE.id}&reason=hive-console`);
		const busyTarget = await plan('reassign-task', [taskT(T_RUNNING)], {new_agent_id: BUSY.id});
		expect(busyTarget.notes[0]).toContain('claude-qa-02 is busy: the hive only assigns to agents in status active');
	});

	it('several marked tasks are each named by title, agent and age; an id-only stuck task says what is unknown', async () => {
		const stuckId = '11111111-2222-4333-8444-555555555555';
		const env = fakeEnv('beehive', () => snapshot('beehive', {tasks: {...snapshot('beehive').tasks!, stuck: [{id: stuckId, title: null, status: null, agentId: null, agentName: null, ageSeconds: null}]}}));
		const p = await plan('reassign-task', [taskT(T_RUNNING), taskT(T_PENDING), {kind: 'task', id: stuckId, name: stuckId}], {}, env);
		expect(p.summary).toContain('3 tasks');
		expect(p.notes).toEqual([
			'"Fix auth #12" (in_progress on claude-qa-02 for 2 h 5 min, retries 0/3, id 9eae5450)',
			'"Document retry policy" (pending, unassigned for 7 min, retries 0/3, id 9eae5450)',
			`task 11111111 (title, agent and age unknown: the hive listed only its id as stuck; id ${stuckId})`,
		]);
	});

	it('retry-task resets the retry count when the hive would refuse without it, and says so', async () => {
		const failedId = '9eae5450-8425-41b6-aeed-00000000000f';
		const p = await plan('retry-task', [taskT(T_BLOCKED), {kind: 'task', id: failedId, name: failedId}], {reset_retry_count: '0'});
		expect(p.requests.map((r) => r.display)).toEqual([
			`POST /api/dashboard/tasks/${T_BLOCKED.id}/retry?reset_retry_count=true&reason=hive-console`,
			`POST /api/dashboard/tasks/${failedId}/retry?reason=hive-console`,
		]);
		expect(p.notes[0]).toContain('"Migrate webhook store" has used 2 of 3 retries');
		expect(p.notes[0]).toContain('reset_retry_count=true');
		expect(p.notes.join('\n')).toContain("not in the hive's open-task list (failed tasks are not)");
		const running = await plan('retry-task', [taskT(T_RUNNING)]);
		expect(running.notes.join('\n')).toContain('"Fix auth #12" is in_progress: only failed or blocked tasks can be retried');
		const always = await plan('retry-task', [taskT(T_PENDING)], {reset_retry_count: 1});
		expect(always.requests[0]!.display).toContain('reset_retry_count=true');
	});

	it('the coordination resets and the emergency override modes send their query', async () => {
		const hard = await plan('coordination-reset-hard', [hive]);
		expect(hard.requests[0]!.display).toBe('POST /api/dashboard/coordination/reset?reset_type=hard&confirm=true');
		expect(hard.notes.join('\n')).toContain('2 agents not inactive go to maintenance: gemini-backend-06, claude-qa-02');
		expect(hard.notes.join('\n')).toContain('"Fix auth #12" (in_progress on claude-qa-02 for 2 h 5 min');
		const full = await plan('coordination-reset-full', [hive]);
		expect(full.requests[0]!.display).toBe('POST /api/dashboard/coordination/reset?reset_type=full&confirm=true');
		expect(full.summary).toContain('deletes every Redis key matching agent_messages:*');
		expect(full.irreversible).toContain('Every message in every agent_messages:* stream is deleted');
		const all = await plan('restart-all-agents', [hive]);
		expect(all.requests[0]!.display).toBe('POST /api/dashboard/system/emergency-override?action=restart_all_agents&confirm_emergency=true&reason=hive-console');
		const clear = await plan('clear-task-queue', [hive]);
		expect(clear.requests[0]!.display).toBe('POST /api/dashboard/system/emergency-override?action=clear_task_queue&confirm_emergency=true&reason=hive-console');
		expect(clear.summary).toContain('1 task now');
		expect(clear.notes[0]).toContain('"Document retry policy"');
		const force = await plan('force-agent-restart', [agentT(BUSY)]);
		expect(force.requests[0]!.display).toBe(`POST /api/dashboard/system/emergency-override?action=force_agent_restart&confirm_emergency=true&target_agent_id=${BUSY.id}&reason=hive-console`);
		expect(force.notes.slice(1).join('\n')).toMatch(/"Fix auth #12".*\n.*"Write router tests"/);
	});

	it('restart-orchestrator on beehive is a soft reset that names the tasks it moves and promises no re-registration', async () => {
		const p = await plan('restart-orchestrator', [hive]);
		expect(p.requests[0]!.display).toBe('POST /api/dashboard/coordination/reset?reset_type=soft&confirm=true');
		expect(p.summary).toContain('Agents are not restarted');
		expect(p.notes[0]).toContain('"Fix auth #12"');
	});

	it('the runbook profile offers none of the beehive controls, with the reason from the route table', async () => {
		const env = fakeEnv('runbook');
		for (const id of ['reassign-task', 'retry-task', 'coordination-reset-hard', 'coordination-reset-full', 'restart-all-agents', 'clear-task-queue', 'force-agent-restart']) {
			const a = await availability(act(id), env);
			expect(a.available, id).toBe(false);
			expect((a as {reason: string}).reason, id).toMatch(/runbook profile has no/);
		}
	});
});

describe('effect checks read what the hive answered', () => {
	const effect = (id: string, env: ActionEnv, targets: ActionTarget[], replies: ActionReply[], baseline: Record<string, unknown>, inputs: Record<string, unknown> = {}) =>
		act(id).effect!({env, signal, targets, inputs, baseline, replies, sentAt: NOW});

	it('restart-orchestrator (runbook): "0 agents" is never confirmed, however fresh the heartbeats', async () => {
		const env = fakeEnv('runbook');
		const baseline = {heartbeats: {[IDLE.id]: NOW - 60_000, [BUSY.id]: NOW - 60_000}, down: []};
		const zero = await effect('restart-orchestrator', env, [hive], [reply({success: true, actions_performed: ['Orchestrator restarted', 'Re-registered 0 agents'], agents_restarted: 0})], baseline);
		expect(zero).toEqual({seen: false, final: true, message: 'the hive said "Orchestrator restarted; Re-registered 0 agents": it re-registered no agent'});
		const two = await effect('restart-orchestrator', env, [hive], [reply({success: true, actions_performed: ['Re-registered 2 agents'], agents_restarted: 2})], baseline);
		expect(two.seen).toBe(true);
	});

	it('restart-orchestrator (beehive soft reset): "Reset 0 stuck tasks" is not confirmed', async () => {
		const env = fakeEnv('beehive');
		const zero = await effect('restart-orchestrator', env, [hive], [reply({success: true, reset_type: 'soft', actions_performed: ['Reset 0 stuck tasks to pending']})], {stuck: []});
		expect(zero).toMatchObject({seen: false, final: true});
		expect(zero.message).toContain('a soft reset changes nothing else');
		const moved = fakeEnv('beehive', () => snapshot('beehive', {tasks: {...snapshot('beehive').tasks!, items: [{...T_RUNNING, status: 'pending', assignedAgentId: null}]}}));
		const one = await effect('restart-orchestrator', moved, [hive], [reply({success: true, actions_performed: ['Reset 1 stuck tasks to pending']})], {stuck: [T_RUNNING.id]});
		expect(one).toEqual({seen: true, message: 'the hive said "Reset 1 stuck tasks to pending"; they are pending for the orchestrator'});
	});

	it('emergency-stop (beehive) confirms on blocked tasks, not on stopped agents', async () => {
		const stopped = fakeEnv('beehive', () => snapshot('beehive', {tasks: {...snapshot('beehive').tasks!, items: [{...T_RUNNING, status: 'blocked'}, {...T_ASSIGNED, status: 'blocked'}]}}));
		const ok = await effect('emergency-stop', stopped, [hive], [reply({success: true, emergency_action: 'stop_all_tasks', actions_performed: ['Stopped 2 active tasks'], affected_components: {tasks_stopped: 2}})], {running: [T_RUNNING.id, T_ASSIGNED.id]});
		expect(ok.seen).toBe(true);
		expect(ok.message).toContain('agents keep running');
		const none = await effect('emergency-stop', fakeEnv('beehive'), [hive], [reply({success: true, actions_performed: ['Stopped 0 active tasks']})], {running: [T_RUNNING.id]});
		expect(none.seen).toBe(false);
	});

	it('reassign-task names where the task went, and refuses "same agent again" as moved', async () => {
		const movedSnap = () => snapshot('beehive', {tasks: {...snapshot('beehive').tasks!, items: [{...T_RUNNING, status: 'assigned', assignedAgentId: IDLE.id, assignedAgentName: IDLE.name}]}});
		const body = {success: true, reassignment: {task_id: T_RUNNING.id, original_agent_id: BUSY.id, original_status: 'in_progress', new_agent_id: IDLE.id, new_agent_name: IDLE.name, assignment_method: 'auto_select_best_available', agent_task_load: 0}, updated_task: {status: 'assigned'}};
		const ok = await effect('reassign-task', fakeEnv('beehive', movedSnap), [taskT(T_RUNNING)], [reply(body)], {});
		expect(ok).toEqual({seen: true, message: '"Fix auth #12" now on gemini-backend-06, which had 0 tasks'});
		const same = await effect('reassign-task', fakeEnv('beehive'), [taskT(T_RUNNING)], [reply({...body, reassignment: {...body.reassignment, new_agent_id: BUSY.id, new_agent_name: BUSY.name}})], {});
		expect(same.seen).toBe(false);
		expect(same.message).toContain('back on the same agent claude-qa-02');
	});

	it('retry-task confirms a task pending again with its retry count', async () => {
		const retried = () => snapshot('beehive', {tasks: {...snapshot('beehive').tasks!, items: [{...T_BLOCKED, status: 'pending', retryCount: 0}]}});
		const ok = await effect('retry-task', fakeEnv('beehive', retried), [taskT(T_BLOCKED)], [reply({success: true, retry_info: {original_status: 'blocked', retry_count_reset: true}, updated_task: {status: 'pending', retry_count: 0, max_retries: 3}, next_steps: []})], {});
		expect(ok).toEqual({seen: true, message: '"Migrate webhook store" pending again (retry count reset to 0)'});
	});

	it('restart-all-agents and the hard reset wait for every agent the hive put in maintenance', async () => {
		const baseline = {heartbeats: {[IDLE.id]: NOW - 30_000, [BUSY.id]: NOW - 30_000}, agents: [IDLE.id, BUSY.id]};
		const zero = await effect('restart-all-agents', fakeEnv('beehive'), [hive], [reply({success: true, actions_performed: ['Set 0 agents to maintenance mode'], affected_components: {agents_restarted: 0}})], baseline);
		expect(zero.seen).toBe(false);
		const halfBack = fakeEnv('beehive', () => snapshot('beehive', {agents: [{...IDLE, lastHeartbeat: NOW - 1000}, {...BUSY, status: 'maintenance', lastHeartbeat: null}]}));
		const half = await effect('coordination-reset-hard', halfBack, [hive], [reply({success: true, reset_type: 'hard', actions_performed: ['Reset 0 stuck tasks to pending', 'Reset 3 agents to maintenance mode', 'Broadcast reset commands via Redis']})], baseline);
		expect(half.seen).toBe(false);
		expect(half.message).toContain('1 of 2 agents back so far; waiting for claude-qa-02');
	});
});

describe('keys and the tasks pane', () => {
	it('every new action has its own plain key, none on Ctrl- or a navigation key', () => {
		const keymap = buildKeymap({}, actionBindings());
		const keyOf = (id: string) => keymap.bindings.find((b) => b.command === id)!.keys;
		expect(Object.fromEntries(['reassign-task', 'retry-task', 'coordination-reset-hard', 'coordination-reset-full', 'restart-all-agents', 'clear-task-queue', 'force-agent-restart'].map((id) => [id, keyOf(id)]))).toEqual({
			'reassign-task': ['n'],
			'retry-task': ['e'],
			'coordination-reset-hard': ['I'],
			'coordination-reset-full': ['V'],
			'restart-all-agents': ['B'],
			'clear-task-queue': ['X'],
			'force-agent-restart': ['F'],
		});
	});

	it('a stuck id with nothing joined reads "title unknown" with "?" for agent, not a bare id', () => {
		const stuckId = '9eae5450-8425-41b6-aeed-ffffffffffff';
		const snap = snapshot('runbook', {tasks: {byStatus: {}, queueLength: null, longRunning: 1, stuck: [{id: stuckId, title: null, status: null, agentId: null, agentName: null, ageSeconds: null}], items: []}});
		const ctx = {state: {snapshots: {hive: snap}}, now: NOW, theme: {} as never, assessment: null, thresholds: null} as never;
		const [row] = tasksPane.rows(ctx);
		expect(row).toMatchObject({title: 'task 9eae5450… · title unknown', agent: '?', known: false});
		const summary = tasksPane.summary(ctx).map((line) => line.map((s) => s.text).join(''));
		expect(summary[2]).toContain('1 stuck without details: the hive listed only their ids; --database');
		const joined = snapshot('runbook', {tasks: {byStatus: {}, queueLength: null, longRunning: 1, stuck: [{id: stuckId, title: 'Fix auth #12', status: 'in_progress', agentId: BUSY.id, agentName: BUSY.name, ageSeconds: 7500}], items: []}});
		const [known] = tasksPane.rows({...(ctx as object), state: {snapshots: {hive: joined}}} as never);
		expect(known).toMatchObject({title: 'Fix auth #12', agent: 'claude-qa-02', ageSeconds: 7500, known: true});
	});
});
