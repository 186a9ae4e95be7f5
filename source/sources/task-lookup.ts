// Titles, agents and ages for tasks the hive names by id only. The runbook profile's GET /api/v1/tasks/stuck
// answers a bare list of ids, and an id tells an operator at 3 a.m. nothing; the hive's own PostgreSQL
// `tasks` table (joined with `agents` for the name) has the rest. Read-only, one small pool, our queries
// marked so pg_stat_statements shows them as ours, and a short statement timeout so a sick database only
// costs the join, never the poll.
import {lazyPool} from './pg-pool.js';
import type {Task} from '../contract/types.js';
import {describeError, registerSecret} from '../util/redact.js';

export interface TaskLookup {
	/** The tasks with these ids that the table holds (others are simply absent from the answer). */
	lookup(ids: readonly string[], signal: AbortSignal): Promise<Task[]>;
	close(): Promise<void>;
}

// Tasks' ids are UUIDs; anything else cannot be in the table and would make the uuid[] cast fail.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_IDS = 500;

// Epoch milliseconds computed in SQL: a `timestamp without time zone` means UTC in this hive, and node-pg
// would read it as local time. EXTRACT(EPOCH) reads both column kinds the same way. Status and priority
// are lower-cased text because SQLAlchemy stores Python enums by name ("IN_PROGRESS").
const SELECT = `/* hive-console */ SELECT t.id::text AS id, t.title, t.task_type::text AS task_type, lower(t.status::text) AS status,
	lower(t.priority::text) AS priority, t.assigned_agent_id::text AS assigned_agent_id, a.name AS assigned_agent_name,
	t.retry_count, t.max_retries, t.error_message,
	extract(epoch FROM t.created_at) * 1000 AS created_at, extract(epoch FROM t.assigned_at) * 1000 AS assigned_at,
	extract(epoch FROM t.started_at) * 1000 AS started_at, extract(epoch FROM t.completed_at) * 1000 AS completed_at
	FROM tasks t LEFT JOIN agents a ON a.id = t.assigned_agent_id`;

function num(value: unknown): number | null {
	if (value === null || value === undefined) return null;
	const n = Number(value);
	return Number.isFinite(n) ? n : null;
}

function text(value: unknown): string | null {
	return value === null || value === undefined ? null : String(value);
}

export function rowToTask(row: Record<string, unknown>): Task {
	return {
		id: String(row.id),
		title: text(row.title) ?? '',
		taskType: text(row.task_type),
		status: text(row.status) ?? 'unknown',
		priority: text(row.priority),
		assignedAgentId: text(row.assigned_agent_id),
		assignedAgentName: text(row.assigned_agent_name),
		retryCount: num(row.retry_count) ?? 0,
		maxRetries: num(row.max_retries) ?? 0,
		errorMessage: text(row.error_message),
		createdAt: num(row.created_at),
		assignedAt: num(row.assigned_at),
		startedAt: num(row.started_at),
		completedAt: num(row.completed_at),
	};
}

export function createPostgresTaskLookup(url: string, options: {statementTimeoutMs?: number} = {}): TaskLookup {
	try {
		const password = new URL(url).password;
		if (password) registerSecret(decodeURIComponent(password));
	} catch {
		// A bad URL fails on the first lookup with pg's own message, redacted there.
	}
	const timeout = options.statementTimeoutMs ?? 2000;
	const pool = lazyPool({
		connectionString: url,
		max: 1,
		idleTimeoutMillis: 30_000,
		connectionTimeoutMillis: timeout,
		statement_timeout: timeout,
		application_name: 'hive-console',
	});
	let textIds = false;
	return {
		async lookup(ids, signal) {
			const wanted = [...new Set(ids)].filter((id) => UUID.test(id)).slice(0, MAX_IDS);
			if (wanted.length === 0 || signal.aborted) return [];
			const run = async () => {
				try {
					// `= ANY(uuid[])` keeps the primary key index in use; a deployment whose id column is text
					// answers 42883 (no operator text = uuid) once, and is asked with text from then on.
					const result = textIds
						? await (await pool.get()).query(`${SELECT} WHERE t.id::text = ANY($1::text[])`, [wanted])
						: await (await pool.get()).query(`${SELECT} WHERE t.id = ANY($1::uuid[])`, [wanted]);
					return result.rows.map((r) => rowToTask(r as Record<string, unknown>));
				} catch (error) {
					if (!textIds && (error as {code?: string} | null)?.code === '42883') {
						textIds = true;
						return run();
					}
					throw new Error(`postgres tasks join: ${describeError(error)}`);
				}
			};
			return run();
		},
		close: () => pool.end(),
	};
}
