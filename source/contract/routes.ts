// The hive's two route profiles (docs/hive-contract.md, section 1), in one table that the HTTP source, the actions and the
// simulator all read, so that a path is spelled in exactly one place.
import type {ApiProfile} from './types.js';

export interface Route {
	method: 'GET' | 'POST' | 'PUT' | 'DELETE';
	/** Path with `{id}` placeholders and a fixed query string where the hive needs one. */
	path: string;
}

/** Reads shared by both profiles. */
export const commonReads = {
	coordinationMetrics: {method: 'GET', path: '/api/dashboard/metrics/coordination'},
	agentMetrics: {method: 'GET', path: '/api/dashboard/metrics/agents'},
	allMetrics: {method: 'GET', path: '/api/dashboard/metrics'},
	health: {method: 'GET', path: '/health'},
} as const satisfies Record<string, Route>;

export type ProfileRouteName =
	| 'agentsList'
	| 'heartbeats'
	| 'taskQueue'
	| 'stuckTasks'
	| 'emergencyStop'
	| 'restartOrchestrator'
	| 'restartAgent'
	| 'cancelTask'
	| 'reassignTask'
	| 'retryTask'
	| 'coordinationReset'
	| 'emergencyOverride'
	| 'rebalance'
	| 'refreshRedisPools'
	| 'scaleUp'
	| 'setHeartbeatInterval'
	| 'setCoordinationTimeout'
	| 'cleanupTasks'
	| 'updatePerformanceMetrics'
	| 'distributionAnalysis'
	| 'weeklyAnalysis'
	| 'latencyAnalysis'
	| 'performanceAnalysis'
	| 'coordinationDiagnostics'
	| 'coordinationFailures'
	| 'systemHealth'
	| 'autoHeal';

/** null: the profile does not offer it; the reason says what to do instead. */
export type ProfileRoute = Route | {unavailable: string};

