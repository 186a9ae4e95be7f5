// The simulated hive: agents, tasks, heartbeats, retries and the simulated clock, as a plain state machine
// stepped by the clock (--speed) or by /_sim/advance. It does no I/O: the HTTP routes read it and call its
// actions, and the Redis, PostgreSQL and log bridges drain the queues it fills (bus, dirty sets, logs).
// Faults are flags with real mechanics behind them (see scenarios.ts): symptoms come from what agents and
// the coordinator do under a fault, and they go away because recovery actions change that behaviour.
import {Random} from './random.js';

export const AGENT_TYPES = ['claude', 'gpt', 'gemini', 'custom'] as const;
/** role → the role stream's name (agent_messages:{stream}, group {stream}_consumers). */
export const ROLES: ReadonlyArray<{role: string; stream: string}> = [
	{role: 'backend_developer', stream: 'backend_engineers'},
	{role: 'frontend_developer', stream: 'frontend_engineers'},
	{role: 'qa_engineer', stream: 'qa_engineers'},
	{role: 'devops_engineer', stream: 'devops_engineers'},
	{role: 'architect', stream: 'architects'},
];
const TASK_TYPES = ['feature_development', 'bug_fix', 'code_review', 'testing', 'deployment', 'documentation'];
const TITLE_VERBS = ['Implement', 'Fix', 'Review', 'Test', 'Refactor', 'Document', 'Deploy', 'Optimise'];
const TITLE_NOUNS = ['auth flow', 'task router', 'agent registry', 'metrics endpoint', 'Redis consumer', 'migration', 'dashboard', 'retry policy', 'webhook', 'search index'];
export const PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
const PRIORITY_WEIGHTS = [0.25, 0.45, 0.22, 0.08];

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Contract §2: an active agent whose heartbeat is older than this is stale. */
export const STALE_AFTER_MS = 300 * SECOND;
export const LONG_RUNNING_MS = HOUR;
const BUCKET_MS = 10 * MINUTE;
const BUCKET_RETENTION_MS = 8 * DAY;
/** Finished tasks are kept one by one this long (cleanup?days=7 has something to remove), then only counted. */
const HISTORY_RETENTION_MS = 10 * DAY;
const TASKS_PER_AGENT_HOUR = 4;
/** Open tasks (assigned + running) an agent takes at most; it works on all of them at once. */
const MAX_LOAD = 2;
const RESTART_MS = 10 * SECOND;
/** Agents coming back from a hive-wide restart or reset re-register one after another, this far apart. */
const REREGISTER_STAGGER_MS = 3 * SECOND;
/** The shipped server's coordination reset puts in-progress tasks started longer ago than this back to pending. */
const RESET_STUCK_MS = 2 * HOUR;
const QUEUE_CAP = 20_000;

export const AGENT_STATUSES = ['inactive', 'active', 'busy', 'error', 'maintenance', 'shutting_down', 'sleeping'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];
export type TaskStatus = 'pending' | 'assigned' | 'in_progress' | 'blocked' | 'completed' | 'failed' | 'cancelled';
export type Priority = (typeof PRIORITIES)[number];

export interface SimAgent {
	id: string;
	name: string;
	type: string;
	role: string;
	status: AgentStatus;
	lastHeartbeat: number | null;
	lastActive: number | null;
	createdAt: number;
	completed: number;
	failed: number;
	errorCount: number;
	/** Seconds; what this agent answers in when nothing is wrong. */
	baseResponse: number;
	contextWindowUsage: number;
	tmuxSession: string | null;
	/** Communication broken: no heartbeats, reads its stream but never acknowledges. */
	sick: boolean;
	/** Hit by the communication fault; stays sick after a restart until the Redis pools are refreshed. */
	commAffected: boolean;
	maintenanceUntil: number | null;
	lastPing: number;
	assigned: string[];
	running: Set<string>;
}

export interface SimTask {
	id: string;
	title: string;
	type: string;
	status: TaskStatus;
	priority: Priority;
	agentId: string | null;
	retryCount: number;
	maxRetries: number;
	errorMessage: string | null;
	createdAt: number;
	assignedAt: number | null;
	startedAt: number | null;
	completedAt: number | null;
	durationMs: number;
	/** Wedged by the task-distribution fault: never finishes on its own. */
	stalled: boolean;
	/** Old rows added by the slow-database fault (a bloated table); cleanup removes them. */
	bloat: boolean;
	/** Put there by a scenario's backdating (a wedged or backlogged task), not by the world's own work. */
	staged: boolean;
	/**
	 * A duplicate submission made by a fault's retry storm (the same work submitted again after a timeout).
	 * A coordinator that is working again merges it into its original: the row goes, and its creation count.
	 */
	resubmission: boolean;
	workflowId: string | null;
}

interface CreatedBucket {
	created: number;
	completed: number;
	failed: number;
	cancelled: number;
	/**
	 * Failures the coordinator recorded while its state had diverged from the agents': the agent did the work,
	 * but the result never reached the registry. Agents report them again when they re-register with a
	 * coordinator that is in sync, and they then count as completed.
	 */
	inDoubt?: number;
}
interface FinishedBucket {
	completed: number;
	failed: number;
	minutes: number;
}

export interface Faults {
	coordination: boolean;
	communication: boolean;
	distribution: boolean;
	dbBloat: boolean;
	flaky: boolean;
}

export type BusOp =
	| {kind: 'xadd'; stream: string; fields: Record<string, string>}
	/** stream: the role stream the registration is announced on; null for a role without one. */
	| {kind: 'ensure-agent'; agentId: string; stream: string | null}
	| {kind: 'drain-pending'; agentId: string}
	/** The shipped server's full coordination reset deletes every agent_messages:* stream. */
	| {kind: 'delete-agent-streams'};

export interface LogEntry {
	at: number;
	level: 'INFO' | 'WARNING' | 'ERROR';
	logger: string;
	message: string;
}

export interface WorldEvent {
	agentId: string | null;
	type: string;
	payload: Record<string, unknown>;
	at: number;
}

export interface WorldOptions {
	agents: number;
	seed: number;
	now?: number;
}

function pushCapped<T>(queue: T[], item: T, cap: number): boolean {
	if (queue.length >= cap) return false;
	queue.push(item);
	return true;
}

export class World {
	now: number;
	readonly random: Random;
	readonly config = {heartbeatInterval: 30, coordinationTimeout: 30};
	readonly agents: SimAgent[] = [];
	readonly agentById = new Map<string, SimAgent>();
	readonly tasks = new Map<string, SimTask>();
	/** Ids of tasks that are not finished (pending, assigned, in_progress, blocked). */
	readonly live = new Set<string>();
	readonly faults: Faults = {coordination: false, communication: false, distribution: false, dbBloat: false, flaky: false};
	halted = false;
	/** Set when failures were staged or piled up under a fault; the reset then recounts the history. */
	historyDisturbed = false;
	private lastSkewLog = -Infinity;
	/**
	 * Queues nobody drains stay off: the bus without --redis, logs without --log-file, and without --database
	 * the events and the change sets (dirty and deleted ids), which would otherwise grow on a long run.
	 */
	readonly outputs = {bus: false, database: false, logs: false};
	/** Agents the task-distribution fault piles work onto. */
	hotAgents = new Set<string>();
	/**
	 * After a coordination fault is cleared: agents report the results the diverged coordinator lost as they
	 * re-register (one share each), so the success rate climbs back as the agents come back.
	 */
	private reconciliation: {perAgent: number; done: Set<string>} | null = null;

	private readonly pending: string[][] = [[], [], [], []];
	private readonly history: string[] = [];
	private historyHead = 0;
	private readonly created = new Map<number, CreatedBucket>();
	private readonly finished = new Map<number, FinishedBucket>();
	private taskCounter = 0;
	private agentCounter = 0;

