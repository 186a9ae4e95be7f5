import {describe, expect, it} from 'vitest';
import {
	agentsListSchema,
	BodyError,
	healthSchema,
	heartbeatsSchema,
	parseBody,
	stuckTasksSchema,
	taskQueueSchema,
} from '../../source/contract/schemas.js';
import {timed} from '../fuzz/budget.js';

const AGENT = {
	id: '3f1c9a2e-0b7d-4c1e-9a55-2d1b6f0e8a11',
	name: 'backend-1',
	type: 'claude',
	role: 'backend_developer',
	status: 'active',
	last_heartbeat: '2025-08-07T10:29:45.12+00:00',
	last_active: '2025-08-07T10:30:00.123456',
	created_at: '2025-08-01T08:00:00Z',
	total_tasks_completed: '12',
	total_tasks_failed: 1,
	average_response_time: '4.25',
	context_window_usage: 0.42,
	health_score: 100,
	response_time_ms: 4250,
	task_success_rate: 92.3,
	current_task: 'Refactor auth',
	error_count: '0',
	current_sleep_state: 'AWAKE',
	tmux_session: null,
};

const LIST = {
	agents: [AGENT, {...AGENT, id: 'b', name: 'qa-1', status: 'inactive', last_heartbeat: null}],
	total_agents: 2,
	active_agents: '1',
	health_summary: {healthy: 1, degraded: 0, unhealthy: 1},
	last_updated: '2025-08-07T10:30:00.5',
};

const ENDPOINT = 'GET /api/v1/agents/status';

describe('agents list', () => {
	it('normalises numbers sent as text and all three timestamp spellings', () => {
		const list = parseBody(ENDPOINT, agentsListSchema, LIST);
		expect(list.activeAgents).toBe(1);
		expect(list.totalAgents).toBe(2);
		const agent = list.agents[0]!;
		expect(agent.tasksCompleted).toBe(12);
		expect(agent.errorCount).toBe(0);
		expect(agent.averageResponseTime).toBe(4.25);
		expect(agent.lastHeartbeat).toBe(Date.UTC(2025, 7, 7, 10, 29, 45, 120));
		expect(agent.lastActive).toBe(Date.UTC(2025, 7, 7, 10, 30, 0, 123));
		expect(agent.createdAt).toBe(Date.UTC(2025, 7, 1, 8));
		expect(list.agents[1]!.lastHeartbeat).toBeNull();
	});

	it('keeps an unknown status from a newer hive', () => {
		const list = parseBody(ENDPOINT, agentsListSchema, {...LIST, agents: [{...AGENT, status: 'hibernating'}]});
		expect(list.agents[0]!.status).toBe('hibernating');
	});

	const cases: Array<[string, unknown, string]> = [
		['a bad timestamp', {...LIST, agents: [AGENT, AGENT, AGENT, {...AGENT, last_heartbeat: 'soon'}]}, 'GET /api/v1/agents/status: agents[3].last_heartbeat: not a timestamp: "soon"'],
		['a counter that is not a number', {...LIST, agents: [{...AGENT, total_tasks_completed: 'abc'}]}, 'agents[0].total_tasks_completed: not a number: "abc"'],
		['an empty numeric string', {...LIST, active_agents: ''}, 'active_agents: not a number: ""'],
		['a name of the wrong type', {...LIST, agents: [{...AGENT, name: 42}]}, 'agents[0].name: expected text, got 42'],
		['a missing id', {...LIST, agents: [{...AGENT, id: undefined}]}, 'agents[0].id: missing (expected an id)'],
		['agents not a list', {...LIST, agents: {}}, 'agents: expected array, got object'],
		['a body that is not an object', [1, 2], '(body): expected object, got array'],
	];
	for (const [what, body, message] of cases) {
		it(`names endpoint and field for ${what}`, () => {
			expect(() => parseBody(ENDPOINT, agentsListSchema, body)).toThrow(BodyError);
			expect(() => parseBody(ENDPOINT, agentsListSchema, body)).toThrow(message);
		});
	}

	it('sanitises what it quotes from the body', () => {
		try {
			parseBody(ENDPOINT, agentsListSchema, {...LIST, total_agents: '\u001b[2J\u001b]0;x\u0007'});
			expect.unreachable();
		} catch (error) {
			expect((error as Error).message).not.toMatch(/[\u0000-\u001f]/);
		}
	});
});

describe('health', () => {
	it('reads components and response times given as numbers or text', () => {
		const health = parseBody('GET /health', healthSchema, {
			status: 'degraded',
			version: '2.0.0',
			timestamp: '2025-08-07T10:30:00Z',
			components: {
				database: {status: 'healthy', details: 'PostgreSQL connection successful', response_time_ms: '<5'},
				redis: {status: 'unhealthy', details: 'Redis connection failed', error: 'Connection refused', response_time_ms: 'unknown'},
				orchestrator: {status: 'healthy', details: {active_agents: 3}, response_time_ms: 12},
				observability: {status: 'not_configured', details: null},
			},
			summary: {healthy: 2, unhealthy: 1, total: 4},
		});
		expect(health.status).toBe('degraded');
		expect(health.components.map((c) => [c.name, c.status, c.responseTime])).toEqual([
			['database', 'healthy', '<5'],
			['redis', 'unhealthy', 'unknown'],
			['orchestrator', 'healthy', '12'],
			['observability', 'not_configured', null],
		]);
		expect(health.components[1]!.error).toBe('Connection refused');
		expect(health.components[2]!.details).toBe('{"active_agents":3}');
	});

	it('accepts a minimal deployment with no components', () => {
		expect(parseBody('GET /health', healthSchema, {status: 'healthy', version: '1.0', ci: true})).toEqual({status: 'healthy', version: '1.0', components: []});
	});

	it('names a component field of the wrong type', () => {
		expect(() => parseBody('GET /health', healthSchema, {status: 'healthy', components: {redis: {status: 3}}})).toThrow('GET /health: components.redis.status: expected text, got 3');
	});
});

