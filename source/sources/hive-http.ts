// The hive HTTP source: one poll reads what the profile offers, in parallel, and builds a HiveSnapshot.
// One endpoint failing leaves its part null with a line in partialErrors; the poll throws only when
// nothing usable came back, so a sick database (which breaks most endpoints) still shows /health.
//
// Each fact is asked for once a poll, because the hive being polled may be the one in trouble: four
// requests in either profile (README, Benchmarks):
//   beehive: /health, /api/dashboard/metrics, agents/status?include_inactive=true, tasks/queue?limit=500
//   runbook: /health, /api/dashboard/metrics, /api/v1/agents/status, /api/v1/tasks/stuck
// The full Prometheus text carries the coordination and agent families that metrics/coordination and
// metrics/agents return (docs/hive-contract.md, section 2), and the agents list carries every agent's
// heartbeat (section 3), which is what agents/heartbeat reads from the same column. With
// --api-profile auto the beehive agents list is itself the probe: its 404 means runbook, anything else
// beehive, so detecting the profile costs no request of its own.
//
// A read that fails while the rest of the hive answers is not asked again every poll: a missing route
// (404/405) or one that refuses our credentials sits out 1, 2, 4 … up to MAX_SITTING_OUT polls; one that
// errs (5xx, an error metric, malformed, no answer) twice in a row is then asked every other poll, so it
// is back within two intervals of recovering. Until then its last error stays in partialErrors (the model treats it as
// failing, as before) and the snapshot's routeBackoff says when it is asked next.
import {commonReads, isAvailable, profileRoutes, type Route} from '../contract/routes.js';
import type {AgentMetrics, ApiProfile, Agent, CoordinationMetrics, Task} from '../contract/types.js';
import {parsePrometheus, PrometheusParseError, type Exposition} from '../contract/prometheus.js';
import {
	agentsListSchema,
	BodyError,
	healthSchema,
	parseBody,
	stuckTasksSchema,
	taskQueueSchema,
	type AgentsList,
	type StuckTaskRef,
	type TaskQueue,
} from '../contract/schemas.js';
import {ageSeconds} from '../contract/timestamps.js';
import type {HealthReport} from '../contract/types.js';
import type {HiveSnapshot, RouteBackoff, StuckTask} from '../contract/snapshot.js';
import {describeError} from '../util/redact.js';
import {sanitise} from '../util/terminal-text.js';
import {createHiveClient, HiveRequestError, type HiveClient, type HiveResponse} from './hive-client.js';
import {createProfileResolver, type ProfileSetting} from './hive-profile.js';
import {reuseUnchanged} from './hive-reuse.js';
import {SourceError, type Source, type SourceErrorKind} from './source.js';
import {createPostgresTaskLookup, type TaskLookup} from './task-lookup.js';

/** Contract §2: in_progress and started more than an hour ago. */
export const STUCK_AFTER_MS = 60 * 60 * 1000;

/** The most polls a missing route sits out before it is asked again. */
export const MAX_SITTING_OUT = 16;

/** The reads of one poll: what the per-route backoff keys on. */
type ReadName = 'health' | 'metrics' | 'coordinationMetrics' | 'agentMetrics' | 'agentsList' | 'taskQueue' | 'stuckTasks';

/**
 * Polls a failing read sits out after its `failures`-th failure in a row: a missing route (or one that
 * refuses our credentials) backs off exponentially, since it will not come back by itself; any other
 * failure is forgiven once (asked again next poll), then skips every other poll, so that a recovered
 * route is read again within two intervals.
 */
export function pollsToSitOut(failures: number, missing: boolean): number {
	if (!missing) return failures >= 2 ? 1 : 0;
	return Math.min(MAX_SITTING_OUT, 2 ** Math.max(0, failures - 1));
}

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

