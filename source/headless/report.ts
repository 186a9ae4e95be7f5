// The `status --json` document (schema 1), built from the store's state. The text renderer reads the same
// object, so what people read and what scripts read never disagree.
import type {ResolvedConfig} from '../config/resolve.js';
import {DEFAULT_STALE_HEARTBEAT_SECONDS, heartbeatAgeSeconds, hiveTime, staleHeartbeat} from '../model/agents.js';
import {describeUntrusted} from '../model/freshness.js';
import type {Assessment, Condition, HealthState, MetricName, OverallState, Recommendation, RunbookScenario} from '../model/types.js';
import {selectAssessment} from '../model/select.js';
import type {HiveConsoleState, SourceState} from '../contract/snapshot.js';
import {redactUrl} from '../util/redact.js';

export const STATUS_SCHEMA = 1;

export interface StatusReport {
	schema: typeof STATUS_SCHEMA;
	generatedAt: string;
	context: string | null;
	environment: string | null;
	/** Hive base URL without credentials. */
	hive: string;
	profile: 'runbook' | 'beehive' | null;
	overall: OverallState;
	/** Why the overall state is unknown when the hive's data is not current, e.g. "hive down 40 s"; else null. */
	overallReason: string | null;
	metrics: Record<MetricName, {value: number | null; state: HealthState; reason: string}>;
	scenarios: Array<{scenario: RunbookScenario; reason: string}>;
	/** Slow database, flaky API: what is wrong and what the runbook offers. */
	conditions: Condition[];
	recommendations: Recommendation[];
	agents: Array<{id: string; name: string; status: string; heartbeatAgeSeconds: number | null; staleHeartbeat: boolean}>;
	staleHeartbeats: number | null;
	/** The stale-heartbeat threshold in force, seconds. */
	staleHeartbeatSeconds: number;
	/** Sources whose data was not current: down twice in a row, or older than two intervals. */
	untrusted: Array<{source: string; what: string; since: string | null; lastGoodAt: string | null}>;
	tasks: {
		queueLength: number | null;
		longRunning: number | null;
		stuck: Array<{id: string; title: string | null; status: string | null; agentId: string | null; agentName: string | null; ageSeconds: number | null}>;
	};
	/** /health's overall status, and its components by name. */
	health: string | null;
	components: Record<string, {status: string; details: string | null; error: string | null; responseTime: string | null}>;
	streams: Array<{key: string; length: number; groups: Array<{name: string; consumers: number; pending: number; lag: number | null}>}>;
	streamsTruncated: string | null;
	slowQueries: Array<{query: string; calls: number; meanMs: number; rows: number; hitPercent: number | null}>;
	slowQueriesNote: string | null;
	sources: Record<'hive' | 'redis' | 'postgres', {state: SourceState; error: string | null}>;
	/** Endpoint-level problems inside a hive poll that otherwise succeeded. */
	partialErrors: string[];
}

const EXIT_BY_OVERALL: Record<OverallState, number> = {healthy: 0, warning: 1, critical: 2, unknown: 3};

/** 0 healthy, 1 warning, 2 critical, 3 unknown (the hive unreachable or unreadable). */
export function exitCodeFor(overall: OverallState): number {
	return EXIT_BY_OVERALL[overall];
}

function finite(value: number | null | undefined): number | null {
	return value === null || value === undefined || !Number.isFinite(value) ? null : value;
}

function round(value: number, digits: number): number {
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}

export interface ReportOptions {
	/** One-shot commands: timeouts are explained against this deadline and the flag that raises it. */
	deadline?: {ms: number; flag: string};
}

/** A timeout said plainly against the command's own deadline, naming the flag that raises it. */
export function explainDeadline(message: string | null, source: string, deadline: ReportOptions['deadline']): string | null {
	if (message === null || !deadline || !/no answer within/.test(message)) return message;
	const seconds = deadline.ms % 1000 === 0 ? `${deadline.ms / 1000}` : (deadline.ms / 1000).toFixed(1);
	return `${source}: no answer within the ${seconds} s deadline (raise it with ${deadline.flag})`;
}

