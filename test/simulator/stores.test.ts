// The simulator with a real redis-server and a real PostgreSQL (from the harness): streams, groups and
// pending counts that agents really produce, rows written with ordinary SQL, pg_stat_statements filling,
// and stores that go away and come back without stopping the simulator.
import {Redis} from 'ioredis';
import pg from 'pg';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startPostgres, startRedis, startSimulator, type PostgresService, type RedisService, type SimulatorService} from '../harness/services.js';
import {Client, gauge, problemAgents, until} from './helpers.js';

let redisService: RedisService;
let pgService: PostgresService;
let dbUrl: string;
let sim: SimulatorService;
let c: Client;
let redis: Redis;
let db: pg.Pool;

function fields(list: string[]): Record<string, string> {
	const out: Record<string, string> = {};
	for (let i = 0; i < list.length; i += 2) out[list[i]!] = list[i + 1]!;
	return out;
}

async function groups(stream: string): Promise<Array<Record<string, unknown>>> {
	const reply = (await redis.xinfo('GROUPS', stream)) as unknown[][];
	return reply.map((g) => {
		const out: Record<string, unknown> = {};
		for (let i = 0; i < g.length; i += 2) out[String(g[i])] = g[i + 1];
		return out;
	});
}

/** The runbook's `redis-cli INFO clients`, read by field name. */
async function infoClients(): Promise<Record<string, number>> {
	const out: Record<string, number> = {};
	for (const line of (await redis.info('clients')).split('\r\n')) {
		const [key, value] = line.split(':');
		if (key && value !== undefined) out[key] = Number(value);
	}
	return out;
}

async function pending(agentId: string): Promise<number> {
	const [count] = (await redis.xpending(`agent_messages:${agentId}`, `group_${agentId}`)) as [number];
	return Number(count);
}

beforeAll(async () => {
	[redisService, pgService] = await Promise.all([startRedis(), startPostgres()]);
	dbUrl = await pgService.createDatabase();
	sim = await startSimulator({redis: redisService.url, database: dbUrl, agents: 6, speed: 0, args: ['--seed', '5']});
	c = new Client(sim.url);
	redis = new Redis(redisService.url, {maxRetriesPerRequest: 1, lazyConnect: false});
	redis.on('error', () => undefined);
	db = new pg.Pool({connectionString: dbUrl, max: 2});
	db.on('error', () => undefined);
});

afterAll(async () => {
	await sim?.stop();
	redis?.disconnect();
	await db?.end();
	await redisService?.cleanup();
	await pgService?.cleanup();
});