	readonly bus: BusOp[] = [];
	busDropped = 0;
	readonly events: WorldEvent[] = [];
	readonly logs: LogEntry[] = [];
	logsDropped = 0;
	readonly dirtyAgents = new Set<string>();
	readonly dirtyTasks = new Set<string>();
	readonly deletedTasks = new Set<string>();
	/** Set when the change sets overflowed: the database bridge rewrites everything it holds. */
	fullResync = true;

	constructor(options: WorldOptions) {
		this.random = new Random(options.seed);
		this.now = options.now ?? Date.now();
		for (let i = 0; i < options.agents; i++) this.addAgent(this.now - this.random.between(2 * DAY, 30 * DAY));
		this.seedHistory();
		this.seedWorkInFlight();
	}

	/** A hive that is already busy: about half the agents are in the middle of a task. */
	private seedWorkInFlight(): void {
		for (const agent of this.agents) {
			if (!this.random.chance(0.5)) continue;
			const task = this.createTask(this.now - this.random.between(MINUTE, 10 * MINUTE));
			this.removeFromPending(task);
			this.assign(task, agent);
			this.start(task, agent);
			task.startedAt = this.now - this.random.between(0, task.durationMs * 0.8);
		}
	}

	// ------------------------------------------------------------------ construction

	/** `custom` overrides the generated name, role and type (hostile strings for console tests come this way). */
	addAgent(createdAt = this.now, custom: {name?: string; role?: string; type?: string} = {}): SimAgent {
		const n = ++this.agentCounter;
		const type = custom.type ?? AGENT_TYPES[n % 4 === 0 ? 3 : (n - 1) % 3]!;
		const generated = ROLES[(n - 1) % ROLES.length]!;
		const role = custom.role === undefined ? generated : (ROLES.find((r) => r.role === custom.role) ?? {role: custom.role, stream: null});
		const agent: SimAgent = {
			id: this.random.uuid(),
			name: custom.name ?? `${type}-${role.role.split('_')[0]}-${String(n).padStart(2, '0')}`,
			type,
			role: role.role,
			status: 'active',
			lastHeartbeat: this.now - this.random.between(0, this.config.heartbeatInterval * SECOND),
			lastActive: this.now - this.random.between(0, 10 * MINUTE),
			createdAt,
			completed: 0,
			failed: 0,
			errorCount: 0,
			baseResponse: Math.round(this.random.between(0.8, 4.2) * 1000) / 1000,
			contextWindowUsage: Math.round(this.random.between(0.05, 0.85) * 1000) / 1000,
			tmuxSession: type === 'claude' ? `agent-${n}` : null,
			sick: false,
			commAffected: false,
			maintenanceUntil: null,
			lastPing: this.now,
			assigned: [],
			running: new Set(),
		};
		this.agents.push(agent);
		this.agentById.set(agent.id, agent);
		this.touchAgent(agent);
		this.sendBus({kind: 'ensure-agent', agentId: agent.id, stream: role.stream});
		return agent;
	}

	/** Eight days of finished work, counted per bucket, with the most recent part kept task by task. */
	private seedHistory(): void {
		const perBucket = (this.agents.length * TASKS_PER_AGENT_HOUR * BUCKET_MS) / HOUR;
		const detailCap = Math.min(50_000, Math.max(2_000, this.agents.length * 10));
		const detailEvery = Math.max(1, (perBucket * (BUCKET_RETENTION_MS / BUCKET_MS)) / detailCap);
		let carry = 0;
		for (let start = this.now - BUCKET_RETENTION_MS; start < this.now - 30 * MINUTE; start += BUCKET_MS) {
			const count = this.random.poisson(perBucket);
			for (let i = 0; i < count; i++) {
				const createdAt = start + this.random.next() * BUCKET_MS;
				const ok = this.random.chance(0.985);
				const duration = this.taskDuration();
				const finishedAt = createdAt + duration + this.random.between(5 * SECOND, 2 * MINUTE);
				this.countCreated(createdAt);
				this.countFinished(createdAt, finishedAt, ok ? 'completed' : 'failed', duration);
				carry += 1;
				if (carry >= detailEvery) {
					carry -= detailEvery;
					const task = this.newTask(createdAt, false);
					const agent = this.random.pick(this.agents);
					task.status = ok ? 'completed' : 'failed';
					task.agentId = agent.id;
					task.assignedAt = createdAt + 2 * SECOND;
					task.startedAt = finishedAt - duration;
					task.completedAt = finishedAt;
					task.durationMs = duration;
					task.retryCount = ok ? 0 : task.maxRetries;
					task.errorMessage = ok ? null : 'Task execution failed: tool call returned non-zero exit status';
					if (ok) agent.completed++;
					else agent.failed++;
					this.tasks.set(task.id, task);
					this.history.push(task.id);
				}
			}
		}
	}

	private newTask(createdAt: number, count = true): SimTask {
		const n = ++this.taskCounter;
		const r = this.random.next();
		let acc = 0;
		let priority: Priority = 'medium';
		for (let i = 0; i < PRIORITIES.length; i++) {
			acc += PRIORITY_WEIGHTS[i]!;
			if (r < acc) {
				priority = PRIORITIES[i]!;
				break;
			}
		}
		const task: SimTask = {
			id: this.random.uuid(),
			title: `${this.random.pick(TITLE_VERBS)} ${this.random.pick(TITLE_NOUNS)} #${n}`,
			type: this.random.pick(TASK_TYPES),
			status: 'pending',
			priority,
			agentId: null,
			retryCount: 0,
			maxRetries: 3,
			errorMessage: null,
			createdAt,
			assignedAt: null,
			startedAt: null,
			completedAt: null,
			durationMs: this.taskDuration(),
			stalled: false,
			bloat: false,
			staged: false,
			resubmission: false,
			workflowId: null,
		};
		if (count) this.countCreated(createdAt);
		return task;
	}

	private taskDuration(): number {
		return Math.round(this.random.between(2 * MINUTE, 12 * MINUTE));
	}

	/** A new task waiting for an agent. */
	createTask(createdAt = this.now): SimTask {
		const task = this.newTask(createdAt);
		this.tasks.set(task.id, task);
		this.live.add(task.id);
		this.enqueue(task);
		this.touchTask(task);
		return task;
	}

	// ------------------------------------------------------------------ bookkeeping

	private bucket(ms: number): number {
		return Math.floor(ms / BUCKET_MS);
	}

	private countCreated(createdAt: number): void {
		const key = this.bucket(createdAt);
		const b = this.created.get(key) ?? {created: 0, completed: 0, failed: 0, cancelled: 0};
		b.created++;
		this.created.set(key, b);
	}

	/** A merged duplicate leaves the registry, and with it the creation it counted. */
	private uncountCreated(createdAt: number): void {
		const b = this.created.get(this.bucket(createdAt));
		if (b && b.created > 0) b.created--;
	}

	private countFinished(createdAt: number, finishedAt: number, outcome: 'completed' | 'failed' | 'cancelled', durationMs: number): void {
		const c = this.created.get(this.bucket(createdAt));
		if (c) c[outcome]++;
		if (outcome === 'cancelled') return;
		const key = this.bucket(finishedAt);
		const f = this.finished.get(key) ?? {completed: 0, failed: 0, minutes: 0};
		f[outcome]++;
		if (outcome === 'completed') f.minutes += durationMs / MINUTE;
		this.finished.set(key, f);
	}

	/** Sums over the creation buckets of the last `windowMs` (success rate: completed / max(1, created)). */
	createdWindow(windowMs: number): CreatedBucket {
		const out = {created: 0, completed: 0, failed: 0, cancelled: 0};
		const from = this.bucket(this.now - windowMs);
		for (const [key, b] of this.created) {
			if (key <= from) continue;
			out.created += b.created;
			out.completed += b.completed;
			out.failed += b.failed;
			out.cancelled += b.cancelled;
		}
		return out;
	}

