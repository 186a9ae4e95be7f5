// The shipped server's dashboard routes (repository LeanVibe/bee-hive, app/api/dashboard_*.py) in one table:
// method, path, parameters, the server file each comes from, and the shape of its replies as zod schemas.
// docs/hive-server-routes.md is the same table in prose; test/simulator/server-routes.test.ts requests every
// route here from the simulator, validates each reply, and checks that the doc lists exactly these routes.
// `shape-checked` routes answer in the server's shape (objects are strict, so a renamed or missing field
// fails); `served` routes answer, with differences the doc names.
import {z} from 'zod';

/** The three timestamp spellings (offset, naive, naive with Z); bounded, no nested repetition. */
const ts = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|\+00:00)?$/);
const count = z.number().int().nonnegative();
const num = z.number();
const counts = z.record(count);
const nullableText = z.string().nullable();

export type ServerFile =
	| 'app/api/dashboard_monitoring.py'
	| 'app/api/dashboard_task_management.py'
	| 'app/api/dashboard_prometheus.py'
	| 'app/api/dashboard_websockets.py';

/** One request the contract test makes and what the reply must be. */
export interface Probe {
	/** Query string without `?`; path parameters are filled by the test ({agent_id}, {task_id}, {connection_id}). */
	query?: string;
	status: number;
	/** JSON body schema, or the Prometheus families the text must carry (each with HELP and TYPE). */
	reply: z.ZodTypeAny | {prometheus: string[]};
}

export interface ServerRoute {
	method: 'GET' | 'POST' | 'WS';
	path: string;
	source: ServerFile;
	params: string;
	check: 'shape-checked' | 'served';
	probes: Probe[];
}

// ------------------------------------------------------------------ shared pieces

const coordinationMetrics = z
	.object({
		success_rate: num,
		total_tasks: count,
		successful_tasks: count,
		failed_tasks: count,
		pending_tasks: count,
		average_completion_time: num,
		coordination_errors: count,
		last_coordination_failure: nullableText,
		trend_direction: z.enum(['improving', 'declining', 'stable', 'unknown']),
	})
	.strict();

const agentItem = z
	.object({id: z.string(), name: z.string(), status: z.string(), health_score: num, response_time_ms: z.union([num, z.string()]), task_success_rate: num.nullable(), current_task: nullableText, error_count: count})
	.passthrough();

const refusal = (extra: z.ZodRawShape) => z.object({error: z.string(), message: z.string(), ...extra}).strict();

const healthStatus = z.enum(['healthy', 'degraded', 'unhealthy']);
const priority = z.enum(['low', 'medium', 'high', 'critical']);
const taskStatus = z.enum(['pending', 'assigned', 'in_progress', 'blocked', 'completed', 'failed', 'cancelled']);
/** A priority raised one step: `{from, to}`. */
const priorityStep = z.object({from: priority, to: priority}).strict();
/** The server's Task.to_dict() after a change (the simulator's task view; the contract test reads the id). */
const updatedTask = z.object({id: z.string()}).passthrough();
/** The Redis message a reassign or retry sends: sent, or the broker's error. */
const redisNotification = z.string().regex(/^(sent|failed: .*)$/);
/** FastAPI's HTTPException. */
const detail = (text: z.ZodTypeAny = z.string()) => z.object({detail: text}).strict();
/** FastAPI's 422 for a query parameter, with the pydantic error type. */
const validation = (type: string) => z.object({detail: z.array(z.object({type: z.literal(type), loc: z.array(z.union([z.string(), z.number()]))}).passthrough()).min(1)}).strict();

// ------------------------------------------------------------------ reply schemas

