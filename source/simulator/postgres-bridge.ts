// Mirrors the world into a real PostgreSQL (docs/hive-contract.md, section 5): the agents, tasks and
// agent_events tables, created if absent, written with ordinary batched SQL once a second (one statement
// per few thousand changed rows, not one per agent), so pg_stat_statements fills with real statements.
// Under the slow-database fault it runs genuinely slow queries. A database that goes away is reported
// on /health and written again in full when it comes back.
import pg from 'pg';
import {describeError} from '../util/redact.js';
import type {StoreHealth} from './context.js';
import {jsonHealthScore} from './metrics.js';
import {PeriodicFlush} from './periodic-flush.js';
import {DAY, type World} from './world.js';

const BATCH = 2000;
const MAX_ROWS_PER_FLUSH = 20_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS agents (
	id uuid PRIMARY KEY,
	name text NOT NULL,
	type text,
	role text,
	status text,
	last_heartbeat timestamptz,
	last_active timestamptz,
	created_at timestamptz,
	updated_at timestamptz DEFAULT now(),
	total_tasks_completed text,
	total_tasks_failed text,
	average_response_time double precision,
	context_window_usage double precision,
	health_score double precision,
	error_count integer,
	current_task text,
	current_sleep_state text,
	tmux_session text
);
CREATE TABLE IF NOT EXISTS tasks (
	id uuid PRIMARY KEY,
	title text,
	task_type text,
	status text,
	priority text,
	assigned_agent_id uuid,
	retry_count integer,
	max_retries integer,
	error_message text,
	created_at timestamptz,
	assigned_at timestamptz,
	started_at timestamptz,
	completed_at timestamptz,
	workflow_id uuid
);
CREATE TABLE IF NOT EXISTS agent_events (
	id bigserial PRIMARY KEY,
	agent_id uuid,
	event_type text,
	payload jsonb,
	created_at timestamptz
);
`;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export class PostgresBridge {
	private readonly pool: pg.Pool;
	private readonly rhythm = new PeriodicFlush(() => this.flushOnce(), 1000);
	private schemaReady = false;
	private lastEventsPrune = 0;

	constructor(
		url: string,
		private readonly world: World,
		private readonly health: StoreHealth,
	) {
		this.pool = new pg.Pool({
			connectionString: url,
			max: 3,
			connectionTimeoutMillis: 3000,
			idleTimeoutMillis: 10_000,
			statement_timeout: 30_000,
			query_timeout: 35_000,
			application_name: 'hive-simulator',
		});
		// Without this an idle client killed by the server crashes the process (stack notes).
		this.pool.on('error', (error) => {
			this.health.healthy = false;
			this.health.lastError = `PostgreSQL: ${describeError(error)}`;
		});
	}

	async start(): Promise<void> {
		await this.flush();
		this.rhythm.start();
	}

	flush(): Promise<void> {
		return this.rhythm.flush();
	}

	private async flushOnce(): Promise<void> {
		const world = this.world;
		const agentIds = Array.from(world.dirtyAgents).slice(0, MAX_ROWS_PER_FLUSH);
		const taskIds = Array.from(world.dirtyTasks).slice(0, MAX_ROWS_PER_FLUSH);
		const deleted = Array.from(world.deletedTasks).slice(0, MAX_ROWS_PER_FLUSH);
		const events = world.events.slice(0, MAX_ROWS_PER_FLUSH);
		try {
			const t0 = performance.now();
			await this.pool.query('SELECT 1');
			this.health.responseMs = performance.now() - t0;
			const wasDown = !this.health.healthy;
			this.health.healthy = true;
			this.health.lastError = null;
			if (!this.schemaReady) {
				await this.pool.query(SCHEMA);
				// The world is the source of truth: rows left by an earlier run would be a different hive.
				await this.pool.query('TRUNCATE agents, tasks, agent_events');
				await this.pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements').catch(() => undefined);
				this.schemaReady = true;
				world.fullResync = true;
			} else if (wasDown) {
				world.fullResync = true;
			}
			if (world.fullResync) {
				world.fullResync = false;
				for (const agent of world.agents) world.dirtyAgents.add(agent.id);
				for (const id of world.tasks.keys()) world.dirtyTasks.add(id);
				return;
			}
			for (let i = 0; i < agentIds.length; i += BATCH) await this.writeAgents(agentIds.slice(i, i + BATCH));
			for (const id of agentIds) world.dirtyAgents.delete(id);
			for (let i = 0; i < taskIds.length; i += BATCH) await this.writeTasks(taskIds.slice(i, i + BATCH));
			for (const id of taskIds) world.dirtyTasks.delete(id);
			if (deleted.length) await this.pool.query('DELETE FROM tasks WHERE id = ANY($1::uuid[])', [deleted]);
			for (const id of deleted) world.deletedTasks.delete(id);
			if (events.length) {
				await this.pool.query(
					`INSERT INTO agent_events (agent_id, event_type, payload, created_at)
					 SELECT agent_id, event_type, payload, created_at FROM jsonb_to_recordset($1::jsonb)
					 AS r(agent_id uuid, event_type text, payload jsonb, created_at timestamptz)`,
					[JSON.stringify(events.map((e) => ({agent_id: e.agentId, event_type: e.type, payload: e.payload, created_at: iso(e.at)})))],
				);
				world.events.splice(0, events.length);
			}
			if (world.now - this.lastEventsPrune > 6 * 3600_000) {
				this.lastEventsPrune = world.now;
				await this.pool.query('DELETE FROM agent_events WHERE created_at < $1', [iso(world.now - 2 * DAY)]);
			}
			if (world.faults.dbBloat) await this.slowQueries();
		} catch (error) {
			this.health.healthy = false;
			this.health.responseMs = null;
			this.health.lastError = `PostgreSQL: ${describeError(error)}`;
		}
	}

	private async writeAgents(ids: string[]): Promise<void> {
		const world = this.world;
		const rows = [];
		for (const id of ids) {
			const a = world.agentById.get(id);
			if (!a) continue;
			const current = a.running.size ? world.tasks.get(a.running.values().next().value!) : undefined;
			rows.push({
				id: a.id, name: a.name, type: a.type, role: a.role, status: a.status,
				last_heartbeat: iso(a.lastHeartbeat), last_active: iso(a.lastActive), created_at: iso(a.createdAt),
				total_tasks_completed: String(a.completed), total_tasks_failed: String(a.failed),
				average_response_time: world.responseTime(a), context_window_usage: a.contextWindowUsage,
				health_score: jsonHealthScore(world, a), error_count: a.errorCount, current_task: current?.title ?? null,
				current_sleep_state: a.status === 'sleeping' ? 'SLEEPING' : 'AWAKE', tmux_session: a.tmuxSession,
			});
		}
		if (!rows.length) return;
		await this.pool.query(
			`INSERT INTO agents (id, name, type, role, status, last_heartbeat, last_active, created_at, updated_at,
				total_tasks_completed, total_tasks_failed, average_response_time, context_window_usage, health_score,
				error_count, current_task, current_sleep_state, tmux_session)
			 SELECT id, name, type, role, status, last_heartbeat, last_active, created_at, now(),
				total_tasks_completed, total_tasks_failed, average_response_time, context_window_usage, health_score,
				error_count, current_task, current_sleep_state, tmux_session
			 FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, name text, type text, role text, status text,
				last_heartbeat timestamptz, last_active timestamptz, created_at timestamptz, total_tasks_completed text,
				total_tasks_failed text, average_response_time double precision, context_window_usage double precision,
				health_score double precision, error_count integer, current_task text, current_sleep_state text, tmux_session text)
			 ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, last_heartbeat = EXCLUDED.last_heartbeat,
				last_active = EXCLUDED.last_active, updated_at = now(), total_tasks_completed = EXCLUDED.total_tasks_completed,
				total_tasks_failed = EXCLUDED.total_tasks_failed, average_response_time = EXCLUDED.average_response_time,
				context_window_usage = EXCLUDED.context_window_usage, health_score = EXCLUDED.health_score,
				error_count = EXCLUDED.error_count, current_task = EXCLUDED.current_task,
				current_sleep_state = EXCLUDED.current_sleep_state`,
			[JSON.stringify(rows)],
		);
	}

	private async writeTasks(ids: string[]): Promise<void> {
		const world = this.world;
		const rows = [];
		for (const id of ids) {
			const t = world.tasks.get(id);
			if (!t) continue;
			rows.push({
				id: t.id, title: t.title, task_type: t.type, status: t.status, priority: t.priority,
				assigned_agent_id: t.agentId, retry_count: t.retryCount, max_retries: t.maxRetries, error_message: t.errorMessage,
				created_at: iso(t.createdAt), assigned_at: iso(t.assignedAt), started_at: iso(t.startedAt), completed_at: iso(t.completedAt),
			});
		}
		if (!rows.length) return;
		await this.pool.query(
			`INSERT INTO tasks (id, title, task_type, status, priority, assigned_agent_id, retry_count, max_retries,
				error_message, created_at, assigned_at, started_at, completed_at)
			 SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, title text, task_type text, status text,
				priority text, assigned_agent_id uuid, retry_count integer, max_retries integer, error_message text,
				created_at timestamptz, assigned_at timestamptz, started_at timestamptz, completed_at timestamptz)
			 ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, assigned_agent_id = EXCLUDED.assigned_agent_id,
				retry_count = EXCLUDED.retry_count, error_message = EXCLUDED.error_message, assigned_at = EXCLUDED.assigned_at,
				started_at = EXCLUDED.started_at, completed_at = EXCLUDED.completed_at`,
			[JSON.stringify(rows)],
		);
	}

	/** The dashboard's task search as a bloated, unindexed table makes it: slow for real. */
	private async slowQueries(): Promise<void> {
		const term = this.world.random.pick(['auth', 'router', 'registry', 'migration', 'webhook']);
		await this.pool.query(
			`SELECT t.status, count(*) AS n, max(t.created_at) AS newest
			 FROM tasks t CROSS JOIN pg_sleep($1)
			 WHERE t.title ILIKE '%' || $2 || '%' OR t.error_message ILIKE '%' || $2 || '%'
			 GROUP BY t.status`,
			[0.4 + this.world.random.next() * 0.8, term],
		);
	}

	async close(): Promise<void> {
		await this.rhythm.stop();
		await this.pool.end().catch(() => undefined);
	}
}
