// Fixture states for the console's component tests, written through the data layer's real store so the
// UI sees exactly what the poller would give it.
import type {Agent, Task} from '../../source/contract/types.js';
import {createHiveStore, type HiveStore} from '../../source/store/store.js';
import type {HiveSnapshot, LogsSnapshot, PostgresSnapshot, RedisSnapshot, SourceName, SourceStatus, StreamInfo} from '../../source/contract/snapshot.js';

export const NOW = Date.UTC(2025, 7, 7, 10, 30, 0);
export const INTERVAL = 5000;

export function agent(i: number, patch: Partial<Agent> = {}): Agent {
	return {
		id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
		name: `agent-${String(i).padStart(2, '0')}`,
		type: 'claude',
		role: i % 2 ? 'backend_developer' : 'qa_engineer',
		status: 'active',
		lastHeartbeat: NOW - 4000 - i * 1000,
		lastActive: NOW - 2000,
		createdAt: NOW - 86_400_000,
		tasksCompleted: 40 + i,
		tasksFailed: i % 3,
		averageResponseTime: 1.5 + i / 10,
		contextWindowUsage: 0.4,
		healthScore: 100,
		currentTask: null,
		errorCount: 0,
		tmuxSession: `hive-${i}`,
		...patch,
	};
}

export function task(i: number, patch: Partial<Task> = {}): Task {
	return {
		id: `task-${i}`,
		title: `Implement feature ${i}`,
		taskType: 'feature',
		status: 'in_progress',
		priority: 'medium',
		assignedAgentId: agent(i).id,
		assignedAgentName: agent(i).name,
		retryCount: 0,
		maxRetries: 3,
		errorMessage: null,
		createdAt: NOW - 600_000,
		assignedAt: NOW - 500_000,
		startedAt: NOW - 400_000 - i * 60_000,
		completedAt: null,
		...patch,
	};
}

export function hiveSnapshot(patch: Partial<HiveSnapshot> = {}, agents = Array.from({length: 6}, (_, i) => agent(i + 1))): HiveSnapshot {
	return {
		at: NOW - 3000,
		profile: 'beehive',
		profileSource: 'auto',
		coordination: {successRate: 97.5, avgCompletionTimeMinutes: 12, agentUtilization: 60, queueLength: 4, longRunning: 0, completedPerHour: 30, failedPerHour: 1},
		agentMetrics: {byStatus: {active: 6}, staleHeartbeats: 0},
		health: {
			status: 'healthy',
			version: '2.0.0',
			components: [
				{name: 'database', status: 'healthy', details: 'PostgreSQL connection ok', error: null, responseTime: '3'},
				{name: 'redis', status: 'healthy', details: 'Redis connection ok', error: null, responseTime: '<5'},
			],
		},
		agents,
		activeAgents: agents.filter((a) => a.status === 'active').length,
		totalAgents: agents.length,
		tasks: {
			byStatus: {pending: 3, in_progress: 2, completed: 50, failed: 1},
			queueLength: 4,
			longRunning: 0,
			stuck: [],
			items: [task(1), task(2), task(3, {status: 'pending', startedAt: null})],
		},
		partialErrors: [],
		...patch,
	};
}

export function stream(key: string, patch: Partial<StreamInfo> = {}): StreamInfo {
	return {
		key,
		length: 120,
		firstEntryId: '1-0',
		lastEntryId: '120-0',
		groups: [{name: `group_${key.split(':')[1]}`, consumers: 1, pending: 2, lag: 0, lastDeliveredId: '118-0', oldestPendingIdleMs: 1500, consumerDetails: [{name: 'c1', pending: 2, idleMs: 1500, inactiveMs: 1500}]}],
		...patch,
	};
}

export function redisSnapshot(patch: Partial<RedisSnapshot> = {}): RedisSnapshot {
	return {
		at: NOW - 2000,
		streams: [stream('agent_messages:broadcast'), stream('agent_messages:a1'), stream('agent_events', {groups: [{name: 'event_processors', consumers: 2, pending: 0, lag: null, lastDeliveredId: null, oldestPendingIdleMs: null, consumerDetails: []}]})],
		truncated: false,
		truncatedReason: null,
		clients: {connected: 12, blocked: 0, maxClients: 10000},
		memory: {usedBytes: 2_500_000, peakBytes: 3_000_000, allocator: 'jemalloc-5.3.0'},
		serverVersion: '7.0.15',
		cluster: false,
		...patch,
	};
}

export function postgresSnapshot(patch: Partial<PostgresSnapshot> = {}): PostgresSnapshot {
	return {
		at: NOW - 2000,
		statements: {
			version: '1.10',
			byMean: [
				{query: 'SELECT * FROM tasks WHERE status = $1 ORDER BY created_at', calls: 1200, meanMs: 85.2, totalMs: 102_240, rows: 36_000, hitPercent: 99.1},
				{query: 'UPDATE agents SET last_heartbeat = now() WHERE id = $1', calls: 90_000, meanMs: 2.1, totalMs: 189_000, rows: 90_000, hitPercent: 100},
			],
			byTotal: [],
		},
		extensionHint: null,
		longRunning: [{pid: 4242, durationSeconds: 95, state: 'active', query: 'VACUUM FULL tasks', applicationName: 'psql', waitEvent: null}],
		serverVersion: '15.8',
		...patch,
	};
}

export function logsSnapshot(lines: Array<[LogsSnapshot['lines'][number]['category'], string]> = [['agent-error', 'ERROR agent agent-03 failed to respond'], ['task-assign', 'Task task-7 assigned to agent-02']]): LogsSnapshot {
	return {at: NOW - 1000, origin: '/var/log/hive/api.log', lines: lines.map(([category, text], i) => ({at: NOW - 10_000 + i * 1000, category, text}))};
}

export function okStatus(patch: Partial<SourceStatus> = {}): SourceStatus {
	return {state: 'ok', lastError: null, lastSuccessAt: NOW - 3000, lastAttemptAt: NOW - 3000, nextPollAt: NOW + 2000, consecutiveFailures: 0, lastDurationMs: 40, intervalMs: INTERVAL, ...patch};
}

export interface FixtureOptions {
	hive?: HiveSnapshot | null;
	redis?: RedisSnapshot | null;
	postgres?: PostgresSnapshot | null;
	logs?: LogsSnapshot | null;
	status?: Partial<Record<SourceName, Partial<SourceStatus>>>;
	disabled?: Partial<Record<SourceName, string>>;
}

/** A store holding a normal, healthy hive unless told otherwise. */
export function fixtureStore(options: FixtureOptions = {}): HiveStore {
	const store = createHiveStore({intervalMs: INTERVAL, disabled: options.disabled});
	const snaps = {
		hive: options.hive === undefined ? hiveSnapshot() : options.hive,
		redis: options.redis === undefined ? redisSnapshot() : options.redis,
		postgres: options.postgres === undefined ? postgresSnapshot() : options.postgres,
		logs: options.logs === undefined ? logsSnapshot() : options.logs,
	};
	for (const name of ['hive', 'redis', 'postgres', 'logs'] as const) {
		if (options.disabled?.[name]) continue;
		const status = okStatus(options.status?.[name]);
		const snap = snaps[name];
		store.getState().recordPoll(name, snap ? status : {...status, lastSuccessAt: status.lastSuccessAt ?? null}, (snap ?? undefined) as never);
	}
	return store;
}