	finishedWindow(windowMs: number): FinishedBucket {
		const out = {completed: 0, failed: 0, minutes: 0};
		const from = this.bucket(this.now - windowMs);
		for (const [key, b] of this.finished) {
			if (key <= from) continue;
			out.completed += b.completed;
			out.failed += b.failed;
			out.minutes += b.minutes;
		}
		return out;
	}

	/** Per-hour success figures over a window, oldest first (the weekly analysis). */
	hourlySeries(hours: number): Array<{hourStart: number; created: number; completed: number; failed: number}> {
		const series = [];
		const perHour = HOUR / BUCKET_MS;
		const lastHour = Math.floor(this.now / HOUR);
		for (let h = lastHour - hours + 1; h <= lastHour; h++) {
			let created = 0;
			let completed = 0;
			let failed = 0;
			for (let i = 0; i < perHour; i++) {
				const b = this.created.get(h * perHour + i);
				if (!b) continue;
				created += b.created;
				completed += b.completed;
				failed += b.failed;
			}
			series.push({hourStart: h * HOUR, created, completed, failed});
		}
		return series;
	}

	private enqueue(task: SimTask): void {
		task.status = 'pending';
		task.agentId = null;
		task.assignedAt = null;
		task.startedAt = null;
		this.pending[PRIORITIES.length - 1 - PRIORITIES.indexOf(task.priority)]!.push(task.id);
	}

	sendBus(op: BusOp): void {
		if (!this.outputs.bus) return;
		if (!pushCapped(this.bus, op, QUEUE_CAP)) this.busDropped++;
	}

	message(toAgent: string, type: string, payload: Record<string, unknown>, stream = `agent_messages:${toAgent}`): void {
		this.sendBus({
			kind: 'xadd',
			stream,
			fields: {
				message_id: this.random.uuid(),
				from_agent: 'orchestrator',
				to_agent: toAgent,
				type,
				payload: JSON.stringify(payload),
				correlation_id: this.random.uuid(),
				timestamp: new Date(this.now).toISOString(),
			},
		});
	}

	event(agentId: string | null, type: string, payload: Record<string, unknown> = {}): void {
		if (this.outputs.database) pushCapped(this.events, {agentId, type, payload, at: this.now}, QUEUE_CAP);
		this.sendBus({
			kind: 'xadd',
			stream: 'agent_events',
			fields: {event_type: type, agent_id: agentId ?? '', payload: JSON.stringify(payload), timestamp: new Date(this.now).toISOString()},
		});
	}

	log(level: LogEntry['level'], logger: string, message: string): void {
		if (!this.outputs.logs) return;
		if (!pushCapped(this.logs, {at: this.now, level, logger, message}, 2_000)) this.logsDropped++;
	}

	private touchAgent(agent: SimAgent): void {
		if (this.outputs.database) this.dirtyAgents.add(agent.id);
	}

	private touchTask(task: SimTask): void {
		if (this.outputs.database) this.dirtyTasks.add(task.id);
	}

	activeTaskCount(agent: SimAgent): number {
		return agent.assigned.length + agent.running.size;
	}

	private refreshWorkStatus(agent: SimAgent): void {
		if (agent.status !== 'active' && agent.status !== 'busy') return;
		const next = agent.running.size > 0 ? 'busy' : 'active';
		if (next !== agent.status) {
			agent.status = next;
			this.touchAgent(agent);
		}
	}

	/** Takes a task off its agent (whatever state it is in). */
	private detach(task: SimTask): void {
		if (!task.agentId) return;
		const agent = this.agentById.get(task.agentId);
		if (!agent) return;
		agent.running.delete(task.id);
		const i = agent.assigned.indexOf(task.id);
		if (i >= 0) agent.assigned.splice(i, 1);
		this.refreshWorkStatus(agent);
	}

	private finish(task: SimTask, outcome: 'completed' | 'failed' | 'cancelled', error: string | null = null): void {
		const agent = task.agentId ? this.agentById.get(task.agentId) : undefined;
		this.detach(task);
		const runMs = task.startedAt ? this.now - task.startedAt : 0;
		task.status = outcome;
		task.completedAt = this.now;
		task.errorMessage = error;
		task.stalled = false;
		this.live.delete(task.id);
		this.history.push(task.id);
		this.countFinished(task.createdAt, this.now, outcome, runMs);
		this.touchTask(task);
		if (agent && outcome !== 'cancelled') {
			if (outcome === 'completed') agent.completed++;
			else agent.failed++;
			agent.lastActive = this.now;
			this.touchAgent(agent);
			this.event(agent.id, outcome === 'completed' ? 'task_completed' : 'task_failed', {task_id: task.id});
		}
	}

	/** A failed attempt: back to the queue while retries remain, else failed for good. */
	private attemptFailed(task: SimTask, error: string): void {
		const agent = task.agentId ? this.agentById.get(task.agentId) : undefined;
		if (agent) {
			agent.errorCount++;
			this.touchAgent(agent);
		}
		const fields = {task_id: task.id, agent_id: task.agentId ?? '', error, retry_count: String(task.retryCount), timestamp: new Date(this.now).toISOString()};
		if (task.retryCount < task.maxRetries) {
			this.detach(task);
			task.retryCount++;
			task.errorMessage = error;
			this.enqueue(task);
			this.touchTask(task);
			this.sendBus({kind: 'xadd', stream: 'retry_queue', fields});
		} else {
			this.finish(task, 'failed', error);
			if (this.faults.coordination && error.startsWith('Coordination error')) this.markInDoubt(task.createdAt);
			this.sendBus({kind: 'xadd', stream: 'dead_letter_queue', fields});
			this.log('ERROR', 'app.core.task_queue', `Task failed permanently after ${task.maxRetries} retries task_id=${task.id} error="${error}"`);
		}
	}

	private assign(task: SimTask, agent: SimAgent): void {
		task.status = 'assigned';
		task.agentId = agent.id;
		task.assignedAt = this.now;
		agent.assigned.push(task.id);
		this.touchTask(task);
		this.message(agent.id, 'task_assignment', {task_id: task.id, title: task.title});
	}

	private start(task: SimTask, agent: SimAgent): void {
		const i = agent.assigned.indexOf(task.id);
		if (i >= 0) agent.assigned.splice(i, 1);
		agent.running.add(task.id);
		task.status = 'in_progress';
		task.startedAt = this.now;
		task.stalled = this.faults.distribution && this.hotAgents.has(agent.id);
		agent.lastActive = this.now;
		this.touchTask(task);
		this.refreshWorkStatus(agent);
	}

	private heartbeatAge(agent: SimAgent): number {
		return agent.lastHeartbeat === null ? Infinity : this.now - agent.lastHeartbeat;
	}

	private canWork(agent: SimAgent): boolean {
		return (agent.status === 'active' || agent.status === 'busy') && !agent.sick;
	}

	/** What the coordinator believes: it cannot see a broken connection, only a stale heartbeat. */
	private looksAssignable(agent: SimAgent): boolean {
		return (agent.status === 'active' || agent.status === 'busy') && this.heartbeatAge(agent) <= STALE_AFTER_MS;
	}

	// ------------------------------------------------------------------ time

	/** Advances the clock in steps small enough that heartbeats and timeouts are not skipped. */
	advance(ms: number): void {
		const stepMs = Math.max(5 * SECOND, Math.min(30 * SECOND, this.config.heartbeatInterval * SECOND / 2));
		let left = ms;
		while (left > 0) {
			const dt = Math.min(stepMs, left);
			this.step(dt);
			left -= dt;
		}
	}

