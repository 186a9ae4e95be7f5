// The hive HTTP source: one poll reads every endpoint the profile offers, in parallel, and builds a
// HiveSnapshot. One endpoint failing leaves its part null with a line in partialErrors; the poll throws
// only when nothing usable came back, so a sick database (which breaks most endpoints) still shows /health.
import {commonReads, isAvailable, profileRoutes, type Route} from '../contract/routes.js';
import type {AgentMetrics, ApiProfile, Agent, CoordinationMetrics, Task} from '../contract/types.js';
import {parsePrometheus, PrometheusParseError, type Exposition} from '../contract/prometheus.js';
import {
	agentsListSchema,
	BodyError,
	healthSchema,
	heartbeatsSchema,
	parseBody,
	stuckTasksSchema,
	taskQueueSchema,
	type AgentsList,
	type Heartbeats,
	type StuckTaskRef,
	type TaskQueue,
} from '../contract/schemas.js';
import {ageSeconds} from '../contract/timestamps.js';
import type {HealthReport} from '../contract/types.js';
import type {HiveSnapshot, StuckTask} from '../contract/snapshot.js';
import {describeError} from '../util/redact.js';
import {sanitise} from '../util/terminal-text.js';
import {createHiveClient, HiveRequestError, type HiveClient} from './hive-client.js';
import {createProfileResolver, type ProfileSetting} from './hive-profile.js';
import {reuseUnchanged} from './hive-reuse.js';
import {SourceError, type Source, type SourceErrorKind} from './source.js';
import {createPostgresTaskLookup, type TaskLookup} from './task-lookup.js';

/** Contract §2: in_progress and started more than an hour ago. */
export const STUCK_AFTER_MS = 60 * 60 * 1000;

export interface HiveSourceOptions {
	baseUrl: string;
	token?: string | null;
	profile: ProfileSetting;
	/** Whole-request deadline per HTTP call. */
	timeoutMs: number;
	maxBodyBytes?: number;
	/** Clock for ages (tests); defaults to Date.now. */
	now?: () => number;
	/**
	 * The hive's PostgreSQL, when configured: tasks the hive names by id only (the runbook profile's stuck
	 * list) get their title, agent and age from its `tasks` table. Without it they are shown as unknown.
	 */
	databaseUrl?: string | null;
}

export interface HiveSource extends Source<HiveSnapshot> {
	/** The one HTTP path to the hive; the recovery actions send through it. */
	readonly client: HiveClient;
	/** The profile in use; null until auto detection has succeeded (after the first poll or resolveProfile). */
	profile(): ApiProfile | null;
	/** Detects the profile if not yet known (one probe), for actions run before any poll. */
	resolveProfile(signal?: AbortSignal): Promise<ApiProfile>;
}

/** A part that failed: its message (one line, redacted) and the kind of failure. */
interface PartFailure {
	message: string;
	kind: SourceErrorKind;
}

type Part<T> = {ok: true; value: T} | {ok: false; failure: PartFailure};

function failureOf(error: unknown): PartFailure {
	if (error instanceof HiveRequestError) return {message: error.message, kind: error.kind};
	if (error instanceof BodyError) return {message: describeError(error), kind: 'down'};
	return {message: describeError(error), kind: 'down'};
}

async function part<T>(read: () => Promise<T>): Promise<Part<T>> {
	try {
		return {ok: true, value: await read()};
	} catch (error) {
		return {ok: false, failure: failureOf(error)};
	}
}

function finiteOrNull(value: number | null): number | null {
	return value === null || !Number.isFinite(value) ? null : value;
}

/** Reads a Prometheus endpoint; an error metric of docs/hive-contract.md section 2 above 0 turns the page into an error. */
async function readMetrics(client: HiveClient, route: Route, errorMetric: string, signal: AbortSignal): Promise<Exposition> {
	const response = await client.getText(route, {signal});
	let exposition: Exposition;
	try {
		exposition = parsePrometheus(response.text);
	} catch (error) {
		if (error instanceof PrometheusParseError) {
			throw new HiveRequestError(response.endpoint, 'down', describeError(`${response.endpoint}: malformed Prometheus text at ${error.message}`));
		}
		throw error;
	}
	const flagged = exposition.samples(errorMetric).some((s) => s.value !== 0);
	if (flagged) {
		throw new HiveRequestError(
			response.endpoint,
			'down',
			`${response.endpoint}: the hive reported ${errorMetric} (it could not compute these metrics; check its database and logs)`,
		);
	}
	return exposition;
}

