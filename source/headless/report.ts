// The `status --json` document (schema 1), built from the store's state. The text renderer reads the same
// object, so what people read and what scripts read never disagree.
import type {ResolvedConfig} from '../config/resolve.js';
import {heartbeatAgeSeconds, hiveTime} from '../model/agents.js';
import type {Assessment, HealthState, MetricName, OverallState, Recommendation, RunbookScenario} from '../model/types.js';
import {selectAssessment} from '../store/selectors.js';
import type {HiveConsoleState, SourceState} from '../store/types.js';
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
	metrics: Record<MetricName, {value: number | null; state: HealthState; reason: string}>;
	scenarios: Array<{scenario: RunbookScenario; reason: string}>;
	recommendations: Recommendation[];
	agents: Array<{id: string; name: string; status: string; heartbeatAgeSeconds: number | null}>;
	staleHeartbeats: number | null;
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

export function buildStatusReport(state: HiveConsoleState, config: ResolvedConfig, now: number, assessment: Assessment = selectAssessment(state)): StatusReport {
	const {hive, redis, postgres} = state.snapshots;
	// A hive that failed its last poll is unknown, even though the store keeps the older snapshot on screen.
	const hiveState = state.sources.hive.state;
	const overall: OverallState = hive && (hiveState === 'ok' || hiveState === 'slow') ? assessment.overall : 'unknown';
	const metrics = {} as StatusReport['metrics'];
	for (const [name, m] of Object.entries(assessment.metrics) as Array<[MetricName, Assessment['metrics'][MetricName]]>) {
		metrics[name] = {value: finite(m.value), state: m.state, reason: m.reason};
	}
	const components: StatusReport['components'] = {};
	for (const c of hive?.health?.components ?? []) {
		components[c.name] = {status: c.status, details: c.details, error: c.error, responseTime: c.responseTime};
	}
	const source = (name: 'hive' | 'redis' | 'postgres') => ({state: state.sources[name].state, error: state.sources[name].lastError});
	return {
		schema: STATUS_SCHEMA,
		generatedAt: new Date(now).toISOString(),
		context: config.contextName,
		environment: config.environment?.label ?? null,
		hive: redactUrl(config.hiveUrl),
		profile: hive?.profile ?? null,
		overall,
		metrics,
		scenarios: assessment.scenarios,
		recommendations: assessment.recommendations,
		agents: (hive?.agents ?? []).map((a) => {
			const age = heartbeatAgeSeconds(a, hiveTime(hive!));
			return {id: a.id, name: a.name, status: a.status, heartbeatAgeSeconds: age === null ? null : round(age, 1)};
		}),
		staleHeartbeats: assessment.staleHeartbeats,
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
		partialErrors: hive?.partialErrors ?? [],
	};
}

// JSON.stringify escapes C0 controls but not C1 controls, bidi overrides or line separators; escaping them
// too keeps the data identical for a parser and harmless on a terminal.
const UNSAFE_IN_JSON = /[\u0080-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C\u2028\u2029]/g;

export function toSafeJson(value: unknown, indent = 2): string {
	return JSON.stringify(value, null, indent).replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