describe('Redis streams', () => {
	it('creates per-agent streams with group_{id}, broadcast, role streams and agent_events', async () => {
		const state = await c.state();
		for (const agent of state.agents) {
			const g = await until(`group for ${agent.id}`, async () => (await groups(`agent_messages:${agent.id}`).catch(() => []))[0]);
			expect(g.name).toBe(`group_${agent.id}`);
		}
		expect((await groups('agent_messages:broadcast'))[0]!.name).toBe('broadcast_consumers');
		expect((await groups('agent_messages:backend_engineers'))[0]!.name).toBe('backend_engineers_consumers');
		expect((await groups('agent_events'))[0]!.name).toBe('event_processors');
	});

	it('healthy agents read and acknowledge what they are sent', async () => {
		await c.advance(600);
		const state = await c.state();
		await until('every agent has read all it was sent and acknowledged it', async () => {
			let delivered = 0;
			for (const agent of state.agents) {
				const g = (await groups(`agent_messages:${agent.id}`))[0]!;
				if (Number(g.pending) !== 0 || Number(g.lag) !== 0) return false;
				delivered += Number(g['entries-read'] ?? 0);
			}
			return delivered > 0;
		});
	});

	it('sick agents stop acknowledging: pending and lag grow; refresh + restart drains them', async () => {
		await c.scenario('communication-failure');
		await c.advance(300);
		const sick = (await c.state()).agents.filter((a: any) => a.sick).map((a: any) => a.id as string);
		expect(sick.length).toBeGreaterThan(0);
		const first = await until('pending on a sick agent', async () => ((await pending(sick[0]!)) > 0 ? pending(sick[0]!) : null));
		await c.advance(600);
		await until('pending grows', async () => (await pending(sick[0]!)) > first);
		const g = (await groups(`agent_messages:${sick[0]}`))[0]!;
		expect(Number(g.lag)).toBeGreaterThan(0);

		await c.post('/api/v1/redis/refresh-pools');
		const now = (await c.state()).simulated_epoch_ms;
		for (const id of problemAgents((await c.get('/api/v1/agents/status')).body, now)) {
			expect((await c.post(`/api/v1/agents/${id}/restart`)).body.success).toBe(true);
		}
		// The restart message is on the agent's stream, as the contract says.
		const restartMessage = await until('restart message on the stream', async () => {
			const entries = (await redis.xrevrange(`agent_messages:${sick[0]}`, '+', '-', 'COUNT', 5)) as Array<[string, string[]]>;
			return entries.map(([, f]) => fields(f)).find((f) => f.type === 'restart');
		});
		expect(restartMessage).toMatchObject({from_agent: 'orchestrator', to_agent: sick[0], message_id: expect.any(String), correlation_id: expect.any(String)});
		await c.advance(30);
		await until('backlog drained after restart', async () => {
			for (const id of sick) if ((await pending(id)) !== 0) return false;
			return true;
		});
	});

	it("INFO clients shows the leaking pool under communication-failure; refresh pools closes it", async () => {
		await c.scenario('healthy');
		const base = await until('a calm baseline', async () => {
			const info = await infoClients();
			return info.blocked_clients === 0 ? info : null;
		});
		await c.scenario('communication-failure');
		const leaking = await until('blocked pool connections', async () => {
			const info = await infoClients();
			return info.blocked_clients >= 4 && info.connected_clients >= base.connected_clients! + 4 ? info : null;
		});
		expect(leaking.blocked_clients).toBeGreaterThanOrEqual(4);
		await c.post('/api/v1/redis/refresh-pools');
		await until('pool connections closed', async () => {
			const info = await infoClients();
			return info.blocked_clients === 0 && info.connected_clients <= base.connected_clients! ? info : null;
		});
	});

	it('switching to healthy (the reset) reconnects sick agents: their backlog drains without a restart', async () => {
		await c.scenario('communication-failure');
		await c.advance(300);
		const sick = (await c.state()).agents.filter((a: any) => a.sick).map((a: any) => a.id as string);
		await until('a backlog on every sick agent', async () => {
			for (const id of sick) if ((await pending(id)) === 0) return false;
			return true;
		});
		await c.scenario('healthy');
		await until('backlog drained after the reset', async () => {
			for (const id of sick) if ((await pending(id)) !== 0) return false;
			return true;
		});
	});

	it('a cancel is XADDed to the agent stream', async () => {
		await c.scenario('healthy');
		const queue = (await c.get('/api/dashboard/tasks/queue')).body;
		const task = queue.tasks.find((t: any) => t.assigned_agent_id);
		expect(task).toBeTruthy();
		await c.post(`/api/v1/tasks/${task.id}/cancel`);
		await until('task_cancelled message', async () => {
			const entries = (await redis.xrevrange(`agent_messages:${task.assigned_agent_id}`, '+', '-', 'COUNT', 20)) as Array<[string, string[]]>;
			return entries.some(([, f]) => fields(f).type === 'task_cancelled' && JSON.parse(fields(f).payload!).task_id === task.id);
		});
	});
});

