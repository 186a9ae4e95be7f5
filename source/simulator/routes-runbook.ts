// The runbook profile's /api/v1 endpoints (docs/hive-contract.md, section 1): reads, actions and analyses.
import {z} from 'zod';
import type {SimContext} from './context.js';
import {HttpError, laxInt, parseBody, parseBool, parseIntQuery} from './http-errors.js';
import {jsonReply, type Router} from './http-server.js';
import {agentsListBody} from './json-views.js';
import {coordinationFigures} from './metrics.js';
import {routeOf} from './route-table.js';
import {timeField} from './wire-format.js';
import {DAY, type World} from './world.js';

const stamp = (world: World) => timeField(world.now, 'action', 'timestamp');

export function restartAgentReply(ctx: SimContext, id: string, force: boolean) {
	const result = ctx.world.restartAgent(id, force);
	if ('notFound' in result) throw new HttpError(404, 'Agent not found');
	if ('error' in result) return jsonReply({error: result.error});
	return jsonReply({
		success: true,
		agent_id: id,
		status: 'restart_initiated',
		message: `Agent ${result.agent.name} restart initiated`,
		actions_performed: [`Agent set to maintenance`, ...(result.tasksRequeued ? [`${result.tasksRequeued} task(s) returned to the queue`] : []), 'Restart message sent on agent stream'],
		active_tasks_reassigned: result.tasksRequeued,
		timestamp: stamp(ctx.world),
	});
}

export function distributionRows(world: World) {
	return world.agents.map((a) => ({agent_id: a.id, name: a.name, status: a.status, active_tasks: world.activeTaskCount(a), completed: a.completed, failed: a.failed}));
}

