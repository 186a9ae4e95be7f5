// Contract tests: every endpoint of both route profiles against the real `simulate` binary, with the
// hive's quirks (docs/hive-contract.md §2-§3), the /_sim control API and the injected faults.
import {spawnSync} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {binPath, startSimulator, type SimulatorService} from '../harness/services.js';
import {Client, gauge, parseProm} from './helpers.js';

const OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$/;
const NAIVE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$/;
const ZULU = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

let sim: SimulatorService;
let c: Client;

beforeAll(async () => {
	sim = await startSimulator({agents: 12, speed: 0, args: ['--seed', '11']});
	c = new Client(sim.url);
});
afterAll(async () => {
	await sim?.stop();
});

describe('shared endpoints', () => {
	it('serves coordination metrics as Prometheus text with HELP and TYPE for every family', async () => {
		const res = await c.raw('GET', '/api/dashboard/metrics/coordination');
		expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
		const prom = parseProm(await res.text());
		for (const name of ['leanvibe_coordination_success_rate', 'leanvibe_coordination_avg_completion_time_minutes', 'leanvibe_coordination_agent_utilization', 'leanvibe_task_queue_length', 'leanvibe_tasks_long_running', 'leanvibe_tasks_completed_per_hour', 'leanvibe_tasks_failed_per_hour']) {
			expect(prom.help.has(name), name).toBe(true);
			expect(prom.types.get(name)).toBe('gauge');
			expect(gauge(prom, name), name).toBeTypeOf('number');
		}
		expect(gauge(prom, 'leanvibe_coordination_success_rate')).toBeGreaterThan(95);
	});

	it('serves agent metrics with per-status totals, health scores of 100 or 20, and the stale count', async () => {
		const prom = await c.prom('/api/dashboard/metrics/agents');
		const totals = prom.samples.filter((s) => s.name === 'leanvibe_agents_total');
		expect(totals.reduce((a, s) => a + s.value, 0)).toBe(12);
		const scores = prom.samples.filter((s) => s.name === 'leanvibe_agent_health_score');
		expect(scores).toHaveLength(12);
		for (const s of scores) {
			expect([100, 20]).toContain(s.value);
			expect(s.labels.agent_id).toMatch(/^[0-9a-f-]{36}$/);
			expect(s.labels.agent_name).toBeTruthy();
		}
		expect(gauge(prom, 'leanvibe_agents_stale_heartbeats')).toBe(0);
	});

	it('varies the order of label sets between scrapes', async () => {
		const orders = new Set<string>();
		for (let i = 0; i < 5; i++) {
			const prom = await c.prom('/api/dashboard/metrics/agents');
			orders.add(prom.samples.filter((s) => s.name === 'leanvibe_agent_health_score').map((s) => s.labels.agent_id).join(','));
		}
		expect(orders.size).toBeGreaterThan(1);
	});

	it('serves the full metrics with task totals, priorities and store families without samples when not configured', async () => {
		const res = await c.raw('GET', '/api/dashboard/metrics');
		const text = await res.text();
		const prom = parseProm(text);
		// The shipped server sends leanvibe_system_healthy only with its error metrics, never in a good scrape.
		expect(gauge(prom, 'leanvibe_system_healthy')).toBeUndefined();
		expect(gauge(prom, 'leanvibe_system_uptime_seconds')).toBeGreaterThanOrEqual(0);
		expect(prom.samples.some((s) => s.name === 'leanvibe_tasks_total' && s.labels.status === 'completed')).toBe(true);
		expect(prom.samples.some((s) => s.name === 'leanvibe_tasks_by_priority')).toBe(true);
		expect(text).toContain('# TYPE leanvibe_redis_healthy gauge');
		expect(gauge(prom, 'leanvibe_redis_healthy')).toBeUndefined();
		expect(gauge(prom, 'leanvibe_database_healthy')).toBeUndefined();
	});

	it('answers /health with components, not_configured stores, and a summary', async () => {
		const {status, body} = await c.get('/health');
		expect(status).toBe(200);
		expect(body.status).toBe('healthy');
		expect(body.components.database.status).toBe('not_configured');
		expect(body.components.redis.status).toBe('not_configured');
		expect(body.components.orchestrator.status).toBe('healthy');
		expect(body.summary).toEqual({healthy: 3, unhealthy: 0, total: 5});
		await c.post('/_sim/health', {mode: 'minimal'});
		expect((await c.get('/health')).body).toEqual({status: 'healthy', version: expect.any(String), ci: true});
		await c.post('/_sim/health', {mode: 'full'});
	});
});

