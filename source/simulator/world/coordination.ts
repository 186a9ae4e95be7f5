// The coordination incident's mechanics: work in flight when a restart or reset lands, agents brought back
// one after another, a skewed distribution lifted, a retry storm's duplicates merged, and the results the
// diverged coordinator lost reported again as agents re-register. The controls call these; the clock
// drives the reconciliation.
import {WorldQueries} from './queries.js';
import {LONG_RUNNING_MS, MAX_LOAD, STALE_AFTER_MS} from './constants.js';
import type {SimAgent, SimTask} from './types.js';

export abstract class WorldCoordination extends WorldQueries {
	/** Halts assignment and blocks every task in progress or assigned; both stops start this way. */
	protected blockWorkInFlight(reason: string): number {
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

	/**
	 * What any coordinator restart or reset does to a coordination fault: with nothing in flight (everything
	 * stopped first) it comes back in sync, merges the storm's duplicates and lets agents report what it lost;
	 * with work still running it diverges again at once.
	 */
	protected settleCoordination(what: string, inFlight: number): {cleared: boolean; merged: number} {
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
	protected workInFlight(): number {
		if (this.halted) return 0;
		let n = 0;
		for (const task of this.liveTasks()) if (task.status === 'in_progress' || task.status === 'assigned') n++;
		return n;
	}

	/** An agent goes to maintenance (its work back to the queue) and re-registers after `delayMs`. */
	protected bringBack(agent: SimAgent, delayMs: number, clearHeartbeat = false): number {
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

	/** A finished task made live again: its old outcome is replaced by the one it will have. */
	protected revive(task: SimTask): void {
		const c = this.created.get(this.bucket(task.createdAt));
		if (c && task.status !== 'pending') {
			const outcome = task.status as 'completed' | 'failed' | 'cancelled';
			if (outcome in c && c[outcome] > 0) c[outcome]--;
		}
		this.live.add(task.id);
		task.completedAt = null;
	}

	/**
	 * Lifts a skewed distribution: the ranking is recomputed, queued work moves off overloaded agents, and
	 * work that was only starved on a hot agent resumes. Tasks already wedged past the long-running mark
	 * stay wedged: the runbook cancels those first.
	 */
	protected liftSkew(): {tasksMoved: number; faultCleared: boolean; duplicatesMerged: number} {
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

	/** Duplicates of a retry storm, merged into their originals once the coordinator works again. */
	protected mergeResubmissions(): number {
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

	protected startReconciliation(): void {
		const total = this.inDoubtTotal();
		this.reconciliation = total > 0 ? {perAgent: Math.ceil(total / Math.max(1, this.agents.length)), done: new Set()} : null;
	}

	/** Each agent that is back at work with a fresh heartbeat reports its share of the lost results once. */
	protected reconcileReturningAgents(): void {
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
}