export const schemas = {
	agentsStatus: z.object({agents: z.array(agentItem), total_agents: count, active_agents: count, health_summary: z.object({healthy: count, degraded: count, unhealthy: count}).strict(), last_updated: ts}).strict(),
	agentMetrics: z
		.object({
			agent: agentItem.omit({health_score: true, response_time_ms: true, task_success_rate: true, current_task: true, error_count: true}),
			time_range_hours: count,
			metrics: z.object({total_tasks: count, completed_tasks: count, failed_tasks: count, in_progress_tasks: count, success_rate: num, average_completion_time_minutes: num, error_rate: num}).strict(),
			recent_tasks: z.array(z.object({id: z.string(), title: z.string(), status: z.string(), type: nullableText, created_at: ts.nullable(), completed_at: ts.nullable(), error_message: nullableText}).strict()),
			performance_trends: z.object({hourly_task_completion: z.array(z.unknown()), error_patterns: z.array(z.unknown()), capacity_utilization: num}).strict(),
			last_updated: ts,
		})
		.strict(),
	restartDone: z.object({success: z.literal(true), agent_id: z.string(), agent_name: z.string(), status: z.literal('restart_initiated'), active_tasks_reassigned: count, timestamp: ts}).strict(),
	restartRefusal: z.object({error: z.literal('Agent has active tasks. Use force=true to restart anyway.'), active_tasks: count, agent_id: z.string()}).strict(),
	heartbeat: z
		.object({
			agents: z.array(z.object({agent_id: z.string(), name: z.string(), status: z.string(), last_heartbeat: ts.nullable(), seconds_since_heartbeat: num.nullable(), is_stale: z.boolean(), health_status: z.enum(['healthy', 'degraded'])}).strict()),
			summary: z.object({total_agents: count, healthy_agents: count, stale_heartbeats: count, overall_health: z.enum(['healthy', 'degraded'])}).strict(),
			last_updated: ts,
		})
		.strict(),
	successRate: z
		.object({
			current_metrics: coordinationMetrics,
			time_range_hours: count,
			hourly_breakdown: z.array(z.object({hour: z.string().regex(/^\d\d:\d\d$/), total_tasks: count, successful_tasks: count, success_rate: num}).strict()),
			failure_patterns: counts,
			critical_alerts: z.array(z.object({level: z.enum(['critical', 'warning', 'info']), message: z.string(), threshold: z.string(), impact: z.string()}).strict()).length(1),
			recommendations: z.array(nullableText).length(3),
			last_updated: ts,
		})
		.strict(),
	failures: z
		.object({
			total_failures: count,
			analysis: z.object({by_type: counts, by_agent: counts, by_error_pattern: counts, by_hour: z.record(z.string().regex(/^\d\d:00$/), count)}).strict(),
			top_error_patterns: z.array(z.object({pattern: z.string(), count}).strict()).max(5),
			detailed_failures: z.array(
				z
					.object({
						task_id: z.string(),
						title: z.string(),
						type: z.string(),
						assigned_agent_id: nullableText,
						error_message: nullableText,
						retry_count: count,
						max_retries: count,
						can_retry: z.boolean(),
						priority: z.enum(['low', 'medium', 'high', 'critical']),
						failed_at: ts.nullable(),
						minutes_since_failure: num.nullable(),
						recovery_actions: z.array(z.string()),
					})
					.strict(),
			),
			recovery_recommendations: z.array(z.object({action: z.string(), applicable_to: count, urgency: z.enum(['critical', 'high', 'medium', 'low'])}).strict()).length(3),
			last_updated: ts,
		})
		.strict(),
	resetRefusal: z.object({error: z.literal('Reset confirmation required'), message: z.string(), reset_type: z.enum(['soft', 'hard', 'full'])}).strict(),
	resetDone: z.object({success: z.literal(true), reset_type: z.enum(['soft', 'hard', 'full']), actions_performed: z.array(z.string()), timestamp: ts, next_steps: z.array(z.string())}).strict(),
	diagnostics: z
		.object({
			diagnostics: z
				.object({
					database: z.object({total_agents: count, active_agents: count, total_tasks: count, orphaned_tasks: count}).strict(),
					redis: z.union([
						z.object({connectivity: z.literal('healthy'), active_streams: count, active_workflows: count, memory_usage: z.string()}).strict(),
						z.object({error: z.string(), connectivity: z.literal('failed')}).strict(),
					]),
					coordination: z.object({stale_unassigned_tasks: count, long_running_tasks: count, agents_with_stale_heartbeats: count}).strict(),
					overall_health: z.object({score: z.number().min(0).max(100), status: z.enum(['healthy', 'degraded', 'critical']), issues: z.array(z.string())}).strict(),
				})
				.strict(),
			timestamp: ts,
			recommendations: z.array(nullableText).length(4),
		})
		.strict(),
	enhancedMetrics: z
		.object({status: z.literal('error'), message: z.string(), error: z.string(), timestamp: ts, integration_status: z.literal('disconnected'), autonomous_development_active: z.literal(false)})
		.strict(),
	taskQueue: z
		.object({
			queue_statistics: z.object({by_status: counts, by_priority: counts, by_type: counts, agent_assignments: z.record(z.object({name: z.string(), active_tasks: count}).strict())}).strict(),
			distribution_metrics: z
				.object({total_active_tasks: count, distribution_efficiency: num, average_wait_time_minutes: num, unassigned_tasks: count, agent_utilization: count, task_throughput: z.object({tasks_per_hour: num, completion_rate: num}).strict()})
				.strict(),
			tasks: z.array(z.object({id: z.string()}).passthrough()),
			filters_applied: z.object({status: nullableText, priority: nullableText, agent: nullableText, limit: count}).strict(),
			last_updated: ts,
		})
		.strict(),
	distribution: z
		.object({
			time_range_hours: count,
			agent_distribution: z.array(z.object({agent_id: z.string(), agent_name: z.string(), task_count: count, percentage: num}).strict()),
			type_distribution: z.array(z.object({task_type: z.string(), count, percentage: num}).strict()),
			priority_distribution: z.array(z.object({priority: z.enum(['low', 'medium', 'high', 'critical']), count, percentage: num}).strict()),
			hourly_timeline: z.array(z.object({hour: z.string().regex(/^\d{4}-\d\d-\d\d \d\d:00$/), total_tasks: count, completed_tasks: count, failed_tasks: count, success_rate: num}).strict()),
			workload_balance: z.array(z.object({agent_id: z.string(), agent_name: z.string(), active_tasks: count, average_completion_minutes: num, load_score: num}).strict()),
			distribution_metrics: z
				.object({total_agents_with_tasks: count, most_utilized_agent: nullableText, least_utilized_agent: nullableText, workload_variance: num, distribution_efficiency: num})
				.strict(),
			last_updated: ts,
		})
		.strict(),
	reassign: z
		.object({
			success: z.literal(true),
			reassignment: z
				.object({
					task_id: z.string(),
					original_agent_id: nullableText,
					original_status: taskStatus,
					reason: z.string(),
					new_agent_id: nullableText,
					// Not with reset_to_pending, which names no agent.
					new_agent_name: z.string().optional(),
					assignment_method: z.enum(['manual_specific', 'auto_select_best_available', 'reset_to_pending']),
					// Only with auto_select_best_available.
					agent_task_load: count.optional(),
					priority_boost: priorityStep.optional(),
					// Only when the task ends up on an agent.
					redis_notification: redisNotification.optional(),
				})
				.strict(),
			updated_task: updatedTask,
			timestamp: ts,
		})
		.strict(),
	retry: z
		.object({
			success: z.literal(true),
			retry_info: z
				.object({
					task_id: z.string(),
					original_status: z.enum(['failed', 'blocked']),
					original_retry_count: count,
					original_priority: priority,
					original_error: nullableText,
					reason: z.string(),
					// One of the two: the count reset to 0, or the count after this retry.
					retry_count_reset: z.literal(true).optional(),
					new_retry_count: count.optional(),
					priority_increased: priorityStep.optional(),
					agent_reassignment: z
						.union([
							z.object({original_agent_id: nullableText, allow_new_assignment: z.literal(true)}).strict(),
							z.object({reason: z.literal('Original agent not active'), original_agent_unavailable: z.literal(true)}).strict(),
						])
						.optional(),
					redis_notification: redisNotification,
				})
				.strict()
				.refine((info) => (info.retry_count_reset === undefined) !== (info.new_retry_count === undefined), 'exactly one of retry_count_reset and new_retry_count'),
			updated_task: updatedTask,
			next_steps: z.array(z.string()).length(3),
			timestamp: ts,
		})
		.strict(),
	overrideRefusal: refusal({error: z.literal('Emergency confirmation required'), action: z.string(), warning: z.string()}),
	overrideDone: z
		.object({
			success: z.literal(true),
			emergency_action: z.enum(['stop_all_tasks', 'restart_all_agents', 'clear_task_queue', 'force_agent_restart', 'system_maintenance']),
			actions_performed: z.array(z.string()),
			affected_components: z.record(z.union([count, z.string(), z.boolean()])),
			reason: z.string(),
			timestamp: ts,
			recovery_steps: z.array(z.string()).length(4),
			warning: z.string(),
		})
		.strict(),
	systemHealth: z
		.object({
			overall_health: z
				.object({score: num, status: z.enum(['healthy', 'degraded', 'critical']), component_scores: z.object({database: num, redis: num, agents: num, tasks: num}).strict()})
				.strict(),
			components: z
				.object({
					database: z.object({total_agents: count, total_tasks: count, tasks_last_hour: count, status: z.literal('healthy'), response_time_ms: z.string()}).strict(),
					redis: z.union([
						z.object({status: z.literal('healthy'), memory_usage: z.string(), connected_clients: count, response_time_ms: z.string(), active_streams: count}).strict(),
						z.object({status: z.literal('unhealthy'), error: z.string()}).strict(),
					]),
					agents: z.object({active_agents: count, maintenance_agents: count, stale_heartbeats: count, status: healthStatus}).strict(),
					tasks: z.object({pending_tasks: count, in_progress_tasks: count, long_running_tasks: count, recent_failures: count, status: healthStatus}).strict(),
				})
				.strict(),
			alerts: z.array(z.object({level: z.enum(['warning', 'critical']), component: z.string(), message: z.string(), action: z.string()}).strict()),
			historical: z.object({last_24_hours: z.array(z.object({hour: z.string().regex(/^\d{4}-\d\d-\d\d \d\d:00$/), success_rate: num, task_volume: count}).strict()).length(24)}).strict().nullable(),
			system_info: z.object({uptime: z.string(), version: z.string(), environment: z.string()}).strict(),
			last_updated: ts,
		})
		.strict(),
	autoHeal: z
		.object({
			actions: z.array(z.object({type: z.string(), description: z.string(), impact: z.enum(['low', 'medium', 'high']), execute: z.boolean()}).strict()),
			analysis: z.object({stuck_tasks: count, stale_agents: count, failure_rate: num}).strict(),
			dry_run: z.boolean(),
			recovery_type: z.enum(['smart', 'aggressive', 'conservative']),
			total_actions: count,
			high_impact_actions: count,
			success_likelihood: z.number().min(20).max(95),
			estimated_recovery_time: z.string().regex(/^\d+ minutes$/),
			next_steps: z.array(z.string()),
			timestamp: ts,
		})
		.strict(),
	coordinationLogs: z
		.object({
			summary: z.object({total_errors: count, critical_errors: count, error_rate_trend: z.string(), time_range_hours: count, most_common_pattern: nullableText}).strict(),
			log_entries: z.array(
				z
					.object({
						timestamp: ts.nullable(),
						level: z.enum(['critical', 'error', 'warning']),
						component: z.literal('coordination'),
						task_id: z.string(),
						task_title: z.string(),
						agent_id: nullableText,
						error_message: z.string(),
						context: z.object({task_type: nullableText, priority: z.string(), retry_count: count, max_retries: count}).strict(),
					})
					.strict(),
			),
			error_patterns: z.array(z.object({pattern: z.string(), count}).strict()).max(10),
			hourly_distribution: z.array(z.object({hour: z.string().regex(/^\d{4}-\d\d-\d\d \d\d:00$/), error_count: count}).strict()),
			recommendations: z.array(z.object({issue: z.string(), action: z.string(), priority: z.string()}).strict()),
			filters_applied: z.object({hours: count, error_level: z.enum(['all', 'error', 'critical', 'warning']), limit: count}).strict(),
			last_updated: ts,
		})
		.strict(),
	metricsConfig: z
		.object({
			endpoints: z.object({all_metrics: z.string(), coordination_metrics: z.string(), agent_metrics: z.string(), system_metrics: z.string()}).strict(),
			metric_types: z.object({coordination: z.array(z.string()), agents: z.array(z.string()), tasks: z.array(z.string()), system: z.array(z.string())}).strict(),
			alerting_thresholds: z.record(z.object({critical: num, warning: num, description: z.string()}).strict()),
			cache_settings: z.object({ttl_seconds: num, last_cache_time: ts.nullable()}).strict(),
			format: z.string(),
			last_updated: ts,
		})
		.strict(),
	websocketStats: z
		.object({
			websocket_stats: z
				.object({total_connections: count, connections_by_type: z.record(count), subscription_counts: counts, active_connections: count, oldest_connection: ts, background_tasks_running: z.boolean()})
				.strict(),
			endpoints: z.object({agents: z.string(), coordination: z.string(), tasks: z.string(), system: z.string(), dashboard: z.string()}).strict(),
			subscription_types: z.array(z.string()),
			last_updated: ts,
		})
		.strict(),
	websocketHealth: z
		.object({
			websocket_manager: z.literal('operational'),
			background_tasks: z.object({broadcast_task: z.boolean(), redis_listener: z.boolean(), health_monitor: z.boolean()}).strict(),
			connection_stats: z.object({}).passthrough(),
			redis_connectivity: z.string(),
			overall_health: z.object({score: num, status: z.enum(['healthy', 'degraded', 'unhealthy'])}).strict(),
		})
		.strict(),
	websocketLimits: z
		.object({
			rate_limit_tokens_per_second: num,
			rate_limit_burst_capacity: num,
			rate_limit_notify_cooldown_seconds: num,
			max_inbound_message_bytes: count,
			max_subscriptions_per_connection: count,
			backpressure_disconnect_threshold: count,
			contract_version: z.string(),
			timestamp: ts,
		})
		.strict(),
	websocketBroadcastRefusal: z.object({error: z.string(), valid_subscriptions: z.array(z.string())}).strict(),
	websocketBroadcast: z.object({success: z.literal(true), subscription: z.string(), message_type: z.string(), clients_reached: count, timestamp: ts}).strict(),
	websocketDisconnectRefusal: z.object({error: z.literal('Connection not found'), connection_id: z.string(), active_connections: z.array(z.string())}).strict(),
	/** The first frame on every dashboard WebSocket. */
	connectionEstablished: z
		.object({type: z.literal('connection_established'), connection_id: z.string(), subscriptions: z.array(z.string()), server_time: ts, contract_version: z.string(), correlation_id: z.string()})
		.strict(),
} as const;

