// Time: each step sends heartbeats, brings restarted agents back, lets tasks arrive, run, finish, fail or
// time out under the current faults, assigns the queue, and forgets old history so memory stays bounded.
import {WorldCoordination} from './coordination.js';
import {BUCKET_RETENTION_MS, HISTORY_RETENTION_MS, HOUR, MAX_LOAD, MINUTE, SECOND, TASKS_PER_AGENT_HOUR} from './constants.js';
import type {SimAgent} from './types.js';

export abstract class WorldClock extends WorldCoordination {
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

	protected assignPending(): void {
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
	protected logSkew(agent: SimAgent): void {
		if (this.now - this.lastSkewLog < 5 * MINUTE) return;
		this.lastSkewLog = this.now;
		const idle = this.agents.filter((a) => this.looksAssignable(a) && this.activeTaskCount(a) === 0).length;
		this.log('WARNING', 'app.core.task_queue', `Task assignment skewed: task routed to agent ${agent.id} (${agent.name}) holding ${this.activeTaskCount(agent)} tasks while ${idle} agents are idle`);
	}

	protected setError(agent: SimAgent): void {
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
	protected prune(): void {
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
}