describe('agents list (both profiles)', () => {
	it('has the contract fields, mixes all three timestamp spellings and sends some counters as strings', async () => {
		const {body} = await c.get('/api/v1/agents/status');
		expect(body.total_agents).toBe(12);
		expect(body.active_agents).toBe(12);
		expect(body.health_summary.healthy + body.health_summary.degraded + body.health_summary.unhealthy).toBe(12);
		const stamps = body.agents.flatMap((a: any) => [a.last_heartbeat, a.last_active, a.created_at]);
		expect(stamps.some((s: string) => OFFSET.test(s))).toBe(true);
		expect(stamps.some((s: string) => NAIVE.test(s))).toBe(true);
		expect(stamps.some((s: string) => ZULU.test(s))).toBe(true);
		for (const s of stamps) expect(OFFSET.test(s) || NAIVE.test(s) || ZULU.test(s)).toBe(true);
		expect(body.agents.some((a: any) => typeof a.total_tasks_completed === 'string')).toBe(true);
		expect(body.agents.some((a: any) => typeof a.total_tasks_completed === 'number')).toBe(true);
		expect(body.agents.some((a: any) => typeof a.response_time_ms === 'string')).toBe(true);
		const agent = body.agents[0];
		for (const key of ['id', 'name', 'type', 'role', 'status', 'last_heartbeat', 'last_active', 'created_at', 'total_tasks_completed', 'total_tasks_failed', 'average_response_time', 'context_window_usage', 'health_score', 'response_time_ms', 'task_success_rate', 'current_task', 'error_count', 'current_sleep_state', 'tmux_session']) {
			expect(agent, key).toHaveProperty(key);
		}
		expect(['claude', 'gpt', 'gemini', 'custom']).toContain(agent.type);
	});

	it('beehive hides inactive agents unless include_inactive=true', async () => {
		const local = await startSimulator({agents: 4, speed: 0, args: ['--seed', '3']});
		try {
			const lc = new Client(local.url);
			await lc.post('/api/v1/agents/emergency-stop');
			expect((await lc.get('/api/dashboard/agents/status')).body.total_agents).toBe(0);
			expect((await lc.get('/api/dashboard/agents/status?include_inactive=true')).body.total_agents).toBe(4);
			expect((await lc.get('/api/dashboard/agents/status?include_inactive=maybe')).status).toBe(422);
		} finally {
			await local.stop();
		}
	});
});

describe('beehive reads', () => {
	it('heartbeats: stale means older than 300 s or null, for any status', async () => {
		const {body} = await c.get('/api/dashboard/agents/heartbeat');
		expect(body.summary.total_agents).toBe(12);
		expect(body.summary.stale_heartbeats).toBe(0);
		const hb = body.agents[0];
		for (const key of ['agent_id', 'name', 'status', 'last_heartbeat', 'seconds_since_heartbeat', 'is_stale', 'health_status']) expect(hb).toHaveProperty(key);
	});

	it('task queue wraps tasks with statistics and assignments', async () => {
		const {body} = await c.get('/api/dashboard/tasks/queue');
		expect(body.queue_statistics).toHaveProperty('by_status');
		expect(body.queue_statistics).toHaveProperty('by_priority');
		expect(body.queue_statistics).toHaveProperty('by_type');
		expect(body.queue_statistics).toHaveProperty('agent_assignments');
		expect(body.distribution_metrics).toBeTypeOf('object');
		expect(body.tasks.length).toBeGreaterThan(0);
		const t = body.tasks[0];
		for (const key of ['id', 'title', 'task_type', 'status', 'priority', 'assigned_agent_id', 'assigned_agent_name', 'retry_count', 'max_retries', 'error_message', 'created_at', 'assigned_at', 'started_at', 'completed_at', 'wait_time_minutes', 'urgency_score']) expect(t, key).toHaveProperty(key);
	});

	it('distribution and success-rate analyses', async () => {
		const dist = await c.get('/api/dashboard/tasks/distribution?time_range_hours=24');
		expect(dist.body.time_range_hours).toBe(24);
		// The shipped server's shapes: an agent_distribution list and the CoordinationMetrics under current_metrics.
		expect(dist.body.agent_distribution.reduce((a: number, row: {task_count: number}) => a + row.task_count, 0)).toBeGreaterThan(0);
		const rate = await c.get('/api/dashboard/coordination/success-rate?time_range_hours=168');
		expect(rate.body.hourly_breakdown).toHaveLength(168);
		expect(rate.body.current_metrics.success_rate).toBeGreaterThan(90);
		expect((await c.get('/api/dashboard/coordination/success-rate?time_range_hours=abc')).status).toBe(422);
	});
});

