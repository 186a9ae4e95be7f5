// The PostgreSQL source: slow queries from pg_stat_statements (whatever version is installed; its column
// names are read from the catalog) and long-running statements from pg_stat_activity. A missing or
// unloaded extension is not a failure: the snapshot stands with `statements: null` and a hint.
import type pg from 'pg';
import {lazyPool} from './pg-pool.js';
import type {LongRunningStatement, PostgresSnapshot, SlowQuery} from '../contract/snapshot.js';
import {SourceError, type Source, type SourceErrorKind} from './source.js';
import {describeError, registerSecret} from '../util/redact.js';

export interface PostgresSourceOptions {
	/** postgres://user:password@host:port/database */
	url: string;
	/** Server-side statement_timeout for the console's own queries (default 3000 ms). */
	statementTimeoutMs?: number;
	/** A statement active longer than this is listed as long-running (default 5 s). */
	longRunningSeconds?: number;
}

export const APPLICATION_NAME = 'hive-console';
// pg_stat_statements keeps the first text it saw for a query, comments included: this marks our own.
const MARK = '/* hive-console */';
const TOP = 5;
const QUERY_TEXT_MAX = 2000;

interface Target {
	display: string;
	database: string;
	user: string;
}

function parseTarget(url: string): Target {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new SourceError('postgres', 'misconfigured', 'postgres: the URL is not valid; use postgres://user:password@host:5432/database (--database / DATABASE_URL)');
	}
	if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
		throw new SourceError('postgres', 'misconfigured', `postgres: unsupported URL scheme "${parsed.protocol.replace(/:$/, '')}"; use postgres://user:password@host:5432/database (--database / DATABASE_URL)`);
	}
	if (parsed.password) registerSecret(decodeURIComponent(parsed.password));
	const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username) || 'postgres';
	return {
		display: `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}/${database}`,
		database,
		user: decodeURIComponent(parsed.username) || 'postgres',
	};
}

/** pg errors carry the connection parameters: only the SQLSTATE and the redacted message are ever used. */
export function classifyPostgresError(error: unknown, target: Target, what: string): SourceError {
	const code = (error as {code?: string} | null)?.code;
	const text = describeError(error);
	const where = `postgres ${what} (${target.display})`;
	const make = (kind: SourceErrorKind, message: string) => new SourceError('postgres', kind, message, {cause: error});
	switch (code) {
		case 'ECONNREFUSED':
			return make('down', `${where}: connection refused; is PostgreSQL running there (--database / DATABASE_URL)?`);
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return make('misconfigured', `${where}: host name does not resolve; check the host in --database / DATABASE_URL`);
		case '28P01':
			return make('unauthorised', `${where}: password authentication failed for user "${target.user}"; fix the password in --database / DATABASE_URL`);
		case '28000':
			return make('unauthorised', `${where}: the server refused user "${target.user}" (pg_hba.conf); allow it there or use another user`);
		case '3D000':
			return make('misconfigured', `${where}: database "${target.database}" does not exist; check the database name in --database / DATABASE_URL`);
		case '57P01':
		case '57P02':
		case '57P03':
			return make('down', `${where}: the server is shutting down or starting up (${code}); retrying`);
		case '53300':
			return make('down', `${where}: too many connections (53300); the server has no free slot`);
		case '57014':
			return make('down', `${where}: cancelled by statement_timeout; the server is overloaded`);
		case '42501':
			return make('unauthorised', `${where}: permission denied (${text}); grant pg_read_all_stats to "${target.user}"`);
	}
	if (/timeout|timed out/i.test(text)) return make('down', `${where}: no answer in time (${text}); the server is slow or unreachable`);
	if (/terminated|ECONNRESET|closed|EPIPE/i.test(text)) return make('down', `${where}: connection lost (${text}); retrying`);
	if (/SSL|certificate/i.test(text)) return make('misconfigured', `${where}: TLS problem (${text}); check sslmode in the URL`);
	return make('down', `${where}: ${text}`);
}