export const profileRoutes: Record<ApiProfile, Record<ProfileRouteName, ProfileRoute>> = {
	runbook: {
		agentsList: {method: 'GET', path: '/api/v1/agents/status'},
		heartbeats: {unavailable: 'the runbook profile has no heartbeat endpoint; ages come from the agents list'},
		taskQueue: {unavailable: 'the runbook profile has no task queue endpoint; stuck tasks come from /api/v1/tasks/stuck'},
		stuckTasks: {method: 'GET', path: '/api/v1/tasks/stuck'},
		emergencyStop: {method: 'POST', path: '/api/v1/agents/emergency-stop'},
		restartOrchestrator: {method: 'POST', path: '/api/v1/agents/restart-orchestrator'},
		restartAgent: {method: 'POST', path: '/api/v1/agents/{id}/restart'},
		cancelTask: {method: 'POST', path: '/api/v1/tasks/{id}/cancel'},
		reassignTask: {unavailable: 'the runbook profile has no reassign endpoint; cancel the task instead'},
		retryTask: {unavailable: 'the runbook profile has no retry endpoint; cancel the task instead'},
		coordinationReset: {unavailable: 'the runbook profile has no coordination reset; use restart orchestrator'},
		emergencyOverride: {unavailable: 'the runbook profile has no emergency override; use emergency stop'},
		rebalance: {method: 'POST', path: '/api/v1/coordination/rebalance'},
		refreshRedisPools: {method: 'POST', path: '/api/v1/redis/refresh-pools'},
		scaleUp: {method: 'POST', path: '/api/v1/agents/scale-up'},
		setHeartbeatInterval: {method: 'PUT', path: '/api/v1/config/heartbeat-interval'},
		setCoordinationTimeout: {method: 'PUT', path: '/api/v1/config/coordination-timeout'},
		cleanupTasks: {method: 'DELETE', path: '/api/v1/tasks/cleanup'},
		updatePerformanceMetrics: {method: 'POST', path: '/api/v1/agents/update-performance-metrics'},
		distributionAnalysis: {method: 'GET', path: '/api/v1/tasks/distribution-analysis'},
		weeklyAnalysis: {method: 'GET', path: '/api/v1/coordination/weekly-analysis'},
		latencyAnalysis: {method: 'GET', path: '/api/v1/agents/latency-analysis'},
		performanceAnalysis: {method: 'GET', path: '/api/v1/tasks/performance-analysis'},
		coordinationDiagnostics: {unavailable: 'the runbook profile has no coordination diagnostics; see /health and the metrics pane'},
		coordinationFailures: {unavailable: 'the runbook profile has no failure analysis; see the tasks pane and the logs'},
		systemHealth: {unavailable: 'the runbook profile has no system health read-out; see /health in the metrics pane'},
		autoHeal: {unavailable: 'the runbook profile has no auto-heal; follow the playbook (!) instead'},
	},
	beehive: {
		agentsList: {method: 'GET', path: '/api/dashboard/agents/status?include_inactive=true'},
		heartbeats: {method: 'GET', path: '/api/dashboard/agents/heartbeat'},
		/** The server's cap (its default is 100): open tasks, highest priority first, newest first within one. */
		taskQueue: {method: 'GET', path: '/api/dashboard/tasks/queue?limit=500'},
		stuckTasks: {unavailable: 'the beehive profile has no stuck-task list; long-running tasks come from the task queue'},
		emergencyStop: {
			method: 'POST',
			path: '/api/dashboard/system/emergency-override?action=stop_all_tasks&confirm_emergency=true',
		},
		restartOrchestrator: {method: 'POST', path: '/api/dashboard/coordination/reset?reset_type=soft&confirm=true'},
		/** Query: force=true|false; the action decides from the agent's tasks in progress (the hive refuses without force when it has any). */
		restartAgent: {method: 'POST', path: '/api/dashboard/agents/{id}/restart'},
		cancelTask: {
			unavailable:
				'the beehive server has no cancel endpoint; use reassign (/api/dashboard/tasks/{id}/reassign) or retry instead',
		},
		reassignTask: {method: 'POST', path: '/api/dashboard/tasks/{id}/reassign'},
		retryTask: {method: 'POST', path: '/api/dashboard/tasks/{id}/retry'},
		/** Query: reset_type=soft|hard|full, confirm=true (the action adds them). */
		coordinationReset: {method: 'POST', path: '/api/dashboard/coordination/reset'},
		/** Query: action=stop_all_tasks|restart_all_agents|clear_task_queue|force_agent_restart|system_maintenance, confirm_emergency=true, target_agent_id, reason. */
		emergencyOverride: {method: 'POST', path: '/api/dashboard/system/emergency-override'},
		rebalance: {
			unavailable: 'the beehive server has no rebalance endpoint; the closest is restart orchestrator (coordination reset, soft)',
		},
		refreshRedisPools: {unavailable: 'the beehive server has no Redis pool refresh endpoint'},
		scaleUp: {unavailable: 'the beehive server has no scale-up endpoint'},
		setHeartbeatInterval: {unavailable: 'the beehive server has no heartbeat-interval setting endpoint'},
		setCoordinationTimeout: {unavailable: 'the beehive server has no coordination-timeout setting endpoint'},
		cleanupTasks: {unavailable: 'the beehive server has no task cleanup endpoint'},
		updatePerformanceMetrics: {unavailable: 'the beehive server has no performance-metrics update endpoint'},
		distributionAnalysis: {method: 'GET', path: '/api/dashboard/tasks/distribution?time_range_hours=24'},
		weeklyAnalysis: {method: 'GET', path: '/api/dashboard/coordination/success-rate?time_range_hours=168'},
		latencyAnalysis: {unavailable: 'the beehive server has no latency analysis; see the agents pane response times'},
		performanceAnalysis: {unavailable: 'the beehive server has no task performance analysis'},
		coordinationDiagnostics: {method: 'GET', path: '/api/dashboard/coordination/diagnostics'},
		coordinationFailures: {method: 'GET', path: '/api/dashboard/coordination/failures'},
		systemHealth: {method: 'GET', path: '/api/dashboard/system/health?include_historical=true'},
		/** Query: recovery_type=smart|conservative|aggressive, dry_run=true|false (the server's default is a dry run). */
		autoHeal: {method: 'POST', path: '/api/dashboard/recovery/auto-heal'},
	},
};

/** Probed once per connection by --api-profile auto: 200 here means beehive. */
export const profileProbe: Route = {method: 'GET', path: '/api/dashboard/agents/status'};

export function isAvailable(route: ProfileRoute): route is Route {
	return !('unavailable' in route);
}

/** Fills `{id}` with an URL-encoded id, so an agent id can never change the path. */
export function fillPath(path: string, params: Record<string, string> = {}): string {
	return path.replace(/\{(\w+)\}/g, (_, key: string) => {
		const value = params[key];
		if (value === undefined) throw new Error(`route ${path} needs a value for {${key}}`);
		return encodeURIComponent(value);
	});
}