describe('runbook reads and analyses', () => {
	it('stuck tasks is a plain array of ids', async () => {
		const {body} = await c.get('/api/v1/tasks/stuck');
		expect(Array.isArray(body)).toBe(true);
	});

	it('answers the four analyses', async () => {
		expect((await c.get('/api/v1/tasks/distribution-analysis')).body.agents).toHaveLength(12);
		expect((await c.get('/api/v1/coordination/weekly-analysis')).body.daily).toHaveLength(7);
		expect((await c.get('/api/v1/agents/latency-analysis')).body.agents).toHaveLength(12);
		expect((await c.get('/api/v1/tasks/performance-analysis')).body).toHaveProperty('by_type');
	});
});

describe('errors in FastAPI style', () => {
	it('unknown routes 404 with {detail: "Not Found"}, wrong methods 405', async () => {
		expect(await c.get('/api/v1/nope')).toEqual({status: 404, body: {detail: 'Not Found'}});
		expect((await c.json('DELETE', '/health')).status).toBe(405);
	});

	it('unknown agent and task ids 404 with the hive detail', async () => {
		expect(await c.post('/api/v1/agents/00000000-0000-0000-0000-000000000000/restart')).toEqual({status: 404, body: {detail: 'Agent not found'}});
		expect(await c.post('/api/dashboard/agents/nope/restart?force=false')).toEqual({status: 404, body: {detail: 'Agent not found'}});
		expect(await c.post('/api/v1/tasks/nope/cancel')).toEqual({status: 404, body: {detail: 'Task not found'}});
	});

	it('malformed bodies get 422 with a detail list, never a crash', async () => {
		const bad = await c.raw('POST', '/api/v1/agents/scale-up', '{"count": 2', {'content-type': 'application/json'});
		expect(bad.status).toBe(422);
		expect(((await bad.json()) as any).detail[0]).toMatchObject({type: 'json_invalid', loc: ['body', expect.any(Number)]});
		const wrong = await c.post('/api/v1/agents/scale-up', {count: 'many'});
		expect(wrong.status).toBe(422);
		expect(wrong.body.detail[0]).toMatchObject({type: 'int_parsing', loc: ['body', 'count']});
		const missing = await c.json('PUT', '/api/v1/config/heartbeat-interval', {});
		expect(missing.body.detail[0]).toMatchObject({type: 'missing', loc: ['body', 'interval'], msg: 'Field required'});
		// The runbook's curl sends form encoding: FastAPI does not read that as JSON.
		const form = await c.raw('PUT', '/api/v1/config/heartbeat-interval', '{"interval": 30}', {'content-type': 'application/x-www-form-urlencoded'});
		expect(form.status).toBe(422);
		const huge = await c.raw('POST', '/api/v1/agents/scale-up', 'x'.repeat(2 * 1024 * 1024), {'content-type': 'application/json'});
		expect(huge.status).toBe(413);
		expect((await c.get('/health')).status).toBe(200);
	});
});