	step(dtMs: number): void {
		this.now += dtMs;
		const now = this.now;
		const hbMs = this.config.heartbeatInterval * SECOND;
		const timeoutMs = this.config.coordinationTimeout * SECOND;

		for (const agent of this.agents) {
			if (agent.status === 'maintenance' && agent.maintenanceUntil !== null && agent.maintenanceUntil <= now) {
				agent.maintenanceUntil = null;
				agent.status = 'active';
				agent.lastHeartbeat = now;
				agent.sick = this.faults.communication && agent.commAffected;
				if (!agent.sick) agent.commAffected = false;
				this.touchAgent(agent);
				this.event(agent.id, 'agent_restarted', {healthy: !agent.sick});
				this.log('INFO', 'app.core.orchestrator', `Agent restarted agent_id=${agent.id} name=${agent.name}`);
			}
			const alive = agent.status === 'active' || agent.status === 'busy' || agent.status === 'error' || agent.status === 'sleeping';
			if (alive && !agent.sick && (agent.lastHeartbeat === null || now - agent.lastHeartbeat >= hbMs)) {
				agent.lastHeartbeat = now - this.random.between(0, Math.min(dtMs, hbMs) / 2);
				this.touchAgent(agent);
			}
			if (agent.sick && now - agent.lastPing >= hbMs) {
				// The coordinator keeps asking a silent agent; the unanswered requests are its stream backlog.
				agent.lastPing = now;
				this.message(agent.id, 'heartbeat_request', {reason: 'heartbeat overdue'});
				this.log('ERROR', 'app.core.communication', `Agent communication error: no acknowledgement from agent ${agent.id} (${agent.name}); heartbeat overdue by ${Math.round(this.heartbeatAge(agent) / SECOND)}s`);
			}
		}

		// Arrivals. A coordination fault turns failures into a retry storm (the same work submitted three more
		// times); work that timed out on a skewed distribution's hot agents is submitted again too.
		const perMs = (this.agents.length * TASKS_PER_AGENT_HOUR) / HOUR;
		const arrivals = this.random.poisson(perMs * dtMs);
		for (let i = 0; i < arrivals; i++) this.createTask(now - this.random.next() * dtMs);
		const storm = this.faults.coordination ? 3 : this.faults.distribution ? 0.5 : 0;
		if (storm > 0) {
			const duplicates = this.random.poisson(perMs * storm * dtMs);
			for (let i = 0; i < duplicates; i++) this.createTask(now - this.random.next() * dtMs).resubmission = true;
		}

		for (const agent of this.agents) {
			// Work handed to an agent that does not acknowledge times out and goes back to the queue.
			if (agent.sick || agent.status === 'error') {
				for (const id of agent.assigned.slice()) {
					const task = this.tasks.get(id)!;
					if (task.assignedAt !== null && now - task.assignedAt > timeoutMs) {
						this.log('ERROR', 'app.core.coordination', `Agent timeout: agent ${agent.id} did not acknowledge task ${task.id} within ${this.config.coordinationTimeout}s`);
						this.attemptFailed(task, `Agent timeout after ${this.config.coordinationTimeout}s`);
					}
				}
			}
			for (const id of Array.from(agent.running)) {
				const task = this.tasks.get(id)!;
				if (task.stalled || task.startedAt === null) continue;
				if (this.faults.coordination && now - task.startedAt > Math.min(task.durationMs, timeoutMs * 2)) {
					this.log('ERROR', 'app.core.coordination', `Coordination error: lost agreement on task ${task.id} with agent ${agent.id}`);
					this.attemptFailed(task, 'Coordination error: agent state out of sync');
					continue;
				}
				if (now - task.startedAt < task.durationMs) continue;
				if (this.random.chance(0.985)) this.finish(task, 'completed');
				else this.attemptFailed(task, 'Task execution failed: tool call returned non-zero exit status');
			}
			const concurrent = this.faults.distribution && this.hotAgents.has(agent.id) ? 3 : MAX_LOAD;
			while (this.canWork(agent) && agent.running.size < concurrent && agent.assigned.length > 0) {
				this.start(this.tasks.get(agent.assigned[0]!)!, agent);
			}
		}

		if (!this.halted) this.assignPending();
		this.reconcileReturningAgents();
		if (this.faults.coordination && this.random.chance(dtMs / (20 * MINUTE))) {
			const agent = this.random.pick(this.agents);
			if (agent.status === 'active' || agent.status === 'busy') this.setError(agent);
		}
		this.prune();
	}

	private assignPending(): void {
		const candidates = this.faults.distribution
			? this.agents.filter((a) => this.hotAgents.has(a.id) && this.looksAssignable(a))
			: this.agents.filter((a) => this.looksAssignable(a) && this.activeTaskCount(a) < MAX_LOAD);
		if (candidates.length === 0) return;
		candidates.sort((a, b) => this.activeTaskCount(a) - this.activeTaskCount(b));
		let c = 0;
		for (const queue of this.pending) {
			while (queue.length > 0) {
				const task = this.tasks.get(queue[0]!);
				if (!task || task.status !== 'pending') {
					queue.shift();
					continue;
				}
				if (this.faults.coordination && this.random.chance(0.4)) {
					this.log('ERROR', 'app.core.coordination', `Task assignment failed: coordination error for task ${task.id}`);
					return;
				}
				let agent: SimAgent | undefined;
				if (this.faults.distribution) {
					agent = candidates[c++ % candidates.length];
					this.logSkew(agent!);
				} else {
					while (c < candidates.length && this.activeTaskCount(candidates[c]!) >= MAX_LOAD) c++;
					agent = candidates[c];
				}
				if (!agent) return;
				queue.shift();
				this.assign(task, agent);
			}
		}
	}

	/** The skewed assignment in the log, at most once per simulated five minutes (the runbook greps task.*assign). */
	private logSkew(agent: SimAgent): void {
		if (this.now - this.lastSkewLog < 5 * MINUTE) return;
		this.lastSkewLog = this.now;
		const idle = this.agents.filter((a) => this.looksAssignable(a) && this.activeTaskCount(a) === 0).length;
		this.log('WARNING', 'app.core.task_queue', `Task assignment skewed: task routed to agent ${agent.id} (${agent.name}) holding ${this.activeTaskCount(agent)} tasks while ${idle} agents are idle`);
	}

	private setError(agent: SimAgent): void {
		agent.status = 'error';
		agent.errorCount++;
		this.touchAgent(agent);
		for (const id of Array.from(agent.running)) this.attemptFailed(this.tasks.get(id)!, 'Agent entered error state');
		this.event(agent.id, 'agent_error', {reason: 'coordination failure'});
		this.log('ERROR', 'app.core.orchestrator', `Agent error: agent ${agent.id} (${agent.name}) entered error state after coordination failure`);
	}

	/**
	 * Forgets finished tasks one by one after the retention period, or sooner when more are kept than the
	 * cap allows (a big hive finishes tens of thousands an hour); they stay counted in the buckets, so the
	 * metrics do not change. This is what keeps memory bounded on long runs.
	 */
	private prune(): void {
		const cutoff = this.now - HISTORY_RETENTION_MS;
		const cap = Math.min(200_000, Math.max(20_000, this.agents.length * 20));
		while (this.historyHead < this.history.length) {
			const id = this.history[this.historyHead]!;
			const task = this.tasks.get(id);
			// A retried task is live again; it re-enters the history when it finishes.
			if (task && !this.live.has(id)) {
				if ((task.completedAt ?? 0) > cutoff && this.tasks.size - this.live.size <= cap) break;
				this.removeTask(task);
			}
			this.historyHead++;
		}
		if (this.historyHead > 10_000) {
			this.history.splice(0, this.historyHead);
			this.historyHead = 0;
		}
		const oldest = this.bucket(this.now - BUCKET_RETENTION_MS);
		for (const key of this.created.keys()) if (key < oldest) this.created.delete(key);
		for (const key of this.finished.keys()) if (key < oldest) this.finished.delete(key);
	}

	private removeTask(task: SimTask): void {
		this.tasks.delete(task.id);
		this.dirtyTasks.delete(task.id);
		if (!this.outputs.database) return;
		if (this.deletedTasks.size < 200_000) this.deletedTasks.add(task.id);
		else this.fullResync = true;
	}

	// ------------------------------------------------------------------ queries

	liveTasks(): SimTask[] {
		const out: SimTask[] = [];
		for (const id of this.live) out.push(this.tasks.get(id)!);
		return out;
	}