describe('heartbeats, task queue, stuck tasks', () => {
	it('reads heartbeats with string ages', () => {
		const hb = parseBody('GET /api/dashboard/agents/heartbeat', heartbeatsSchema, {
			agents: [{agent_id: 'a', name: 'n', status: 'active', last_heartbeat: null, seconds_since_heartbeat: null, is_stale: true, health_status: 'stale'}],
			summary: {total_agents: 1, healthy_agents: 0, stale_heartbeats: '1', overall_health: 'degraded'},
		});
		expect(hb.staleHeartbeats).toBe(1);
		expect(hb.agents[0]).toMatchObject({agentId: 'a', isStale: true, lastHeartbeat: null});
	});

	it('reads the task queue', () => {
		const queue = parseBody('GET /api/dashboard/tasks/queue', taskQueueSchema, {
			queue_statistics: {by_status: {pending: '3', in_progress: 2}, by_priority: {high: 1}, by_type: {}, agent_assignments: {}},
			distribution_metrics: {},
			tasks: [{id: 't1', title: 'Build', task_type: 'feature', status: 'in_progress', priority: 'high', assigned_agent_id: 'a', assigned_agent_name: 'backend-1', retry_count: '1', max_retries: 3, error_message: null, created_at: '2025-08-07T08:00:00', assigned_at: null, started_at: '2025-08-07T08:05:00+00:00', completed_at: null, wait_time_minutes: 5, urgency_score: 0.7}],
			last_updated: '2025-08-07T10:30:00',
		});
		expect(queue.byStatus).toEqual({pending: 3, in_progress: 2});
		expect(queue.tasks[0]).toMatchObject({id: 't1', retryCount: 1, startedAt: Date.UTC(2025, 7, 7, 8, 5)});
	});

	it('reads stuck task ids, and names a bad entry', () => {
		expect(parseBody('GET /api/v1/tasks/stuck', stuckTasksSchema, ['t1', 't2'])).toEqual([{id: 't1', task: null}, {id: 't2', task: null}]);
		expect(() => parseBody('GET /api/v1/tasks/stuck', stuckTasksSchema, ['t1', true])).toThrow('GET /api/v1/tasks/stuck: [1]: not an id: true');
		expect(() => parseBody('GET /api/v1/tasks/stuck', stuckTasksSchema, {tasks: []})).toThrow('(body): expected array, got object');
	});
});

describe('numbers written as text: linear and bounded', () => {
	it('rejects a 150,000-digit success rate quickly (it froze `status` for seconds)', () => {
		const huge = {...LIST, total_agents: `${'9'.repeat(150_000)}!`};
		const {error} = timed('150,000 digits', () => parseBody(ENDPOINT, agentsListSchema, huge), 200);
		expect(error).toBeInstanceOf(BodyError);
		expect(String(error)).toContain('total_agents: not a number: 150001 characters of text');
		const spaced = {...LIST, active_agents: ` ${'1'.repeat(100_000)}x`};
		expect(timed('100,000 digits', () => parseBody(ENDPOINT, agentsListSchema, spaced), 200).error).toBeInstanceOf(BodyError);
	});

	it('reads up to 64 characters of a number and says how long a longer one is', () => {
		const sixtyFour = `1${'0'.repeat(63)}`;
		expect(parseBody(ENDPOINT, agentsListSchema, {...LIST, total_agents: sixtyFour}).totalAgents).toBe(1e63);
		expect(() => parseBody(ENDPOINT, agentsListSchema, {...LIST, total_agents: `${sixtyFour}0`})).toThrow('total_agents: not a number: 65 characters of text (at most 64)');
	});

	it('refuses text that overflows to Infinity, as it refuses a number that does', () => {
		expect(() => parseBody(ENDPOINT, agentsListSchema, {...LIST, total_agents: '1e999'})).toThrow('total_agents: not a finite number: "1e999"');
		for (const text of ['12', ' 12 ', '-1.5', '.5', '5.', '1e3', '+2E-2']) {
			expect(parseBody(ENDPOINT, agentsListSchema, {...LIST, total_agents: text}).totalAgents, text).toBe(Number(text));
		}
		for (const text of ['', '.', 'e5', '1e', '0x10', 'Infinity', 'NaN', '1_000', '١٢']) {
			expect(() => parseBody(ENDPOINT, agentsListSchema, {...LIST, total_agents: text}), text).toThrow(BodyError);
		}
	});
});