function oneLine(text: unknown): string {
	const flat = String(text ?? '').replace(/\s+/g, ' ').trim();
	return flat.length > QUERY_TEXT_MAX ? `${flat.slice(0, QUERY_TEXT_MAX - 1)}…` : flat;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function enableHint(database: string, preloaded: boolean | null): string {
	if (preloaded === true) return `pg_stat_statements is preloaded but not installed in database "${database}": run CREATE EXTENSION pg_stat_statements; there`;
	if (preloaded === false) {
		return `pg_stat_statements is not enabled: add shared_preload_libraries = 'pg_stat_statements' to postgresql.conf, restart PostgreSQL, then run CREATE EXTENSION pg_stat_statements; in database "${database}"`;
	}
	return `pg_stat_statements is not installed in database "${database}": run CREATE EXTENSION pg_stat_statements; there (it also needs shared_preload_libraries = 'pg_stat_statements' in postgresql.conf and a restart)`;
}

const NOT_PRELOADED_HINT =
	"pg_stat_statements is not preloaded: add shared_preload_libraries = 'pg_stat_statements' to postgresql.conf and restart PostgreSQL, then CREATE EXTENSION pg_stat_statements";

type Statements = PostgresSnapshot['statements'];

async function readStatements(client: pg.PoolClient, target: Target): Promise<{statements: Statements; hint: string | null}> {
	const ext = await client.query<{version: string; schema: string}>(
		`${MARK} select e.extversion as version, n.nspname as schema
		 from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_stat_statements'`,
	);
	const row = ext.rows[0];
	if (!row) {
		// shared_preload_libraries is superuser-only: pg_settings hides the row from others (unknown, not false).
		const pre = await client.query<{setting: string}>(`${MARK} select setting from pg_settings where name = 'shared_preload_libraries'`);
		const setting = pre.rows[0]?.setting;
		return {statements: null, hint: enableHint(target.database, setting === undefined ? null : /\bpg_stat_statements\b/.test(setting))};
	}
	const view = `${client.escapeIdentifier(row.schema)}.pg_stat_statements`;
	const columns = await client.query<{name: string}>(
		`${MARK} select attname as name from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped`,
		[view],
	);
	const names = new Set(columns.rows.map((r) => r.name));
	// 1.8 renamed total_time/mean_time to total_exec_time/mean_exec_time (planning time got its own columns).
	const mean = names.has('mean_exec_time') ? 'mean_exec_time' : names.has('mean_time') ? 'mean_time' : null;
	const total = names.has('total_exec_time') ? 'total_exec_time' : names.has('total_time') ? 'total_time' : null;
	if (!mean || !total) {
		return {statements: null, hint: `pg_stat_statements ${row.version} has no mean/total time columns this console knows; update the extension (ALTER EXTENSION pg_stat_statements UPDATE)`};
	}
	const top = async (orderBy: string): Promise<SlowQuery[]> => {
		const result = await client.query(
			`${MARK} select query, calls, ${mean} as mean_ms, ${total} as total_ms, rows,
			   100.0 * shared_blks_hit / nullif(shared_blks_hit + shared_blks_read, 0) as hit_percent
			 from ${view}
			 where dbid = (select oid from pg_database where datname = current_database())
			   and query not like $1
			 order by ${orderBy} desc nulls last limit ${TOP}`,
			[`${MARK}%`],
		);
		return result.rows.map((r) => ({
			query: oneLine(r.query),
			calls: num(r.calls),
			meanMs: num(r.mean_ms),
			totalMs: num(r.total_ms),
			rows: num(r.rows),
			hitPercent: numOrNull(r.hit_percent),
		}));
	};
	try {
		const byMean = await top(mean);
		const byTotal = await top(total);
		return {statements: {version: row.version, byMean, byTotal}, hint: null};
	} catch (error) {
		const code = (error as {code?: string}).code;
		if (code === '55000') return {statements: null, hint: NOT_PRELOADED_HINT};
		if (code === '42P01') return {statements: null, hint: enableHint(target.database, false)};
		if (code === '42501') {
			return {statements: null, hint: `pg_stat_statements: permission denied for "${target.user}"; GRANT pg_read_all_stats TO "${target.user}" or connect as its owner`};
		}
		throw error;
	}
}

async function readLongRunning(client: pg.PoolClient, seconds: number): Promise<LongRunningStatement[]> {
	const result = await client.query(
		`${MARK} select pid, extract(epoch from clock_timestamp() - query_start) as seconds, state, query,
		   application_name, wait_event_type, wait_event
		 from pg_stat_activity
		 where state = 'active' and pid <> pg_backend_pid()
		   and coalesce(application_name, '') <> $1
		   and query_start < clock_timestamp() - make_interval(secs => $2)
		 order by query_start limit 20`,
		[APPLICATION_NAME, seconds],
	);
	return result.rows.map((r) => ({
		pid: Number(r.pid),
		durationSeconds: Math.floor(num(r.seconds)),
		state: r.state ?? null,
		query: oneLine(r.query),
		applicationName: r.application_name || null,
		waitEvent: r.wait_event ? `${r.wait_event_type}:${r.wait_event}` : null,
	}));
}

/** Never throws: a malformed URL surfaces from poll() as a misconfigured SourceError. */
export function createPostgresSource(options: PostgresSourceOptions): Source<PostgresSnapshot> {
	let target: Target;
	try {
		target = parseTarget(options.url);
	} catch (error) {
		const setupError = error as SourceError;
		return {
			name: 'postgres',
			poll: async () => {
				throw setupError;
			},
			close: async () => undefined,
		};
	}
	const statementTimeoutMs = options.statementTimeoutMs ?? 3000;
	const longRunningSeconds = options.longRunningSeconds ?? 5;
	const pool = lazyPool({
		connectionString: options.url,
		application_name: APPLICATION_NAME,
		max: 2,
		idleTimeoutMillis: 30_000,
		connectionTimeoutMillis: statementTimeoutMs,
		statement_timeout: statementTimeoutMs,
		// The server-side timeout cannot help when the server is gone mid-query; this one is client-side.
		query_timeout: statementTimeoutMs + 1000,
	});
	let closed = false;

	async function pollOnce(signal: AbortSignal): Promise<PostgresSnapshot> {
		let client: pg.PoolClient;
		try {
			client = await (await pool.get()).connect();
		} catch (error) {
			throw classifyPostgresError(error, target, 'connect');
		}
		let released = false;
		const release = (destroy: boolean) => {
			if (released) return;
			released = true;
			client.release(destroy ? true : undefined);
		};
		// Destroying the connection is the only way to stop a query in flight from this side.
		const onAbort = () => release(true);
		if (signal.aborted) onAbort();
		else signal.addEventListener('abort', onAbort, {once: true});
		let step = 'SHOW server_version';
		let broken = false;
		try {
			signal.throwIfAborted();
			const version = await client.query<{server_version: string}>(`${MARK} show server_version`);
			step = 'pg_stat_statements';
			const {statements, hint} = await readStatements(client, target);
			step = 'pg_stat_activity';
			const longRunning = await readLongRunning(client, longRunningSeconds);
			return {at: Date.now(), statements, extensionHint: hint, longRunning, serverVersion: version.rows[0]?.server_version ?? null};
		} catch (error) {
			broken = true;
			throw classifyPostgresError(error, target, step);
		} finally {
			signal.removeEventListener('abort', onAbort);
			release(broken);
		}
	}

	return {
		name: 'postgres',
		async poll(signal: AbortSignal): Promise<PostgresSnapshot> {
			if (closed) throw new SourceError('postgres', 'misconfigured', 'postgres: source is closed');
			signal.throwIfAborted();
			const work = pollOnce(signal);
			return new Promise<PostgresSnapshot>((resolve, reject) => {
				const onAbort = () =>
					reject(new SourceError('postgres', 'down', `postgres (${target.display}): poll stopped at its deadline; the server is slow or unreachable`));
				signal.addEventListener('abort', onAbort, {once: true});
				work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
			});
		},
		async close(): Promise<void> {
			if (closed) return;
			closed = true;
			await pool.end();
		},
	};
}
