// The incident snapshot as data: everything the console knows at one moment (header state, every pane's
// data with thresholds and reasons, each source's error and age, the scenario and playbook progress, the
// last hour of the timeline, recent audit entries, the configuration without secrets, versions). Pure:
// the caller passes the state, the clock and what it read from disk. Every string in the result has been
// redacted and sanitised, so the Markdown and JSON writers only format.
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {AuditEntry} from '../actions/audit-log.js';
import type {PlaybookState} from '../actions/playbooks/types.js';
import type {ResolvedConfig} from '../config/resolve.js';
import type {HiveConsoleState, SourceName, SourceState} from '../contract/snapshot.js';
import {DEFAULT_THRESHOLDS, METRIC_NAMES, type MetricName, type Threshold} from '../contract/thresholds.js';
import {DEFAULT_STALE_HEARTBEAT_SECONDS, heartbeatAgeSeconds, hiveTime, staleHeartbeat} from '../model/agents.js';
import {describeUntrusted} from '../model/freshness.js';
import type {Assessment, Condition, HealthState, OverallState, Recommendation} from '../model/types.js';
import type {TimelineEntry} from '../timeline/types.js';
import {redactText, redactUrl} from '../util/redact.js';
import {sanitise} from '../util/terminal-text.js';

export const SNAPSHOT_SCHEMA = 'hive-console.snapshot/1';

/** How far back the timeline and the audit entries go by default. */
export const SNAPSHOT_WINDOW_MS = 60 * 60_000;
/** Audit lines are taken from this far back (a day: an incident's actions often started before the hour). */
export const SNAPSHOT_AUDIT_WINDOW_MS = 24 * 60 * 60_000;
/** Audit lines kept (newest). */
export const SNAPSHOT_AUDIT_LIMIT = 100;
/** Log lines kept (newest). */
export const SNAPSHOT_LOG_LIMIT = 100;

type Iso = string;

export interface SnapshotDocument {
	schema: typeof SNAPSHOT_SCHEMA;
	generatedAt: Iso;
	/** "Now" on the hive's clock, when a hive snapshot states one (else the console's). */
	hiveClock: Iso;
	context: string | null;
	environment: string | null;
	/** Base URL, credentials removed. */
	hive: string;
	profile: 'runbook' | 'beehive' | null;
	header: {
		overall: OverallState;
		/** Why the overall state is unknown ("hive down 40 s"), else null. */
		overallReason: string | null;
		paused: boolean;
		intervalSeconds: number;
		scenarios: Array<{scenario: string; reason: string}>;
		conditions: Condition[];
		staleHeartbeats: number | null;
	};
	metrics: Array<{
		name: MetricName;
		label: string;
		state: HealthState;
		value: number | null;
		unit: Threshold['unit'];
		reason: string;
		threshold: {target: number; warning: number; critical: number; direction: Threshold['direction']};
	}>;
	recommendations: Recommendation[];
	health: {status: string; version: string | null; components: Array<{name: string; status: string; details: string | null; error: string | null; responseTime: string | null}>} | null;
	sources: Array<{
		name: SourceName;
		state: SourceState;
		error: string | null;
		lastSuccessAt: Iso | null;
		/** Seconds since the last good data, at generation time; null when there never was any. */
		ageSeconds: number | null;
		consecutiveFailures: number;
		failingSince: Iso | null;
		/** Not trusted by the model now: "down", "stale", "pending"… ; null when trusted. */
		untrusted: string | null;
	}>;
	partialErrors: string[];
	agents: {
		total: number | null;
		active: number | null;
		byStatus: Record<string, number>;
		staleHeartbeatSeconds: number;
		rows: Array<{
			id: string;
			name: string;
			type: string;
			role: string;
			status: string;
			heartbeatAgeSeconds: number | null;
			stale: boolean;
			staleReason: string | null;
			responseTimeSeconds: number | null;
			tasksCompleted: number;
			tasksFailed: number;
			errorCount: number;
			healthScore: number | null;
			currentTask: string | null;
		}>;
	} | null;
	tasks: {
		byStatus: Record<string, number>;
		queueLength: number | null;
		longRunning: number | null;
		stuck: Array<{id: string; title: string | null; status: string | null; agentId: string | null; agentName: string | null; ageSeconds: number | null}>;
		items: Array<{id: string; title: string; status: string; priority: string | null; agent: string | null; ageSeconds: number | null; retryCount: number; errorMessage: string | null}>;
	} | null;
	streams: {
		serverVersion: string | null;
		cluster: boolean;
		truncated: string | null;
		clients: {connected: number | null; blocked: number | null; maxClients: number | null};
		memory: {usedBytes: number | null; peakBytes: number | null};
		rows: Array<{
			key: string;
			length: number;
			groups: Array<{name: string; consumers: number; pending: number; lag: number | null; oldestPendingIdleMs: number | null; consumerDetails: Array<{name: string; pending: number; idleMs: number | null}>}>;
		}>;
	} | null;
	slowQueries: {
		serverVersion: string | null;
		extensionVersion: string | null;
		/** How to enable pg_stat_statements when it is missing. */
		extensionHint: string | null;
		byMean: Array<{query: string; calls: number; meanMs: number; totalMs: number; rows: number; hitPercent: number | null}>;
		longRunning: Array<{pid: number; durationSeconds: number; state: string | null; query: string; applicationName: string | null; waitEvent: string | null}>;
	} | null;
	logs: {origin: string; lines: Array<{at: Iso; category: string; text: string}>} | null;
	playbook: {
		id: string;
		title: string;
		finished: boolean;
		aborted: boolean;
		outcome: string | null;
		steps: Array<{id: string; title: string; kind: string; status: string; message: string}>;
	} | null;
	/** The timeline's entries of the last hour, oldest first. */
	timeline: TimelineEntry[];
	/** Audit lines of the last day (at most 100, the newest), oldest first. */
	audit: AuditEntry[];
	config: {
		configFile: string | null;
		hive: string;
		hiveToken: 'set' | 'not set';
		redis: string | null;
		database: string | null;
		alertmanager: string | null;
		apiProfile: string;
		intervalSeconds: number;
		readOnly: boolean;
		logs: string | null;
		redisStreams: string[] | null;
		thresholds: Record<string, unknown>;
		escalation: ResolvedConfig['escalation'];
		auditLog: string;
		stateDir: string;
		origins: ResolvedConfig['origins'];
	};
	versions: {hiveConsole: string; node: string; platform: string; hive: string | null};
}

