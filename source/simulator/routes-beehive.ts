// The shipped server's /api/dashboard endpoints (docs/hive-contract.md, section 1, beehive profile).
import type {SimContext} from './context.js';
import {HttpError, parseBool, parseIntQuery, validationError} from './http-errors.js';
import {jsonReply, type Router} from './http-server.js';
import {agentsListBody, heartbeatBody, taskJson} from './json-views.js';
import {routeOf} from './route-table.js';
import {distributionBody, successRateBody} from './routes-monitoring.js';
import {timeField} from './wire-format.js';
import {MINUTE, type World} from './world.js';

const stamp = (world: World) => timeField(world.now, 'action', 'timestamp');
/** The server's TaskPriority values (LOW 1 … CRITICAL 10); its queue sorts by them, highest first. */
const PRIORITY_VALUE = {low: 1, medium: 5, high: 8, critical: 10};
const QUEUE_STATUSES = ['pending', 'assigned', 'in_progress', 'blocked'] as const;
const PRIORITY_NAMES = ['low', 'medium', 'high', 'critical'] as const;

function requiredQuery(value: string | null, name: string): string {
	if (value === null) throw validationError([{type: 'missing', loc: ['query', name], msg: 'Field required', input: null}]);
	return value;
}

/** FastAPI's 422 for a query parameter declared with a regex. */
function patternMismatch(name: string, input: string, pattern: string): HttpError {
	return validationError([{type: 'string_pattern_mismatch', loc: ['query', name], msg: `String should match pattern '${pattern}'`, input, ctx: {pattern}}]);
}

/** An optional query parameter declared with a regex of choices: null when absent. */
function optionalChoice(query: URLSearchParams, name: string, choices: readonly string[]): string | null {
	const value = query.get(name);
	if (value === null) return null;
	if (!choices.includes(value)) throw patternMismatch(name, value, `^(${choices.join('|')})$`);
	return value;
}

/** What the server records of its Redis message for a reassign or retry: sent, or the broker's failure. */
function redisNotification(ctx: SimContext): string {
	if (ctx.redis.configured && ctx.redis.healthy) return 'sent';
	return `failed: ${ctx.redis.configured ? (ctx.redis.lastError ?? 'connection failed') : 'Redis is not configured'}`;
}

/**
 * GET tasks/queue (dashboard_task_management.py): the open tasks (pending, assigned, in progress, blocked),
 * filtered by status, priority and agent, highest priority first and newest first within one, at most
 * `limit`; the statistics count every open task, whatever the filters.
 */
function taskQueueBody(ctx: SimContext, query: URLSearchParams): Record<string, unknown> {
	const status = optionalChoice(query, 'status_filter', QUEUE_STATUSES);
	const priority = optionalChoice(query, 'priority_filter', PRIORITY_NAMES);
	const agent = query.get('agent_filter');
	const limit = parseIntQuery(query.get('limit'), 'limit', 100, 1, 500);
	const world = ctx.world;
	const live = world.liveTasks();
	const byStatus: Record<string, number> = {};
	const byPriority: Record<string, number> = {};
	const byType: Record<string, number> = {};
	const assignments: Record<string, {name: string; active_tasks: number}> = {};
	let waitMinutes = 0;
	for (const task of live) {
		byStatus[task.status] = (byStatus[task.status] ?? 0) + 1;
		byPriority[task.priority] = (byPriority[task.priority] ?? 0) + 1;
		byType[task.type] = (byType[task.type] ?? 0) + 1;
		if ((task.status === 'assigned' || task.status === 'in_progress') && task.agentId) {
			const row = (assignments[task.agentId] ??= {name: world.agentById.get(task.agentId)?.name ?? `Agent-${task.agentId.slice(-8)}`, active_tasks: 0});
			row.active_tasks++;
		}
		if (task.status === 'pending') waitMinutes += (world.now - task.createdAt) / MINUTE;
	}
	const total = live.length;
	const pending = byStatus.pending ?? 0;
	const tasks = live
		.filter((t) => (status === null || t.status === status) && (priority === null || t.priority === priority) && (!agent || t.agentId === agent))
		.sort((a, b) => PRIORITY_VALUE[b.priority] - PRIORITY_VALUE[a.priority] || b.createdAt - a.createdAt)
		.slice(0, limit)
		.map((t) => ({...taskJson(world, t), wait_time_minutes: (world.now - t.createdAt) / MINUTE, urgency_score: PRIORITY_VALUE[t.priority] / 10}));
	return {
		queue_statistics: {by_status: byStatus, by_priority: byPriority, by_type: byType, agent_assignments: assignments},
		distribution_metrics: {
			total_active_tasks: total,
			distribution_efficiency: (((byStatus.assigned ?? 0) + (byStatus.in_progress ?? 0)) / Math.max(1, total)) * 100,
			average_wait_time_minutes: pending ? waitMinutes / pending : 0,
			unassigned_tasks: pending,
			agent_utilization: Object.keys(assignments).length,
			// Placeholders in the server's code.
			task_throughput: {tasks_per_hour: 0, completion_rate: 0},
		},
		tasks,
		filters_applied: {status, priority, agent, limit},
		last_updated: timeField(world.now, 'queue', 'last_updated'),
	};
}

