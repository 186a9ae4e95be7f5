// Every action the console can run, in one list. The console's keymap, `hive-console action list`, the
// playbooks and the read-only test all enumerate this list, so a new action cannot be missed by any of them.
import {isAvailable, profileRoutes} from '../contract/routes.js';
import type {ActionDefinition, ActionEnv, ActionId, Availability} from './types.js';

import {ACTION_IDS} from './types.js';
import {
	cleanupTasks,
	emergencyStop,
	rebalance,
	refreshRedisPools,
	restartOrchestrator,
	scaleUp,
	updatePerformanceMetrics,
} from './defs/hive-wide.js';
import {restartAgent, restartProblemAgents} from './defs/agents.js';
import {cancelTask, reassignTask, retryTask} from './defs/tasks.js';
import {clearTaskQueue, coordinationResetFull, coordinationResetHard, forceAgentRestart, restartAllAgents} from './defs/beehive-controls.js';
import {deleteStream, memoryPurge} from './defs/redis.js';
import {setCoordinationTimeout, setHeartbeatInterval} from './defs/settings.js';
import {coordinationDiagnostics, coordinationFailures, distributionAnalysis, latencyAnalysis, performanceAnalysis, systemHealth, weeklyAnalysis} from './defs/analyses.js';
import {autoHeal, autoHealAggressive} from './defs/monitoring.js';

export const actions: readonly ActionDefinition[] = [
	emergencyStop,
	restartOrchestrator,
	restartAgent,
	restartProblemAgents,
	cancelTask,
	reassignTask,
	retryTask,
	coordinationResetHard,
	coordinationResetFull,
	restartAllAgents,
	clearTaskQueue,
	forceAgentRestart,
	autoHeal,
	autoHealAggressive,
	rebalance,
	refreshRedisPools,
	deleteStream,
	memoryPurge,
	setHeartbeatInterval,
	setCoordinationTimeout,
	scaleUp,
	cleanupTasks,
	updatePerformanceMetrics,
	distributionAnalysis,
	latencyAnalysis,
	performanceAnalysis,
	weeklyAnalysis,
	coordinationDiagnostics,
	coordinationFailures,
	systemHealth,
];

const byId = new Map<string, ActionDefinition>(actions.map((a) => [a.id, a]));

export function isActionId(id: string): id is ActionId {
	return (ACTION_IDS as readonly string[]).includes(id);
}

export function getAction(id: string): ActionDefinition | undefined {
	return byId.get(id);
}

/**
 * Whether the connected hive offers an action, from the route table and the action's own condition
 * (MEMORY PURGE needs jemalloc, Redis actions need Redis). Read-only mode is the gate's business, so that
 * a list can show both reasons.
 */
export async function availability(action: ActionDefinition, env: ActionEnv): Promise<Availability> {
	if (action.uses === 'redis') {
		if (!env.redis) return {available: false, reason: 'no Redis is configured (--redis URL or REDIS_URL)'};
	} else {
		for (const name of action.uses) {
			const route = profileRoutes[env.profile][name];
			if (!isAvailable(route)) return {available: false, reason: route.unavailable};
		}
	}
	if (action.extraAvailability) {
		try {
			return await action.extraAvailability(env);
		} catch (error) {
			return {available: false, reason: `could not check: ${error instanceof Error ? error.message : String(error)}`};
		}
	}
	return {available: true};
}

export type InputCheck = {ok: true; inputs: Record<string, unknown>} | {ok: false; field: string | null; reason: string};

/**
 * Validates raw inputs (strings from a modal field or `--set`) against the action's schema, without any
 * I/O, so a modal can check as the operator types. The gate runs the same check again before planning.
 */
export function validateInputs(action: ActionDefinition, raw: Record<string, unknown>): InputCheck {
	const parsed = action.inputSchema.safeParse(raw);
	if (parsed.success) return {ok: true, inputs: parsed.data};
	const issue = parsed.error.issues[0]!;
	const field = issue.path.join('.') || null;
	const known = action.inputFields.map((f) => `${f.name} (${f.min}–${f.max}${f.unit ? ' ' + f.unit : ''})`).join(', ');
	const reason =
		issue.code === 'unrecognized_keys'
			? `${action.id} has no input ${issue.keys.join(', ')}; ${known ? `it takes ${known}` : 'it takes no inputs'}`
			: `${action.id}: input ${field ?? '?'}: ${issue.message}${known ? ` (takes ${known})` : ''}`;
	return {ok: false, field, reason};
}
