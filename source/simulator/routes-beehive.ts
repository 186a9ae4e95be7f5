// The shipped server's /api/dashboard endpoints (docs/hive-contract.md, section 1, beehive profile).
import type {SimContext} from './context.js';
import {HttpError, parseBool, parseIntQuery, validationError} from './http-errors.js';
import {jsonReply, type Router} from './http-server.js';
import {agentsListBody, heartbeatBody, taskJson} from './json-views.js';
import {routeOf} from './route-table.js';
import {distributionBody, successRateBody} from './routes-monitoring.js';
import {restartAgentReply} from './routes-runbook.js';
import {timeField} from './wire-format.js';
import type {World} from './world.js';

const stamp = (world: World) => timeField(world.now, 'action', 'timestamp');
const PRIORITY_ORDER = {critical: 0, high: 1, medium: 2, low: 3};

function requiredQuery(value: string | null, name: string): string {
	if (value === null) throw validationError([{type: 'missing', loc: ['query', name], msg: 'Field required', input: null}]);
	return value;
}

function taskQueueBody(ctx: SimContext, limit: number, status: string | null): Record<string, unknown> {
	const world = ctx.world;
	const live = world.liveTasks();
	const byStatus: Record<string, number> = {};
	const byPriority: Record<string, number> = {};
	const byType: Record<string, number> = {};
	const assignments: Record<string, {name: string; active_tasks: number}> = {};
	for (const task of live) {
		byStatus[task.status] = (byStatus[task.status] ?? 0) + 1;
		byPriority[task.priority] = (byPriority[task.priority] ?? 0) + 1;
		byType[task.type] = (byType[task.type] ?? 0) + 1;
		if (task.agentId) {
			const agent = world.agentById.get(task.agentId);
			const row = (assignments[task.agentId] ??= {name: agent?.name ?? 'unknown', active_tasks: 0});
			row.active_tasks++;
		}
	}
	const loads = Object.values(assignments).map((a) => a.active_tasks);
	const working = world.agents.filter((a) => a.status === 'active' || a.status === 'busy').length;
	const mean = working ? loads.reduce((a, b) => a + b, 0) / working : 0;
	const tasks = live
		.filter((t) => status === null || t.status === status)
		.sort((a, b) => PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority] || a.createdAt - b.createdAt)
		.slice(0, limit)
		.map((t) => taskJson(world, t));
	return {
		queue_statistics: {by_status: byStatus, by_priority: byPriority, by_type: byType, agent_assignments: assignments},
		distribution_metrics: {
			total_active_tasks: live.length,
			agents_with_tasks: loads.length,
			average_tasks_per_agent: Math.round(mean * 100) / 100,
			max_tasks_per_agent: loads.length ? Math.max(...loads) : 0,
			long_running_tasks: world.longRunning().length,
		},
		tasks,
		last_updated: timeField(world.now, 'queue', 'last_updated'),
	};
}

const OVERRIDE_ACTIONS = ['stop_all_tasks', 'restart_all_agents', 'clear_task_queue', 'force_agent_restart', 'system_maintenance'] as const;
type OverrideAction = (typeof OVERRIDE_ACTIONS)[number];

/** FastAPI's 422 for a query parameter declared with a regex. */
function patternMismatch(name: string, input: string, pattern: string): HttpError {
	return validationError([{type: 'string_pattern_mismatch', loc: ['query', name], msg: `String should match pattern '${pattern}'`, input, ctx: {pattern}}]);
}