const OVERRIDE_ACTIONS = ['stop_all_tasks', 'restart_all_agents', 'clear_task_queue', 'force_agent_restart', 'system_maintenance'] as const;
type OverrideAction = (typeof OVERRIDE_ACTIONS)[number];

/**
 * POST system/emergency-override (dashboard_task_management.py): its refusal, its 400 and 404, and what it
 * says it did, worded as its code words them; the effects are the simulated world's.
 */
function emergencyOverride(query: URLSearchParams, ctx: SimContext) {
	const action = requiredQuery(query.get('action'), 'action');
	if (!(OVERRIDE_ACTIONS as readonly string[]).includes(action)) throw patternMismatch('action', action, `^(${OVERRIDE_ACTIONS.join('|')})$`);
	const confirmed = parseBool(query.get('confirm_emergency'), 'confirm_emergency', false);
	if (!confirmed) {
		return jsonReply({
			error: 'Emergency confirmation required',
			message: 'Set confirm_emergency=true to proceed with emergency override',
			action,
			warning: 'This action may disrupt active system operations',
		});
	}
	const reason = query.get('reason') ?? 'Emergency override via dashboard';
	const world = ctx.world;
	const performed: string[] = [];
	const affected: Record<string, unknown> = {};
	switch (action as OverrideAction) {
		case 'stop_all_tasks': {
			const {tasksBlocked} = world.stopAllTasks();
			performed.push(`Stopped ${tasksBlocked} active tasks`);
			affected.tasks_stopped = tasksBlocked;
			break;
		}
		case 'restart_all_agents': {
			const {agentsRestarted} = world.restartAllAgents();
			performed.push(`Set ${agentsRestarted} agents to maintenance mode`);
			affected.agents_restarted = agentsRestarted;
			performed.push(ctx.redis.configured && ctx.redis.healthy ? 'Broadcast restart commands via Redis' : `Redis broadcast failed: ${redisNotification(ctx).slice('failed: '.length)}`);
			break;
		}
		case 'clear_task_queue': {
			const {tasksCancelled} = world.clearTaskQueue();
			performed.push(`Cleared ${tasksCancelled} pending tasks from queue`);
			affected.tasks_cleared = tasksCancelled;
			break;
		}
		case 'force_agent_restart': {
			const target = query.get('target_agent_id');
			if (!target) throw new HttpError(400, 'target_agent_id required for force_agent_restart action');
			const result = world.restartAgent(target, true);
			if ('notFound' in result) throw new HttpError(404, 'Target agent not found');
			// With force the world never refuses; the narrowing is for the type.
			const moved = 'tasksRequeued' in result ? result.tasksRequeued : 0;
			const name = 'agent' in result ? result.agent.name : target;
			performed.push(`Force restarted agent ${name}, reassigned ${moved} tasks`);
			affected.agent_id = target;
			affected.tasks_reassigned = moved;
			break;
		}
		case 'system_maintenance': {
			const {tasksBlocked} = world.stopAllTasks();
			const {agentsRestarted} = world.restartAllAgents();
			performed.push('System maintenance mode activated', `Blocked ${tasksBlocked} active tasks`, `Set ${agentsRestarted} agents to maintenance mode`);
			Object.assign(affected, {maintenance_mode: true, tasks_blocked: tasksBlocked, agents_in_maintenance: agentsRestarted});
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
		recovery_steps: [
			'Monitor system health endpoints for recovery status',
			'Check agent status for maintenance mode exit',
			'Review coordination success rate after recovery',
			'Validate task queue processing resumption',
		],
		warning: 'System may require manual intervention to resume normal operations',
	});
}

/** POST agents/{agent_id}/restart (dashboard_monitoring.py): refused in-band while the agent has work in progress, unless forced. */
function restartAgent(ctx: SimContext, id: string, force: boolean) {
	const result = ctx.world.restartAgent(id, force);
	if ('notFound' in result) throw new HttpError(404, 'Agent not found');
	if ('error' in result) return jsonReply({error: 'Agent has active tasks. Use force=true to restart anyway.', active_tasks: result.activeTasks, agent_id: id});
	return jsonReply({
		success: true,
		agent_id: id,
		agent_name: result.agent.name,
		status: 'restart_initiated',
		active_tasks_reassigned: force ? result.activeTasks : 0,
		timestamp: stamp(ctx.world),
	});
}

const ASSIGNMENT_METHOD = {manual: 'manual_specific', auto_select: 'auto_select_best_available', orchestrator: 'reset_to_pending'} as const;

