// The shipped server's monitoring, diagnostics and recovery routes under /api/dashboard (beehive profile),
// as its code computes them: the figures come from the simulated world with the server's own definitions
// (its windows, thresholds and scores), so a reply reads like the real server's would for the same hive.
// Route by route, with the server file each comes from: docs/hive-server-routes.md.
import type {SimContext} from './context.js';
import {HttpError, parseBool, parseIntQuery, validationError} from './http-errors.js';
import {jsonReply, textReply, type Router} from './http-server.js';
import {agentJson} from './json-views.js';
import {writeFamilies} from './prometheus-text.js';
import {systemFamilies, websocketFamilies} from './routes-shared.js';
import {timeField} from './wire-format.js';
import {DAY, HOUR, MINUTE, ROLES, type SimAgent, type SimTask, type World} from './world.js';

const P = '/api/dashboard';
const stamp = (world: World, field = 'timestamp') => timeField(world.now, 'monitoring', field);

/** FastAPI's 422 for a query parameter declared with a regex. */
function patternMismatch(name: string, input: string, pattern: string): HttpError {
	return validationError([{type: 'string_pattern_mismatch', loc: ['query', name], msg: `String should match pattern '${pattern}'`, input, ctx: {pattern}}]);
}

function choice<T extends string>(query: URLSearchParams, name: string, choices: readonly T[], fallback: T): T {
	const value = query.get(name);
	if (value === null) return fallback;
	if (!(choices as readonly string[]).includes(value)) throw patternMismatch(name, value, `^(${choices.join('|')})$`);
	return value as T;
}

/** The server reads its tables through the database: with a configured database down, its handlers answer 500. */
function requireDatabase(ctx: SimContext, what: string): void {
	if (ctx.database.configured && !ctx.database.healthy) throw new HttpError(500, `Failed to retrieve ${what}: ${ctx.database.lastError ?? 'database unavailable'}`);
}

const two = (n: number) => String(n).padStart(2, '0');
/** strftime('%H:%M') / ('%H:00') / ('%Y-%m-%d %H:00') of a UTC instant. */
function hhmm(ms: number): string {
	const d = new Date(ms);
	return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}