function single(exposition: Exposition, name: string): number | null {
	const samples = exposition.samples(name);
	return samples.length === 0 ? null : finiteOrNull(samples[0]!.value);
}

function toCoordination(e: Exposition): CoordinationMetrics {
	return {
		successRate: single(e, 'leanvibe_coordination_success_rate'),
		avgCompletionTimeMinutes: single(e, 'leanvibe_coordination_avg_completion_time_minutes'),
		agentUtilization: single(e, 'leanvibe_coordination_agent_utilization'),
		queueLength: single(e, 'leanvibe_task_queue_length'),
		longRunning: single(e, 'leanvibe_tasks_long_running'),
		completedPerHour: single(e, 'leanvibe_tasks_completed_per_hour'),
		failedPerHour: single(e, 'leanvibe_tasks_failed_per_hour'),
	};
}

function toAgentMetrics(e: Exposition): AgentMetrics {
	return {
		byStatus: e.byLabel('leanvibe_agents_total', 'status'),
		staleHeartbeats: single(e, 'leanvibe_agents_stale_heartbeats'),
		healthScores: e
			.samples('leanvibe_agent_health_score')
			.filter((s) => Number.isFinite(s.value))
			.map((s) => ({agentId: s.labels.agent_id ?? '', agentName: s.labels.agent_name ?? '', score: s.value})),
	};
}

/** Merges the heartbeat endpoint into the agents list: the newer heartbeat wins; alone it stands in. */
function mergeHeartbeats(agents: Agent[] | null, heartbeats: Heartbeats | null): Agent[] | null {
	if (!heartbeats) return agents;
	if (!agents) {
		return heartbeats.agents.map((h) => ({
			id: h.agentId,
			name: h.name ?? h.agentId,
			type: 'unknown',
			role: '',
			status: h.status ?? 'unknown',
			lastHeartbeat: h.lastHeartbeat,
			lastActive: null,
			createdAt: null,
			tasksCompleted: 0,
			tasksFailed: 0,
			averageResponseTime: null,
			contextWindowUsage: null,
			healthScore: null,
			currentTask: null,
			errorCount: 0,
			tmuxSession: null,
		}));
	}
	const byId = new Map(heartbeats.agents.map((h) => [h.agentId, h]));
	return agents.map((agent) => {
		const h = byId.get(agent.id);
		if (!h || h.lastHeartbeat === null) return agent;
		if (agent.lastHeartbeat !== null && agent.lastHeartbeat >= h.lastHeartbeat) return agent;
		return {...agent, lastHeartbeat: h.lastHeartbeat};
	});
}

function stuckFromTasks(tasks: Task[], now: number): StuckTask[] {
	return tasks
		.filter((t) => t.status === 'in_progress')
		.map((t) => ({task: t, since: t.startedAt ?? t.assignedAt ?? t.createdAt}))
		.filter(({since}) => since !== null && now - since > STUCK_AFTER_MS)
		.map(({task, since}) => toStuck(task, since, now));
}

function toStuck(task: Task, since: number | null, now: number): StuckTask {
	return {
		id: task.id,
		title: task.title || null,
		status: task.status,
		agentId: task.assignedAgentId,
		agentName: task.assignedAgentName,
		ageSeconds: ageSeconds(since, now),
	};
}

/** Stuck ids that came without a task object and are not in the queue either: what the join must look up. */
function unexplained(refs: StuckTaskRef[], known: Map<string, Task>): string[] {
	return refs.filter((r) => r.task === null && !known.has(r.id)).map((r) => r.id);
}

function stuckFromRefs(refs: StuckTaskRef[], known: Map<string, Task>, agents: Agent[] | null, now: number): StuckTask[] {
	const agentNames = new Map((agents ?? []).map((a) => [a.id, a.name]));
	return refs.map(({id, task}) => {
		const full = task ?? known.get(id) ?? null;
		if (!full) return {id, title: null, status: null, agentId: null, agentName: null, ageSeconds: null};
		const stuck = toStuck(full, full.startedAt ?? full.assignedAt ?? full.createdAt, now);
		return {...stuck, agentName: stuck.agentName ?? (stuck.agentId ? agentNames.get(stuck.agentId) ?? null : null)};
	});
}

