// The shapes the store holds: one snapshot per source plus that source's poll state. Sources produce the
// snapshots, the poller writes them, the model and the UI only read them. No React, no I/O here.
import type {
	Agent,
	AgentMetrics,
	ApiProfile,
	CoordinationMetrics,
	HealthReport,
	Task,
} from './types.js';
import type {Thresholds} from './thresholds.js';

export type SourceName = 'hive' | 'redis' | 'postgres' | 'logs';

/**
 * ok: last poll succeeded in time. slow: succeeded, but took more than half its deadline.
 * down: unreachable, timed out or answered garbage. unauthorised: 401/403 or a Redis/Postgres auth
 * failure. misconfigured: a bad URL, a missing extension, or anything retrying cannot fix.
 * disabled: not configured at all (the pane says how to enable it). pending: no poll finished yet.
 */
export type SourceState = 'pending' | 'ok' | 'slow' | 'down' | 'unauthorised' | 'misconfigured' | 'disabled';

export interface SourceStatus {
	state: SourceState;
	/** One line, redacted, naming the source and endpoint/field and what to do. */
	lastError: string | null;
	/** Epoch ms of the last successful poll (its data is what the store shows). */
	lastSuccessAt: number | null;
	lastAttemptAt: number | null;
	/** Epoch ms when the next poll starts (after backoff while failing). */
	nextPollAt: number | null;
	consecutiveFailures: number;
	/** Epoch ms when the current run of failures began (its first failed poll); null while polls succeed. */
	failingSince?: number | null;
	lastDurationMs: number | null;
	/** Poll interval in ms for this source; staleness is judged against it (stale after 2 missed). */
	intervalMs: number;
	/** What pushes this source's changes between polls (the hive's WebSocket endpoint), or null/absent. */
	pushedBy?: string | null;
}

/** A task the console thinks is stuck: in progress too long, or listed by /api/v1/tasks/stuck. */
export interface StuckTask {
	id: string;
	title: string | null;
	status: string | null;
	agentId: string | null;
	agentName: string | null;
	/** Seconds since started_at (or created_at), null if unknown. */
	ageSeconds: number | null;
}

export interface HiveSnapshot {
	/** Epoch ms when this snapshot was read. */
	at: number;
	/**
	 * The hive's own clock at that moment (its `last_updated`), when it states one. Heartbeat and task ages
	 * are measured against it, so a skewed console clock (or a simulator running at --speed 60) cannot make
	 * a heartbeat look fresh or stale. Absent or null: use `at`.
	 */
	hiveNow?: number | null;
	profile: ApiProfile;
	/** How the profile was chosen: 'auto' (probed) or 'configured'. */
	profileSource: 'auto' | 'configured';
	coordination: CoordinationMetrics | null;
	agentMetrics: AgentMetrics | null;
	health: HealthReport | null;
	/** From the agents list; null if that endpoint failed this poll. */
	agents: Agent[] | null;
	activeAgents: number | null;
	totalAgents: number | null;
	tasks: {
		byStatus: Record<string, number>;
		queueLength: number | null;
		longRunning: number | null;
		stuck: StuckTask[];
		/** Tasks from the queue endpoint (beehive) when available, for the tasks pane. */
		items: Task[];
	} | null;
	/**
	 * Endpoint-level failures inside an otherwise successful poll ("GET /health: field components.redis.status:
	 * expected string"). The rest of the snapshot still stands.
	 */
	partialErrors: string[];
	/**
	 * Parts that failed this poll and were carried over from the previous one (one miss is forgiven, as for
	 * a whole poll): e.g. ["coordination"]. Never carried twice in a row.
	 */
	carried?: Array<'coordination' | 'agentMetrics' | 'health' | 'agents' | 'tasks'>;
	/**
	 * Reads that failed while the rest of the hive answered and are not asked every poll for now (the
	 * hive source's per-route backoff); absent when every read is asked. Their last error is still in
	 * partialErrors each poll until they answer again.
	 */
	routeBackoff?: RouteBackoff[];
}

/** One read the hive source is backing off from. */
export interface RouteBackoff {
	/** "GET /api/dashboard/tasks/queue" */
	endpoint: string;
	/** missing: 404/405 or refused credentials (backs off 1, 2, 4 … 16 polls); failing: any other error (every other poll). */
	reason: 'missing' | 'failing';
	/** Failed asks in a row. */
	failures: number;
	/** Polls from this snapshot's until the read is asked again: 1 means the next poll. */
	nextAskInPolls: number;
	/** Epoch ms of the poll whose read failed first in this run. */
	since: number;
	/** Its last error line, as in partialErrors. */
	lastError: string;
}

