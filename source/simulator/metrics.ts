// Every figure the hive reports, derived from the world with the contract's definitions (§2), so the
// Prometheus endpoints, the JSON analyses and the tests all agree on what "success rate" or "stale" means.
import {DAY, HOUR, type SimAgent, type World} from './world.js';

export interface CoordinationFigures {
	successRate: number;
	avgCompletionMinutes: number;
	utilization: number;
	queueLength: number;
	longRunning: number;
	completedPerHour: number;
	failedPerHour: number;
}

export function coordinationFigures(world: World): CoordinationFigures {
	const day = world.createdWindow(DAY);
	const finishedDay = world.finishedWindow(DAY);
	const lastHour = world.finishedWindow(HOUR);
	let queueLength = 0;
	let longRunning = 0;
	for (const task of world.liveTasks()) {
		if (task.status === 'pending' || task.status === 'assigned') queueLength++;
		if (task.status === 'in_progress' && task.startedAt !== null && world.now - task.startedAt > HOUR) longRunning++;
	}
	let working = 0;
	let withWork = 0;
	for (const agent of world.agents) {
		if (agent.status !== 'active' && agent.status !== 'busy') continue;
		working++;
		if (world.activeTaskCount(agent) > 0) withWork++;
	}
	return {
		successRate: (day.completed / Math.max(1, day.created)) * 100,
		// No completion in the window: the hive divides by zero rows and reports NaN.
		avgCompletionMinutes: finishedDay.completed ? finishedDay.minutes / finishedDay.completed : NaN,
		utilization: working ? (withWork / working) * 100 : 0,
		queueLength,
		longRunning,
		completedPerHour: lastHour.completed,
		failedPerHour: lastHour.failed,
	};
}

export function agentsByStatus(world: World): Record<string, number> {
	const out: Record<string, number> = {};
	for (const agent of world.agents) out[agent.status] = (out[agent.status] ?? 0) + 1;
	return out;
}

/** Contract §2: active agents whose heartbeat is older than 300 s; a null heartbeat is not counted. */
export function staleActiveAgents(world: World): number {
	let n = 0;
	for (const agent of world.agents) if (agent.status === 'active' && world.isStale(agent)) n++;
	return n;
}

/** The Prometheus endpoint's coarse score: 100 for a working agent, 20 otherwise. */
export function prometheusHealthScore(agent: SimAgent): number {
	return agent.status === 'active' || agent.status === 'busy' ? 100 : 20;
}

/** The JSON agents list's finer score (0..100). */
export function jsonHealthScore(world: World, agent: SimAgent): number {
	switch (agent.status) {
		case 'error':
			return 20;
		case 'maintenance':
			return 60;
		case 'inactive':
		case 'shutting_down':
			return 0;
		case 'sleeping':
			return 80;
		default: {
			if (agent.lastHeartbeat === null || world.isStale(agent)) return 25;
			const total = agent.completed + agent.failed;
			const failureShare = total ? agent.failed / total : 0;
			return Math.round((100 - Math.min(30, failureShare * 100) - (world.faults.dbBloat ? 15 : 0)) * 10) / 10;
		}
	}
}

export function taskCounts(world: World): {byStatus: Record<string, number>; byPriority: Record<string, number>; byType: Record<string, number>} {
	const byStatus: Record<string, number> = {};
	const byPriority: Record<string, number> = {};
	const byType: Record<string, number> = {};
	for (const task of world.tasks.values()) {
		byStatus[task.status] = (byStatus[task.status] ?? 0) + 1;
		byPriority[task.priority] = (byPriority[task.priority] ?? 0) + 1;
		byType[task.type] = (byType[task.type] ?? 0) + 1;
	}
	return {byStatus, byPriority, byType};
}
