// Endpoints both profiles share (docs/hive-contract.md, section 1): the three Prometheus endpoints and /health.
import {commonReads} from '../contract/routes.js';
import type {SimContext, StoreHealth} from './context.js';
import {jsonReply, textReply, type Router} from './http-server.js';
import {agentsByStatus, coordinationFigures, prometheusHealthScore, staleActiveAgents, taskCounts} from './metrics.js';
import {writeFamilies, type Family} from './prometheus-text.js';
import {timeField} from './wire-format.js';
import {websocketStats} from './websockets.js';

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

/** The system families of the full and the system endpoints: store connectivity and the API's uptime. */
export function systemFamilies(ctx: SimContext): Family[] {
	return [
		{name: 'leanvibe_database_healthy', help: 'Database connectivity (1=healthy, 0=unhealthy)', samples: storeSample(ctx.database)},
		{name: 'leanvibe_redis_healthy', help: 'Redis connectivity (1=healthy, 0=unhealthy)', samples: storeSample(ctx.redis)},
		{name: 'leanvibe_system_uptime_seconds', help: 'System uptime in seconds', samples: [{value: (Date.now() - ctx.startedAt) / 1000}]},
	];
}

/** The dashboard WebSockets' gauges, from the connections the simulator holds right now. */
export function websocketFamilies(ctx: SimContext): Family[] {
	const stats = websocketStats(ctx);
	return [
		{name: 'leanvibe_websocket_connections_total', help: 'Total number of active WebSocket connections', samples: [{value: stats.totalConnections, kind: 'int'}]},
		{name: 'leanvibe_websocket_connections_active', help: 'Number of active WebSocket connections (active in last 5 minutes)', samples: [{value: stats.activeConnections, kind: 'int'}]},
		{
			name: 'leanvibe_websocket_subscriptions',
			help: 'Number of WebSocket connections by subscription type',
			samples: Object.entries(stats.subscriptionCounts).map(([subscription, n]) => ({labels: {subscription}, value: n, kind: 'int' as const})),
		},
		{name: 'leanvibe_ws_bytes_sent_total', help: 'Total bytes sent over WS', type: 'counter', samples: [{value: stats.bytesSent, kind: 'int'}]},
		{name: 'leanvibe_ws_bytes_received_total', help: 'Total bytes received over WS', type: 'counter', samples: [{value: stats.bytesReceived, kind: 'int'}]},
		{name: 'leanvibe_ws_last_broadcast_fanout', help: 'Last broadcast fanout size', samples: [{value: stats.lastBroadcastFanout, kind: 'int'}]},
	];
}

/** The full endpoint, in the shipped server's order: agents, tasks, coordination, system, WebSockets. */
function allFamilies(ctx: SimContext): Family[] {
	const counts = taskCounts(ctx.world);
	const coordination = coordinationFamilies(ctx);
	const pick = (name: string) => coordination.find((family) => family.name === name)!;
	return [
		...agentFamilies(ctx),
		{name: 'leanvibe_tasks_total', help: 'Total number of tasks by status', samples: Object.entries(counts.byStatus).map(([status, n]) => ({labels: {status}, value: n, kind: 'int' as const}))},
		{name: 'leanvibe_tasks_by_priority', help: 'Tasks by priority', samples: Object.entries(counts.byPriority).map(([priority, n]) => ({labels: {priority}, value: n, kind: 'int' as const}))},
		pick('leanvibe_task_queue_length'),
		pick('leanvibe_tasks_long_running'),
		pick('leanvibe_tasks_completed_per_hour'),
		pick('leanvibe_tasks_failed_per_hour'),
		pick('leanvibe_coordination_success_rate'),
		pick('leanvibe_coordination_avg_completion_time_minutes'),
		pick('leanvibe_coordination_agent_utilization'),
		...systemFamilies(ctx),
		...websocketFamilies(ctx),
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