export interface StreamGroup {
	name: string;
	consumers: number;
	pending: number;
	/** null = unknown (Redis < 7, after XDEL, or groups created at `$`): never shown as 0. */
	lag: number | null;
	lastDeliveredId: string | null;
	/** Milliseconds the oldest pending message has been idle, from XPENDING/XINFO CONSUMERS; null if none. */
	oldestPendingIdleMs: number | null;
	consumerDetails: Array<{name: string; pending: number; idleMs: number | null; inactiveMs: number | null}>;
}

export interface StreamInfo {
	key: string;
	length: number;
	firstEntryId: string | null;
	lastEntryId: string | null;
	groups: StreamGroup[];
}

export interface RedisSnapshot {
	at: number;
	streams: StreamInfo[];
	/** True when the per-poll stream cap or time budget cut the scan; `truncatedReason` says which. */
	truncated: boolean;
	truncatedReason: string | null;
	clients: {connected: number | null; blocked: number | null; maxClients: number | null};
	memory: {usedBytes: number | null; peakBytes: number | null; allocator: string | null};
	serverVersion: string | null;
	cluster: boolean;
}

export interface SlowQuery {
	query: string;
	calls: number;
	meanMs: number;
	totalMs: number;
	rows: number;
	hitPercent: number | null;
}

export interface LongRunningStatement {
	pid: number;
	durationSeconds: number;
	state: string | null;
	query: string;
	applicationName: string | null;
	waitEvent: string | null;
}

export interface PostgresSnapshot {
	at: number;
	/** null when pg_stat_statements is unavailable; then `extensionHint` says how to enable it. */
	statements: {
		version: string;
		byMean: SlowQuery[];
		byTotal: SlowQuery[];
	} | null;
	extensionHint: string | null;
	longRunning: LongRunningStatement[];
	serverVersion: string | null;
}

export type LogCategory = 'coordination-error' | 'agent-error' | 'agent-timeout' | 'task-assign' | 'task-fail';

export interface LogLine {
	/** Epoch ms when read. */
	at: number;
	category: LogCategory;
	text: string;
}

export interface LogsSnapshot {
	at: number;
	lines: LogLine[];
	/** What is followed, for display (redacted). */
	origin: string;
}

/** A log line from a run of the command that has ended: shown marked, under the current run's lines. */
export interface PreviousRunLine extends LogLine {
	previousRun: true;
}

/** How the run before the current one ended, for the pane's summary. */
export interface PreviousRun {
	endedAt: number;
	code: number | null;
	signal: string | null;
	/** It failed (non-zero exit or a signal) rather than finishing its output. */
	died: boolean;
	/** When the current run started. */
	restartedAt: number;
}

/** What a command's poll returns: the lines, and how the previous run ended when its lines are shown. */
export interface CommandLogsSnapshot extends LogsSnapshot {
	previousRun: PreviousRun | null;
}

/** The pane's view of a logs snapshot: the previous run, when a command's earlier run is shown. */
export function previousRunOf(snapshot: LogsSnapshot | null): PreviousRun | null {
	return (snapshot as Partial<CommandLogsSnapshot> | null)?.previousRun ?? null;
}

export function isPreviousRunLine(line: LogLine): line is PreviousRunLine {
	return (line as Partial<PreviousRunLine>).previousRun === true;
}

export interface Snapshots {
	hive: HiveSnapshot | null;
	redis: RedisSnapshot | null;
	postgres: PostgresSnapshot | null;
	logs: LogsSnapshot | null;
}

/** A point of the short history kept for trends (sparklines). */
export interface HistoryPoint {
	at: number;
	successRate: number | null;
	responseTime: number | null;
	queueLength: number | null;
	activeAgents: number | null;
}

/** What kind of failure a read met; the flaky-API detection counts the first three. */
export type ReadFailureKind = 'http-5xx' | 'timeout' | 'malformed' | 'other';

/** One finished hive poll, as the flaky-API detection needs it (the store keeps the last few). */
export interface PollRecord {
	at: number;
	/** The poll returned data (possibly with some endpoints failing). */
	ok: boolean;
	/** Failed reads: the endpoint ("GET /health", or "*" when the whole poll failed) and the kind. */
	failures: Array<{endpoint: string; kind: ReadFailureKind}>;
}

export interface HiveConsoleState {
	snapshots: Snapshots;
	sources: Record<SourceName, SourceStatus>;
	history: HistoryPoint[];
	paused: boolean;
	/** Poll interval in ms (the hive source's; others derive from it). */
	intervalMs: number;
	/** The console's pane is out of view (focus reporting): the slower interval in force, or 'paused'. */
	unfocused?: number | 'paused' | null;
	/** Thresholds in force (the runbook table merged with the context's overrides), for the model's selectors. */
	thresholds?: Thresholds;
	/**
	 * Total stream backlog (pending + known lag, all groups) of the recent Redis polls, oldest first, bounded;
	 * the model's "growing backlog" (communication-failure scenario) reads it.
	 */
	backlog?: Array<{at: number; total: number}>;
	/** The last hive polls, oldest first, bounded (flaky-API detection). */
	hivePolls?: PollRecord[];
}