const COORDINATION_FAMILIES = {
	successRate: 'leanvibe_coordination_success_rate',
	avgCompletionTimeMinutes: 'leanvibe_coordination_avg_completion_time_minutes',
	agentUtilization: 'leanvibe_coordination_agent_utilization',
	queueLength: 'leanvibe_task_queue_length',
	longRunning: 'leanvibe_tasks_long_running',
	completedPerHour: 'leanvibe_tasks_completed_per_hour',
	failedPerHour: 'leanvibe_tasks_failed_per_hour',
} as const satisfies Record<keyof CoordinationMetrics, string>;
const ERROR_METRICS = {
	all: 'leanvibe_metrics_generation_errors',
	coordination: 'leanvibe_coordination_metrics_error',
	agents: 'leanvibe_agent_metrics_error',
} as const;
const AGENTS_TOTAL = 'leanvibe_agents_total';
const STALE_HEARTBEATS = 'leanvibe_agents_stale_heartbeats';
const TASKS_TOTAL = 'leanvibe_tasks_total';
/** Every family this source reads from a metrics page; the parser skips the samples of the rest. */
const READ_FAMILIES: ReadonlySet<string> = new Set([...Object.values(COORDINATION_FAMILIES), ...Object.values(ERROR_METRICS), AGENTS_TOTAL, STALE_HEARTBEATS, TASKS_TOTAL]);

/** Reads a Prometheus endpoint; an error metric of docs/hive-contract.md section 2 above 0 turns the page into an error. */
async function readMetrics(client: HiveClient, route: Route, errorMetric: string, signal: AbortSignal): Promise<Exposition> {
	const response = await client.getText(route, {signal});
	let exposition: Exposition;
	try {
		exposition = parsePrometheus(response.text, {only: READ_FAMILIES});
	} catch (error) {
		if (error instanceof PrometheusParseError) {
			throw new HiveRequestError(response.endpoint, 'down', describeError(`${response.endpoint}: malformed Prometheus text at ${error.message}`));
		}
		throw error;
	}
	const flagged = exposition.samples(errorMetric).some((s) => s.value !== 0);
	if (flagged) throw new HiveRequestError(response.endpoint, 'down', flaggedMessage(response.endpoint, errorMetric));
	return exposition;
}

function flaggedMessage(endpoint: string, errorMetric: string): string {
	return `${endpoint}: the hive reported ${errorMetric} (it could not compute these metrics; check its database and logs)`;
}

/** "GET /api/dashboard/tasks/queue" from a read's error line (each starts with its endpoint). */
function endpointOf(message: string): string {
	const colon = message.indexOf(': ');
	return colon > 0 && colon < 300 ? message.slice(0, colon) : message.slice(0, 80);
}

/** Why a read sits out this poll and when it is asked again, for its partialErrors line. */
function backoffNote(failure: PartFailure, backoff: Map<ReadName, {missing: boolean; sitOut: number; failure: PartFailure}>): string {
	const state = [...backoff.values()].find((b) => b.failure === failure);
	if (!state) return 'failing';
	const next = state.sitOut + 1;
	return `${state.missing ? 'missing or refused' : 'failing'}, asked again ${next === 1 ? 'next poll' : `in ${next} polls`}`;
}

function single(exposition: Exposition, name: string): number | null {
	const samples = exposition.samples(name);
	return samples.length === 0 ? null : finiteOrNull(samples[0]!.value);
}

function toCoordination(e: Exposition): CoordinationMetrics {
	const out = {} as CoordinationMetrics;
	for (const [key, family] of Object.entries(COORDINATION_FAMILIES)) out[key as keyof CoordinationMetrics] = single(e, family);
	return out;
}

