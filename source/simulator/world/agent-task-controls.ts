// Controls on one agent or task (restart, cancel, reassign, retry), and the housekeeping ones: scale-up,
// cleanup of old finished tasks, the performance-metrics update, and tasks added through /_sim.
import {WorldHiveControls} from './hive-controls.js';
import {DAY, PRIORITIES, RESTART_MS} from './constants.js';
import type {Priority, SimAgent, SimTask, TaskStatus} from './types.js';

export abstract class WorldAgentTaskControls extends WorldHiveControls {
	/** `activeTasks`: the agent's tasks in progress when asked (what the shipped server counts and reports). */
	restartAgent(id: string, force: boolean): {notFound: true} | {error: string; activeTasks: number} | {agent: SimAgent; tasksRequeued: number; activeTasks: number} {
		const agent = this.agentById.get(id);
		if (!agent) return {notFound: true};
		// The shipped server counts only work in progress as active; assigned work goes back to the queue.
		const active = agent.running.size;
		if (active > 0 && !force) {
			return {error: `Agent ${agent.name} has ${active} active task(s); use force=true to restart anyway`, activeTasks: active};
		}
		const tasksRequeued = this.bringBack(agent, RESTART_MS);
		agent.sick = false;
		this.message(agent.id, 'restart', {reason: 'operator restart', force});
		this.sendBus({kind: 'drain-pending', agentId: agent.id});
		this.event(agent.id, 'agent_restart_requested', {force});
		this.log('INFO', 'app.api.dashboard', `Agent restart initiated agent_id=${agent.id} force=${force}`);
		return {agent, tasksRequeued, activeTasks: active};
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

	/** The shipped server's retry: failed or blocked tasks only; the retry limit holds unless reset (its 400s, worded as it words them). */
	retryTask(
		id: string,
		options: {resetRetryCount?: boolean; increasePriority?: boolean; newAgentAssignment?: boolean} = {},
	): {notFound: true} | {badRequest: string} | {task: SimTask; previousStatus: TaskStatus; agentCleared: boolean; priorityIncreased: boolean} {
		const task = this.tasks.get(id);
		if (!task) return {notFound: true};
		if (task.status !== 'failed' && task.status !== 'blocked') {
			return {badRequest: `Task is not in retryable state. Current status: ${task.status}`};
		}
		// The shipped server counts the retry it is asked for before comparing with the limit.
		if (task.retryCount + 1 >= task.maxRetries && !options.resetRetryCount) {
			return {badRequest: `Task has exceeded maximum retries (${task.maxRetries}). Use reset_retry_count=true to force retry.`};
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
}