	longRunning(): SimTask[] {
		return this.liveTasks().filter((t) => t.status === 'in_progress' && t.startedAt !== null && this.now - t.startedAt > LONG_RUNNING_MS);
	}

	isStale(agent: SimAgent): boolean {
		return agent.lastHeartbeat !== null && this.now - agent.lastHeartbeat > STALE_AFTER_MS;
	}

	/** Seconds; what the agent's recent answers took, worse under the faults that slow it down. */
	responseTime(agent: SimAgent): number {
		let t = agent.baseResponse;
		if (this.faults.dbBloat) t *= 8;
		if (agent.sick) t = Math.max(t, this.config.coordinationTimeout + agent.baseResponse);
		if (agent.status === 'error') t *= 3;
		return Math.round(t * 1000) / 1000;
	}

	/** Creation counts of the tasks created in [fromMs, toMs), to the bucket (the shipped server's hourly breakdowns). */
	createdBetween(fromMs: number, toMs: number): CreatedBucket {
		const out = {created: 0, completed: 0, failed: 0, cancelled: 0};
		const first = this.bucket(fromMs);
		const last = this.bucket(toMs - 1);
		for (let key = first; key <= last; key++) {
			const b = this.created.get(key);
			if (!b) continue;
			out.created += b.created;
			out.completed += b.completed;
			out.failed += b.failed;
			out.cancelled += b.cancelled;
		}
		return out;
	}

	// ------------------------------------------------------------------ actions

	/** Halts assignment and blocks every task in progress or assigned; both stops start this way. */
	private blockWorkInFlight(reason: string): number {
		this.halted = true;
		let tasksBlocked = 0;
		for (const task of this.liveTasks()) {
			if (task.status !== 'in_progress' && task.status !== 'assigned') continue;
			this.detach(task);
			task.status = 'blocked';
			task.stalled = false;
			task.errorMessage = reason;
			this.touchTask(task);
			tasksBlocked++;
		}
		return tasksBlocked;
	}

	emergencyStop(): {agentsStopped: number; tasksBlocked: number} {
		const tasksBlocked = this.blockWorkInFlight('Stopped by emergency stop');
		let agentsStopped = 0;
		for (const agent of this.agents) {
			if (agent.status === 'inactive') continue;
			agent.status = 'inactive';
			agent.maintenanceUntil = null;
			this.touchAgent(agent);
			agentsStopped++;
		}
		this.message('broadcast', 'emergency_stop', {agents_stopped: agentsStopped}, 'agent_messages:broadcast');
		this.event(null, 'emergency_stop', {agents_stopped: agentsStopped, tasks_blocked: tasksBlocked});
		this.log('WARNING', 'app.api.dashboard', `Emergency stop: ${agentsStopped} agents stopped, ${tasksBlocked} tasks blocked`);
		return {agentsStopped, tasksBlocked};
	}

	/**
	 * The runbook's restart: the coordinator comes back and every stopped or failed agent re-registers (one
	 * after another); blocked work is queued again. It heals a coordination fault only when nothing is in
	 * flight (the runbook stops everything first): a coordinator restarted under running work diverges again.
	 */
	restartOrchestrator(): {agentsRestarted: number; tasksRequeued: number; faultCleared: boolean; duplicatesMerged: number} {
		const coordination = this.settleCoordination('orchestrator restart', this.workInFlight());
		let agentsRestarted = 0;
		for (const agent of this.agents) {
			if (agent.status === 'inactive' || agent.status === 'error' || agent.status === 'shutting_down') {
				this.bringBack(agent, RESTART_MS / 5 + agentsRestarted * REREGISTER_STAGGER_MS);
				agentsRestarted++;
			}
			this.refreshWorkStatus(agent);
		}
		let tasksRequeued = 0;
		for (const task of this.liveTasks()) {
			if (task.status !== 'blocked') continue;
			task.errorMessage = null;
			this.enqueue(task);
			this.touchTask(task);
			tasksRequeued++;
		}
		this.message('broadcast', 'orchestrator_restart', {agents_restarted: agentsRestarted}, 'agent_messages:broadcast');
		this.event(null, 'orchestrator_restarted', {agents_restarted: agentsRestarted});
		this.log('INFO', 'app.core.orchestrator', `Orchestrator restarted: ${agentsRestarted} agents re-registering, ${tasksRequeued} tasks requeued`);
		return {agentsRestarted, tasksRequeued, faultCleared: coordination.cleared, duplicatesMerged: coordination.merged};
	}

	/**
	 * What any coordinator restart or reset does to a coordination fault: with nothing in flight (everything
	 * stopped first) it comes back in sync, merges the storm's duplicates and lets agents report what it lost;
	 * with work still running it diverges again at once.
	 */
	private settleCoordination(what: string, inFlight: number): {cleared: boolean; merged: number} {
		this.halted = false;
		if (!this.faults.coordination) return {cleared: false, merged: 0};
		if (inFlight > 0) {
			this.log('ERROR', 'app.core.coordination', `Coordination error: ${what} with ${inFlight} tasks in flight; orchestrator state diverged from agent registry again`);
			return {cleared: false, merged: 0};
		}
		this.faults.coordination = false;
		const merged = this.mergeResubmissions();
		this.startReconciliation();
		this.log('INFO', 'app.core.coordination', `Coordination state rebuilt after ${what}: ${merged} duplicate submissions merged`);
		return {cleared: true, merged};
	}

	/** Tasks running or handed to an agent; none while halted (stopped work is blocked, and nothing is assigned). */
	private workInFlight(): number {
		if (this.halted) return 0;
		let n = 0;
		for (const task of this.liveTasks()) if (task.status === 'in_progress' || task.status === 'assigned') n++;
		return n;
	}

	/** An agent goes to maintenance (its work back to the queue) and re-registers after `delayMs`. */
	private bringBack(agent: SimAgent, delayMs: number, clearHeartbeat = false): number {
		let requeued = 0;
		for (const tid of [...agent.assigned, ...agent.running]) {
			const task = this.tasks.get(tid)!;
			this.detach(task);
			task.stalled = false;
			this.enqueue(task);
			this.touchTask(task);
			requeued++;
		}
		agent.status = 'maintenance';
		agent.maintenanceUntil = this.now + delayMs;
		if (clearHeartbeat) agent.lastHeartbeat = null;
		this.touchAgent(agent);
		return requeued;
	}

	restartAgent(id: string, force: boolean): {notFound: true} | {error: string} | {agent: SimAgent; tasksRequeued: number} {
		const agent = this.agentById.get(id);
		if (!agent) return {notFound: true};
		// The shipped server counts only work in progress as active; assigned work goes back to the queue.
		const active = agent.running.size;
		if (active > 0 && !force) {
			return {error: `Agent ${agent.name} has ${active} active task(s); use force=true to restart anyway`};
		}
		const tasksRequeued = this.bringBack(agent, RESTART_MS);
		agent.sick = false;
		this.message(agent.id, 'restart', {reason: 'operator restart', force});
		this.sendBus({kind: 'drain-pending', agentId: agent.id});
		this.event(agent.id, 'agent_restart_requested', {force});
		this.log('INFO', 'app.api.dashboard', `Agent restart initiated agent_id=${agent.id} force=${force}`);
		return {agent, tasksRequeued};
	}

	cancelTask(id: string): {notFound: true} | {error: string} | {task: SimTask; previousStatus: TaskStatus} {
		const task = this.tasks.get(id);
		if (!task) return {notFound: true};
		if (!this.live.has(id)) return {error: `Task ${id} is already ${task.status}`};
		const previousStatus = task.status;
		const agentId = task.agentId;
		if (task.status === 'pending') this.removeFromPending(task);
		this.finish(task, 'cancelled', 'Cancelled by operator');
		if (agentId) this.message(agentId, 'task_cancelled', {task_id: id});
		this.event(agentId, 'task_cancelled', {task_id: id, previous_status: previousStatus});
		this.log('INFO', 'app.api.tasks', `Task cancelled task_id=${id} previous_status=${previousStatus}`);
		return {task, previousStatus};
	}