/** Envelope of a periodic update (broadcast to one subscription group). */
export const wsUpdateSchema = z.object({type: z.string(), subscription: z.string(), data: z.record(z.unknown()), timestamp: ts, correlation_id: z.string()}).strict();
/** Envelope of an event broadcast to every connection. */
export const wsEventSchema = z.object({type: z.string(), data: z.record(z.unknown()), timestamp: ts, correlation_id: z.string()}).strict();
export const wsPongSchema = z.object({type: z.literal('pong'), timestamp: ts, correlation_id: z.string()}).strict();
export const wsErrorSchema = z.object({type: z.literal('error'), message: z.string(), timestamp: ts, correlation_id: z.string()}).strict();

const PROM_AGENTS = ['leanvibe_agents_total', 'leanvibe_agent_health_score', 'leanvibe_agents_stale_heartbeats'];
const PROM_TASKS = ['leanvibe_tasks_total', 'leanvibe_tasks_by_priority', 'leanvibe_task_queue_length', 'leanvibe_tasks_long_running', 'leanvibe_tasks_completed_per_hour', 'leanvibe_tasks_failed_per_hour'];
const PROM_COORDINATION = ['leanvibe_coordination_success_rate', 'leanvibe_coordination_avg_completion_time_minutes', 'leanvibe_coordination_agent_utilization'];
const PROM_SYSTEM = ['leanvibe_database_healthy', 'leanvibe_redis_healthy', 'leanvibe_system_uptime_seconds'];
const PROM_WEBSOCKETS = ['leanvibe_websocket_connections_total', 'leanvibe_websocket_connections_active', 'leanvibe_websocket_subscriptions', 'leanvibe_ws_bytes_sent_total', 'leanvibe_ws_bytes_received_total', 'leanvibe_ws_last_broadcast_fanout'];

