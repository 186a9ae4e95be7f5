// Two problems the runbook has no scenario for but an operator meets: a slow database and a flaky API.
// Each is named with its evidence and with what the console and the runbook offer for it. Pure.
import type {HealthComponent} from '../contract/types.js';
import type {HiveSnapshot, PollRecord, PostgresSnapshot, SourceStatus} from '../contract/snapshot.js';
import {formatNumber} from './metrics.js';
import type {Condition, MetricAssessment, Thresholds} from './types.js';

/** A statement this slow on average (pg_stat_statements) is database trouble, not noise. */
export const SLOW_STATEMENT_MS = 500;
/** A statement running this long right now (pg_stat_activity) is evidence too. */
export const LONG_STATEMENT_SECONDS = 5;
/** /health's database component answering slower than this. */
export const SLOW_HEALTH_DB_MS = 500;
/** A hive poll (its endpoints read in parallel) taking this long means the API answers late. */
export const SLOW_API_MS = 2000;

function dbResponseMs(component: HealthComponent | undefined): number | null {
	if (!component?.responseTime) return null;
	const n = Number(component.responseTime);
	return Number.isFinite(n) ? n : null;
}

/**
 * Slow database: agents answer far above target (the response-time metric at warning or worse) and at
 * least one sign points at the database: a slow statement in pg_stat_statements or one running long now
 * (when PostgreSQL is configured), /health's database component answering slowly, or the hive's API
 * (whose reads go to the database) answering late. Response time alone could be communication trouble.
 */
export function slowDatabase(input: {
	responseTime: MetricAssessment;
	hive: HiveSnapshot | null;
	postgres: PostgresSnapshot | null;
	hiveStatus: SourceStatus | undefined;
	thresholds: Thresholds;
}): Condition | null {
	const rt = input.responseTime;
	if (rt.value === null || (rt.state !== 'warning' && rt.state !== 'critical')) return null;
	const evidence: string[] = [];
	const slowest = input.postgres?.statements?.byMean.find((q) => q.meanMs >= SLOW_STATEMENT_MS);
	if (slowest) evidence.push(`slowest statement ${formatNumber(Math.round(slowest.meanMs))} ms mean`);
	const running = input.postgres?.longRunning.filter((s) => s.durationSeconds >= LONG_STATEMENT_SECONDS) ?? [];
	if (running.length) evidence.push(`${running.length} statement${running.length === 1 ? '' : 's'} running > ${LONG_STATEMENT_SECONDS} s`);
	const db = input.hive?.health?.components.find((c) => c.name === 'database');
	const dbMs = dbResponseMs(db);
	if (dbMs !== null && dbMs >= SLOW_HEALTH_DB_MS) evidence.push(`/health database ${formatNumber(Math.round(dbMs))} ms`);
	const poll = input.hiveStatus?.lastDurationMs ?? null;
	if (poll !== null && poll >= SLOW_API_MS && (input.hiveStatus?.state === 'ok' || input.hiveStatus?.state === 'slow')) {
		evidence.push(`hive API answered in ${formatNumber(Math.round(poll / 100) / 10)} s`);
	}
	if (evidence.length === 0) return null;
	return {
		condition: 'slow-database',
		title: 'Slow database',
		reason: `agents answer in ${formatNumber(rt.value)} s (target < ${formatNumber(input.thresholds.responseTime.target)} s); ${evidence.join('; ')}`,
		offers: 'L latency analysis · pane 5 slow queries · C task cleanup (the weekly cleanup, days=7)',
	};
}

/** How many recent hive polls the flaky-API detection looks at, and how many it needs. */
export const FLAKY_WINDOW = 12;
export const FLAKY_MIN_POLLS = 4;

const FLAKY_KINDS = new Set(['http-5xx', 'timeout', 'malformed']);

/**
 * Flaky API: among the last polls, at least 3 (and a fifth) met 5xx answers, timeouts or malformed bodies,
 * while at least 2 returned data and one did so after the trouble began; and no endpoint failed in every
 * poll (that is a broken endpoint, not a flaky one). A hive that simply went down is "down", not flaky.
 */
export function flakyApi(polls: PollRecord[] | undefined): Condition | null {
	const window = (polls ?? []).slice(-FLAKY_WINDOW);
	if (window.length < FLAKY_MIN_POLLS) return null;
	const troubled = window.map((p) => p.failures.filter((f) => FLAKY_KINDS.has(f.kind)));
	const troubledCount = troubled.filter((f) => f.length > 0).length;
	if (troubledCount < 3 || troubledCount / window.length < 0.2) return null;
	if (window.filter((p) => p.ok).length < 2) return null;
	const first = troubled.findIndex((f) => f.length > 0);
	if (!window.slice(first + 1).some((p) => p.ok)) return null;
	const endpoints = new Set(window.flatMap((p) => p.failures.map((f) => f.endpoint)).filter((e) => e !== '*'));
	for (const endpoint of endpoints) {
		if (window.every((p) => p.failures.some((f) => f.endpoint === endpoint || f.endpoint === '*'))) return null;
	}
	const counts = {'http-5xx': 0, timeout: 0, malformed: 0};
	for (const f of troubled.flat()) counts[f.kind as keyof typeof counts]++;
	const parts = [
		counts['http-5xx'] ? `${counts['http-5xx']} × HTTP 5xx` : '',
		counts.timeout ? `${counts.timeout} timeout${counts.timeout === 1 ? '' : 's'}` : '',
		counts.malformed ? `${counts.malformed} malformed bod${counts.malformed === 1 ? 'y' : 'ies'}` : '',
	].filter(Boolean);
	return {
		condition: 'flaky-api',
		title: 'Flaky API',
		reason: `${troubledCount} of the last ${window.length} polls met failed reads (${parts.join(', ')}) while others succeeded`,
		offers: 'not a runbook scenario: check what sits in front of the hive (proxy, load balancer) and pane 6 logs · L latency analysis · the last good data stays on screen',
	};
}

/** The banner line, the same in the console and in `status`/`watch`. */
export function conditionLine(c: Condition): string {
	return `${c.title}: ${c.reason} · ${c.offers}`;
}