	/**
	 * The shipped server's reassign: to a named agent (which must be active), to the active agent with the
	 * fewest open tasks (auto-select, the default), or back to pending for the orchestrator. A wedged task
	 * starts afresh on its new agent.
	 */
	reassignTask(
		id: string,
		options: {newAgentId?: string | null; autoSelect?: boolean; priorityBoost?: boolean; reason?: string | null} = {},
	):
		| {notFound: true}
		| {badRequest: string}
		| {task: SimTask; originalAgent: string | null; originalStatus: TaskStatus; newAgent: SimAgent | null; method: 'manual' | 'auto_select' | 'orchestrator'; agentLoad: number | null; boosted: boolean} {
		const task = this.tasks.get(id);
		if (!task) return {notFound: true};
		// As the shipped server reads its parameters: auto_select (the default) wins over new_agent_id.
		const autoSelect = options.autoSelect ?? true;
		let target: SimAgent | null = null;
		let method: 'manual' | 'auto_select' | 'orchestrator' = 'orchestrator';
		if (autoSelect) {
			const candidates = this.agents.filter((a) => a.status === 'active' && a.id !== task.agentId);
			if (candidates.length === 0) return {badRequest: 'No active agents available for reassignment'};
			target = candidates.sort((a, b) => this.activeTaskCount(a) - this.activeTaskCount(b))[0]!;
			method = 'auto_select';
		} else if (options.newAgentId) {
			const named = this.agentById.get(options.newAgentId);
			if (!named || named.status !== 'active') return {badRequest: 'Target agent not found or not active'};
			target = named;
			method = 'manual';
		}
		// The shipped server does not check the status: a finished task is brought back (its old outcome no
		// longer counts; the new one will).
		if (!this.live.has(id)) this.revive(task);
		const originalAgent = task.agentId;
		const originalStatus = task.status;
		if (task.status === 'pending') this.removeFromPending(task);
		this.detach(task);
		task.stalled = false;
		task.staged = false;
		let boosted = false;
		if (options.priorityBoost) {
			const i = PRIORITIES.indexOf(task.priority);
			if (i < PRIORITIES.length - 1) {
				task.priority = PRIORITIES[i + 1]!;
				boosted = true;
			}
		}
		const agentLoad = target ? this.activeTaskCount(target) : null;
		if (target) this.assign(task, target);
		else this.enqueue(task);
		task.errorMessage = null;
		this.touchTask(task);
		if (originalAgent) this.message(originalAgent, 'task_cancelled', {task_id: id, reason: 'reassigned'});
		if (target) this.message(target.id, 'task_reassignment', {task_id: id, title: task.title, original_agent_id: originalAgent, reason: options.reason ?? null});
		this.log('INFO', 'app.api.dashboard', `Task reassigned task_id=${id} from=${originalAgent ?? 'none'} to=${target?.id ?? 'pending'} method=${method}`);
		return {task, originalAgent, originalStatus, newAgent: target, method, agentLoad, boosted};
	}

	/** The shipped server's retry: failed or blocked tasks only; the retry limit holds unless reset. */
	retryTask(
		id: string,
		options: {resetRetryCount?: boolean; increasePriority?: boolean; newAgentAssignment?: boolean} = {},
	): {notFound: true} | {badRequest: string} | {task: SimTask; previousStatus: TaskStatus; agentCleared: boolean; priorityIncreased: boolean} {
		const task = this.tasks.get(id);
		if (!task) return {notFound: true};
		if (task.status !== 'failed' && task.status !== 'blocked') {
			return {badRequest: `Task cannot be retried: status is ${task.status} (only failed or blocked tasks can be retried)`};
		}
		// The shipped server counts the retry it is asked for before comparing with the limit.
		if (task.retryCount + 1 >= task.maxRetries && !options.resetRetryCount) {
			return {badRequest: `Task has reached its retry limit (${task.retryCount + 1}/${task.maxRetries}); set reset_retry_count=true to retry anyway`};
		}
		const previousStatus = task.status;
		if (previousStatus === 'failed') this.revive(task);
		const agentCleared = task.agentId !== null;
		this.detach(task);
		task.retryCount = options.resetRetryCount ? 0 : task.retryCount + 1;
		task.completedAt = null;
		task.stalled = false;
		let priorityIncreased = false;
		if (options.increasePriority) {
			const i = PRIORITIES.indexOf(task.priority);
			if (i < PRIORITIES.length - 1) {
				task.priority = PRIORITIES[i + 1]!;
				priorityIncreased = true;
			}
		}
		task.errorMessage = null;
		this.enqueue(task);
		this.touchTask(task);
		this.log('INFO', 'app.api.dashboard', `Task retry queued task_id=${id} previous_status=${previousStatus} retry_count=${task.retryCount}`);
		return {task, previousStatus, agentCleared, priorityIncreased};
	}

	/** A finished task made live again: its old outcome is replaced by the one it will have. */
	private revive(task: SimTask): void {
		const c = this.created.get(this.bucket(task.createdAt));
		if (c && task.status !== 'pending') {
			const outcome = task.status as 'completed' | 'failed' | 'cancelled';
			if (outcome in c && c[outcome] > 0) c[outcome]--;
		}
		this.live.add(task.id);
		task.completedAt = null;
	}

	private removeFromPending(task: SimTask): void {
		for (const queue of this.pending) {
			const i = queue.indexOf(task.id);
			if (i >= 0) queue.splice(i, 1);
		}
	}

	/**
	 * Lifts a skewed distribution: the ranking is recomputed, queued work moves off overloaded agents, and
	 * work that was only starved on a hot agent resumes. Tasks already wedged past the long-running mark
	 * stay wedged: the runbook cancels those first.
	 */
	private liftSkew(): {tasksMoved: number; faultCleared: boolean; duplicatesMerged: number} {
		const faultCleared = this.faults.distribution;
		this.faults.distribution = false;
		this.hotAgents.clear();
		for (const task of this.liveTasks()) {
			if (task.stalled && task.startedAt !== null && this.now - task.startedAt <= LONG_RUNNING_MS) {
				task.stalled = false;
				task.startedAt = this.now;
				this.touchTask(task);
			}
		}
		const duplicatesMerged = faultCleared ? this.mergeResubmissions() : 0;
		let tasksMoved = 0;
		const targets = () => this.agents.filter((a) => this.looksAssignable(a) && this.activeTaskCount(a) < MAX_LOAD).sort((a, b) => this.activeTaskCount(a) - this.activeTaskCount(b));
		let pool = targets();
		for (const agent of this.agents) {
			while (agent.assigned.length > 0 && this.activeTaskCount(agent) > MAX_LOAD) {
				pool = pool.filter((a) => this.activeTaskCount(a) < MAX_LOAD && a !== agent);
				const target = pool[0];
				const task = this.tasks.get(agent.assigned[agent.assigned.length - 1]!)!;
				this.detach(task);
				if (target) this.assign(task, target);
				else this.enqueue(task);
				this.touchTask(task);
				tasksMoved++;
				pool.sort((a, b) => this.activeTaskCount(a) - this.activeTaskCount(b));
			}
		}
		return {tasksMoved, faultCleared, duplicatesMerged};
	}

	/** The runbook's rebalance. */
	rebalance(): {tasksMoved: number; faultCleared: boolean} {
		const result = this.liftSkew();
		this.event(null, 'rebalance', {tasks_moved: result.tasksMoved});
		this.log('INFO', 'app.core.coordination', `Task rebalance: ${result.tasksMoved} tasks moved, ${result.duplicatesMerged} duplicate submissions merged`);
		return result;
	}

