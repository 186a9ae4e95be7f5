// The world's state and the bookkeeping every other part builds on: the fields, the counted buckets behind
// the metrics' windows, the queues the bridges drain (bus, events, logs, change sets), and the primitive
// moves of a task between queue, agent and history.
import {Random} from '../random.js';
import {BUCKET_MS, HOUR, MINUTE, PRIORITIES, QUEUE_CAP, STALE_AFTER_MS} from './constants.js';
import type {BusOp, CreatedBucket, Faults, FinishedBucket, LogEntry, SimAgent, SimTask, WorldEvent, WorldOptions} from './types.js';

function pushCapped<T>(queue: T[], item: T, cap: number): boolean {
	if (queue.length >= cap) return false;
	queue.push(item);
	return true;
}

export abstract class WorldState {
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
	protected lastSkewLog = -Infinity;
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
	protected reconciliation: {perAgent: number; done: Set<string>} | null = null;

	protected readonly pending: string[][] = [[], [], [], []];
	protected readonly history: string[] = [];
	protected historyHead = 0;
	protected readonly created = new Map<number, CreatedBucket>();
	protected readonly finished = new Map<number, FinishedBucket>();
	protected taskCounter = 0;
	protected agentCounter = 0;

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
	}

	protected bucket(ms: number): number {
		return Math.floor(ms / BUCKET_MS);
	}

	protected countCreated(createdAt: number): void {
		const key = this.bucket(createdAt);
		const b = this.created.get(key) ?? {created: 0, completed: 0, failed: 0, cancelled: 0};
		b.created++;
		this.created.set(key, b);
	}

	/** A merged duplicate leaves the registry, and with it the creation it counted. */
	protected uncountCreated(createdAt: number): void {
		const b = this.created.get(this.bucket(createdAt));
		if (b && b.created > 0) b.created--;
	}

	protected countFinished(createdAt: number, finishedAt: number, outcome: 'completed' | 'failed' | 'cancelled', durationMs: number): void {
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

	protected enqueue(task: SimTask): void {
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

	protected touchAgent(agent: SimAgent): void {
		if (this.outputs.database) this.dirtyAgents.add(agent.id);
	}

	protected touchTask(task: SimTask): void {
		if (this.outputs.database) this.dirtyTasks.add(task.id);
	}

	activeTaskCount(agent: SimAgent): number {
		return agent.assigned.length + agent.running.size;
	}

	protected refreshWorkStatus(agent: SimAgent): void {
		if (agent.status !== 'active' && agent.status !== 'busy') return;
		const next = agent.running.size > 0 ? 'busy' : 'active';
		if (next !== agent.status) {
			agent.status = next;
			this.touchAgent(agent);
		}
	}

	/** Takes a task off its agent (whatever state it is in). */
	protected detach(task: SimTask): void {
		if (!task.agentId) return;
		const agent = this.agentById.get(task.agentId);
		if (!agent) return;
		agent.running.delete(task.id);
		const i = agent.assigned.indexOf(task.id);
		if (i >= 0) agent.assigned.splice(i, 1);
		this.refreshWorkStatus(agent);
	}

	protected finish(task: SimTask, outcome: 'completed' | 'failed' | 'cancelled', error: string | null = null): void {
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
	protected attemptFailed(task: SimTask, error: string): void {
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

	protected assign(task: SimTask, agent: SimAgent): void {
		task.status = 'assigned';
		task.agentId = agent.id;
		task.assignedAt = this.now;
		agent.assigned.push(task.id);
		this.touchTask(task);
		this.message(agent.id, 'task_assignment', {task_id: task.id, title: task.title});
	}

	protected start(task: SimTask, agent: SimAgent): void {
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

	protected heartbeatAge(agent: SimAgent): number {
		return agent.lastHeartbeat === null ? Infinity : this.now - agent.lastHeartbeat;
	}

	protected canWork(agent: SimAgent): boolean {
		return (agent.status === 'active' || agent.status === 'busy') && !agent.sick;
	}

	/** What the coordinator believes: it cannot see a broken connection, only a stale heartbeat. */
	protected looksAssignable(agent: SimAgent): boolean {
		return (agent.status === 'active' || agent.status === 'busy') && this.heartbeatAge(agent) <= STALE_AFTER_MS;
	}

	protected removeTask(task: SimTask): void {
		this.tasks.delete(task.id);
		this.dirtyTasks.delete(task.id);
		if (!this.outputs.database) return;
		if (this.deletedTasks.size < 200_000) this.deletedTasks.add(task.id);
		else this.fullResync = true;
	}

	protected removeFromPending(task: SimTask): void {
		for (const queue of this.pending) {
			const i = queue.indexOf(task.id);
			if (i >= 0) queue.splice(i, 1);
		}
	}

	protected markInDoubt(createdAt: number, count = 1): void {
		const b = this.created.get(this.bucket(createdAt));
		if (b) b.inDoubt = (b.inDoubt ?? 0) + count;
	}

	protected inDoubtTotal(): number {
		let total = 0;
		for (const b of this.created.values()) total += b.inDoubt ?? 0;
		return total;
	}
}