export interface SnapshotInput {
	state: HiveConsoleState;
	assessment: Assessment;
	config: ResolvedConfig;
	/** The console's clock. */
	now: number;
	audit?: AuditEntry[];
	timeline?: TimelineEntry[];
	/** The playbook in progress (or just ended), if any. */
	playbook?: PlaybookState | null;
	/** Defaults to this package's version and the running Node's. */
	versions?: {hiveConsole: string; node: string};
	/** Timeline and audit window (default one hour). */
	windowMs?: number;
}

let packageVersion: string | null = null;

/** This program's version, from the package.json above this module (source/ or dist/ alike). */
export function hiveConsoleVersion(): string {
	if (packageVersion !== null) return packageVersion;
	packageVersion = 'unknown';
	try {
		let dir = path.dirname(fileURLToPath(import.meta.url));
		for (let i = 0; i < 5; i++) {
			const file = path.join(dir, 'package.json');
			if (existsSync(file)) {
				const pkg = JSON.parse(readFileSync(file, 'utf8')) as {name?: string; version?: string};
				if (pkg.name === 'hive-console' && typeof pkg.version === 'string') {
					packageVersion = pkg.version;
					break;
				}
			}
			dir = path.dirname(dir);
		}
	} catch {
		// A version we cannot read is reported as unknown; the snapshot is still worth writing.
	}
	return packageVersion;
}

const iso = (ms: number | null | undefined): Iso | null => (ms === null || ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString());
const finite = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);
const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Every string in a value, redacted and sanitised (controls become a visible marker, bidi and invisible
 * characters go). Newlines survive (a query's text); the Markdown writer cuts cells to one line.
 */
export function scrub<T>(value: T): T {
	if (typeof value === 'string') return sanitise(redactText(value), {multiline: true}) as T;
	if (Array.isArray(value)) return value.map((v) => scrub(v)) as T;
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value)) out[sanitise(k)] = scrub(v);
		return out as T;
	}
	return value;
}