export function buildStatusReport(
	state: HiveConsoleState,
	config: ResolvedConfig,
	now: number,
	assessment: Assessment = selectAssessment(state, now),
	options: ReportOptions = {},
): StatusReport {
	const {hive, redis, postgres} = state.snapshots;
	const overall: OverallState = assessment.overall;
	const hiveDistrust = assessment.untrusted.find((u) => u.source === 'hive');
	const threshold = state.thresholds?.staleHeartbeatSeconds ?? DEFAULT_STALE_HEARTBEAT_SECONDS;
	const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
	const metrics = {} as StatusReport['metrics'];
	for (const [name, m] of Object.entries(assessment.metrics) as Array<[MetricName, Assessment['metrics'][MetricName]]>) {
		metrics[name] = {value: finite(m.value), state: m.state, reason: m.reason};
	}
	const components: StatusReport['components'] = {};
	for (const c of hive?.health?.components ?? []) {
		components[c.name] = {status: c.status, details: c.details, error: c.error, responseTime: c.responseTime};
	}
	const source = (name: 'hive' | 'redis' | 'postgres') => ({state: state.sources[name].state, error: explainDeadline(state.sources[name].lastError, name, options.deadline)});
	const flag = options.deadline?.flag;
	return {
		schema: STATUS_SCHEMA,
		generatedAt: new Date(now).toISOString(),
		context: config.contextName,
		environment: config.environment?.label ?? null,
		hive: redactUrl(config.hiveUrl),
		profile: hive?.profile ?? null,
		overall,
		overallReason: overall === 'unknown' && hiveDistrust ? describeUntrusted(hiveDistrust, now) : null,
		metrics,
		scenarios: assessment.scenarios,
		conditions: assessment.conditions,
		recommendations: assessment.recommendations,
		agents: (hive?.agents ?? []).map((a) => {
			const at = hiveTime(hive!);
			const age = heartbeatAgeSeconds(a, at);
			return {id: a.id, name: a.name, status: a.status, heartbeatAgeSeconds: age === null ? null : round(age, 1), staleHeartbeat: staleHeartbeat(a, at, threshold) !== null};
		}),
		staleHeartbeats: assessment.staleHeartbeats,
		staleHeartbeatSeconds: threshold,
		untrusted: assessment.untrusted.map((u) => ({source: u.source, what: u.what, since: iso(u.since), lastGoodAt: iso(u.lastGoodAt)})),
		tasks: {
			queueLength: finite(hive?.coordination?.queueLength ?? hive?.tasks?.queueLength),
			longRunning: finite(hive?.tasks?.longRunning ?? hive?.coordination?.longRunning),
			stuck: (hive?.tasks?.stuck ?? []).map((t) => ({...t, ageSeconds: t.ageSeconds === null ? null : Math.round(t.ageSeconds)})),
		},
		health: hive?.health?.status ?? null,
		components,
		streams: (redis?.streams ?? []).map((s) => ({
			key: s.key,
			length: s.length,
			groups: s.groups.map((g) => ({name: g.name, consumers: g.consumers, pending: g.pending, lag: g.lag})),
		})),
		streamsTruncated: redis?.truncated ? (redis.truncatedReason ?? 'truncated') : null,
		slowQueries: (postgres?.statements?.byMean ?? []).map((q) => ({
			query: q.query,
			calls: q.calls,
			meanMs: round(q.meanMs, 3),
			rows: q.rows,
			hitPercent: q.hitPercent === null ? null : round(q.hitPercent, 2),
		})),
		slowQueriesNote: postgres?.extensionHint ?? null,
		sources: {hive: source('hive'), redis: source('redis'), postgres: source('postgres')},
		partialErrors: (hive?.partialErrors ?? []).map((e) => (flag ? e.replace('raise the deadline', `raise it with ${flag}`) : e)),
	};
}

/** One escaping for every JSON the tools print or write (status --json, audit): source/util/safe-json.ts. */
export {toSafeJson} from '../util/safe-json.js';