describe('actions and their replies', () => {
	it('config changes return key, value and previous and change the behaviour', async () => {
		const r = await c.json('PUT', '/api/v1/config/heartbeat-interval', {interval: 120});
		expect(r.body).toEqual({success: true, key: 'heartbeat_interval', value: 120, previous: 30});
		expect((await c.state()).config.heartbeat_interval).toBe(120);
		const t = await c.json('PUT', '/api/v1/config/coordination-timeout', {timeout: 60});
		expect(t.body).toEqual({success: true, key: 'coordination_timeout', value: 60, previous: 30});
		await c.json('PUT', '/api/v1/config/heartbeat-interval', {interval: 30});
	});

	it('scale up adds agents that appear in the list', async () => {
		const r = await c.post('/api/v1/agents/scale-up', {count: 2});
		expect(r.body.success).toBe(true);
		expect(r.body.agents_added).toHaveLength(2);
		const list = await c.get('/api/v1/agents/status');
		expect(list.body.total_agents).toBe(14);
		expect(list.body.agents.map((a: any) => a.id)).toEqual(expect.arrayContaining(r.body.agents_added));
	});

	it('restart of an agent with active tasks is refused as HTTP 200 with {error}; force restarts it', async () => {
		const state = await c.state();
		const busy = state.agents.find((a: any) => a.active_tasks > 0);
		expect(busy).toBeTruthy();
		const refused = await c.post(`/api/dashboard/agents/${busy.id}/restart?force=false`);
		expect(refused.status).toBe(200);
		expect(refused.body).toEqual({error: 'Agent has active tasks. Use force=true to restart anyway.', active_tasks: expect.any(Number), agent_id: busy.id});
		expect(refused.body.active_tasks).toBeGreaterThan(0);
		const forced = await c.post(`/api/v1/agents/${busy.id}/restart?force=true`);
		expect(forced.body).toMatchObject({success: true, status: 'restart_initiated', agent_id: busy.id});
		const during = (await c.get('/api/v1/agents/status')).body.agents.find((a: any) => a.id === busy.id);
		expect(during.status).toBe('maintenance');
		const before = Date.parse((await c.state()).simulated_time);
		await c.advance(15);
		const after = (await c.state()).agents.find((a: any) => a.id === busy.id);
		expect(['active', 'busy']).toContain(after.status);
		expect(after.last_heartbeat_ms).toBeGreaterThanOrEqual(before);
	});

	it('beehive restart of an idle agent succeeds without force: maintenance, then back with a fresh heartbeat', async () => {
		const idle = (await c.state()).agents.find((a: any) => a.active_tasks === 0 && a.status === 'active');
		expect(idle).toBeTruthy();
		const r = await c.post(`/api/dashboard/agents/${idle.id}/restart?force=false`);
		expect(r.body).toEqual({success: true, agent_id: idle.id, agent_name: idle.name, status: 'restart_initiated', active_tasks_reassigned: 0, timestamp: expect.any(String)});
		const listed = (await c.get('/api/dashboard/agents/status?include_inactive=true')).body.agents.find((a: any) => a.id === idle.id);
		expect(listed.status).toBe('maintenance');
		const before = (await c.state()).simulated_epoch_ms;
		await c.advance(15);
		const after = (await c.state()).agents.find((a: any) => a.id === idle.id);
		expect(['active', 'busy']).toContain(after.status);
		expect(after.last_heartbeat_ms).toBeGreaterThanOrEqual(before);
	});

	it('cancel turns a live task cancelled; a second cancel is an in-band error', async () => {
		const queue = await c.get('/api/dashboard/tasks/queue');
		const task = queue.body.tasks[0];
		const r = await c.post(`/api/v1/tasks/${task.id}/cancel`);
		expect(r.body).toMatchObject({success: true, task_id: task.id, previous_status: task.status, status: 'cancelled'});
		expect((await c.post(`/api/v1/tasks/${task.id}/cancel`)).body.error).toMatch(/already cancelled/);
		// The shipped server retries failed or blocked tasks only, and says so with a 400.
		const retry = await c.post(`/api/dashboard/tasks/${task.id}/retry`);
		expect(retry.status).toBe(400);
		expect(retry.body.detail).toBe('Task is not in retryable state. Current status: cancelled');
	});

	it('reassign moves a task to the least-loaded active agent and answers with the reassignment and the updated task', async () => {
		const queue = await c.get('/api/dashboard/tasks/queue');
		const task = queue.body.tasks.find((t: any) => t.assigned_agent_id);
		const r = await c.post(`/api/dashboard/tasks/${task.id}/reassign?reason=${encodeURIComponent('stuck on its agent')}`);
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({
			success: true,
			reassignment: {task_id: task.id, original_agent_id: task.assigned_agent_id, original_status: task.status, reason: 'stuck on its agent', assignment_method: 'auto_select_best_available'},
			updated_task: {id: task.id, status: 'assigned'},
		});
		expect(r.body.reassignment.new_agent_id).not.toBe(task.assigned_agent_id);
		expect(r.body.updated_task.assigned_agent_id).toBe(r.body.reassignment.new_agent_id);
		expect(r.body.updated_task.assigned_agent_name).toBe(r.body.reassignment.new_agent_name);
		expect(typeof r.body.reassignment.agent_task_load).toBe('number');
		// Back to the orchestrator: auto_select=false without a named agent leaves it pending.
		const back = await c.post(`/api/dashboard/tasks/${task.id}/reassign?auto_select=false`);
		expect(back.body).toMatchObject({success: true, reassignment: {new_agent_id: null, assignment_method: 'reset_to_pending'}, updated_task: {status: 'pending', assigned_agent_id: null}});
		expect(back.body.reassignment).not.toHaveProperty('new_agent_name');
		// A named agent counts only with auto_select=false (the server's default auto-select wins), and must
		// be active; an unknown task is a 404.
		const agents = (await c.get('/api/dashboard/agents/status')).body.agents;
		const idle = agents.find((a: any) => a.status === 'active');
		const named = await c.post(`/api/dashboard/tasks/${task.id}/reassign?auto_select=false&new_agent_id=${idle.id}`);
		expect(named.body.reassignment).toMatchObject({new_agent_id: idle.id, assignment_method: 'manual_specific'});
		expect(named.body.reassignment).not.toHaveProperty('agent_task_load');
		const ignored = await c.post(`/api/dashboard/tasks/${task.id}/reassign?new_agent_id=${idle.id}`);
		expect(ignored.body.reassignment.assignment_method).toBe('auto_select_best_available');
		const refused = await c.post(`/api/dashboard/tasks/${task.id}/reassign?auto_select=false&new_agent_id=nobody`);
		expect(refused.status).toBe(400);
		expect(refused.body.detail).toBe('Target agent not found or not active');
		expect((await c.post('/api/dashboard/tasks/00000000-0000-0000-0000-000000000000/reassign')).status).toBe(404);
	});

	it('retry takes failed or blocked tasks back to pending, within the retry limit unless reset', async () => {
		const stop = await c.post('/api/dashboard/system/emergency-override?action=stop_all_tasks&confirm_emergency=true');
		expect(stop.body).toMatchObject({success: true, emergency_action: 'stop_all_tasks', affected_components: {tasks_stopped: expect.any(Number)}});
		expect(stop.body.affected_components.tasks_stopped).toBeGreaterThan(0);
		const blocked = (await c.get('/api/dashboard/tasks/queue?status_filter=blocked&limit=500')).body.tasks;
		expect(blocked.length).toBe(stop.body.affected_components.tasks_stopped);
		const r = await c.post(`/api/dashboard/tasks/${blocked[0].id}/retry?increase_priority=true`);
		expect(r.body).toMatchObject({
			success: true,
			retry_info: {task_id: blocked[0].id, original_status: 'blocked', original_retry_count: blocked[0].retry_count, original_priority: blocked[0].priority, new_retry_count: blocked[0].retry_count + 1, reason: 'Manual retry via dashboard'},
			updated_task: {status: 'pending', retry_count: blocked[0].retry_count + 1, max_retries: 3},
		});
		expect(r.body.retry_info).not.toHaveProperty('retry_count_reset');
		expect(r.body.next_steps).toEqual(['Task reset to pending status', 'Will be picked up by orchestrator for reassignment', 'Monitor task progress in queue status']);
		// At the limit: 400 naming it, unless reset_retry_count.
		const other = blocked[1];
		// The shipped server counts the retry asked for before comparing: at 2 of 3 it already refuses.
		for (let i = other.retry_count; i < 2; i++) {
			expect((await c.post(`/api/dashboard/tasks/${other.id}/retry`)).status).toBe(200);
			// Pending again; put it on an agent and stop everything once more, so it is blocked again.
			expect((await c.post(`/api/dashboard/tasks/${other.id}/reassign`)).body.success).toBe(true);
			await c.post('/api/dashboard/system/emergency-override?action=stop_all_tasks&confirm_emergency=true');
		}
		const atLimit = (await c.get('/api/dashboard/tasks/queue?status_filter=blocked&limit=500')).body.tasks.find((t: any) => t.id === other.id);
		expect(atLimit).toMatchObject({status: 'blocked', retry_count: 2});
		const refused = await c.post(`/api/dashboard/tasks/${other.id}/retry`);
		expect(refused.status).toBe(400);
		expect(refused.body.detail).toBe('Task has exceeded maximum retries (3). Use reset_retry_count=true to force retry.');
		const reset = (await c.post(`/api/dashboard/tasks/${other.id}/retry?reset_retry_count=true`)).body;
		expect(reset.retry_info).toMatchObject({original_retry_count: 2, retry_count_reset: true});
		expect(reset.retry_info).not.toHaveProperty('new_retry_count');
		expect(reset.updated_task.retry_count).toBe(0);
		await c.post('/api/dashboard/coordination/reset?reset_type=soft&confirm=true');
	});

	it('emergency override without confirmation is an in-band error; coordination reset without confirm too', async () => {
		const r = await c.post('/api/dashboard/system/emergency-override?action=stop_all_tasks');
		expect(r.status).toBe(200);
		expect(r.body.error).toMatch(/confirm/);
		expect((await c.post('/api/dashboard/coordination/reset?reset_type=soft')).body.error).toMatch(/confirm/);
		const sideways = await c.post('/api/dashboard/coordination/reset?reset_type=sideways&confirm=true');
		expect(sideways.status).toBe(422);
		expect(sideways.body.detail[0]).toMatchObject({type: 'string_pattern_mismatch', loc: ['query', 'reset_type']});
		expect((await c.post('/api/dashboard/system/emergency-override?confirm_emergency=true')).status).toBe(422);
		expect((await c.post('/api/dashboard/system/emergency-override?action=dance&confirm_emergency=true')).status).toBe(422);
		expect(r.body).toEqual({error: 'Emergency confirmation required', message: 'Set confirm_emergency=true to proceed with emergency override', action: 'stop_all_tasks', warning: 'This action may disrupt active system operations'});
		expect(await c.post('/api/dashboard/system/emergency-override?action=force_agent_restart&confirm_emergency=true')).toEqual({status: 400, body: {detail: 'target_agent_id required for force_agent_restart action'}});
	});

	it('coordination reset: soft, hard and full answer what they did, as the shipped server does', async () => {
		const soft = await c.post('/api/dashboard/coordination/reset?reset_type=soft&confirm=true');
		expect(soft.body).toMatchObject({success: true, reset_type: 'soft', actions_performed: [expect.stringMatching(/^Reset \d+ stuck tasks to pending$/)]});
		expect(soft.body.next_steps).toContain('Check coordination success rate in 5 minutes');
		const hard = await c.post('/api/dashboard/coordination/reset?reset_type=hard&confirm=true');
		expect(hard.body.actions_performed).toEqual([expect.stringMatching(/stuck tasks/), expect.stringMatching(/^Reset \d+ agents to maintenance mode$/), 'Broadcast reset commands via Redis']);
		const agents = (await c.get('/api/dashboard/agents/status?include_inactive=true')).body.agents;
		expect(agents.every((a: any) => a.status === 'maintenance' || a.status === 'inactive')).toBe(true);
		expect(agents.filter((a: any) => a.status === 'maintenance').every((a: any) => a.last_heartbeat === null)).toBe(true);
		const full = await c.post('/api/dashboard/coordination/reset?reset_type=full&confirm=true');
		expect(full.body.actions_performed).toContain('Cleared agent_messages:* Redis message streams');
		await c.advance(120);
		const back = (await c.get('/api/dashboard/agents/status?include_inactive=true')).body.agents;
		expect(back.filter((a: any) => a.status === 'maintenance')).toEqual([]);
	});

	it('emergency override: every action the shipped server knows, with its reply shape', async () => {
		const restart = await c.post('/api/dashboard/system/emergency-override?action=restart_all_agents&confirm_emergency=true&reason=drill');
		expect(restart.body).toMatchObject({success: true, emergency_action: 'restart_all_agents', reason: 'drill', affected_components: {agents_restarted: expect.any(Number)}, warning: expect.any(String)});
		expect(restart.body.recovery_steps.length).toBeGreaterThan(0);
		await c.advance(120);
		// Some pending work to clear: stop everything (nothing is assigned while stopped) and retry two blocked tasks.
		await c.post('/api/dashboard/system/emergency-override?action=stop_all_tasks&confirm_emergency=true');
		for (const t of (await c.get('/api/dashboard/tasks/queue?status_filter=blocked')).body.tasks.slice(0, 2)) await c.post(`/api/dashboard/tasks/${t.id}/retry`);
		const clear = await c.post('/api/dashboard/system/emergency-override?action=clear_task_queue&confirm_emergency=true');
		expect(clear.body.affected_components.tasks_cleared).toBeGreaterThan(0);
		expect(clear.body.actions_performed).toEqual([`Cleared ${clear.body.affected_components.tasks_cleared} pending tasks from queue`]);
		expect((await c.get('/api/dashboard/tasks/queue?status_filter=pending')).body.tasks).toEqual([]);
		const agent = (await c.get('/api/dashboard/agents/status')).body.agents[0];
		const force = await c.post(`/api/dashboard/system/emergency-override?action=force_agent_restart&target_agent_id=${agent.id}&confirm_emergency=true`);
		expect(force.body).toMatchObject({success: true, emergency_action: 'force_agent_restart', affected_components: {agent_id: agent.id, tasks_reassigned: expect.any(Number)}});
		expect((await c.post('/api/dashboard/system/emergency-override?action=force_agent_restart&target_agent_id=nobody&confirm_emergency=true')).status).toBe(404);
		const maintenance = await c.post('/api/dashboard/system/emergency-override?action=system_maintenance&confirm_emergency=true');
		expect(Object.keys(maintenance.body.affected_components).sort()).toEqual(['agents_in_maintenance', 'maintenance_mode', 'tasks_blocked']);
		await c.post('/api/dashboard/coordination/reset?reset_type=soft&confirm=true');
		await c.advance(120);
	});

	it('cleanup removes old completed tasks and update-performance-metrics answers', async () => {
		const before = (await c.state()).tasks.total;
		const r = await c.json('DELETE', '/api/v1/tasks/cleanup?days=7');
		expect(r.body.success).toBe(true);
		expect(r.body.removed).toBeGreaterThan(0);
		expect((await c.state()).tasks.total).toBe(before - r.body.removed);
		expect((await c.json('DELETE', '/api/v1/tasks/cleanup?days=0')).status).toBe(422);
		expect((await c.post('/api/v1/agents/update-performance-metrics')).body).toMatchObject({success: true, agents_updated: 14});
	});
});