	/**
	 * The shipped server's coordination reset. What its code does: every type puts in-progress tasks started
	 * over 2 h ago back to pending; hard and full also put every agent that is not inactive into maintenance
	 * with its heartbeat cleared and broadcast a reset; full also deletes every agent_messages:* stream.
	 * What that does to the simulated faults: the coordinator rebuilds its state (a skewed ranking is lifted;
	 * a coordination fault heals when nothing is in flight), and under hard and full every agent reconnects
	 * when it comes back, so broken Redis connections are replaced (the shipped server's stand-in for the
	 * runbook's pool refresh).
	 */
	coordinationReset(type: 'soft' | 'hard' | 'full'): {stuckReset: number; agentsReset: number; streamsCleared: boolean; faultsCleared: string[]} {
		const faultsCleared: string[] = [];
		// Judged before the reset moves anything: a reset does not stop work that is still running.
		const inFlight = this.workInFlight();
		let stuckReset = 0;
		for (const task of this.liveTasks()) {
			if (task.status !== 'in_progress' || task.startedAt === null || this.now - task.startedAt <= RESET_STUCK_MS) continue;
			this.detach(task);
			task.stalled = false;
			this.enqueue(task);
			task.errorMessage = `Reset by coordination system reset (${type})`;
			this.touchTask(task);
			stuckReset++;
		}
		if (this.liftSkew().faultCleared) faultsCleared.push('distribution');
		let agentsReset = 0;
		if (type !== 'soft') {
			if (this.faults.communication) faultsCleared.push('communication');
			this.faults.communication = false;
			for (const agent of this.agents) {
				agent.commAffected = false;
				if (agent.status === 'inactive') continue;
				this.bringBack(agent, RESTART_MS + agentsReset * REREGISTER_STAGGER_MS, true);
				this.sendBus({kind: 'drain-pending', agentId: agent.id});
				agentsReset++;
			}
			this.message('broadcast', 'coordination_reset', {reset_type: type, reason: 'Dashboard emergency reset'}, 'agent_messages:broadcast');
		}
		if (type === 'full') this.sendBus({kind: 'delete-agent-streams'});
		if (this.settleCoordination(`coordination reset (${type})`, inFlight).cleared) faultsCleared.push('coordination');
		this.event(null, 'coordination_reset', {reset_type: type, stuck_reset: stuckReset, agents_reset: agentsReset});
		this.log('WARNING', 'app.api.dashboard', `Coordination reset (${type}): ${stuckReset} stuck tasks to pending, ${agentsReset} agents to maintenance`);
		return {stuckReset, agentsReset, streamsCleared: type === 'full', faultsCleared};
	}

	/** Emergency override stop_all_tasks: running and assigned work is blocked and nothing new is assigned. */
	stopAllTasks(): {tasksBlocked: number} {
		const tasksBlocked = this.blockWorkInFlight('Blocked by emergency override (stop_all_tasks)');
		this.message('broadcast', 'emergency_stop', {tasks_blocked: tasksBlocked}, 'agent_messages:broadcast');
		this.event(null, 'emergency_override', {action: 'stop_all_tasks', tasks_blocked: tasksBlocked});
		this.log('WARNING', 'app.api.dashboard', `Emergency override stop_all_tasks: ${tasksBlocked} tasks blocked`);
		return {tasksBlocked};
	}

	/**
	 * Emergency override restart_all_agents: every agent that is not inactive goes to maintenance with its
	 * heartbeat cleared and comes back. It does not touch the server's Redis pools: an agent whose connection
	 * the server broke comes back just as broken.
	 */
	restartAllAgents(): {agentsRestarted: number; tasksRequeued: number} {
		let agentsRestarted = 0;
		let tasksRequeued = 0;
		for (const agent of this.agents) {
			if (agent.status === 'inactive') continue;
			tasksRequeued += this.bringBack(agent, RESTART_MS + agentsRestarted * REREGISTER_STAGGER_MS, true);
			this.sendBus({kind: 'drain-pending', agentId: agent.id});
			agentsRestarted++;
		}
		this.message('broadcast', 'restart', {reason: 'emergency override restart_all_agents'}, 'agent_messages:broadcast');
		this.log('WARNING', 'app.api.dashboard', `Emergency override restart_all_agents: ${agentsRestarted} agents to maintenance`);
		return {agentsRestarted, tasksRequeued};
	}

	/** Emergency override clear_task_queue: every pending task is cancelled. */
	clearTaskQueue(): {tasksCancelled: number} {
		let tasksCancelled = 0;
		for (const task of this.liveTasks()) {
			if (task.status !== 'pending') continue;
			this.removeFromPending(task);
			this.finish(task, 'cancelled', 'Cancelled by emergency override (clear_task_queue)');
			tasksCancelled++;
		}
		this.log('WARNING', 'app.api.dashboard', `Emergency override clear_task_queue: ${tasksCancelled} pending tasks cancelled`);
		return {tasksCancelled};
	}

	/** Duplicates of a retry storm, merged into their originals once the coordinator works again. */
	private mergeResubmissions(): number {
		let merged = 0;
		for (const task of this.liveTasks()) {
			if (!task.resubmission || task.status === 'in_progress') continue;
			if (task.status === 'pending') this.removeFromPending(task);
			this.detach(task);
			this.live.delete(task.id);
			this.uncountCreated(task.createdAt);
			this.removeTask(task);
			merged++;
		}
		return merged;
	}

	private markInDoubt(createdAt: number, count = 1): void {
		const b = this.created.get(this.bucket(createdAt));
		if (b) b.inDoubt = (b.inDoubt ?? 0) + count;
	}

	private inDoubtTotal(): number {
		let total = 0;
		for (const b of this.created.values()) total += b.inDoubt ?? 0;
		return total;
	}

	private startReconciliation(): void {
		const total = this.inDoubtTotal();
		this.reconciliation = total > 0 ? {perAgent: Math.ceil(total / Math.max(1, this.agents.length)), done: new Set()} : null;
	}

	/** Each agent that is back at work with a fresh heartbeat reports its share of the lost results once. */
	private reconcileReturningAgents(): void {
		const r = this.reconciliation;
		if (!r) return;
		for (const agent of this.agents) {
			if (r.done.has(agent.id) || !this.canWork(agent) || this.heartbeatAge(agent) > STALE_AFTER_MS) continue;
			r.done.add(agent.id);
			let left = r.perAgent;
			for (const b of this.created.values()) {
				if (left === 0) break;
				const n = Math.min(left, b.inDoubt ?? 0, b.failed);
				if (n <= 0) continue;
				b.inDoubt = (b.inDoubt ?? 0) - n;
				b.failed -= n;
				b.completed += n;
				left -= n;
			}
			const settled = r.perAgent - left;
			if (settled > 0) this.log('INFO', 'app.core.coordination', `Agent ${agent.name} re-registered and reported ${settled} task results the coordinator had lost`);
		}
		if (r.done.size >= this.agents.length || this.inDoubtTotal() === 0) this.reconciliation = null;
	}

	refreshRedisPools(): {faultCleared: boolean; sickAgents: number} {
		const faultCleared = this.faults.communication;
		this.faults.communication = false;
		this.log('INFO', 'app.core.redis', 'Redis connection pools refreshed');
		return {faultCleared, sickAgents: this.agents.filter((a) => a.sick).length};
	}

	scaleUp(count: number): SimAgent[] {
		const added: SimAgent[] = [];
		for (let i = 0; i < count; i++) {
			const agent = this.addAgent();
			agent.lastHeartbeat = this.now;
			added.push(agent);
			this.event(agent.id, 'agent_registered', {name: agent.name});
		}
		this.log('INFO', 'app.core.orchestrator', `Scaled up by ${count} agents`);
		return added;
	}

	cleanup(days: number): {removed: number; faultCleared: boolean} {
		const cutoff = this.now - days * DAY;
		let removed = 0;
		for (const task of Array.from(this.tasks.values())) {
			if (task.status === 'completed' && task.completedAt !== null && task.completedAt < cutoff) {
				this.removeTask(task);
				removed++;
			}
		}
		let faultCleared = false;
		if (this.faults.dbBloat) {
			let bloat = 0;
			for (const task of this.tasks.values()) if (task.bloat) bloat++;
			if (bloat === 0) {
				this.faults.dbBloat = false;
				faultCleared = true;
			}
		}
		this.log('INFO', 'app.api.tasks', `Task cleanup removed ${removed} completed tasks older than ${days} days`);
		return {removed, faultCleared};
	}