/** The configuration in use, with every secret removed: URLs without credentials, the token as set / not set. */
export function redactedConfig(config: ResolvedConfig): SnapshotDocument['config'] {
	const url = (u: string | null) => (u === null ? null : redactUrl(u));
	const {staleHeartbeatSeconds, ...rows} = config.thresholds;
	return {
		configFile: config.configPath,
		hive: redactUrl(config.hiveUrl),
		hiveToken: config.hiveToken ? 'set' : 'not set',
		redis: url(config.redisUrl),
		database: url(config.databaseUrl),
		alertmanager: url(config.alertmanagerUrl),
		apiProfile: config.apiProfile,
		intervalSeconds: config.intervalMs / 1000,
		readOnly: config.readOnly,
		// A log command may carry a password on its command line: redacted like any other text.
		logs: config.logs === null ? null : redactText(config.logs),
		redisStreams: config.redisStreams,
		thresholds: {...rows, staleHeartbeatSeconds: staleHeartbeatSeconds ?? DEFAULT_STALE_HEARTBEAT_SECONDS},
		escalation: config.escalation,
		auditLog: config.auditLogPath,
		stateDir: config.stateDir,
		origins: config.origins,
	};
}

export function buildSnapshot(input: SnapshotInput): SnapshotDocument {
	const {state, assessment, config, now} = input;
	const {hive, redis, postgres, logs} = state.snapshots;
	const thresholds = state.thresholds ?? config.thresholds ?? DEFAULT_THRESHOLDS;
	const staleLimit = thresholds.staleHeartbeatSeconds ?? DEFAULT_STALE_HEARTBEAT_SECONDS;
	const hiveNow = hive ? hiveTime(hive, now) : now;
	const hiveDistrust = assessment.untrusted.find((u) => u.source === 'hive') ?? null;
	const windowStart = now - (input.windowMs ?? SNAPSHOT_WINDOW_MS);

	const metrics = METRIC_NAMES.map((name) => {
		const m = assessment.metrics[name];
		const t = thresholds[name];
		return {name, label: m.label, state: m.state, value: finite(m.value), unit: t.unit, reason: m.reason, threshold: {target: t.target, warning: t.warning, critical: t.critical, direction: t.direction}};
	});

	const sources = (Object.keys(state.sources) as SourceName[]).map((name) => {
		const s = state.sources[name];
		const u = assessment.untrusted.find((x) => x.source === name);
		return {
			name,
			state: s.state,
			error: s.lastError,
			lastSuccessAt: iso(s.lastSuccessAt),
			ageSeconds: s.lastSuccessAt === null ? null : Math.max(0, Math.round((now - s.lastSuccessAt) / 1000)),
			consecutiveFailures: s.consecutiveFailures,
			failingSince: iso(s.failingSince ?? null),
			untrusted: u ? describeUntrusted(u, now) : null,
		};
	});

	let agents: SnapshotDocument['agents'] = null;
	if (hive?.agents) {
		const at = hiveTime(hive);
		const byStatus: Record<string, number> = {};
		const rows = hive.agents.map((a) => {
			byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
			const age = heartbeatAgeSeconds(a, at);
			const stale = staleHeartbeat(a, at, staleLimit);
			return {
				id: a.id,
				name: a.name,
				type: a.type,
				role: a.role,
				status: a.status,
				heartbeatAgeSeconds: age === null ? null : round(age),
				stale: stale !== null,
				staleReason: stale?.reason ?? null,
				responseTimeSeconds: finite(a.averageResponseTime),
				tasksCompleted: a.tasksCompleted,
				tasksFailed: a.tasksFailed,
				errorCount: a.errorCount,
				healthScore: finite(a.healthScore),
				currentTask: a.currentTask,
			};
		});
		agents = {total: finite(hive.totalAgents), active: finite(hive.activeAgents), byStatus, staleHeartbeatSeconds: staleLimit, rows};
	}

	let tasks: SnapshotDocument['tasks'] = null;
	if (hive?.tasks) {
		const at = hiveTime(hive);
		tasks = {
			byStatus: hive.tasks.byStatus,
			queueLength: finite(hive.coordination?.queueLength ?? hive.tasks.queueLength),
			longRunning: finite(hive.tasks.longRunning ?? hive.coordination?.longRunning),
			stuck: hive.tasks.stuck.map((t) => ({...t, ageSeconds: t.ageSeconds === null ? null : Math.round(t.ageSeconds)})),
			items: hive.tasks.items.map((t) => {
				const since = t.startedAt ?? t.assignedAt ?? t.createdAt;
				return {
					id: t.id,
					title: t.title,
					status: t.status,
					priority: t.priority,
					agent: t.assignedAgentName ?? t.assignedAgentId,
					ageSeconds: since === null ? null : Math.max(0, Math.round((at - since) / 1000)),
					retryCount: t.retryCount,
					errorMessage: t.errorMessage,
				};
			}),
		};
	}

	const streams: SnapshotDocument['streams'] = redis
		? {
				serverVersion: redis.serverVersion,
				cluster: redis.cluster,
				truncated: redis.truncated ? (redis.truncatedReason ?? 'truncated') : null,
				clients: redis.clients,
				memory: {usedBytes: redis.memory.usedBytes, peakBytes: redis.memory.peakBytes},
				rows: redis.streams.map((s) => ({
					key: s.key,
					length: s.length,
					groups: s.groups.map((g) => ({
						name: g.name,
						consumers: g.consumers,
						pending: g.pending,
						lag: g.lag,
						oldestPendingIdleMs: g.oldestPendingIdleMs,
						consumerDetails: g.consumerDetails.map((c) => ({name: c.name, pending: c.pending, idleMs: c.idleMs})),
					})),
				})),
			}
		: null;

	const slowQueries: SnapshotDocument['slowQueries'] = postgres
		? {
				serverVersion: postgres.serverVersion,
				extensionVersion: postgres.statements?.version ?? null,
				extensionHint: postgres.extensionHint,
				byMean: (postgres.statements?.byMean ?? []).map((q) => ({query: q.query, calls: q.calls, meanMs: round(q.meanMs, 3), totalMs: round(q.totalMs, 3), rows: q.rows, hitPercent: q.hitPercent === null ? null : round(q.hitPercent, 2)})),
				longRunning: postgres.longRunning.map((l) => ({...l, durationSeconds: round(l.durationSeconds)})),
			}
		: null;

	const playbook = input.playbook
		? {
				id: input.playbook.playbookId,
				title: input.playbook.title,
				finished: input.playbook.finished,
				aborted: input.playbook.aborted,
				outcome: input.playbook.outcome,
				steps: input.playbook.steps.map((s) => ({id: s.id, title: s.title, kind: s.kind, status: s.status, message: s.message})),
			}
		: null;

	const doc: SnapshotDocument = {
		schema: SNAPSHOT_SCHEMA,
		generatedAt: new Date(now).toISOString(),
		hiveClock: new Date(hiveNow).toISOString(),
		context: config.contextName,
		environment: config.environment?.label ?? null,
		hive: redactUrl(config.hiveUrl),
		profile: hive?.profile ?? null,
		header: {
			overall: assessment.overall,
			overallReason: assessment.overall === 'unknown' && hiveDistrust ? describeUntrusted(hiveDistrust, now) : null,
			paused: state.paused,
			intervalSeconds: state.intervalMs / 1000,
			scenarios: assessment.scenarios,
			conditions: assessment.conditions,
			staleHeartbeats: assessment.staleHeartbeats,
		},
		metrics,
		recommendations: assessment.recommendations,
		health: hive?.health ? {status: hive.health.status, version: hive.health.version, components: hive.health.components.map((c) => ({...c}))} : null,
		sources,
		partialErrors: hive?.partialErrors ?? [],
		agents,
		tasks,
		streams,
		slowQueries,
		logs: logs ? {origin: logs.origin, lines: logs.lines.slice(-SNAPSHOT_LOG_LIMIT).map((l) => ({at: iso(l.at) ?? '', category: l.category, text: l.text}))} : null,
		playbook,
		// The timeline is on the hive's clock: its window starts an hour before the hive's "now".
		timeline: (input.timeline ?? []).filter((e) => (e.lastAt ?? e.at) >= windowStart + (hiveNow - now)),
		audit: (input.audit ?? []).filter((e) => !(Date.parse(e.time) < now - SNAPSHOT_AUDIT_WINDOW_MS)).slice(-SNAPSHOT_AUDIT_LIMIT),
		config: redactedConfig(config),
		versions: {
			hiveConsole: input.versions?.hiveConsole ?? hiveConsoleVersion(),
			node: input.versions?.node ?? process.version,
			platform: `${process.platform}-${process.arch}`,
			hive: hive?.health?.version ?? null,
		},
	};
	return scrub(doc);
}
