// Change detection, pure: the store's state and its assessment are boiled down to the facts the timeline
// cares about, and two sets of facts give the events between them. No clock, no I/O; the recorder times,
// folds and writes what comes out.
import type {HiveConsoleState, SourceName, SourceState} from '../contract/snapshot.js';
import {METRIC_NAMES, type MetricName, type Thresholds} from '../contract/thresholds.js';
import {DEFAULT_STALE_HEARTBEAT_SECONDS, hiveTime, reasonName, staleHeartbeat} from '../model/agents.js';
import {describeUntrusted} from '../model/freshness.js';
import {formatNumber, withUnit} from '../model/metrics.js';
import type {Assessment, HealthState, OverallState} from '../model/types.js';
import type {TimelineEvent, TimelineSeverity} from './types.js';

export type AgentCondition = 'ok' | 'stale' | 'error';

export interface TimelineFacts {
	overall: OverallState;
	overallReason: string | null;
	metrics: Record<MetricName, {state: HealthState; value: number | null; reason: string; threshold: string}>;
	sources: Record<SourceName, {state: SourceState; error: string | null}>;
	/** Agents by id, null when the hive's agents are not known now (then the previous facts stand). */
	agents: Map<string, {name: string; condition: AgentCondition; reason: string | null}> | null;
	/** Stuck tasks by id, null when unknown. */
	stuck: Map<string, {title: string | null; agentName: string | null; ageSeconds: number | null}> | null;
	/** Runbook scenarios and conditions (slow database, flaky API), null while the hive is not trusted. */
	scenarios: Map<string, string> | null;
	conditions: Map<string, string> | null;
}

const FAILING: ReadonlySet<SourceState> = new Set(['down', 'unauthorised', 'misconfigured']);

/** More than this many agents or tasks changing in one poll become one entry naming the first few. */
export const GROUP_LIMIT = 12;

function thresholdText(name: MetricName, t: Thresholds): string {
	const row = t[name];
	const op = row.direction === 'higher-is-better' ? '<' : '>';
	return `target ${row.direction === 'higher-is-better' ? '≥' : '≤'} ${withUnit(row.target, row.unit)}, warning ${op} ${withUnit(row.warning, row.unit)}, critical ${op} ${withUnit(row.critical, row.unit)}`;
}

/** The facts of one moment. `now` is the console's clock (only the overall reason reads it). */
export function factsOf(state: HiveConsoleState, assessment: Assessment, thresholds: Thresholds, now: number): TimelineFacts {
	const hiveUntrusted = assessment.untrusted.find((u) => u.source === 'hive') ?? null;
	const metrics = {} as TimelineFacts['metrics'];
	for (const name of METRIC_NAMES) {
		const m = assessment.metrics[name];
		metrics[name] = {state: m.state, value: m.value === null || !Number.isFinite(m.value) ? null : m.value, reason: m.reason, threshold: thresholdText(name, thresholds)};
	}
	const sources = {} as TimelineFacts['sources'];
	for (const [name, s] of Object.entries(state.sources) as Array<[SourceName, HiveConsoleState['sources'][SourceName]]>) {
		sources[name] = {state: s.state, error: s.lastError};
	}
	const hive = state.snapshots.hive;
	let agents: TimelineFacts['agents'] = null;
	let stuck: TimelineFacts['stuck'] = null;
	if (hive && !hiveUntrusted) {
		if (hive.agents) {
			const at = hiveTime(hive);
			const limit = thresholds.staleHeartbeatSeconds ?? DEFAULT_STALE_HEARTBEAT_SECONDS;
			agents = new Map();
			for (const a of hive.agents) {
				const stale = a.status === 'error' ? null : staleHeartbeat(a, at, limit);
				agents.set(a.id, {name: a.name, condition: a.status === 'error' ? 'error' : stale ? 'stale' : 'ok', reason: a.status === 'error' ? 'status error' : (stale?.reason ?? null)});
			}
		}
		if (hive.tasks) {
			stuck = new Map();
			for (const t of hive.tasks.stuck) stuck.set(t.id, {title: t.title, agentName: t.agentName, ageSeconds: t.ageSeconds});
		}
	}
	return {
		overall: assessment.overall,
		overallReason: hiveUntrusted ? describeUntrusted(hiveUntrusted, now) : null,
		metrics,
		sources,
		agents,
		stuck,
		// Scenarios are named only from current data: while the hive is not trusted they are unknown, not cleared.
		scenarios: hiveUntrusted ? null : new Map(assessment.scenarios.map((s) => [s.scenario, s.reason])),
		conditions: hiveUntrusted ? null : new Map(assessment.conditions.map((c) => [c.condition, c.reason])),
	};
}