	updatePerformanceMetrics(): number {
		for (const agent of this.agents) this.touchAgent(agent);
		return this.agents.length;
	}

	/** A task put in by hand (/_sim/tasks): queued, or already with `agent` (assigned, or started). */
	addTask(title: string, priority: Priority | undefined, agent: SimAgent | null, started: boolean): SimTask {
		const task = this.createTask();
		task.title = title;
		if (priority) {
			this.removeFromPending(task);
			task.priority = priority;
			this.enqueue(task);
		}
		if (agent) {
			this.removeFromPending(task);
			this.assign(task, agent);
			if (started) this.start(task, agent);
		}
		this.touchTask(task);
		return task;
	}

	// ------------------------------------------------------------------ fault onsets (used by scenarios.ts)

	/**
	 * Adds finished-or-failed work to the recent creation buckets, as if an incident had run that long.
	 * `inDoubtShare` of the failures are ones the agents really finished (see CreatedBucket.inDoubt).
	 */
	backfillIncident(hours: number, arrivalsPerHourPerAgent: number, completedShare: number, inDoubtShare = 0): void {
		this.historyDisturbed = true;
		for (let start = this.now - hours * HOUR; start < this.now; start += BUCKET_MS) {
			const count = this.random.poisson((this.agents.length * arrivalsPerHourPerAgent * BUCKET_MS) / HOUR);
			for (let i = 0; i < count; i++) {
				const createdAt = start + this.random.next() * BUCKET_MS;
				this.countCreated(createdAt);
				const outcome = this.random.chance(completedShare) ? 'completed' : 'failed';
				this.countFinished(createdAt, Math.min(this.now, createdAt + 5 * MINUTE), outcome, 5 * MINUTE);
				if (outcome === 'failed' && this.random.chance(inDoubtShare)) this.markInDoubt(createdAt);
			}
		}
	}

	markError(agent: SimAgent): void {
		this.setError(agent);
	}

	makeSick(agent: SimAgent, silentForMs: number): void {
		agent.sick = true;
		agent.commAffected = true;
		if (silentForMs > 0) agent.lastHeartbeat = this.now - silentForMs;
		this.touchAgent(agent);
		if (silentForMs > 0) {
			for (const id of [...agent.assigned, ...agent.running]) {
				const task = this.tasks.get(id)!;
				this.attemptFailed(task, `Agent timeout after ${this.config.coordinationTimeout}s`);
			}
			const pings = Math.min(50, Math.floor(silentForMs / (this.config.heartbeatInterval * SECOND)));
			for (let i = 0; i < pings; i++) this.message(agent.id, 'heartbeat_request', {reason: 'heartbeat overdue'});
		}
	}

	/** Puts a task on an agent as if it had started `ageMs` ago and wedged there. */
	wedgeTask(agent: SimAgent, ageMs: number): SimTask {
		const task = this.createTask(this.now - ageMs - this.random.between(MINUTE, 20 * MINUTE));
		this.removeFromPending(task);
		task.status = 'in_progress';
		task.agentId = agent.id;
		task.assignedAt = this.now - ageMs - 30 * SECOND;
		task.startedAt = this.now - ageMs;
		task.stalled = true;
		task.staged = true;
		agent.running.add(task.id);
		this.refreshWorkStatus(agent);
		this.touchTask(task);
		return task;
	}

	/** A queued task created `ageMs` ago, assigned to `agent` when given. */
	backlogTask(ageMs: number, agent: SimAgent | null): SimTask {
		const task = this.createTask(this.now - ageMs);
		task.staged = true;
		if (agent) {
			this.removeFromPending(task);
			this.assign(task, agent);
			task.assignedAt = this.now - ageMs / 2;
		}
		return task;
	}

	addBloat(count: number): void {
		for (let i = 0; i < count; i++) {
			const createdAt = this.now - this.random.between(8 * DAY, 30 * DAY);
			const task = this.newTask(createdAt, false);
			task.status = 'completed';
			task.completedAt = createdAt + task.durationMs;
			task.startedAt = createdAt;
			task.bloat = true;
			this.tasks.set(task.id, task);
			this.touchTask(task);
		}
	}

	/**
	 * The lab's reset button, and where every scenario starts: no fault, and none of a fault's after-effects
	 * either. Sick agents reconnect (fresh heartbeat, backlog drained), agents in error or stopped come back,
	 * wedged and blocked work is requeued, what a scenario staged (wedged, backlogged and bloat rows) is
	 * removed, and the counted history is that of a healthy hive again, so the success rate is back above
	 * 95 % at once. Configuration (heartbeat interval, timeout), scaled-up agents, /_sim/fault injections
	 * and auth are not faults and are kept.
	 */
	resetToHealthy(): void {
		this.faults.coordination = false;
		this.faults.communication = false;
		this.faults.distribution = false;
		this.faults.dbBloat = false;
		this.faults.flaky = false;
		this.hotAgents.clear();
		this.halted = false;
		this.reconciliation = null;
		for (const task of Array.from(this.tasks.values())) {
			if (!task.staged && !task.bloat && !(task.resubmission && this.live.has(task.id))) continue;
			if (task.status === 'pending') this.removeFromPending(task);
			this.detach(task);
			this.live.delete(task.id);
			this.removeTask(task);
		}
		for (const task of this.liveTasks()) {
			if (task.status === 'blocked' || task.stalled) {
				this.detach(task);
				task.stalled = false;
				task.errorMessage = null;
				this.enqueue(task);
				this.touchTask(task);
			}
		}
		const hbMs = this.config.heartbeatInterval * SECOND;
		for (const agent of this.agents) {
			if (agent.sick || agent.commAffected) this.sendBus({kind: 'drain-pending', agentId: agent.id});
			agent.sick = false;
			agent.commAffected = false;
			if (agent.status === 'error' || agent.status === 'inactive' || agent.status === 'shutting_down') agent.status = 'active';
			if (agent.lastHeartbeat === null || this.now - agent.lastHeartbeat > hbMs) agent.lastHeartbeat = this.now - this.random.between(0, hbMs);
			while (agent.assigned.length > 0 && this.activeTaskCount(agent) > MAX_LOAD) {
				const task = this.tasks.get(agent.assigned[agent.assigned.length - 1]!)!;
				this.detach(task);
				this.enqueue(task);
				this.touchTask(task);
			}
			this.refreshWorkStatus(agent);
			this.touchAgent(agent);
		}
		if (this.historyDisturbed) this.recountHealthyHistory();
		this.historyDisturbed = false;
	}

	/** Counts only (per 10-minute bucket): the finished-task records kept one by one are left as they are. */
	private recountHealthyHistory(): void {
		this.created.clear();
		this.finished.clear();
		const perBucket = (this.agents.length * TASKS_PER_AGENT_HOUR * BUCKET_MS) / HOUR;
		const last = this.bucket(this.now - 30 * MINUTE);
		for (let key = this.bucket(this.now - BUCKET_RETENTION_MS) + 1; key <= last; key++) {
			const created = this.random.poisson(perBucket);
			const failed = Math.min(created, this.random.poisson(created * 0.015));
			this.created.set(key, {created, completed: created - failed, failed, cancelled: 0});
			const f = this.finished.get(key + 1) ?? {completed: 0, failed: 0, minutes: 0};
			f.completed += created - failed;
			f.failed += failed;
			f.minutes += (created - failed) * 7;
			this.finished.set(key + 1, f);
		}
		for (const id of this.live) {
			const task = this.tasks.get(id)!;
			if (task.createdAt > this.now - 30 * MINUTE) this.countCreated(task.createdAt);
		}
	}
}