const MON = 'app/api/dashboard_monitoring.py';
const TASKS = 'app/api/dashboard_task_management.py';
const PROM = 'app/api/dashboard_prometheus.py';
const WS = 'app/api/dashboard_websockets.py';
const D = '/api/dashboard';

const ws = (name: string, params: string): ServerRoute => ({
	method: 'WS',
	path: `${D}/ws/${name}`,
	source: WS,
	params,
	check: 'shape-checked',
	probes: [{status: 101, reply: schemas.connectionEstablished}],
});

export const serverRoutes: ServerRoute[] = [
	{method: 'GET', path: `${D}/agents/status`, source: MON, params: 'include_inactive (bool, false)', check: 'shape-checked', probes: [{query: 'include_inactive=true', status: 200, reply: schemas.agentsStatus}]},
	{method: 'GET', path: `${D}/agents/{agent_id}/metrics`, source: MON, params: 'time_range_hours (int 1-168, 24)', check: 'shape-checked', probes: [{query: 'time_range_hours=168', status: 200, reply: schemas.agentMetrics}]},
	{
		method: 'POST',
		path: `${D}/agents/{agent_id}/restart`,
		source: MON,
		params: 'force (bool, false)',
		check: 'shape-checked',
		probes: [
			{query: 'force=true', status: 200, reply: schemas.restartDone},
			// Refused in-band while the agent has a task in progress (the restart above left it none, but work may reach it first).
			{query: 'force=false', status: 200, reply: z.union([schemas.restartDone, schemas.restartRefusal])},
			{query: 'force=maybe', status: 422, reply: validation('bool_parsing')},
		],
	},
	{method: 'GET', path: `${D}/agents/heartbeat`, source: MON, params: '-', check: 'shape-checked', probes: [{status: 200, reply: schemas.heartbeat}]},
	{
		method: 'GET',
		path: `${D}/coordination/success-rate`,
		source: MON,
		params: 'time_range_hours (int 1-168, 24)',
		check: 'shape-checked',
		probes: [
			{status: 200, reply: schemas.successRate},
			{query: 'time_range_hours=168', status: 200, reply: schemas.successRate},
		],
	},
	{
		method: 'GET',
		path: `${D}/coordination/failures`,
		source: MON,
		params: 'limit (int 1-200, 50), include_resolved (bool, false)',
		check: 'shape-checked',
		probes: [
			{status: 200, reply: schemas.failures},
			{query: 'limit=200&include_resolved=true', status: 200, reply: schemas.failures},
		],
	},
	{
		method: 'POST',
		path: `${D}/coordination/reset`,
		source: MON,
		params: 'reset_type (soft|hard|full, soft), confirm (bool, false)',
		check: 'shape-checked',
		probes: [
			{query: 'reset_type=hard', status: 200, reply: schemas.resetRefusal},
			{query: 'reset_type=soft&confirm=true', status: 200, reply: schemas.resetDone},
		],
	},
	{method: 'GET', path: `${D}/coordination/diagnostics`, source: MON, params: '-', check: 'shape-checked', probes: [{status: 200, reply: schemas.diagnostics}]},
	{method: 'GET', path: `${D}/coordination/enhanced-metrics`, source: MON, params: '-', check: 'shape-checked', probes: [{status: 200, reply: schemas.enhancedMetrics}]},
	{
		method: 'GET',
		path: `${D}/tasks/queue`,
		source: TASKS,
		params: 'status_filter (pending|assigned|in_progress|blocked), priority_filter (low|medium|high|critical), agent_filter, limit (int 1-500, 100)',
		check: 'shape-checked',
		probes: [
			{status: 200, reply: schemas.taskQueue},
			{query: 'status_filter=in_progress&priority_filter=high&limit=500', status: 200, reply: schemas.taskQueue},
			{query: 'agent_filter=no-such-agent&limit=1', status: 200, reply: schemas.taskQueue},
			{query: 'limit=501', status: 422, reply: validation('less_than_equal')},
			{query: 'status_filter=failed', status: 422, reply: validation('string_pattern_mismatch')},
		],
	},
	{
		method: 'POST',
		path: `${D}/tasks/{task_id}/reassign`,
		source: TASKS,
		params: 'new_agent_id, auto_select (bool, true), priority_boost (bool, false), reason',
		check: 'shape-checked',
		probes: [
			{query: 'priority_boost=true', status: 200, reply: schemas.reassign},
			{query: 'auto_select=false&reason=contract', status: 200, reply: schemas.reassign},
			{query: 'auto_select=false&new_agent_id=no-such-agent', status: 400, reply: detail(z.literal('Target agent not found or not active'))},
		],
	},
	{
		method: 'GET',
		path: `${D}/tasks/distribution`,
		source: TASKS,
		params: 'time_range_hours (int 1-168, 24)',
		check: 'shape-checked',
		probes: [
			{status: 200, reply: schemas.distribution},
			{query: 'time_range_hours=3', status: 200, reply: schemas.distribution},
		],
	},
	{
		method: 'POST',
		path: `${D}/tasks/{task_id}/retry`,
		source: TASKS,
		params: 'reset_retry_count (bool, false), increase_priority (bool, false), new_agent_assignment (bool, true), reason',
		check: 'shape-checked',
		probes: [
			{query: 'reset_retry_count=true&increase_priority=true', status: 200, reply: schemas.retry},
			// The task is pending now.
			{status: 400, reply: detail(z.string().regex(/^Task is not in retryable state\. Current status: pending$/))},
		],
	},
	{
		method: 'POST',
		path: `${D}/system/emergency-override`,
		source: TASKS,
		params: 'action (stop_all_tasks|restart_all_agents|clear_task_queue|force_agent_restart|system_maintenance), target_agent_id, confirm_emergency (bool, false), reason',
		check: 'shape-checked',
		probes: [
			{query: 'action=stop_all_tasks', status: 200, reply: schemas.overrideRefusal},
			{query: 'action=force_agent_restart&confirm_emergency=true', status: 400, reply: detail(z.literal('target_agent_id required for force_agent_restart action'))},
			{query: 'action=force_agent_restart&confirm_emergency=true&target_agent_id=no-such-agent', status: 404, reply: detail(z.literal('Target agent not found'))},
			{query: 'action=clear_task_queue&confirm_emergency=true&reason=contract', status: 200, reply: schemas.overrideDone},
			{query: 'action=dance', status: 422, reply: validation('string_pattern_mismatch')},
		],
	},
	{
		method: 'GET',
		path: `${D}/system/health`,
		source: TASKS,
		params: 'include_historical (bool, false)',
		check: 'shape-checked',
		probes: [
			{status: 200, reply: schemas.systemHealth},
			{query: 'include_historical=true', status: 200, reply: schemas.systemHealth},
		],
	},
	{
		method: 'POST',
		path: `${D}/recovery/auto-heal`,
		source: TASKS,
		params: 'recovery_type (smart|aggressive|conservative, smart), dry_run (bool, true)',
		check: 'shape-checked',
		probes: [
			{status: 200, reply: schemas.autoHeal},
			{query: 'recovery_type=aggressive&dry_run=true', status: 200, reply: schemas.autoHeal},
			{query: 'recovery_type=conservative&dry_run=false', status: 200, reply: schemas.autoHeal},
			{query: 'recovery_type=reckless', status: 422, reply: validation('string_pattern_mismatch')},
		],
	},
	{
		method: 'GET',
		path: `${D}/logs/coordination`,
		source: TASKS,
		params: 'hours (int 1-168, 24), error_level (all|error|critical|warning, all), limit (int 1-500, 100)',
		check: 'shape-checked',
		probes: [
			{status: 200, reply: schemas.coordinationLogs},
			{query: 'hours=168&error_level=error&limit=500', status: 200, reply: schemas.coordinationLogs},
		],
	},
	{method: 'GET', path: `${D}/metrics`, source: PROM, params: '-', check: 'shape-checked', probes: [{status: 200, reply: {prometheus: [...PROM_AGENTS, ...PROM_TASKS, ...PROM_COORDINATION, ...PROM_SYSTEM, ...PROM_WEBSOCKETS]}}]},
	{method: 'GET', path: `${D}/metrics/coordination`, source: PROM, params: '-', check: 'shape-checked', probes: [{status: 200, reply: {prometheus: [...PROM_COORDINATION, ...PROM_TASKS.slice(2)]}}]},
	{method: 'GET', path: `${D}/metrics/agents`, source: PROM, params: '-', check: 'shape-checked', probes: [{status: 200, reply: {prometheus: PROM_AGENTS}}]},
	{method: 'GET', path: `${D}/metrics/system`, source: PROM, params: '-', check: 'shape-checked', probes: [{status: 200, reply: {prometheus: [...PROM_SYSTEM, ...PROM_WEBSOCKETS]}}]},
	{method: 'GET', path: `${D}/metrics/config`, source: PROM, params: '-', check: 'shape-checked', probes: [{status: 200, reply: schemas.metricsConfig}]},
	{method: 'GET', path: `${D}/websocket/stats`, source: WS, params: '-', check: 'shape-checked', probes: [{status: 200, reply: schemas.websocketStats}]},
	{method: 'GET', path: `${D}/websocket/health`, source: WS, params: '-', check: 'shape-checked', probes: [{status: 200, reply: schemas.websocketHealth}]},
	{method: 'GET', path: `${D}/websocket/limits`, source: WS, params: '-', check: 'shape-checked', probes: [{status: 200, reply: schemas.websocketLimits}]},
	{
		method: 'POST',
		path: `${D}/websocket/broadcast`,
		source: WS,
		params: 'subscription, message_type (both required); body: message_data (object, {})',
		check: 'shape-checked',
		probes: [
			{query: 'subscription=nope&message_type=note', status: 200, reply: schemas.websocketBroadcastRefusal},
			{query: 'subscription=system&message_type=note', status: 200, reply: schemas.websocketBroadcast},
		],
	},
	{method: 'POST', path: `${D}/websocket/disconnect/{connection_id}`, source: WS, params: 'reason (Administrative disconnect)', check: 'shape-checked', probes: [{status: 200, reply: schemas.websocketDisconnectRefusal}]},
	ws('agents', 'connection_id'),
	ws('coordination', 'connection_id'),
	ws('tasks', 'connection_id'),
	ws('system', 'connection_id'),
	ws('dashboard', 'connection_id, subscriptions (comma-separated, agents,coordination,tasks,system)'),
];

/** `METHOD path`, as the doc's table spells each route. */
export const routeKey = (route: Pick<ServerRoute, 'method' | 'path'>) => `${route.method} ${route.path}`;