/** Facts that are unknown now keep their last known value, so "unknown" never reads as "cleared". */
export function carryUnknown(before: TimelineFacts | null, after: TimelineFacts): TimelineFacts {
	if (!before) return after;
	return {
		...after,
		agents: after.agents ?? before.agents,
		stuck: after.stuck ?? before.stuck,
		scenarios: after.scenarios ?? before.scenarios,
		conditions: after.conditions ?? before.conditions,
	};
}

const HEALTH_SEVERITY: Record<HealthState, TimelineSeverity> = {ok: 'ok', degraded: 'info', warning: 'warning', critical: 'critical', unknown: 'unknown'};
const OVERALL_SEVERITY: Record<OverallState, TimelineSeverity> = {healthy: 'ok', warning: 'warning', critical: 'critical', unknown: 'unknown'};

function sourceClass(state: SourceState): 'up' | 'failing' | 'other' {
	if (FAILING.has(state)) return 'failing';
	return state === 'ok' || state === 'slow' ? 'up' : 'other';
}

function listNames(names: string[]): string {
	const shown = names.slice(0, 3).map(reasonName);
	return shown.join(', ') + (names.length > 3 ? `, … (${names.length} in all)` : '');
}

/**
 * The events between two moments. `before` null is the recorder's first look: what is wrong now is
 * recorded as a baseline (and the overall state always), so a restarted console states where it began.
 */
export function diffFacts(before: TimelineFacts | null, after: TimelineFacts): TimelineEvent[] {
	const events: TimelineEvent[] = [];
	const baseline = before === null ? {baseline: true} : {};

	if (!before || before.overall !== after.overall) {
		const why = after.overallReason ? ` (${after.overallReason})` : '';
		events.push({
			kind: 'overall',
			severity: OVERALL_SEVERITY[after.overall],
			subject: 'overall',
			from: before?.overall ?? null,
			to: after.overall,
			text: before ? `overall ${before.overall} → ${after.overall}${why}` : `overall ${after.overall}${why}`,
			...(after.overallReason ? {detail: {reason: after.overallReason}} : {}),
			...baseline,
		});
	}

	for (const name of METRIC_NAMES) {
		const b = before?.metrics[name];
		const a = after.metrics[name];
		if (b ? b.state === a.state : a.state === 'ok') continue;
		events.push({
			kind: 'metric',
			severity: HEALTH_SEVERITY[a.state],
			subject: name,
			from: b?.state ?? null,
			to: a.state,
			text: b ? `${a.reason} (was ${b.state})` : a.reason,
			detail: {value: a.value, threshold: a.threshold, reason: a.reason},
			...baseline,
		});
	}

	for (const name of Object.keys(after.sources) as SourceName[]) {
		const b = before?.sources[name];
		const a = after.sources[name];
		const bc = b ? sourceClass(b.state) : 'other';
		const ac = sourceClass(a.state);
		if (ac === 'failing' && (bc !== 'failing' || b!.state !== a.state)) {
			events.push({
				kind: 'source',
				severity: 'critical',
				subject: name,
				from: b?.state ?? null,
				to: a.state,
				text: `${name} ${a.state}: ${a.error ?? 'no error given'}`,
				detail: {error: a.error},
				...baseline,
			});
		} else if (ac === 'up' && bc === 'failing') {
			events.push({kind: 'source', severity: 'ok', subject: name, from: b!.state, to: a.state, text: `${name} back (${a.state}) after ${b!.state}`, detail: {previousError: b!.error}});
		}
	}

	events.push(...agentEvents(before?.agents ?? null, after.agents, before === null));
	events.push(...stuckEvents(before?.stuck ?? null, after.stuck, before === null));

	if (after.scenarios) {
		const b = before?.scenarios ?? new Map<string, string>();
		for (const [scenario, reason] of after.scenarios) {
			if (!b.has(scenario)) {
				events.push({kind: 'scenario', severity: scenario === 'coordination-critical' ? 'critical' : 'warning', subject: scenario, from: null, to: 'detected', text: `scenario ${scenario} detected: ${reason}`, detail: {reason}, ...baseline});
			}
		}
		if (before?.scenarios) {
			for (const [scenario, reason] of before.scenarios) {
				if (!after.scenarios.has(scenario)) events.push({kind: 'scenario', severity: 'ok', subject: scenario, from: 'detected', to: 'cleared', text: `scenario ${scenario} cleared`, detail: {previousReason: reason}});
			}
		}
	}
	if (after.conditions) {
		const b = before?.conditions ?? new Map<string, string>();
		for (const [condition, reason] of after.conditions) {
			if (!b.has(condition)) events.push({kind: 'condition', severity: 'warning', subject: condition, from: null, to: 'detected', text: `${condition} detected: ${reason}`, detail: {reason}, ...baseline});
		}
		if (before?.conditions) {
			for (const condition of before.conditions.keys()) {
				if (!after.conditions.has(condition)) events.push({kind: 'condition', severity: 'ok', subject: condition, from: 'detected', to: 'cleared', text: `${condition} cleared`});
			}
		}
	}
	return events;
}

