// The shipped server's /api/dashboard endpoints (contract §1, beehive profile).
import type {SimContext} from './context.js';
import {HttpError, parseBool, parseIntQuery, validationError} from './http-errors.js';
import {jsonReply, type Router} from './http-server.js';
import {agentsListBody, heartbeatBody, taskJson} from './json-views.js';
import {routeOf} from './route-table.js';
import {restartAgentReply} from './routes-runbook.js';
import {timeField} from './wire-format.js';
import {HOUR, type World} from './world.js';

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

export function registerBeehiveRoutes(router: Router): void {
	const r = (name: Parameters<typeof routeOf>[1]) => routeOf('beehive', name);
	const add = (name: Parameters<typeof routeOf>[1], handler: Parameters<Router['add']>[2]) => router.add(r(name).method, r(name).path, handler);

	add('agentsList', (req, ctx) => jsonReply(agentsListBody(ctx.world, parseBool(req.query.get('include_inactive'), 'include_inactive', false))));
	add('heartbeats', (_req, ctx) => jsonReply(heartbeatBody(ctx.world)));
	add('taskQueue', (req, ctx) => jsonReply(taskQueueBody(ctx, parseIntQuery(req.query.get('limit'), 'limit', 500, 1, 100_000), req.query.get('status'))));

	add('emergencyStop', (req, ctx) => {
		const action = requiredQuery(req.query.get('action'), 'action');
		const confirmed = parseBool(req.query.get('confirm_emergency'), 'confirm_emergency', false);
		if (!confirmed) return jsonReply({error: 'Emergency override requires confirmation: set confirm_emergency=true'});
		if (action === 'stop_all_tasks') {
			const {agentsStopped, tasksBlocked} = ctx.world.emergencyStop();
			return jsonReply({
				success: true,
				action,
				actions_performed: [`Stopped ${agentsStopped} agents`, `Blocked ${tasksBlocked} running tasks`],
				affected_agents: agentsStopped,
				affected_tasks: tasksBlocked,
				recovery_steps: ['Investigate the cause', 'Reset coordination (reset_type=soft) to resume'],
				next_steps: ['POST /api/dashboard/coordination/reset?reset_type=soft&confirm=true'],
				timestamp: stamp(ctx.world),
			});
		}
		if (action === 'restart_all_agents') {
			const result = ctx.world.restartOrchestrator();
			return jsonReply({success: true, action, actions_performed: [`Restarted ${result.agentsRestarted} agents`], affected_agents: result.agentsRestarted, recovery_steps: [], next_steps: [], timestamp: stamp(ctx.world)});
		}
		return jsonReply({error: `Unknown emergency action: ${action}. Valid actions: stop_all_tasks, restart_all_agents`});
	});
	add('restartOrchestrator', (req, ctx) => {
		const resetType = req.query.get('reset_type') ?? 'soft';
		if (resetType !== 'soft' && resetType !== 'hard') {
			throw validationError([{type: 'enum', loc: ['query', 'reset_type'], msg: "Input should be 'soft' or 'hard'", input: resetType, ctx: {expected: "'soft' or 'hard'"}}]);
		}
		if (!parseBool(req.query.get('confirm'), 'confirm', false)) return jsonReply({error: 'Coordination reset requires confirmation: set confirm=true'});
		const result = ctx.world.restartOrchestrator();
		return jsonReply({
			success: true,
			reset_type: resetType,
			actions_performed: ['Coordination state reset', `Re-registered ${result.agentsRestarted} agents`, `Requeued ${result.tasksRequeued} blocked tasks`],
			recovery_steps: ['Agents re-register with the orchestrator', 'Blocked tasks return to the queue'],
			next_steps: ['Watch leanvibe_coordination_success_rate recover'],
			timestamp: stamp(ctx.world),
		});
	});
	add('restartAgent', (req, ctx) => restartAgentReply(ctx, req.params.id!, parseBool(req.query.get('force'), 'force', false)));
	add('reassignTask', (req, ctx) => {
		const result = ctx.world.reassignTask(req.params.id!, req.query.get('new_agent_id'));
		if ('notFound' in result) throw new HttpError(404, result.notFound === 'task' ? 'Task not found' : 'Agent not found');
		if ('error' in result) return jsonReply({error: result.error});
		return jsonReply({success: true, task_id: result.task.id, previous_agent_id: result.previousAgent, new_agent_id: result.newAgent.id, new_agent_name: result.newAgent.name, status: 'assigned', timestamp: stamp(ctx.world)});
	});
	add('retryTask', (req, ctx) => {
		const result = ctx.world.retryTask(req.params.id!);
		if ('notFound' in result) throw new HttpError(404, 'Task not found');
		if ('error' in result) return jsonReply({error: result.error});
		return jsonReply({success: true, task_id: result.task.id, status: 'pending', retry_count: result.task.retryCount, timestamp: stamp(ctx.world)});
	});
	add('distributionAnalysis', (req, ctx) => {
		const hours = parseIntQuery(req.query.get('time_range_hours'), 'time_range_hours', 24, 1, 720);
		const world = ctx.world;
		const since = world.now - hours * HOUR;
		const byStatus: Record<string, number> = {};
		const byType: Record<string, number> = {};
		const byPriority: Record<string, number> = {};
		const byAgent: Record<string, {name: string; total: number; completed: number; failed: number; active: number}> = {};
		let total = 0;
		for (const task of world.tasks.values()) {
			if (task.createdAt < since) continue;
			total++;
			byStatus[task.status] = (byStatus[task.status] ?? 0) + 1;
			byType[task.type] = (byType[task.type] ?? 0) + 1;
			byPriority[task.priority] = (byPriority[task.priority] ?? 0) + 1;
			if (!task.agentId) continue;
			const row = (byAgent[task.agentId] ??= {name: world.agentById.get(task.agentId)?.name ?? 'unknown', total: 0, completed: 0, failed: 0, active: 0});
			row.total++;
			if (task.status === 'completed') row.completed++;
			else if (task.status === 'failed') row.failed++;
			else if (world.live.has(task.id)) row.active++;
		}
		return jsonReply({time_range_hours: hours, total_tasks: total, distribution: {by_status: byStatus, by_type: byType, by_priority: byPriority, by_agent: byAgent}, timestamp: stamp(world)});
	});
	add('weeklyAnalysis', (req, ctx) => {
		const hours = parseIntQuery(req.query.get('time_range_hours'), 'time_range_hours', 24, 1, 192);
		const series = ctx.world.hourlySeries(hours);
		const created = series.reduce((a, h) => a + h.created, 0);
		const completed = series.reduce((a, h) => a + h.completed, 0);
		const failed = series.reduce((a, h) => a + h.failed, 0);
		return jsonReply({
			time_range_hours: hours,
			success_rate: (completed / Math.max(1, created)) * 100,
			total_tasks: created,
			completed_tasks: completed,
			failed_tasks: failed,
			hourly_breakdown: series.map((h) => ({hour: timeField(h.hourStart, 'hourly', 'hour'), total: h.created, completed: h.completed, failed: h.failed, success_rate: (h.completed / Math.max(1, h.created)) * 100})),
			timestamp: stamp(ctx.world),
		});
	});
}