describe('/_sim control API', () => {
	it('rejects an unknown scenario with 422 listing the valid ones', async () => {
		const r = await c.post('/_sim/scenario', {name: 'apocalypse'});
		expect(r.status).toBe(422);
		expect(r.body.detail[0].msg).toContain('communication-failure');
	});

	it('advances the simulated clock', async () => {
		const before = (await c.state()).simulated_epoch_ms;
		await c.advance(3600);
		expect((await c.state()).simulated_epoch_ms).toBe(before + 3600_000);
	});

	it('auth: every non-/_sim route needs the bearer token once set', async () => {
		await c.post('/_sim/auth', {token: 's3cret'});
		try {
			const denied = await c.raw('GET', '/health');
			expect(denied.status).toBe(401);
			expect(await denied.json()).toEqual({detail: 'Not authenticated'});
			expect((await c.raw('GET', '/health', undefined, {authorization: 'Bearer wrong'})).status).toBe(401);
			expect((await c.raw('GET', '/health', undefined, {authorization: 'Bearer s3cret'})).status).toBe(200);
			expect((await c.raw('GET', '/_sim/state')).status).toBe(200);
		} finally {
			await c.post('/_sim/auth', {token: null});
		}
		expect((await c.raw('GET', '/health')).status).toBe(200);
	});
});