function agentEvents(before: TimelineFacts['agents'], after: TimelineFacts['agents'], first: boolean): TimelineEvent[] {
	if (!after) return [];
	const changes: Array<{id: string; name: string; from: AgentCondition | null; to: AgentCondition; reason: string | null}> = [];
	for (const [id, a] of after) {
		const b = before?.get(id);
		const from = b?.condition ?? null;
		// A new (or first-seen) agent that is fine is not news; one that arrives stale or in error is.
		if (from === a.condition || (from === null && a.condition === 'ok')) continue;
		changes.push({id, name: a.name, from, to: a.condition, reason: a.reason});
	}
	const baseline = first ? {baseline: true} : {};
	const text = (c: (typeof changes)[number]) =>
		c.to === 'ok' ? `agent ${reasonName(c.name)} recovered (was ${c.from})` : c.to === 'stale' ? `agent ${reasonName(c.name)} stale: ${c.reason ?? 'heartbeat too old'}` : `agent ${reasonName(c.name)} in error`;
	const severity = (to: AgentCondition): TimelineSeverity => (to === 'ok' ? 'ok' : to === 'error' ? 'critical' : 'warning');
	const out: TimelineEvent[] = [];
	// Ten thousand agents going stale at once is one fact, not ten thousand lines.
	for (const to of ['stale', 'error', 'ok'] as const) {
		const group = changes.filter((c) => c.to === to);
		if (group.length > GROUP_LIMIT) {
			const verb = to === 'ok' ? 'recovered' : to === 'stale' ? 'turned stale' : 'went into error';
			out.push({kind: 'agents', severity: severity(to), subject: `agents:${to}`, from: null, to, text: `${group.length} agents ${verb}: ${listNames(group.map((c) => c.name))}`, detail: {count: group.length}, ...baseline});
			continue;
		}
		for (const c of group) {
			out.push({kind: 'agent', severity: severity(c.to), subject: c.id, from: c.from, to: c.to, text: text(c), detail: {name: c.name, reason: c.reason}, ...baseline});
		}
	}
	return out;
}

function stuckEvents(before: TimelineFacts['stuck'], after: TimelineFacts['stuck'], first: boolean): TimelineEvent[] {
	if (!after) return [];
	const appeared = [...after].filter(([id]) => !before?.has(id));
	const cleared = before ? [...before].filter(([id]) => !after.has(id)) : [];
	const baseline = first ? {baseline: true} : {};
	const label = (t: {title: string | null}, id: string) => reasonName(t.title ?? id);
	const out: TimelineEvent[] = [];
	if (appeared.length > GROUP_LIMIT) {
		out.push({kind: 'tasks', severity: 'warning', subject: 'tasks:stuck', from: null, to: 'stuck', text: `${appeared.length} tasks stuck: ${listNames(appeared.map(([id, t]) => t.title ?? id))}`, detail: {count: appeared.length}, ...baseline});
	} else {
		for (const [id, t] of appeared) {
			const age = t.ageSeconds === null ? '' : ` for ${formatNumber(Math.round(t.ageSeconds / 60))} min`;
			const agent = t.agentName ? ` on ${reasonName(t.agentName)}` : '';
			out.push({kind: 'task', severity: 'warning', subject: id, from: null, to: 'stuck', text: `task ${label(t, id)} stuck${age}${agent}`, detail: {title: t.title, agent: t.agentName, ageSeconds: t.ageSeconds === null ? null : Math.round(t.ageSeconds)}, ...baseline});
		}
	}
	if (cleared.length > GROUP_LIMIT) {
		out.push({kind: 'tasks', severity: 'ok', subject: 'tasks:cleared', from: 'stuck', to: 'cleared', text: `${cleared.length} stuck tasks cleared: ${listNames(cleared.map(([id, t]) => t.title ?? id))}`, detail: {count: cleared.length}});
	} else {
		for (const [id, t] of cleared) out.push({kind: 'task', severity: 'ok', subject: id, from: 'stuck', to: 'cleared', text: `task ${label(t, id)} no longer stuck`, detail: {title: t.title}});
	}
	return out;
}

/**
 * One step of the reducer: the facts of the new moment (unknown parts carried over) and the events since
 * the previous one.
 */
export function timelineStep(before: TimelineFacts | null, after: TimelineFacts): {facts: TimelineFacts; events: TimelineEvent[]} {
	const facts = carryUnknown(before, after);
	return {facts, events: diffFacts(before, facts)};
}