export function registerRunbookRoutes(router: Router): void {
	const r = (name: Parameters<typeof routeOf>[1]) => routeOf('runbook', name);
	const add = (name: Parameters<typeof routeOf>[1], handler: Parameters<Router['add']>[2]) => router.add(r(name).method, r(name).path, handler);

	add('agentsList', (_req, ctx) => jsonReply(agentsListBody(ctx.world, true)));
	add('stuckTasks', (_req, ctx) => jsonReply(ctx.world.longRunning().map((t) => t.id)));

	add('emergencyStop', (_req, ctx) => {
		const {agentsStopped, tasksBlocked} = ctx.world.emergencyStop();
		return jsonReply({
			success: true,
			action: 'emergency_stop',
			actions_performed: [`Stopped ${agentsStopped} agents`, `Blocked ${tasksBlocked} running tasks`, 'Broadcast emergency_stop'],
			agents_stopped: agentsStopped,
			tasks_blocked: tasksBlocked,
			timestamp: stamp(ctx.world),
		});
	});
	add('restartOrchestrator', (_req, ctx) => {
		const result = ctx.world.restartOrchestrator();
		return jsonReply({
			success: true,
			action: 'restart_orchestrator',
			actions_performed: ['Orchestrator restarted', `Re-registering ${result.agentsRestarted} agents`, `Requeued ${result.tasksRequeued} blocked tasks`, ...(result.duplicatesMerged ? [`Merged ${result.duplicatesMerged} duplicate submissions`] : [])],
			agents_restarted: result.agentsRestarted,
			tasks_requeued: result.tasksRequeued,
			timestamp: stamp(ctx.world),
		});
	});
	add('restartAgent', (req, ctx) => restartAgentReply(ctx, req.params.id!, parseBool(req.query.get('force'), 'force', false)));
	add('cancelTask', (req, ctx) => {
		const result = ctx.world.cancelTask(req.params.id!);
		if ('notFound' in result) throw new HttpError(404, 'Task not found');
		if ('error' in result) return jsonReply({error: result.error});
		return jsonReply({success: true, task_id: result.task.id, previous_status: result.previousStatus, status: 'cancelled', timestamp: stamp(ctx.world)});
	});
	add('rebalance', (_req, ctx) => {
		const result = ctx.world.rebalance();
		return jsonReply({
			success: true,
			action: 'rebalance',
			tasks_moved: result.tasksMoved,
			actions_performed: [`Moved ${result.tasksMoved} queued tasks to less loaded agents`, 'Assignment ranking recomputed'],
			timestamp: stamp(ctx.world),
		});
	});
	add('refreshRedisPools', (_req, ctx) => {
		ctx.world.refreshRedisPools();
		ctx.refreshRedis();
		return jsonReply({
			success: true,
			action: 'refresh_redis_pools',
			actions_performed: ['Closed Redis connection pool', 'Opened new Redis connection pool'],
			timestamp: stamp(ctx.world),
		});
	});
	add('scaleUp', (req, ctx) => {
		const {count} = parseBody(z.object({count: laxInt.pipe(z.number().min(1).max(100))}), req.body);
		const added = ctx.world.scaleUp(count);
		return jsonReply({success: true, action: 'scale_up', agents_added: added.map((a) => a.id), total_agents: ctx.world.agents.length, timestamp: stamp(ctx.world)});
	});
	// The two config endpoints differ only in their names: {"interval": 30} and {"timeout": 60}.
	const configSetter = (field: 'interval' | 'timeout', key: 'heartbeat_interval' | 'coordination_timeout', setting: 'heartbeatInterval' | 'coordinationTimeout', label: string) =>
		((req, ctx) => {
			const value = (parseBody(z.object({[field]: laxInt.pipe(z.number().min(1).max(3600))}), req.body) as Record<string, number>)[field]!;
			const previous = ctx.world.config[setting];
			ctx.world.config[setting] = value;
			ctx.world.log('INFO', 'app.api.config', `${label} changed from ${previous}s to ${value}s`);
			return jsonReply({success: true, key, value, previous});
		}) satisfies Parameters<Router['add']>[2];
	add('setHeartbeatInterval', configSetter('interval', 'heartbeat_interval', 'heartbeatInterval', 'Heartbeat interval'));
	add('setCoordinationTimeout', configSetter('timeout', 'coordination_timeout', 'coordinationTimeout', 'Coordination timeout'));
	add('cleanupTasks', (req, ctx) => {
		const days = parseIntQuery(req.query.get('days'), 'days', 7, 1, 3650);
		const result = ctx.world.cleanup(days);
		return jsonReply({success: true, action: 'cleanup_tasks', days, removed: result.removed, actions_performed: [`Removed ${result.removed} completed tasks older than ${days} days`], timestamp: stamp(ctx.world)});
	});
	add('updatePerformanceMetrics', (_req, ctx) => {
		const n = ctx.world.updatePerformanceMetrics();
		return jsonReply({success: true, action: 'update_performance_metrics', agents_updated: n, timestamp: stamp(ctx.world)});
	});

	add('distributionAnalysis', (_req, ctx) => {
		const rows = distributionRows(ctx.world);
		const loads = rows.filter((row) => row.status === 'active' || row.status === 'busy').map((row) => row.active_tasks);
		const max = loads.length ? Math.max(...loads) : 0;
		const min = loads.length ? Math.min(...loads) : 0;
		const mean = loads.length ? loads.reduce((a, b) => a + b, 0) / loads.length : 0;
		return jsonReply({
			agents: rows,
			total_active_tasks: loads.reduce((a, b) => a + b, 0),
			max_tasks_per_agent: max,
			min_tasks_per_agent: min,
			average_tasks_per_agent: Math.round(mean * 100) / 100,
			imbalance_ratio: mean ? Math.round((max / mean) * 100) / 100 : 0,
			recommendations: max > 2 * Math.max(1, mean) ? ['Uneven distribution: run POST /api/v1/coordination/rebalance'] : [],
			timestamp: stamp(ctx.world),
		});
	});
	add('weeklyAnalysis', (_req, ctx) => {
		const series = ctx.world.hourlySeries(7 * 24);
		const daily = [];
		for (let d = 0; d < 7; d++) {
			const day = series.slice(d * 24, d * 24 + 24);
			const created = day.reduce((a, h) => a + h.created, 0);
			const completed = day.reduce((a, h) => a + h.completed, 0);
			const failed = day.reduce((a, h) => a + h.failed, 0);
			daily.push({date: timeField(day[0]!.hourStart, 'weekly', 'date')!.slice(0, 10), created, completed, failed, success_rate: (completed / Math.max(1, created)) * 100});
		}
		const week = ctx.world.createdWindow(7 * DAY);
		return jsonReply({period_days: 7, success_rate: (week.completed / Math.max(1, week.created)) * 100, total_tasks: week.created, daily, timestamp: stamp(ctx.world)});
	});
	add('latencyAnalysis', (_req, ctx) => {
		const rows = ctx.world.agents.map((a) => ({agent_id: a.id, name: a.name, status: a.status, average_response_time: ctx.world.responseTime(a)}));
		const times = rows.map((row) => row.average_response_time).sort((a, b) => a - b);
		const avg = times.length ? times.reduce((a, b) => a + b, 0) / times.length : 0;
		return jsonReply({
			agents: rows,
			average_response_time: Math.round(avg * 1000) / 1000,
			p95_response_time: times.length ? times[Math.min(times.length - 1, Math.floor(times.length * 0.95))] : null,
			slow_agents: rows.filter((row) => row.average_response_time > 10).map((row) => row.agent_id),
			timestamp: stamp(ctx.world),
		});
	});
	add('performanceAnalysis', (_req, ctx) => {
		const f = coordinationFigures(ctx.world);
		const byType: Record<string, {completed: number; failed: number; in_progress: number}> = {};
		for (const task of ctx.world.tasks.values()) {
			const row = (byType[task.type] ??= {completed: 0, failed: 0, in_progress: 0});
			if (task.status === 'completed') row.completed++;
			else if (task.status === 'failed') row.failed++;
			else if (task.status === 'in_progress') row.in_progress++;
		}
		return jsonReply({
			avg_completion_time_minutes: Number.isNaN(f.avgCompletionMinutes) ? null : f.avgCompletionMinutes,
			completed_per_hour: f.completedPerHour,
			failed_per_hour: f.failedPerHour,
			long_running_tasks: f.longRunning,
			by_type: byType,
			timestamp: stamp(ctx.world),
		});
	});
}