/** POST system/emergency-override, as the shipped server defines it (README, "The shipped server's controls"). */
function emergencyOverride(query: URLSearchParams, ctx: SimContext) {
	const action = requiredQuery(query.get('action'), 'action');
	if (!(OVERRIDE_ACTIONS as readonly string[]).includes(action)) throw patternMismatch('action', action, `^(${OVERRIDE_ACTIONS.join('|')})$`);
	if (!parseBool(query.get('confirm_emergency'), 'confirm_emergency', false)) {
		return jsonReply({error: 'Emergency confirmation required', message: 'Set confirm_emergency=true to proceed with emergency action', action});
	}
	const reason = query.get('reason') ?? 'Emergency override from dashboard';
	const world = ctx.world;
	const performed: string[] = [];
	const affected: Record<string, unknown> = {};
	const recovery: string[] = [];
	switch (action as OverrideAction) {
		case 'stop_all_tasks':
		case 'system_maintenance': {
			const {tasksBlocked} = world.stopAllTasks();
			performed.push(`Stopped ${tasksBlocked} active tasks`);
			affected.tasks_stopped = tasksBlocked;
			recovery.push('Retry the blocked tasks (POST /api/dashboard/tasks/{id}/retry) once the cause is fixed');
			if (action === 'stop_all_tasks') break;
		}
		// falls through: system_maintenance also restarts every agent
		case 'restart_all_agents': {
			const {agentsRestarted} = world.restartAllAgents();
			performed.push(`Initiated restart for ${agentsRestarted} agents`);
			affected.agents_restarted = agentsRestarted;
			recovery.push('Monitor agent heartbeats until every agent is active again');
			break;
		}
		case 'clear_task_queue': {
			const {tasksCancelled} = world.clearTaskQueue();
			performed.push(`Cancelled ${tasksCancelled} pending tasks`);
			affected.tasks_cancelled = tasksCancelled;
			recovery.push('Resubmit the work that is still needed');
			break;
		}
		case 'force_agent_restart': {
			const target = query.get('target_agent_id');
			if (!target) throw new HttpError(400, 'target_agent_id is required for force_agent_restart');
			const result = world.restartAgent(target, true);
			if ('notFound' in result) throw new HttpError(404, 'Target agent not found');
			if ('error' in result) return jsonReply({error: result.error});
			performed.push(`Force restarted agent ${result.agent.name}`, `Returned ${result.tasksRequeued} tasks to pending`);
			affected.agent_id = target;
			affected.tasks_reassigned = result.tasksRequeued;
			recovery.push('Monitor the agent until it is active again');
			break;
		}
	}
	return jsonReply({
		success: true,
		emergency_action: action,
		actions_performed: performed,
		affected_components: affected,
		reason,
		timestamp: stamp(world),
		recovery_steps: recovery,
		warning: 'Emergency actions can disrupt running work; verify system state',
	});
}