function pickKind(failures: PartFailure[]): SourceErrorKind {
	if (failures.some((f) => f.kind === 'unauthorised')) return 'unauthorised';
	if (failures.length > 0 && failures.every((f) => f.kind === 'misconfigured')) return 'misconfigured';
	return 'down';
}

export function createHiveSource(options: HiveSourceOptions): HiveSource {
	let client: HiveClient;
	try {
		client = createHiveClient(options);
	} catch (error) {
		const failure = failureOf(error);
		throw new SourceError('hive', failure.kind, `hive: ${failure.message}`, {cause: error});
	}
	const profiles = createProfileResolver(client, options.profile);
	const now = options.now ?? Date.now;
	const taskLookup: TaskLookup | null = options.databaseUrl
		? createPostgresTaskLookup(options.databaseUrl, {statementTimeoutMs: Math.max(200, Math.round(options.timeoutMs * 0.5))})
		: null;
	// The last poll's lists, for structural sharing (hive-reuse.ts).
	let lastAgents: Agent[] | null = null;
	let lastTasks: Task[] | null = null;

	async function poll(signal: AbortSignal): Promise<HiveSnapshot> {
		const at = now();
		const getJson = <T>(route: Route, parse: (endpoint: string, json: unknown) => T) =>
			part(async () => {
				const {endpoint, json} = await client.getJson(route, {signal});
				try {
					return parse(endpoint, json);
				} catch (error) {
					// The hive reports some read failures as HTTP 200 {error: "..."} (docs/hive-contract.md, section 3): say that,
					// not that a field is missing.
					const reported = (json as {error?: unknown} | null)?.error;
					if (error instanceof BodyError && typeof reported === 'string') {
						throw new HiveRequestError(endpoint, 'down', describeError(`${endpoint}: the hive answered with an error: ${sanitise(reported)}`));
					}
					throw error;
				}
			});
		const profilePart = part(() => profiles.resolve(signal));
		const coordinationP = part(() => readMetrics(client, commonReads.coordinationMetrics, 'leanvibe_coordination_metrics_error', signal).then(toCoordination));
		const agentMetricsP = part(() => readMetrics(client, commonReads.agentMetrics, 'leanvibe_agent_metrics_error', signal).then(toAgentMetrics));
		const allMetricsP = part(() => readMetrics(client, commonReads.allMetrics, 'leanvibe_metrics_generation_errors', signal));
		const healthP = getJson(commonReads.health, (endpoint, json): HealthReport => parseBody(endpoint, healthSchema, json));

		const profileResult = await profilePart;
		const profile = profileResult.ok ? profileResult.value : null;
		const routes = profile ? profileRoutes[profile] : null;
		const none = Promise.resolve(null);
		const agentsP = routes && isAvailable(routes.agentsList) ? getJson(routes.agentsList, (e, j): AgentsList => parseBody(e, agentsListSchema, j)) : none;
		const heartbeatsP = routes && isAvailable(routes.heartbeats) ? getJson(routes.heartbeats, (e, j): Heartbeats => parseBody(e, heartbeatsSchema, j)) : none;
		const queueP = routes && isAvailable(routes.taskQueue) ? getJson(routes.taskQueue, (e, j): TaskQueue => parseBody(e, taskQueueSchema, j)) : none;
		const stuckP = routes && isAvailable(routes.stuckTasks) ? getJson(routes.stuckTasks, (e, j): StuckTaskRef[] => parseBody(e, stuckTasksSchema, j)) : none;

		const [coordination, agentMetrics, allMetrics, health, agentsList, heartbeats, queue, stuckRefs] = await Promise.all([
			coordinationP,
			agentMetricsP,
			allMetricsP,
			healthP,
			agentsP,
			heartbeatsP,
			queueP,
			stuckP,
		]);

		const failures: PartFailure[] = [];
		const take = <T>(result: Part<T> | null): T | null => {
			if (result === null) return null;
			if (result.ok) return result.value;
			failures.push(result.failure);
			return null;
		};
		const values = {
			health: take(health),
			coordination: take(coordination),
			agentMetrics: take(agentMetrics),
			allMetrics: take(allMetrics),
			agentsList: take(agentsList),
			heartbeats: take(heartbeats),
			queue: take(queue),
			stuckRefs: take(stuckRefs),
		};
		// Last, so that a whole-poll error leads with a plain read rather than the probe.
		if (!profileResult.ok) failures.push({...profileResult.failure, message: `API profile not detected: ${profileResult.failure.message}`});
		const usable = Object.values(values).some((v) => v !== null);
		const dataWithoutHealth = Object.entries(values).some(([k, v]) => k !== 'health' && v !== null);
		const unauthorised = failures.some((f) => f.kind === 'unauthorised');
		if (!usable || !profile || (unauthorised && !dataWithoutHealth)) {
			const kind = unauthorised ? 'unauthorised' : pickKind(failures);
			const lead = failures.find((f) => f.kind === kind) ?? failures[0];
			const others = failures.length - 1;
			if (kind === 'down' && failures.every((f) => f.kind === 'down') && !usable) profiles.forget();
			throw new SourceError(
				'hive',
				kind,
				`hive ${lead?.message ?? 'answered nothing usable'}${others > 0 ? ` (and ${others} more ${others === 1 ? 'endpoint' : 'endpoints'} failed)` : ''}`,
			);
		}

		const merged = mergeHeartbeats(values.agentsList?.agents ?? null, values.heartbeats);
		const agents = merged ? (lastAgents = reuseUnchanged(lastAgents, merged)) : null;
		const queueTasks = values.queue ? (lastTasks = reuseUnchanged(lastTasks, values.queue.tasks)) : [];
		const byStatus =
			values.allMetrics && values.allMetrics.has('leanvibe_tasks_total')
				? values.allMetrics.byLabel('leanvibe_tasks_total', 'status')
				: (values.queue?.byStatus ?? {});
		// Task ages against the hive's own clock when it states one, so a skewed console clock cannot make
		// a task look stuck or fresh.
		const hiveNow = values.queue?.lastUpdated ?? values.agentsList?.lastUpdated ?? at;
		let stuck: StuckTask[] = [];
		const joinErrors: string[] = [];
		if (values.stuckRefs) {
			const known = new Map(queueTasks.map((t) => [t.id, t]));
			const missing = unexplained(values.stuckRefs, known);
			if (missing.length > 0 && taskLookup) {
				try {
					for (const t of await taskLookup.lookup(missing, signal)) known.set(t.id, t);
				} catch (error) {
					joinErrors.push(`${describeError(error)} (stuck tasks are shown by id only)`);
				}
			}
			stuck = stuckFromRefs(values.stuckRefs, known, agents, hiveNow);
		} else if (values.queue) {
			stuck = stuckFromTasks(queueTasks, hiveNow);
		}
		const anyTaskData = values.allMetrics || values.queue || values.stuckRefs || values.coordination;
		const queueFallback =
			values.queue && Object.keys(values.queue.byStatus).length > 0
				? (values.queue.byStatus.pending ?? 0) + (values.queue.byStatus.assigned ?? 0)
				: null;

		return {
			at,
			hiveNow: hiveNow === at ? null : hiveNow,
			profile,
			profileSource: profiles.source(),
			coordination: values.coordination,
			agentMetrics: values.agentMetrics,
			health: values.health,
			agents,
			// The hive counts busy agents as active too (agents list `active_agents`).
			activeAgents: values.agentsList?.activeAgents ?? (agents ? agents.filter((a) => a.status === 'active' || a.status === 'busy').length : null),
			totalAgents: values.agentsList?.totalAgents ?? (agents ? agents.length : null),
			tasks: anyTaskData
				? {
						byStatus,
						queueLength: values.coordination?.queueLength ?? queueFallback,
						longRunning: values.coordination?.longRunning ?? (values.queue ? stuck.length : null),
						stuck,
						items: queueTasks,
					}
				: null,
			partialErrors: [...failures.map((f) => f.message), ...joinErrors],
		};
	}

	return {
		name: 'hive',
		client,
		profile: () => profiles.current(),
		resolveProfile: (signal) => profiles.resolve(signal),
		poll,
		close: async () => {
			await Promise.allSettled([client.close(), taskLookup?.close()]);
		},
	};
}