describe('injected faults', () => {
	it('status-500 for the next N requests only', async () => {
		await c.post('/_sim/fault', {path: '/health', mode: 'status-500', count: 2});
		expect(await c.get('/health')).toEqual({status: 500, body: {detail: 'Internal Server Error'}});
		expect((await c.get('/health')).status).toBe(500);
		expect((await c.get('/health')).status).toBe(200);
	});

	it('malformed-json, wrong-type and malformed-prometheus', async () => {
		await c.post('/_sim/fault', {path: '/api/v1/agents/status', mode: 'malformed-json', count: 1});
		const res = await c.raw('GET', '/api/v1/agents/status');
		expect(res.status).toBe(200);
		await expect(res.json()).rejects.toThrow();
		await c.post('/_sim/fault', {path: '/api/v1/agents/status', mode: 'wrong-type', count: 1});
		const wrong = await c.get('/api/v1/agents/status?x=1');
		expect(Array.isArray(wrong.body.agents)).toBe(false);
		expect(typeof wrong.body.agents).toBe('object');
		await c.post('/_sim/fault', {path: '/api/dashboard/metrics/coordination', mode: 'malformed-prometheus', count: 1});
		const text = await (await c.raw('GET', '/api/dashboard/metrics/coordination')).text();
		expect(() => parseProm(text)).toThrow();
	});

	it('error-metric answers 200 with the endpoint error gauge', async () => {
		await c.post('/_sim/fault', {path: '/api/dashboard/metrics/coordination', mode: 'error-metric'});
		await c.post('/_sim/fault', {path: '/api/dashboard/metrics/agents', mode: 'error-metric'});
		await c.post('/_sim/fault', {path: '/api/dashboard/metrics', mode: 'error-metric'});
		expect(gauge(await c.prom('/api/dashboard/metrics/coordination'), 'leanvibe_coordination_metrics_error')).toBe(1);
		expect(gauge(await c.prom('/api/dashboard/metrics/agents'), 'leanvibe_agent_metrics_error')).toBe(1);
		const all = await c.prom('/api/dashboard/metrics');
		expect(gauge(all, 'leanvibe_metrics_generation_errors')).toBe(1);
		expect(gauge(all, 'leanvibe_system_healthy')).toBe(0);
		expect((await c.get('/_sim/fault')).body.faults).toHaveLength(3);
		await c.json('DELETE', '/_sim/fault');
		expect(gauge(await c.prom('/api/dashboard/metrics/coordination'), 'leanvibe_coordination_metrics_error')).toBeUndefined();
	});

	it('hang never answers until the client gives up, and leaves nothing behind', async () => {
		await c.post('/_sim/fault', {path: '/health', mode: 'hang', count: 3});
		for (let i = 0; i < 3; i++) {
			await expect(fetch(`${sim.url}/health`, {signal: AbortSignal.timeout(300)})).rejects.toThrow();
		}
		expect((await c.get('/health')).status).toBe(200);
	});

	it('slow answers after delayMs', async () => {
		await c.post('/_sim/fault', {path: '/health', mode: 'slow', count: 1, delayMs: 400});
		await expect(fetch(`${sim.url}/health`, {signal: AbortSignal.timeout(100)})).rejects.toThrow();
		await c.post('/_sim/fault', {path: '/health', mode: 'slow', count: 1, delayMs: 200});
		expect((await c.get('/health')).status).toBe(200);
	});

	it('rejects an unknown fault mode with 422', async () => {
		const r = await c.post('/_sim/fault', {path: '/health', mode: 'explode'});
		expect(r.status).toBe(422);
		expect(r.body.detail[0].msg).toContain('status-500');
	});
});