export function registerBeehiveRoutes(router: Router): void {
	const r = (name: Parameters<typeof routeOf>[1]) => routeOf('beehive', name);
	const add = (name: Parameters<typeof routeOf>[1], handler: Parameters<Router['add']>[2]) => router.add(r(name).method, r(name).path, handler);

	add('agentsList', (req, ctx) => jsonReply(agentsListBody(ctx.world, parseBool(req.query.get('include_inactive'), 'include_inactive', false))));
	add('heartbeats', (_req, ctx) => jsonReply(heartbeatBody(ctx.world)));
	add('taskQueue', (req, ctx) => jsonReply(taskQueueBody(ctx, parseIntQuery(req.query.get('limit'), 'limit', 500, 1, 100_000), req.query.get('status'))));

	add('emergencyOverride', (req, ctx) => emergencyOverride(req.query, ctx));
	add('coordinationReset', (req, ctx) => {
		const resetType = req.query.get('reset_type') ?? 'soft';
		if (resetType !== 'soft' && resetType !== 'hard' && resetType !== 'full') throw patternMismatch('reset_type', resetType, '^(soft|hard|full)$');
		if (!parseBool(req.query.get('confirm'), 'confirm', false)) {
			return jsonReply({error: 'Reset confirmation required', message: 'Set confirm=true to proceed with coordination reset', reset_type: resetType});
		}
		const result = ctx.world.coordinationReset(resetType);
		if (resetType !== 'soft') ctx.refreshRedis();
		const actions = [`Reset ${result.stuckReset} stuck tasks to pending`];
		if (resetType !== 'soft') actions.push(`Reset ${result.agentsReset} agents to maintenance mode`, 'Broadcast reset commands via Redis');
		if (result.streamsCleared) actions.push('Cleared agent_messages:* Redis message streams');
		return jsonReply({
			success: true,
			reset_type: resetType,
			actions_performed: actions,
			timestamp: stamp(ctx.world),
			next_steps: ['Monitor agent health endpoints for recovery', 'Check coordination success rate in 5 minutes', 'Review system logs for any persistent issues'],
		});
	});
	add('restartAgent', (req, ctx) => restartAgentReply(ctx, req.params.id!, parseBool(req.query.get('force'), 'force', false)));
	add('reassignTask', (req, ctx) => {
		const q = req.query;
		const reason = q.get('reason');
		const result = ctx.world.reassignTask(req.params.id!, {
			newAgentId: q.get('new_agent_id'),
			autoSelect: parseBool(q.get('auto_select'), 'auto_select', true),
			priorityBoost: parseBool(q.get('priority_boost'), 'priority_boost', false),
			reason,
		});
		if ('notFound' in result) throw new HttpError(404, 'Task not found');
		if ('badRequest' in result) throw new HttpError(400, result.badRequest);
		const world = ctx.world;
		return jsonReply({
			success: true,
			reassignment: {
				task_id: result.task.id,
				original_agent_id: result.originalAgent,
				original_status: result.originalStatus,
				reason: reason ?? 'Manual reassignment from dashboard',
				new_agent_id: result.newAgent?.id ?? null,
				new_agent_name: result.newAgent?.name ?? null,
				assignment_method: result.method,
				...(result.agentLoad === null ? {} : {agent_task_load: result.agentLoad}),
				...(result.boosted ? {priority_boost: result.task.priority} : {}),
				redis_notification: result.newAgent ? (ctx.redis.configured ? 'sent' : 'skipped') : 'not_applicable',
			},
			updated_task: taskJson(world, result.task),
			timestamp: stamp(world),
		});
	});
	add('retryTask', (req, ctx) => {
		const q = req.query;
		const resetRetryCount = parseBool(q.get('reset_retry_count'), 'reset_retry_count', false);
		const result = ctx.world.retryTask(req.params.id!, {
			resetRetryCount,
			increasePriority: parseBool(q.get('increase_priority'), 'increase_priority', false),
			newAgentAssignment: parseBool(q.get('new_agent_assignment'), 'new_agent_assignment', true),
		});
		if ('notFound' in result) throw new HttpError(404, 'Task not found');
		if ('badRequest' in result) throw new HttpError(400, result.badRequest);
		return jsonReply({
			success: true,
			retry_info: {
				task_id: result.task.id,
				previous_status: result.previousStatus,
				retry_count: result.task.retryCount,
				max_retries: result.task.maxRetries,
				retry_count_reset: resetRetryCount,
				priority_increased: result.priorityIncreased,
				agent_cleared: result.agentCleared,
				reason: q.get('reason') ?? 'Manual retry from dashboard',
			},
			updated_task: taskJson(ctx.world, result.task),
			next_steps: ['Task returned to pending; the orchestrator assigns it to an available agent', 'Monitor the task queue for its progress'],
			timestamp: stamp(ctx.world),
		});
	});
	// Both analyses answer in the shipped server's shapes, computed in routes-monitoring.ts.
	add('distributionAnalysis', (req, ctx) => jsonReply(distributionBody(ctx.world, parseIntQuery(req.query.get('time_range_hours'), 'time_range_hours', 24, 1, 168))));
	add('weeklyAnalysis', (req, ctx) => jsonReply(successRateBody(ctx.world, parseIntQuery(req.query.get('time_range_hours'), 'time_range_hours', 24, 1, 168))));
}