/** POST tasks/{task_id}/reassign (dashboard_task_management.py). */
function reassignTask(ctx: SimContext, id: string, query: URLSearchParams) {
	const autoSelect = parseBool(query.get('auto_select'), 'auto_select', true);
	const priorityBoost = parseBool(query.get('priority_boost'), 'priority_boost', false);
	const reason = query.get('reason') ?? 'Manual reassignment via dashboard';
	const world = ctx.world;
	const priorityBefore = world.tasks.get(id)?.priority ?? null;
	const result = world.reassignTask(id, {newAgentId: query.get('new_agent_id'), autoSelect, priorityBoost, reason});
	if ('notFound' in result) throw new HttpError(404, 'Task not found');
	if ('badRequest' in result) throw new HttpError(400, result.badRequest);
	const reassignment: Record<string, unknown> = {task_id: id, original_agent_id: result.originalAgent, original_status: result.originalStatus, reason};
	if (result.newAgent === null) {
		reassignment.new_agent_id = null;
	} else {
		reassignment.new_agent_id = result.newAgent.id;
		reassignment.new_agent_name = result.newAgent.name;
	}
	reassignment.assignment_method = ASSIGNMENT_METHOD[result.method];
	if (result.method === 'auto_select' && result.agentLoad !== null) reassignment.agent_task_load = result.agentLoad;
	if (result.boosted && priorityBefore !== null) reassignment.priority_boost = {from: priorityBefore, to: result.task.priority};
	if (result.task.agentId) reassignment.redis_notification = redisNotification(ctx);
	return jsonReply({success: true, reassignment, updated_task: taskJson(world, result.task), timestamp: stamp(world)});
}

/** POST tasks/{task_id}/retry (dashboard_task_management.py). */
function retryTask(ctx: SimContext, id: string, query: URLSearchParams) {
	const resetRetryCount = parseBool(query.get('reset_retry_count'), 'reset_retry_count', false);
	const increasePriority = parseBool(query.get('increase_priority'), 'increase_priority', false);
	const newAgentAssignment = parseBool(query.get('new_agent_assignment'), 'new_agent_assignment', true);
	const reason = query.get('reason') ?? 'Manual retry via dashboard';
	const world = ctx.world;
	const task = world.tasks.get(id);
	const before = task ? {status: task.status, retryCount: task.retryCount, priority: task.priority, error: task.errorMessage, agentId: task.agentId} : null;
	const agentStatusBefore = before?.agentId ? (world.agentById.get(before.agentId)?.status ?? null) : null;
	const result = world.retryTask(id, {resetRetryCount, increasePriority, newAgentAssignment});
	if ('notFound' in result || !before) throw new HttpError(404, 'Task not found');
	if ('badRequest' in result) throw new HttpError(400, result.badRequest);
	const info: Record<string, unknown> = {
		task_id: id,
		original_status: before.status,
		original_retry_count: before.retryCount,
		original_priority: before.priority,
		original_error: before.error,
		reason,
	};
	if (resetRetryCount) info.retry_count_reset = true;
	else info.new_retry_count = result.task.retryCount;
	if (result.priorityIncreased) info.priority_increased = {from: before.priority, to: result.task.priority};
	if (newAgentAssignment) info.agent_reassignment = {original_agent_id: before.agentId, allow_new_assignment: true};
	else if (before.agentId && agentStatusBefore !== 'active') info.agent_reassignment = {reason: 'Original agent not active', original_agent_unavailable: true};
	info.redis_notification = redisNotification(ctx);
	return jsonReply({
		success: true,
		retry_info: info,
		updated_task: taskJson(world, result.task),
		next_steps: [
			'Task reset to pending status',
			newAgentAssignment ? 'Will be picked up by orchestrator for reassignment' : 'Will be reassigned to same agent if available',
			'Monitor task progress in queue status',
		],
		timestamp: stamp(world),
	});
}

export function registerBeehiveRoutes(router: Router): void {
	const r = (name: Parameters<typeof routeOf>[1]) => routeOf('beehive', name);
	const add = (name: Parameters<typeof routeOf>[1], handler: Parameters<Router['add']>[2]) => router.add(r(name).method, r(name).path, handler);

	add('agentsList', (req, ctx) => jsonReply(agentsListBody(ctx.world, parseBool(req.query.get('include_inactive'), 'include_inactive', false))));
	add('heartbeats', (_req, ctx) => jsonReply(heartbeatBody(ctx.world)));
	add('taskQueue', (req, ctx) => jsonReply(taskQueueBody(ctx, req.query)));

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
	add('restartAgent', (req, ctx) => restartAgent(ctx, req.params.id!, parseBool(req.query.get('force'), 'force', false)));
	add('reassignTask', (req, ctx) => reassignTask(ctx, req.params.id!, req.query));
	add('retryTask', (req, ctx) => retryTask(ctx, req.params.id!, req.query));
	// Both analyses answer in the shipped server's shapes, computed in routes-monitoring.ts.
	add('distributionAnalysis', (req, ctx) => jsonReply(distributionBody(ctx.world, parseIntQuery(req.query.get('time_range_hours'), 'time_range_hours', 24, 1, 168))));
	add('weeklyAnalysis', (req, ctx) => jsonReply(successRateBody(ctx.world, parseIntQuery(req.query.get('time_range_hours'), 'time_range_hours', 24, 1, 168))));
}