function dayHour(ms: number): string {
	const d = new Date(ms);
	return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:00`;
}

/** The row's updated_at: a finished task was last written when it finished. */
const updatedAt = (task: SimTask) => task.completedAt ?? task.startedAt ?? task.assignedAt ?? task.createdAt;

/** Failed tasks, most recently written first (the server's `ORDER BY updated_at DESC`). */
function failedTasks(world: World, keep: (task: SimTask) => boolean = () => true): SimTask[] {
	const out: SimTask[] = [];
	for (const task of world.tasks.values()) if (task.status === 'failed' && keep(task)) out.push(task);
	return out.sort((a, b) => updatedAt(b) - updatedAt(a));
}

/** The server's "error pattern": the text before the first colon, else the first `width` characters. */
function errorPattern(message: string, width: number): string {
	const colon = message.indexOf(':');
	return colon >= 0 ? message.slice(0, colon) : message.slice(0, width);
}

function staleFor(world: World, agent: SimAgent, ms: number): boolean {
	return agent.lastHeartbeat === null || world.now - agent.lastHeartbeat > ms;
}

// ------------------------------------------------------------------ coordination metrics

export interface CoordinationMetrics {
	success_rate: number;
	total_tasks: number;
	successful_tasks: number;
	failed_tasks: number;
	pending_tasks: number;
	average_completion_time: number;
	coordination_errors: number;
	last_coordination_failure: string | null;
	trend_direction: 'improving' | 'declining' | 'stable';
}

/** The server's CoordinationMetrics: the last 24 h, with pending counted over every open task (its quirk). */
export function coordinationMetrics(world: World): CoordinationMetrics {
	const day = world.createdWindow(DAY);
	let pending = 0;
	for (const task of world.liveTasks()) if (task.status === 'pending' || task.status === 'assigned' || task.status === 'in_progress') pending++;
	const successRate = (day.completed / Math.max(1, day.created - pending)) * 100;
	const finished = world.finishedWindow(DAY);
	const previous = world.createdBetween(world.now - 2 * DAY, world.now - DAY);
	const previousRate = (previous.completed / Math.max(1, previous.created)) * 100;
	const trend = successRate > previousRate + 5 ? 'improving' : successRate < previousRate - 5 ? 'declining' : 'stable';
	let lastFailure: SimTask | null = null;
	for (const task of world.tasks.values()) {
		if (task.status === 'failed' && (lastFailure === null || updatedAt(task) > updatedAt(lastFailure))) lastFailure = task;
	}
	return {
		success_rate: successRate,
		total_tasks: day.created,
		successful_tasks: day.completed,
		failed_tasks: day.failed,
		pending_tasks: pending,
		average_completion_time: finished.completed ? finished.minutes / finished.completed : 0,
		coordination_errors: day.failed,
		last_coordination_failure: lastFailure?.errorMessage ?? null,
		trend_direction: trend,
	};
}

/** GET coordination/success-rate (dashboard_monitoring.py). */
export function successRateBody(world: World, hours: number): Record<string, unknown> {
	const metrics = coordinationMetrics(world);
	const hourly = [];
	for (let hour = 0; hour < hours; hour++) {
		const start = world.now - (hour + 1) * HOUR;
		const counts = world.createdBetween(start, world.now - hour * HOUR);
		hourly.push({hour: hhmm(start), total_tasks: counts.created, successful_tasks: counts.completed, success_rate: (counts.completed / Math.max(1, counts.created)) * 100});
	}
	const since = world.now - hours * HOUR;
	const patterns: Record<string, number> = {};
	for (const task of failedTasks(world, (t) => t.errorMessage !== null && t.createdAt >= since)) {
		const pattern = errorPattern(task.errorMessage!, 50);
		patterns[pattern] = (patterns[pattern] ?? 0) + 1;
	}
	const rate = metrics.success_rate;
	return {
		current_metrics: metrics,
		time_range_hours: hours,
		hourly_breakdown: hourly,
		failure_patterns: patterns,
		critical_alerts: [
			{
				level: rate < 50 ? 'critical' : rate < 80 ? 'warning' : 'info',
				message: `Coordination success rate is ${rate.toFixed(1)}%`,
				threshold: 'Expected >90%',
				impact: 'Core autonomous development functionality affected',
			},
		],
		recommendations: [
			rate < 30 ? 'Check Redis connectivity and message serialization' : null,
			metrics.failed_tasks > metrics.successful_tasks ? 'Review agent assignment logic' : null,
			metrics.average_completion_time > 30 ? 'Investigate task timeout configurations' : null,
		],
		last_updated: stamp(world, 'last_updated'),
	};
}

// ------------------------------------------------------------------ task distribution

/** GET tasks/distribution (dashboard_task_management.py). */
export function distributionBody(world: World, hours: number): Record<string, unknown> {
	const since = world.now - hours * HOUR;
	const perAgent = new Map<string, number>();
	const perType: Record<string, number> = {};
	const perPriority: Record<string, number> = {};
	for (const task of world.tasks.values()) {
		if (task.createdAt < since) continue;
		if (task.agentId && world.agentById.has(task.agentId)) perAgent.set(task.agentId, (perAgent.get(task.agentId) ?? 0) + 1);
		perType[task.type] = (perType[task.type] ?? 0) + 1;
		perPriority[task.priority] = (perPriority[task.priority] ?? 0) + 1;
	}
	const percentages = <T extends {count: number}>(rows: T[]) => {
		const total = rows.reduce((a, r) => a + r.count, 0);
		return rows.map((r) => ({...r, percentage: (r.count / Math.max(1, total)) * 100}));
	};
	const byAgent = [...perAgent.entries()].sort((a, b) => b[1] - a[1]);
	const agentTotal = byAgent.reduce((a, [, n]) => a + n, 0);
	const agentDistribution = byAgent.map(([id, n]) => ({agent_id: id, agent_name: world.agentById.get(id)!.name, task_count: n, percentage: (n / Math.max(1, agentTotal)) * 100}));
	const typeDistribution = percentages(Object.entries(perType).map(([task_type, count]) => ({task_type, count}))).map(({task_type, count, percentage}) => ({task_type, count, percentage}));
	const priorityDistribution = percentages(Object.entries(perPriority).map(([priority, count]) => ({priority, count}))).map(({priority, count, percentage}) => ({priority, count, percentage}));
	const hourly = [];
	for (let hour = hours - 1; hour >= 0; hour--) {
		const start = world.now - (hour + 1) * HOUR;
		const c = world.createdBetween(start, world.now - hour * HOUR);
		hourly.push({hour: dayHour(start), total_tasks: c.created, completed_tasks: c.completed, failed_tasks: c.failed, success_rate: c.created ? (c.completed / Math.max(1, c.created)) * 100 : 0});
	}
	// Workload: every agent (an outer join), its open tasks and the mean run time of its completed ones.
	const completion = new Map<string, {minutes: number; n: number}>();
	for (const task of world.tasks.values()) {
		if (task.status !== 'completed' || !task.agentId || task.startedAt === null || task.completedAt === null) continue;
		const row = completion.get(task.agentId) ?? {minutes: 0, n: 0};
		row.minutes += (task.completedAt - task.startedAt) / MINUTE;
		row.n++;
		completion.set(task.agentId, row);
	}
	const workload = world.agents
		.map((agent) => {
			const c = completion.get(agent.id);
			const avg = c ? c.minutes / c.n : 0;
			const active = world.activeTaskCount(agent);
			return {agent_id: agent.id, agent_name: agent.name, active_tasks: active, average_completion_minutes: avg, load_score: active * 10 + avg * 0.1};
		})
		.sort((a, b) => b.load_score - a.load_score);
	const scores = workload.map((w) => w.load_score);
	return {
		time_range_hours: hours,
		agent_distribution: agentDistribution,
		type_distribution: typeDistribution,
		priority_distribution: priorityDistribution,
		hourly_timeline: hourly,
		workload_balance: workload,
		distribution_metrics: {
			total_agents_with_tasks: agentDistribution.length,
			most_utilized_agent: agentDistribution[0]?.agent_name ?? null,
			least_utilized_agent: agentDistribution[agentDistribution.length - 1]?.agent_name ?? null,
			workload_variance: scores.length ? Math.max(...scores) - Math.min(...scores) : 0,
			distribution_efficiency: (agentDistribution.filter((a) => a.percentage > 5).length / Math.max(1, agentDistribution.length)) * 100,
		},
		last_updated: stamp(world, 'last_updated'),
	};
}

// ------------------------------------------------------------------ system health

function agentStreams(world: World): number {
	// One stream per agent, the broadcast stream and one per role.
	return world.agents.length + 1 + ROLES.length;
}

/** GET system/health (dashboard_task_management.py). */
export function systemHealthBody(ctx: SimContext, includeHistorical: boolean): Record<string, unknown> {
	requireDatabase(ctx, 'system health');
	const world = ctx.world;
	const since = world.now - HOUR;
	const lastHour = world.createdBetween(since, world.now + 1);
	const database = {total_agents: world.agents.length, total_tasks: world.tasks.size, tasks_last_hour: lastHour.created, status: 'healthy', response_time_ms: '<5'};
	const redis: Record<string, unknown> =
		ctx.redis.configured && ctx.redis.healthy
			? {status: 'healthy', memory_usage: `${(1 + world.agents.length / 200).toFixed(2)}M`, connected_clients: world.agents.length + 2, response_time_ms: '<5', active_streams: agentStreams(world)}
			: {status: 'unhealthy', error: ctx.redis.configured ? (ctx.redis.lastError ?? 'Redis ping failed') : 'Redis is not configured'};
	let active = 0;
	let maintenance = 0;
	let stale = 0;
	for (const agent of world.agents) {
		if (agent.status === 'maintenance') maintenance++;
		if (agent.status !== 'active') continue;
		active++;
		if (staleFor(world, agent, 5 * MINUTE)) stale++;
	}
	const agents = {active_agents: active, maintenance_agents: maintenance, stale_heartbeats: stale, status: stale === 0 ? 'healthy' : stale < 2 ? 'degraded' : 'unhealthy'};
	let pending = 0;
	let inProgress = 0;
	let longRunning = 0;
	for (const task of world.liveTasks()) {
		if (task.status === 'pending') pending++;
		if (task.status !== 'in_progress') continue;
		inProgress++;
		if (task.startedAt !== null && task.startedAt < world.now - 2 * HOUR) longRunning++;
	}
	const recentFailures = world.finishedWindow(HOUR).failed;
	const taskStatus = recentFailures > 10 ? 'unhealthy' : longRunning > 5 ? 'degraded' : 'healthy';
	const tasks = {pending_tasks: pending, in_progress_tasks: inProgress, long_running_tasks: longRunning, recent_failures: recentFailures, status: taskStatus};
	const score = (status: unknown) => (status === 'healthy' ? 100 : status === 'degraded' ? 50 : 0);
	const componentScores = {database: 100, redis: redis.status === 'healthy' ? 100 : 0, agents: score(agents.status), tasks: score(tasks.status)};
	const overall = (componentScores.database + componentScores.redis + componentScores.agents + componentScores.tasks) / 4;
	const alerts = [];
	if (stale > 0) alerts.push({level: stale < 3 ? 'warning' : 'critical', component: 'agents', message: `${stale} agents have stale heartbeats`, action: 'Check agent connectivity and restart if necessary'});
	if (longRunning > 0) alerts.push({level: 'warning', component: 'tasks', message: `${longRunning} tasks have been running for >2 hours`, action: 'Review task progress and consider intervention'});
	if (recentFailures > 5) alerts.push({level: recentFailures > 10 ? 'critical' : 'warning', component: 'tasks', message: `${recentFailures} task failures in the last hour`, action: 'Investigate coordination system and error patterns'});
	let historical: Record<string, unknown> | null = null;
	if (includeHistorical) {
		const rows = [];
		for (let hour = 23; hour >= 0; hour--) {
			const start = world.now - (hour + 1) * HOUR;
			const c = world.createdBetween(start, world.now - hour * HOUR);
			rows.push({hour: dayHour(start), success_rate: c.created ? (c.completed / Math.max(1, c.created)) * 100 : 100, task_volume: c.created});
		}
		historical = {last_24_hours: rows};
	}
	return {
		overall_health: {score: overall, status: overall >= 90 ? 'healthy' : overall >= 70 ? 'degraded' : 'critical', component_scores: componentScores},
		components: {database, redis, agents, tasks},
		alerts,
		historical,
		system_info: {uptime: 'unknown', version: ctx.version, environment: 'development'},
		last_updated: stamp(world, 'last_updated'),
	};
}

// ------------------------------------------------------------------ diagnostics

/** GET coordination/diagnostics (dashboard_monitoring.py): the health score as the server computes it. */
export function diagnosticsBody(ctx: SimContext): Record<string, unknown> {
	requireDatabase(ctx, 'coordination diagnostics');
	const world = ctx.world;
	let orphaned = 0;
	for (const task of world.tasks.values()) if (task.agentId !== null && !world.agentById.has(task.agentId)) orphaned++;
	const database = {
		total_agents: world.agents.length,
		active_agents: world.agents.filter((a) => a.status === 'active').length,
		total_tasks: world.tasks.size,
		orphaned_tasks: orphaned,
	};
	const redis: Record<string, unknown> =
		ctx.redis.configured && ctx.redis.healthy
			? {connectivity: 'healthy', active_streams: agentStreams(world), active_workflows: 0, memory_usage: `${(1 + world.agents.length / 200).toFixed(2)}M`}
			: {error: ctx.redis.configured ? (ctx.redis.lastError ?? 'Redis ping failed') : 'Redis is not configured', connectivity: 'failed'};
	let staleUnassigned = 0;
	let longRunning = 0;
	for (const task of world.liveTasks()) {
		if ((task.status === 'pending' || task.status === 'assigned') && task.createdAt < world.now - 10 * MINUTE) staleUnassigned++;
		if (task.status === 'in_progress' && task.startedAt !== null && task.startedAt < world.now - HOUR) longRunning++;
	}
	const staleAgents = world.agents.filter((a) => a.status === 'active' && staleFor(world, a, 5 * MINUTE)).length;
	const coordination = {stale_unassigned_tasks: staleUnassigned, long_running_tasks: longRunning, agents_with_stale_heartbeats: staleAgents};
	let score = 100;
	if (staleUnassigned > 0) score -= Math.min(20, staleUnassigned * 2);
	if (longRunning > 0) score -= Math.min(15, longRunning * 3);
	if (staleAgents > 0) score -= Math.min(25, staleAgents * 5);
	if (orphaned > 0) score -= Math.min(30, orphaned * 5);
	if (redis.connectivity !== 'healthy') score -= 40;
	const issues = [];
	if (staleUnassigned > 0) issues.push(`${staleUnassigned} tasks pending assignment for >10 minutes`);
	if (longRunning > 0) issues.push(`${longRunning} tasks running for >1 hour`);
	if (staleAgents > 0) issues.push(`${staleAgents} agents with stale heartbeats`);
	return {
		diagnostics: {
			database,
			redis,
			coordination,
			overall_health: {score: Math.max(0, score), status: score >= 90 ? 'healthy' : score >= 70 ? 'degraded' : 'critical', issues},
		},
		timestamp: stamp(world),
		recommendations: [
			staleAgents > 0 ? 'Restart agents with stale heartbeats' : null,
			longRunning > 0 ? 'Investigate long-running tasks' : null,
			redis.connectivity !== 'healthy' ? 'Check Redis connectivity' : null,
			orphaned > 0 ? 'Clean up orphaned tasks' : null,
		],
	};
}

// ------------------------------------------------------------------ failures and logs

function failuresBody(world: World, limit: number, includeResolved: boolean): Record<string, unknown> {
	const failures = failedTasks(world, (t) => includeResolved || t.retryCount < t.maxRetries).slice(0, limit);
	const analysis = {by_type: {} as Record<string, number>, by_agent: {} as Record<string, number>, by_error_pattern: {} as Record<string, number>, by_hour: {} as Record<string, number>};
	const detailed = failures.map((task) => {
		const bump = (table: Record<string, number>, key: string) => (table[key] = (table[key] ?? 0) + 1);
		bump(analysis.by_type, task.type);
		bump(analysis.by_agent, task.agentId ?? 'unassigned');
		if (task.errorMessage) bump(analysis.by_error_pattern, task.errorMessage.includes(':') ? errorPattern(task.errorMessage, 0) : 'generic_error');
		const at = updatedAt(task);
		bump(analysis.by_hour, `${two(new Date(at).getUTCHours())}:00`);
		return {
			task_id: task.id,
			title: task.title,
			type: task.type,
			assigned_agent_id: task.agentId,
			error_message: task.errorMessage,
			retry_count: task.retryCount,
			max_retries: task.maxRetries,
			can_retry: task.retryCount < task.maxRetries,
			priority: task.priority,
			failed_at: timeField(at, task.id, 'updated_at'),
			minutes_since_failure: (world.now - at) / MINUTE,
			recovery_actions: ['retry_task', 'reassign_agent', 'escalate_priority'],
		};
	});
	const top = Object.entries(analysis.by_error_pattern)
		.sort((a, b) => b[1] - a[1])
		.slice(0, 5);
	const mentions = (word: string) => detailed.filter((f) => (f.error_message ?? '').toLowerCase().includes(word)).length;
	return {
		total_failures: failures.length,
		analysis,
		top_error_patterns: top.map(([pattern, count]) => ({pattern, count})),
		detailed_failures: detailed,
		recovery_recommendations: [
			{action: 'Restart affected agents', applicable_to: new Set(detailed.filter((f) => f.assigned_agent_id).map((f) => f.assigned_agent_id)).size, urgency: detailed.length > 10 ? 'high' : 'medium'},
			{action: 'Increase task timeout values', applicable_to: mentions('timeout'), urgency: 'medium'},
			{action: 'Review Redis connection stability', applicable_to: mentions('redis'), urgency: mentions('redis') > 0 ? 'critical' : 'low'},
		],
		last_updated: stamp(world, 'last_updated'),
	};
}

const ERROR_LEVELS = ['all', 'error', 'critical', 'warning'] as const;

/** GET logs/coordination (dashboard_task_management.py): the server's log source is its failed tasks. */
function coordinationLogsBody(world: World, hours: number, level: (typeof ERROR_LEVELS)[number], limit: number): Record<string, unknown> {
	const since = world.now - hours * HOUR;
	const rows = failedTasks(world, (t) => t.errorMessage !== null && updatedAt(t) >= since).slice(0, limit);
	const entries = [];
	const patterns: Record<string, number> = {};
	const hourly: Record<string, number> = {};
	for (const task of rows) {
		const message = task.errorMessage ?? '';
		const lower = message.toLowerCase();
		const entryLevel = lower.includes('critical') || lower.includes('fatal') ? 'critical' : lower.includes('error') ? 'error' : lower.includes('warn') ? 'warning' : 'error';
		if (level !== 'all' && entryLevel !== level) continue;
		const pattern = errorPattern(message, 30);
		patterns[pattern] = (patterns[pattern] ?? 0) + 1;
		const at = updatedAt(task);
		hourly[dayHour(at)] = (hourly[dayHour(at)] ?? 0) + 1;
		entries.push({
			timestamp: timeField(at, task.id, 'updated_at'),
			level: entryLevel,
			component: 'coordination',
			task_id: task.id,
			task_title: task.title,
			agent_id: task.agentId,
			error_message: message,
			context: {task_type: task.type, priority: task.priority, retry_count: task.retryCount, max_retries: task.maxRetries},
		});
	}
	const top = Object.entries(patterns)
		.sort((a, b) => b[1] - a[1])
		.slice(0, 10);
	const recommendations = [];
	const anyPattern = (word: string) => top.some(([p]) => p.toLowerCase().includes(word));
	if (anyPattern('redis')) recommendations.push({issue: 'Redis connectivity issues detected', action: 'Check Redis server health and network connectivity', priority: 'high'});
	if (anyPattern('timeout')) recommendations.push({issue: 'Task timeout errors frequent', action: 'Review task timeout configurations and increase if necessary', priority: 'medium'});
	if (anyPattern('serialization')) recommendations.push({issue: 'Data serialization failures', action: 'Review message payload formats and serialization logic', priority: 'high'});
	return {
		summary: {
			total_errors: entries.length,
			critical_errors: entries.filter((e) => e.level === 'critical').length,
			error_rate_trend: 'stable',
			time_range_hours: hours,
			most_common_pattern: top[0]?.[0] ?? null,
		},
		log_entries: entries,
		error_patterns: top.map(([pattern, count]) => ({pattern, count})),
		hourly_distribution: Object.keys(hourly)
			.sort()
			.map((hour) => ({hour, error_count: hourly[hour]!})),
		recommendations,
		filters_applied: {hours, error_level: level, limit},
		last_updated: stamp(world, 'last_updated'),
	};
}

// ------------------------------------------------------------------ auto-heal

const RECOVERY_TYPES = ['smart', 'aggressive', 'conservative'] as const;
interface PlannedAction {
	type: string;
	description: string;
	impact: 'low' | 'medium' | 'high';
	execute: boolean;
}

/**
 * POST recovery/auto-heal (dashboard_task_management.py). A dry run (the default) returns the plan; a real
 * run performs it with the world's own controls: stuck tasks go back to the queue (a reassign to pending),
 * stale agents are restarted, and the aggressive strategy also deletes the agent streams.
 */
function autoHeal(ctx: SimContext, recoveryType: (typeof RECOVERY_TYPES)[number], dryRun: boolean): Record<string, unknown> {
	requireDatabase(ctx, 'auto-recovery');
	const world = ctx.world;
	const stuck = world.liveTasks().filter((t) => t.status === 'in_progress' && t.startedAt !== null && t.startedAt < world.now - HOUR);
	const stale = world.agents.filter((a) => a.status === 'active' && staleFor(world, a, 10 * MINUTE));
	const failureRate = (world.finishedWindow(HOUR).failed / Math.max(1, world.createdBetween(world.now - HOUR, world.now + 1).created)) * 100;
	const actions: PlannedAction[] = [];
	const execute = !dryRun;
	const resetStuck = () => {
		for (const task of stuck) world.reassignTask(task.id, {autoSelect: false, reason: 'Auto-recovery: Reset stuck task'});
	};
	const restartStale = () => {
		for (const agent of stale) world.restartAgent(agent.id, true);
	};
	if (recoveryType === 'conservative') {
		if (stuck.length > 0) {
			actions.push({type: 'reset_stuck_tasks', description: `Reset ${stuck.length} stuck tasks to pending`, impact: 'low', execute});
			if (execute) resetStuck();
		}
	} else if (recoveryType === 'smart') {
		if (stuck.length > 0) {
			actions.push({type: 'reset_stuck_tasks', description: `Reset ${stuck.length} stuck tasks to pending`, impact: 'medium', execute});
			if (execute) resetStuck();
		}
		if (stale.length > 0) {
			actions.push({type: 'restart_stale_agents', description: `Set ${stale.length} agents to maintenance for restart`, impact: 'medium', execute});
			if (execute) restartStale();
		}
		if (failureRate > 30) {
			actions.push({type: 'coordination_reset', description: 'Reset coordination system due to high failure rate', impact: 'high', execute});
			if (execute) {
				// The server gives the first ten pending tasks a fresh retry budget.
				for (const task of world.liveTasks().filter((t) => t.status === 'pending').slice(0, 10)) {
					task.retryCount = 0;
					if (world.outputs.database) world.dirtyTasks.add(task.id);
				}
			}
		}
	} else {
		actions.push(
			{type: 'reset_all_stuck_tasks', description: `Reset all ${stuck.length} stuck tasks`, impact: 'high', execute},
			{type: 'restart_all_stale_agents', description: `Restart all ${stale.length} stale agents`, impact: 'high', execute},
			{type: 'clear_redis_streams', description: 'Clear Redis message streams', impact: 'high', execute},
		);
		if (execute) {
			resetStuck();
			restartStale();
			if (ctx.redis.configured && ctx.redis.healthy) {
				world.sendBus({kind: 'delete-agent-streams'});
				actions.push({type: 'redis_cleanup_completed', description: `Cleared ${agentStreams(world)} Redis streams`, impact: 'high', execute: true});
			} else {
				const why = ctx.redis.configured ? (ctx.redis.lastError ?? 'connection failed') : 'Redis is not configured';
				actions.push({type: 'redis_cleanup_failed', description: `Failed to clear Redis streams: ${why}`, impact: 'high', execute: true});
			}
		}
	}
	if (execute) world.log('WARNING', 'app.api.dashboard', `Auto-recovery (${recoveryType}): ${stuck.length} stuck tasks, ${stale.length} stale agents`);
	const total = actions.filter((a) => a.execute).length;
	const high = actions.filter((a) => a.impact === 'high' && a.execute).length;
	return {
		actions,
		analysis: {stuck_tasks: stuck.length, stale_agents: stale.length, failure_rate: failureRate},
		dry_run: dryRun,
		recovery_type: recoveryType,
		total_actions: total,
		high_impact_actions: high,
		success_likelihood: Math.min(95, Math.max(20, 80 - high * 15 + total * 5)),
		estimated_recovery_time: `${total * 2} minutes`,
		next_steps: dryRun
			? ['Review recovery plan and execute with dry_run=false', 'Consider manual intervention for high-impact actions', 'Monitor system state before applying changes']
			: ['Monitor system health after recovery actions', 'Check coordination success rate in 10 minutes', 'Verify agent heartbeats are restored', 'Confirm task queue is processing normally'],
		timestamp: stamp(world),
	};
}

// ------------------------------------------------------------------ one agent's metrics

function agentMetricsBody(world: World, agentId: string, hours: number): Record<string, unknown> {
	const agent = world.agentById.get(agentId);
	if (!agent) throw new HttpError(404, 'Agent not found');
	const since = world.now - hours * HOUR;
	const tasks = [...world.tasks.values()].filter((t) => t.agentId === agentId && t.createdAt >= since).sort((a, b) => b.createdAt - a.createdAt);
	const count = (status: string) => tasks.filter((t) => t.status === status).length;
	const completed = count('completed');
	const failed = count('failed');
	const times = tasks.filter((t) => t.status === 'completed' && t.startedAt !== null && t.completedAt !== null).map((t) => (t.completedAt! - t.startedAt!) / MINUTE);
	return {
		agent: agentJson(world, agent),
		time_range_hours: hours,
		metrics: {
			total_tasks: tasks.length,
			completed_tasks: completed,
			failed_tasks: failed,
			in_progress_tasks: count('in_progress'),
			success_rate: (completed / Math.max(1, tasks.length)) * 100,
			average_completion_time_minutes: times.length ? times.reduce((a, b) => a + b, 0) / times.length : 0,
			error_rate: (failed / Math.max(1, tasks.length)) * 100,
		},
		recent_tasks: tasks.slice(0, 10).map((t) => ({
			id: t.id,
			title: t.title,
			status: t.status,
			type: t.type,
			created_at: timeField(t.createdAt, t.id, 'created_at'),
			completed_at: timeField(t.completedAt, t.id, 'completed_at'),
			error_message: t.errorMessage,
		})),
		performance_trends: {hourly_task_completion: [], error_patterns: [], capacity_utilization: agent.contextWindowUsage},
		last_updated: stamp(world, 'last_updated'),
	};
}

// ------------------------------------------------------------------ metrics configuration

function metricsConfigBody(world: World): Record<string, unknown> {
	return {
		endpoints: {all_metrics: `${P}/metrics`, coordination_metrics: `${P}/metrics/coordination`, agent_metrics: `${P}/metrics/agents`, system_metrics: `${P}/metrics/system`},
		metric_types: {
			coordination: ['leanvibe_coordination_success_rate', 'leanvibe_coordination_avg_completion_time_minutes', 'leanvibe_coordination_agent_utilization'],
			agents: ['leanvibe_agents_total', 'leanvibe_agent_health_score', 'leanvibe_agents_stale_heartbeats'],
			tasks: ['leanvibe_tasks_total', 'leanvibe_tasks_by_priority', 'leanvibe_task_queue_length', 'leanvibe_tasks_long_running', 'leanvibe_tasks_completed_per_hour', 'leanvibe_tasks_failed_per_hour'],
			system: ['leanvibe_database_healthy', 'leanvibe_redis_healthy', 'leanvibe_system_uptime_seconds', 'leanvibe_websocket_connections_total', 'leanvibe_websocket_connections_active', 'leanvibe_websocket_subscriptions'],
		},
		alerting_thresholds: {
			coordination_success_rate: {critical: 30, warning: 70, description: 'Success rate below threshold indicates coordination failures'},
			agent_stale_heartbeats: {critical: 3, warning: 1, description: 'Agents with stale heartbeats may be unresponsive'},
			task_queue_length: {critical: 100, warning: 50, description: 'Large queue may indicate processing bottlenecks'},
			long_running_tasks: {critical: 10, warning: 5, description: 'Many long-running tasks may indicate stuck processes'},
		},
		// The simulator computes every scrape afresh, so nothing is ever cached.
		cache_settings: {ttl_seconds: 30, last_cache_time: null},
		format: 'Prometheus text format (version 0.0.4)',
		last_updated: stamp(world, 'last_updated'),
	};
}

export function registerMonitoringRoutes(router: Router): void {
	router.add('GET', `${P}/agents/{id}/metrics`, (req, ctx) => {
		requireDatabase(ctx, 'agent metrics');
		return jsonReply(agentMetricsBody(ctx.world, req.params.id!, parseIntQuery(req.query.get('time_range_hours'), 'time_range_hours', 24, 1, 168)));
	});
	router.add('GET', `${P}/coordination/failures`, (req, ctx) => {
		requireDatabase(ctx, 'coordination failures');
		return jsonReply(failuresBody(ctx.world, parseIntQuery(req.query.get('limit'), 'limit', 50, 1, 200), parseBool(req.query.get('include_resolved'), 'include_resolved', false)));
	});
	router.add('GET', `${P}/coordination/diagnostics`, (_req, ctx) => jsonReply(diagnosticsBody(ctx)));
	router.add('GET', `${P}/coordination/enhanced-metrics`, (_req, ctx) =>
		// The simulated hive has no enhanced coordination bridge: the server's own answer for that case.
		jsonReply({
			status: 'error',
			message: 'Enhanced coordination system not available',
			error: 'Enhanced coordination bridge is not running',
			timestamp: stamp(ctx.world),
			integration_status: 'disconnected',
			autonomous_development_active: false,
		}),
	);
	router.add('GET', `${P}/system/health`, (req, ctx) => jsonReply(systemHealthBody(ctx, parseBool(req.query.get('include_historical'), 'include_historical', false))));
	router.add('POST', `${P}/recovery/auto-heal`, (req, ctx) =>
		jsonReply(autoHeal(ctx, choice(req.query, 'recovery_type', RECOVERY_TYPES, 'smart'), parseBool(req.query.get('dry_run'), 'dry_run', true))),
	);
	router.add('GET', `${P}/logs/coordination`, (req, ctx) => {
		requireDatabase(ctx, 'coordination logs');
		const hours = parseIntQuery(req.query.get('hours'), 'hours', 24, 1, 168);
		const level = choice(req.query, 'error_level', ERROR_LEVELS, 'all');
		return jsonReply(coordinationLogsBody(ctx.world, hours, level, parseIntQuery(req.query.get('limit'), 'limit', 100, 1, 500)));
	});
	router.add('GET', `${P}/metrics/system`, (_req, ctx) => textReply(writeFamilies([...systemFamilies(ctx), ...websocketFamilies(ctx)], ctx.labelRandom)));
	router.add('GET', `${P}/metrics/config`, (_req, ctx) => jsonReply(metricsConfigBody(ctx.world)));
}
