// The JSON bodies of agents and tasks as the hive sends them (docs/hive-contract.md, section 3), quirks included: mixed
// timestamp spellings, counters as strings for some agents, response_time_ms as number or text.
import {jsonHealthScore} from './metrics.js';
import {counterField, hashString, timeField} from './wire-format.js';
import {STALE_AFTER_MS, type SimAgent, type SimTask, type World} from './world.js';

export function agentJson(world: World, agent: SimAgent): Record<string, unknown> {
	const current = agent.running.size ? world.tasks.get(agent.running.values().next().value!) : undefined;
	const responseTime = world.responseTime(agent);
	const total = agent.completed + agent.failed;
	const responseMs = Math.round(responseTime * 1000);
	return {
		id: agent.id,
		name: agent.name,
		type: agent.type,
		role: agent.role,
		status: agent.status,
		last_heartbeat: timeField(agent.lastHeartbeat, agent.id, 'last_heartbeat'),
		last_active: timeField(agent.lastActive, agent.id, 'last_active'),
		created_at: timeField(agent.createdAt, agent.id, 'created_at'),
		total_tasks_completed: counterField(agent.completed, agent.id),
		total_tasks_failed: counterField(agent.failed, agent.id),
		average_response_time: responseTime,
		context_window_usage: agent.contextWindowUsage,
		health_score: jsonHealthScore(world, agent),
		response_time_ms: hashString(`${agent.id}:rt`) % 4 === 0 ? String(responseMs) : responseMs,
		task_success_rate: total ? Math.round((agent.completed / total) * 10000) / 100 : null,
		current_task: current?.title ?? null,
		error_count: agent.errorCount,
		current_sleep_state: agent.status === 'sleeping' ? 'SLEEPING' : 'AWAKE',
		tmux_session: agent.tmuxSession,
	};
}

export function agentsListBody(world: World, includeInactive: boolean): Record<string, unknown> {
	const agents: Record<string, unknown>[] = [];
	const summary = {healthy: 0, degraded: 0, unhealthy: 0};
	let active = 0;
	for (const agent of world.agents) {
		if (!includeInactive && agent.status === 'inactive') continue;
		const body = agentJson(world, agent);
		agents.push(body);
		const score = body.health_score as number;
		if (score >= 80) summary.healthy++;
		else if (score >= 50) summary.degraded++;
		else summary.unhealthy++;
		if (agent.status === 'active' || agent.status === 'busy') active++;
	}
	return {
		agents,
		total_agents: agents.length,
		active_agents: active,
		health_summary: summary,
		last_updated: timeField(world.now, 'list', 'last_updated'),
	};
}

export function taskJson(world: World, task: SimTask): Record<string, unknown> {
	const agent = task.agentId ? world.agentById.get(task.agentId) : undefined;
	const waitEnd = task.startedAt ?? (task.completedAt ?? world.now);
	const waitMinutes = Math.max(0, (waitEnd - task.createdAt) / 60000);
	const priorityWeight = {low: 1, medium: 2, high: 3, critical: 4}[task.priority];
	return {
		id: task.id,
		title: task.title,
		task_type: task.type,
		status: task.status,
		priority: task.priority,
		assigned_agent_id: task.agentId,
		assigned_agent_name: agent?.name ?? null,
		retry_count: task.retryCount,
		max_retries: task.maxRetries,
		error_message: task.errorMessage,
		created_at: timeField(task.createdAt, task.id, 'created_at'),
		assigned_at: timeField(task.assignedAt, task.id, 'assigned_at'),
		started_at: timeField(task.startedAt, task.id, 'started_at'),
		completed_at: timeField(task.completedAt, task.id, 'completed_at'),
		wait_time_minutes: Math.round(waitMinutes * 100) / 100,
		urgency_score: Math.round((priorityWeight * 10 + Math.min(60, waitMinutes)) * 100) / 100,
	};
}

/**
 * GET agents/heartbeat (dashboard_monitoring.py): stale means older than 300 s or never seen, whatever the
 * status; an agent is healthy only when its heartbeat is fresh and its status is active, else degraded; the
 * hive is healthy while no heartbeat is stale, else degraded. Agents by name (the server's ORDER BY name).
 */
export function heartbeatBody(world: World): Record<string, unknown> {
	let stale = 0;
	let healthy = 0;
	const byName = [...world.agents].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	const agents = byName.map((agent) => {
		const seconds = agent.lastHeartbeat === null ? null : Math.max(0, Math.round((world.now - agent.lastHeartbeat) / 100) / 10);
		const isStale = agent.lastHeartbeat === null || world.now - agent.lastHeartbeat > STALE_AFTER_MS;
		if (isStale) stale++;
		const healthStatus = !isStale && agent.status === 'active' ? 'healthy' : 'degraded';
		if (healthStatus === 'healthy') healthy++;
		return {
			agent_id: agent.id,
			name: agent.name,
			status: agent.status,
			last_heartbeat: timeField(agent.lastHeartbeat, agent.id, 'last_heartbeat'),
			seconds_since_heartbeat: seconds,
			is_stale: isStale,
			health_status: healthStatus,
		};
	});
	return {
		agents,
		summary: {total_agents: world.agents.length, healthy_agents: healthy, stale_heartbeats: stale, overall_health: stale === 0 ? 'healthy' : 'degraded'},
		last_updated: timeField(world.now, 'heartbeat', 'last_updated'),
	};
}