describe('the command line', () => {
	it('bad flag values exit 64 with a clear message', () => {
		const scenario = spawnSync(process.execPath, [binPath, 'simulate', '--port', '0', '--scenario', 'doom'], {encoding: 'utf8'});
		expect(scenario.status).toBe(64);
		expect(scenario.stderr).toMatch(/--scenario: unknown scenario "doom"; choose one of healthy, coordination-critical/);
		const agents = spawnSync(process.execPath, [binPath, 'simulate', '--port', '0', '--agents', '-3'], {encoding: 'utf8'});
		expect(agents.status).toBe(64);
		expect(agents.stderr).toMatch(/--agents/);
		const redis = spawnSync(process.execPath, [binPath, 'simulate', '--port', '0', '--redis', 'http://user:pw@x'], {encoding: 'utf8'});
		expect(redis.status).toBe(64);
		expect(redis.stderr).not.toContain('pw');
	});

	it('SIGTERM and SIGINT close cleanly with exit 0', async () => {
		for (const signal of ['SIGTERM', 'SIGINT'] as const) {
			const s = await startSimulator({speed: 5});
			const exit = new Promise<number | null>((resolve) => s.process.once('exit', (code) => resolve(code)));
			s.process.kill(signal);
			expect(await exit).toBe(0);
		}
	});
});
