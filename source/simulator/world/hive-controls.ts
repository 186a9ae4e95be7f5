// The hive-wide controls, both route profiles' (emergency stop, orchestrator restart, rebalance, Redis pool
// refresh) and the shipped server's (coordination reset, emergency overrides), each with its real effect.
import {WorldClock} from './clock.js';
import {REREGISTER_STAGGER_MS, RESET_STUCK_MS, RESTART_MS} from './constants.js';

export abstract class WorldHiveControls extends WorldClock {
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

	refreshRedisPools(): {faultCleared: boolean; sickAgents: number} {
		const faultCleared = this.faults.communication;
		this.faults.communication = false;
		this.log('INFO', 'app.core.redis', 'Redis connection pools refreshed');
		return {faultCleared, sickAgents: this.agents.filter((a) => a.sick).length};
	}
}
