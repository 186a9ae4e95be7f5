// Endpoints both profiles share (contract §1): the three Prometheus endpoints and /health.
import {commonReads} from '../contract/routes.js';
import type {SimContext, StoreHealth} from './context.js';
import {jsonReply, textReply, type Router} from './http-server.js';
import {agentsByStatus, coordinationFigures, prometheusHealthScore, staleActiveAgents, taskCounts} from './metrics.js';
import {writeFamilies, type Family} from './prometheus-text.js';
import {timeField} from './wire-format.js';

function coordinationFamilies(ctx: SimContext): Family[] {
	const f = coordinationFigures(ctx.world);
	return [
		{name: 'leanvibe_coordination_success_rate', help: 'Coordination success rate percentage (last 24h)', samples: [{value: f.successRate}]},
		{name: 'leanvibe_coordination_avg_completion_time_minutes', help: 'Average task completion time in minutes', samples: [{value: f.avgCompletionMinutes}]},
		{name: 'leanvibe_coordination_agent_utilization', help: 'Agent utilization percentage', samples: [{value: f.utilization}]},
		{name: 'leanvibe_task_queue_length', help: 'Number of tasks in queue (pending + assigned)', samples: [{value: f.queueLength, kind: 'int'}]},
		{name: 'leanvibe_tasks_long_running', help: 'Tasks in progress for more than 1 hour', samples: [{value: f.longRunning, kind: 'int'}]},
		{name: 'leanvibe_tasks_completed_per_hour', help: 'Tasks completed in the last hour', samples: [{value: f.completedPerHour, kind: 'int'}]},
		{name: 'leanvibe_tasks_failed_per_hour', help: 'Tasks failed in the last hour', samples: [{value: f.failedPerHour, kind: 'int'}]},
	];
}

function agentFamilies(ctx: SimContext): Family[] {
	const byStatus = agentsByStatus(ctx.world);
	return [
		{name: 'leanvibe_agents_total', help: 'Total number of agents by status', samples: Object.entries(byStatus).map(([status, n]) => ({labels: {status}, value: n, kind: 'int' as const}))},
		{
			name: 'leanvibe_agent_health_score',
			help: 'Agent health score (0-100)',
			samples: ctx.world.agents.map((a) => ({labels: {agent_id: a.id, agent_name: a.name}, value: prometheusHealthScore(a), kind: 'int' as const})),
		},
		{name: 'leanvibe_agents_stale_heartbeats', help: 'Active agents with heartbeat older than 5 minutes', samples: [{value: staleActiveAgents(ctx.world), kind: 'int'}]},
	];
}

function storeSample(store: StoreHealth): Family['samples'] {
	return store.configured ? [{value: store.healthy ? 1 : 0, kind: 'int'}] : [];
}

export function systemHealthy(ctx: SimContext): boolean {
	const storesOk = (!ctx.redis.configured || ctx.redis.healthy) && (!ctx.database.configured || ctx.database.healthy);
	return storesOk && !ctx.world.faults.coordination && !ctx.world.halted;
}

function allFamilies(ctx: SimContext): Family[] {
	const counts = taskCounts(ctx.world);
	const f = coordinationFigures(ctx.world);
	return [
		{name: 'leanvibe_system_healthy', help: 'Overall system health (1=healthy, 0=unhealthy)', samples: [{value: systemHealthy(ctx) ? 1 : 0, kind: 'int'}]},
		...agentFamilies(ctx).filter((family) => family.name !== 'leanvibe_agent_health_score'),
		{name: 'leanvibe_tasks_total', help: 'Total number of tasks by status', samples: Object.entries(counts.byStatus).map(([status, n]) => ({labels: {status}, value: n, kind: 'int' as const}))},
		{name: 'leanvibe_tasks_by_priority', help: 'Tasks by priority', samples: Object.entries(counts.byPriority).map(([priority, n]) => ({labels: {priority}, value: n, kind: 'int' as const}))},
		{name: 'leanvibe_coordination_success_rate', help: 'Coordination success rate percentage (last 24h)', samples: [{value: f.successRate}]},
		{name: 'leanvibe_task_queue_length', help: 'Number of tasks in queue (pending + assigned)', samples: [{value: f.queueLength, kind: 'int'}]},
		{name: 'leanvibe_database_healthy', help: 'Database connectivity (1=healthy, 0=unhealthy)', samples: storeSample(ctx.database)},
		{name: 'leanvibe_redis_healthy', help: 'Redis connectivity (1=healthy, 0=unhealthy)', samples: storeSample(ctx.redis)},
		{name: 'leanvibe_uptime_seconds', help: 'Seconds since the API started', samples: [{value: (Date.now() - ctx.startedAt) / 1000}]},
	];
}

function storeComponent(store: StoreHealth, name: string): Record<string, unknown> {
	if (!store.configured) return {status: 'not_configured', details: `No ${name} configured for this simulator`};
	if (!store.healthy) {
		return {status: 'unhealthy', details: `${name} connection failed`, error: store.lastError ?? 'connection failed', response_time_ms: 'unknown'};
	}
	const ms = store.responseMs;
	const responseTime = ms === null ? 'unknown' : ms < 5 ? '<5' : Math.round(ms * 100) / 100;
	return {status: 'healthy', details: `${name} connection successful`, response_time_ms: responseTime};
}

export function healthBody(ctx: SimContext): Record<string, unknown> {
	const world = ctx.world;
	if (ctx.healthMode === 'minimal') return {status: 'healthy', version: ctx.version, ci: true};
	const orchestratorOk = !world.faults.coordination && !world.halted;
	const components: Record<string, Record<string, unknown>> = {
		database: storeComponent(ctx.database, 'PostgreSQL'),
		redis: storeComponent(ctx.redis, 'Redis'),
		orchestrator: orchestratorOk
			? {status: 'healthy', details: `${world.agents.filter((a) => a.status === 'active' || a.status === 'busy').length} agents registered and active`}
			: {status: 'unhealthy', details: world.halted ? 'Orchestrator halted by emergency stop' : 'Coordination state out of sync', error: world.halted ? 'halted' : 'coordination failure'},
		observability: {status: 'healthy', details: 'Prometheus metrics endpoint available'},
		error_handling: {status: 'healthy', details: 'Error handling middleware active'},
	};
	let healthy = 0;
	let unhealthy = 0;
	for (const c of Object.values(components)) {
		if (c.status === 'healthy') healthy++;
		else if (c.status === 'unhealthy') unhealthy++;
	}
	const status = components.database!.status === 'unhealthy' ? 'unhealthy' : unhealthy > 0 ? 'degraded' : 'healthy';
	return {
		status,
		version: ctx.version,
		timestamp: timeField(world.now, 'health', 'timestamp'),
		components,
		summary: {healthy, unhealthy, total: Object.keys(components).length},
	};
}

export function registerSharedRoutes(router: Router): void {
	router.add(commonReads.coordinationMetrics.method, commonReads.coordinationMetrics.path, (_req, ctx) => textReply(writeFamilies(coordinationFamilies(ctx), ctx.labelRandom)));
	router.add(commonReads.agentMetrics.method, commonReads.agentMetrics.path, (_req, ctx) => textReply(writeFamilies(agentFamilies(ctx), ctx.labelRandom)));
	router.add(commonReads.allMetrics.method, commonReads.allMetrics.path, (_req, ctx) => textReply(writeFamilies(allFamilies(ctx), ctx.labelRandom)));
	router.add(commonReads.health.method, commonReads.health.path, (_req, ctx) => jsonReply(healthBody(ctx)));
}