function toAgentMetrics(e: Exposition): AgentMetrics {
	return {byStatus: e.byLabel(AGENTS_TOTAL, 'status'), staleHeartbeats: single(e, STALE_HEARTBEATS)};
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

	function adoptPart(response: HiveResponse): Part<ApiProfile> {
		try {
			return {ok: true, value: profiles.adopt(response)};
		} catch (error) {
			return {ok: false, failure: failureOf(error)};
		}
	}

	// Per-route backoff (see the top of this file).
	const backoff = new Map<ReadName, {failures: number; missing: boolean; sitOut: number; failure: PartFailure; since: number}>();

	/** Runs a read unless its route is sitting out this poll; records how it went for the backoff. */
	function ask<T>(name: ReadName, read: () => Promise<T>, at: number): {result: Promise<Part<T>>; asked: boolean} {
		const state = backoff.get(name);
		if (state && state.sitOut > 0) {
			state.sitOut--;
			return {result: Promise.resolve({ok: false, failure: state.failure}), asked: false};
		}
		const result = part(read).then((r) => {
			if (r.ok) backoff.delete(name);
			else {
				const missing = r.failure.kind !== 'down';
				const failures = (state && state.missing === missing ? state.failures : 0) + 1;
				backoff.set(name, {failures, missing, sitOut: pollsToSitOut(failures, missing), failure: r.failure, since: state?.since ?? at});
			}
			return r;
		});
		return {result, asked: true};
	}

	function backoffFacts(): RouteBackoff[] {
		return [...backoff.values()].map((b) => ({
			endpoint: endpointOf(b.failure.message),
			reason: b.missing ? 'missing' : 'failing',
			failures: b.failures,
			nextAskInPolls: b.sitOut + 1,
			since: b.since,
			lastError: b.failure.message,
		}));
	}

	async function poll(signal: AbortSignal): Promise<HiveSnapshot> {
		const at = now();
		const jsonPart = <T>(parse: (endpoint: string, json: unknown) => T) => (answer: {endpoint: string; json: unknown}): T => {
			try {
				return parse(answer.endpoint, answer.json);
			} catch (error) {
				// The hive reports some read failures as HTTP 200 {error: "..."} (docs/hive-contract.md, section 3): say that,
				// not that a field is missing.
				const reported = (answer.json as {error?: unknown} | null)?.error;
				if (error instanceof BodyError && typeof reported === 'string') {
					throw new HiveRequestError(answer.endpoint, 'down', describeError(`${answer.endpoint}: the hive answered with an error: ${sanitise(reported)}`));
				}
				throw error;
			}
		};
		const readAgentsNow = jsonPart((e, j): AgentsList => parseBody(e, agentsListSchema, j));
		// A timer turn between parsing the agents list and reading it: on a big hive each takes tens of ms, and
		// a key pressed during the parse is then handled and drawn before the reading starts.
		const readAgents = (answer: {endpoint: string; json: unknown}): Promise<AgentsList> => new Promise((resolve) => setTimeout(resolve, 0)).then(() => readAgentsNow(answer));
		const skipped: ReadName[] = [];
		const track = <T>(name: ReadName, read: () => Promise<T>): Promise<Part<T>> => {
			const {result, asked} = ask(name, read, at);
			if (!asked) skipped.push(name);
			return result;
		};

		// With --api-profile auto and no profile yet, the beehive agents list is the probe (see the top).
		let profileP: Promise<Part<ApiProfile>>;
		let probedList: Promise<Part<AgentsList> | null> | null = null;
		const known = profiles.current();
		if (known) {
			profileP = Promise.resolve({ok: true, value: known});
		} else {
			// Read whole: a 200 here is this poll's agents list. A body over the size cap still has a status.
			const probe = client.request(profileRoutes.beehive.agentsList as Route, {signal}).then(
				(response) => ({response, error: null}),
				(error: unknown) => ({response: null, error}),
			);
			profileP = probe.then(({response, error}): Part<ApiProfile> => {
				if (response) return adoptPart(response);
				if (error instanceof HiveRequestError && error.status !== null) return adoptPart({status: error.status, endpoint: error.endpoint, contentType: null, text: '', json: undefined});
				return {ok: false, failure: failureOf(error)};
			});
			probedList = Promise.all([probe, profileP]).then(([{response, error}, p]) => {
				if (!p.ok || p.value !== 'beehive') return null;
				backoff.delete('agentsList');
				return part(async () => {
					if (!response) throw error;
					return readAgents(client.readJson(response));
				});
			});
		}
		const healthP = track('health', () => client.getJson(commonReads.health, {signal}).then(jsonPart((endpoint, json): HealthReport => parseBody(endpoint, healthSchema, json))));
		const metricsP = track('metrics', () => readMetrics(client, commonReads.allMetrics, ERROR_METRICS.all, signal));

		const profileResult = await profileP;
		const profile = profileResult.ok ? profileResult.value : null;
		const routes = profile ? profileRoutes[profile] : null;
		const none = Promise.resolve(null);
		const listFromProbe = probedList ? await probedList : null;
		const agentsP: Promise<Part<AgentsList> | null> = listFromProbe
			? Promise.resolve(listFromProbe)
			: routes && isAvailable(routes.agentsList)
				? track('agentsList', () => client.getJson(routes.agentsList as Route, {signal}).then(readAgents))
				: none;
		const queueP = routes && isAvailable(routes.taskQueue) ? track('taskQueue', () => client.getJson(routes.taskQueue as Route, {signal}).then(jsonPart((e, j): TaskQueue => parseBody(e, taskQueueSchema, j)))) : none;
		const stuckP = routes && isAvailable(routes.stuckTasks) ? track('stuckTasks', () => client.getJson(routes.stuckTasks as Route, {signal}).then(jsonPart((e, j): StuckTaskRef[] => parseBody(e, stuckTasksSchema, j)))) : none;

		// The coordination and agent families come from the full text. A hive whose full text lacks one of
		// them (not the shipped server) is asked for that family's own page instead, in the same poll.
		const metrics = await metricsP;
		const familyPart = <T>(name: ReadName, family: string, errorMetric: string, route: Route, to: (e: Exposition) => T): Promise<Part<T>> => {
			if (!metrics.ok) return Promise.resolve(metrics);
			const e = metrics.value;
			if (e.samples(errorMetric).some((s) => s.value !== 0)) {
				return Promise.resolve({ok: false, failure: {kind: 'down', message: flaggedMessage(`${commonReads.allMetrics.method} ${commonReads.allMetrics.path}`, errorMetric)}});
			}
			if (e.has(family)) return Promise.resolve({ok: true, value: to(e)});
			return track(name, () => readMetrics(client, route, errorMetric, signal).then(to));
		};
		const coordinationP = familyPart('coordinationMetrics', COORDINATION_FAMILIES.successRate, ERROR_METRICS.coordination, commonReads.coordinationMetrics, toCoordination);
		const agentMetricsP = familyPart('agentMetrics', AGENTS_TOTAL, ERROR_METRICS.agents, commonReads.agentMetrics, toAgentMetrics);

		const [coordination, agentMetrics, health, agentsList, queue, stuckRefs] = await Promise.all([coordinationP, agentMetricsP, healthP, agentsP, queueP, stuckP]);

		const failures: PartFailure[] = [];
		const take = <T>(result: Part<T> | null): T | null => {
			if (result === null) return null;
			if (result.ok) return result.value;
			// One failure of the full text is one line, not one per family read from it.
			if (!failures.includes(result.failure)) failures.push(result.failure);
			return null;
		};
		const values = {
			health: take(health),
			allMetrics: take(metrics),
			coordination: take(coordination),
			agentMetrics: take(agentMetrics),
			agentsList: take(agentsList),
			queue: take(queue),
			stuckRefs: take(stuckRefs),
		};
		// Last, so that a whole-poll error leads with a plain read rather than the probe.
		if (!profileResult.ok) failures.push({...profileResult.failure, message: `API profile not detected: ${profileResult.failure.message}`});
		const usable = Object.values(values).some((v) => v !== null);
		const dataWithoutHealth = Object.entries(values).some(([k, v]) => k !== 'health' && v !== null);
		const unauthorised = failures.some((f) => f.kind === 'unauthorised');
		if (!usable || !profile || (unauthorised && !dataWithoutHealth)) {
			// The whole hive failed: that is the poller's to retry, and every route is asked again next time.
			backoff.clear();
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
		// A read sitting out this poll keeps its last error, said to be that.
		const sittingOut = new Set(skipped.map((name) => backoff.get(name)?.failure));
		const partialMessages = failures.map((f) => (sittingOut.has(f) ? `${f.message} (not asked this poll: ${backoffNote(f, backoff)})` : f.message));

		const merged = values.agentsList?.agents ?? null;
		const agents = merged ? (lastAgents = reuseUnchanged(lastAgents, merged)) : null;
		const queueTasks = values.queue ? (lastTasks = reuseUnchanged(lastTasks, values.queue.tasks)) : [];
		const byStatus =
			values.allMetrics && values.allMetrics.has(TASKS_TOTAL)
				? values.allMetrics.byLabel(TASKS_TOTAL, 'status')
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
			partialErrors: [...partialMessages, ...joinErrors],
			...(backoff.size > 0 ? {routeBackoff: backoffFacts()} : {}),
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
