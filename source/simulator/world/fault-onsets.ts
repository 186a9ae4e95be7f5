// What the scenarios (scenarios.ts) use to start a fault with its symptoms already showing, and the reset
// to a healthy hive every scenario starts from.
import {WorldAgentTaskControls} from './agent-task-controls.js';
import {BUCKET_MS, BUCKET_RETENTION_MS, DAY, HOUR, MAX_LOAD, MINUTE, SECOND, TASKS_PER_AGENT_HOUR} from './constants.js';
import type {SimAgent, SimTask} from './types.js';

export abstract class WorldFaultOnsets extends WorldAgentTaskControls {
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
	protected recountHealthyHistory(): void {
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