describe('PostgreSQL', () => {
	it('writes agents, tasks and events with counters as text; pg_stat_statements fills', async () => {
		await until('agents rows', async () => (await db.query('SELECT count(*)::int AS n FROM agents')).rows[0].n === 6);
		const types = await db.query("SELECT data_type FROM information_schema.columns WHERE table_name = 'agents' AND column_name = 'total_tasks_completed'");
		expect(types.rows[0].data_type).toBe('text');
		await until('task rows', async () => (await db.query("SELECT count(*)::int AS n FROM tasks WHERE status = 'completed'")).rows[0].n > 100);
		await until('agent events', async () => (await db.query('SELECT count(*)::int AS n FROM agent_events')).rows[0].n > 0);
		await c.post('/api/v1/agents/scale-up', {count: 1});
		await until('new agent row', async () => (await db.query('SELECT count(*)::int AS n FROM agents')).rows[0].n === (await c.state()).agents.length);
		const stats = await until('statements in pg_stat_statements', async () => {
			const r = await db.query("SELECT calls FROM pg_stat_statements WHERE query LIKE 'INSERT INTO agents%'");
			return r.rows.length ? r.rows : null;
		});
		expect(Number(stats[0].calls)).toBeGreaterThan(0);
	});

	it('cancel and cleanup show in the rows', async () => {
		const queue = (await c.get('/api/dashboard/tasks/queue')).body;
		const task = queue.tasks[0];
		await c.post(`/api/v1/tasks/${task.id}/cancel`);
		await until('cancelled row', async () => (await db.query('SELECT status FROM tasks WHERE id = $1', [task.id])).rows[0]?.status === 'cancelled');
		const old = "SELECT count(*)::int AS n FROM tasks WHERE status = 'completed' AND completed_at < now() - interval '7 days'";
		expect((await db.query(old)).rows[0].n).toBeGreaterThan(0);
		await c.json('DELETE', '/api/v1/tasks/cleanup?days=7');
		await until('old rows deleted', async () => (await db.query(old)).rows[0].n === 0);
	});

	it('hostile names and titles reach the rows and the stream payloads unchanged', async () => {
		const name = '\x1b]0;owned\x07ag\u202Eent "q"\n' + 'é'.repeat(5000);
		const title = 'title \x1b[2J\u2066x\u2069';
		const agent = (await c.post('/_sim/agents', {name})).body.agent;
		const task = (await c.post('/_sim/tasks', {title, agent_id: agent.id, status: 'assigned'})).body.task;
		await until('agent row', async () => (await db.query('SELECT name FROM agents WHERE id = $1', [agent.id])).rows[0]?.name === name);
		await until('task row', async () => (await db.query('SELECT title FROM tasks WHERE id = $1', [task.id])).rows[0]?.title === title);
		const assignment = await until('task_assignment on the agent stream', async () => {
			const entries = (await redis.xrange(`agent_messages:${agent.id}`, '-', '+')) as Array<[string, string[]]>;
			return entries.map(([, f]) => fields(f)).find((f) => f.type === 'task_assignment');
		});
		expect(JSON.parse(assignment.payload!)).toEqual({task_id: task.id, title});
	});

	it('slow-database runs genuinely slow statements', async () => {
		await c.scenario('slow-database');
		const slow = await until(
			'a slow statement',
			async () => {
				const r = await db.query("SELECT mean_exec_time FROM pg_stat_statements WHERE query LIKE '%pg_sleep%' AND query LIKE '%FROM tasks%'");
				return r.rows[0];
			},
			20_000,
		);
		expect(Number(slow.mean_exec_time)).toBeGreaterThan(300);
		await c.json('DELETE', '/api/v1/tasks/cleanup?days=7');
		expect((await c.state()).faults.dbBloat).toBe(false);
	});
});

describe('stores going away', () => {
	it('Redis down: /health says so, the simulator keeps serving, and reconnects with its groups', async () => {
		await c.scenario('healthy');
		await redisService.stop();
		await until('redis unhealthy', async () => (await c.get('/health')).body.components.redis.status === 'unhealthy');
		const health = (await c.get('/health')).body;
		expect(health.status).toBe('degraded');
		expect(health.components.redis.response_time_ms).toBe('unknown');
		// Read by line: an earlier test registered an agent whose name (a quote, a newline) breaks the
		// exposition's agent_health_score labels, which the hive does not escape.
		const full = await (await c.raw('GET', '/api/dashboard/metrics')).text();
		expect(/^leanvibe_redis_healthy (\S+)$/m.exec(full)?.[1]).toBe('0');
		expect((await c.get('/api/v1/agents/status')).status).toBe(200);
		await redisService.start();
		await until('redis healthy again', async () => (await c.get('/health')).body.components.redis.status === 'healthy', 20_000);
		const agent = (await c.state()).agents[0];
		await until('group recreated', async () => (await groups(`agent_messages:${agent.id}`).catch(() => []))[0]?.name === `group_${agent.id}`, 20_000);
	});

	it('PostgreSQL down: /health is unhealthy; rows catch up when it is back', async () => {
		await pgService.stop();
		await until('database unhealthy', async () => (await c.get('/health')).body.components.database.status === 'unhealthy', 20_000);
		expect((await c.get('/health')).body.status).toBe('unhealthy');
		await c.post('/api/v1/agents/scale-up', {count: 2});
		await pgService.start();
		await until('database healthy again', async () => (await c.get('/health')).body.components.database.status === 'healthy', 30_000);
		const total = (await c.state()).agents.length;
		await until('rows written after reconnect', async () => (await db.query('SELECT count(*)::int AS n FROM agents')).rows[0].n === total, 20_000);
	});
});
