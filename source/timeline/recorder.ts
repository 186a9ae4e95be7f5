// The timeline recorder: watches the store (and the assessment of it), turns each change that matters into
// an entry timed on the hive's clock, folds flapping, keeps the recent entries in memory for the views and
// appends them to the context's file. Actions and playbook steps come in through `record()`. Every string
// is redacted and sanitised before it is kept: the timeline never holds a secret or a terminal control.
import {randomBytes} from 'node:crypto';
import type {StoreApi} from 'zustand/vanilla';
import type {HiveConsoleState} from '../contract/snapshot.js';
import {DEFAULT_THRESHOLDS} from '../contract/thresholds.js';
import {hiveTime} from '../model/agents.js';
import {selectAssessment} from '../model/select.js';
import type {Assessment} from '../model/types.js';
import {redactText} from '../util/redact.js';
import {cutToWidth, sanitise} from '../util/terminal-text.js';
import {factsOf, timelineStep, type TimelineFacts} from './changes.js';
import {openTimelineWriter, readTimeline, type TimelineFileError, type TimelineWriter} from './file.js';
import {DEFAULT_FLAP_WINDOW_MS, Folder} from './fold.js';
import {TIMELINE_VERSION, type RecordedEvent, type TimelineEntry, type TimelineEvent, type TimelineSeverity} from './types.js';

/** Columns kept of an entry's text and of each detail string: entries stay small, the file bounded. */
export const TEXT_MAX = 400;
export const DETAIL_MAX = 300;

export interface TimelineRecorderOptions {
	store: StoreApi<HiveConsoleState>;
	context: string | null;
	/** Where the context's timeline lives; null keeps it in memory only (tests, a read-only state dir). */
	stateDir: string | null;
	/** Both files together (default 4 MB). */
	capBytes?: number;
	/** Changes back and forth within this window fold into one entry (default 10 min). */
	flapWindowMs?: number;
	/** Entries kept in memory for the views, newest kept (default 1,000). The file holds more. */
	memoryLimit?: number;
	/** The console's clock (default Date.now). */
	now?: () => number;
	/** The assessment of a state at a time (default the model's memoised selector). */
	assess?: (state: HiveConsoleState, now: number) => Assessment;
	/**
	 * Re-judge this often even when the store does not change (data turning old while paused or while a
	 * poll hangs shows only with the clock). Null: only on store changes. Default null.
	 */
	tickMs?: number | null;
	onError?: (error: TimelineFileError) => void;
}

export interface TimelineRecorder {
	/** Loads the file's tail (entries and flapping memory), then follows the store. */
	start(): Promise<void>;
	/** Records an action's intent or outcome, a playbook step or a note. Returns the entry kept. */
	record(event: RecordedEvent): TimelineEntry;
	/** Judges the store's state now (the store subscription calls it; tests may too). */
	observe(): TimelineEntry[];
	/** The entries in memory, oldest first. */
	entries(): TimelineEntry[];
	/** Called with the entries (oldest first) after each change. */
	subscribe(listener: (entries: TimelineEntry[]) => void): () => void;
	/** Resolves when every entry recorded so far is on disk. */
	flush(): Promise<void>;
	/** Stops following the store and flushes. */
	stop(): Promise<void>;
	readonly path: string | null;
}

/** Text from the hive or an error message, made fit for the file: redacted, one line, cut. */
export function cleanText(value: unknown, max: number = TEXT_MAX): string {
	return cutToWidth(sanitise(redactText(value === null || value === undefined ? '' : String(value))), max);
}

function cleanDetail(detail: TimelineEntry['detail']): TimelineEntry['detail'] {
	if (!detail) return undefined;
	const out: NonNullable<TimelineEntry['detail']> = {};
	for (const [key, value] of Object.entries(detail)) {
		if (typeof value === 'string') out[key] = cleanText(value, DETAIL_MAX);
		else if (typeof value === 'number') out[key] = Number.isFinite(value) ? value : null;
		else out[key] = value;
	}
	return out;
}

export function createTimelineRecorder(options: TimelineRecorderOptions): TimelineRecorder {
	const now = options.now ?? Date.now;
	const assessOf = options.assess ?? ((state: HiveConsoleState, at: number) => selectAssessment(state, at));
	const memoryLimit = Math.max(10, options.memoryLimit ?? 1000);
	const folder = new Folder(options.flapWindowMs ?? DEFAULT_FLAP_WINDOW_MS);
	const writer: TimelineWriter | null = options.stateDir ? openTimelineWriter(options.stateDir, options.context, {capBytes: options.capBytes, onError: options.onError}) : null;
	const context = options.context === null ? null : cleanText(options.context, 80);
	let kept: TimelineEntry[] = [];
	let facts: TimelineFacts | null = null;
	let skewMs = 0;
	let seq = 0;
	const runTag = randomBytes(3).toString('hex');
	const listeners = new Set<(entries: TimelineEntry[]) => void>();
	let unsubscribe: (() => void) | null = null;
	let timer: NodeJS.Timeout | null = null;

	/** The hive's clock now: the console's, shifted by the skew the latest hive poll saw. */
	const hiveNow = (consoleNow: number): number => {
		const hive = options.store.getState().snapshots.hive;
		if (hive) skewMs = hiveTime(hive, consoleNow) - consoleNow;
		return consoleNow + skewMs;
	};

	const makeEntry = (event: TimelineEvent, consoleAt: number, at: number): TimelineEntry => ({
		v: TIMELINE_VERSION,
		id: `${consoleAt.toString(36)}-${runTag}-${(seq++).toString(36)}`,
		at,
		time: new Date(at).toISOString(),
		consoleAt,
		context,
		kind: event.kind,
		severity: event.severity,
		subject: cleanText(event.subject, 200),
		from: event.from === null ? null : cleanText(event.from, 60),
		to: event.to === null ? null : cleanText(event.to, 60),
		text: cleanText(event.text),
		...(event.detail ? {detail: cleanDetail(event.detail)} : {}),
		...(event.baseline ? {baseline: true} : {}),
	});

	const keep = (written: TimelineEntry[]) => {
		if (written.length === 0) return;
		const index = new Map(kept.map((e, i) => [e.id, i]));
		const next = [...kept];
		for (const e of written) {
			const i = index.get(e.id);
			if (i === undefined) {
				index.set(e.id, next.length);
				next.push(e);
			} else next[i] = e;
		}
		kept = next.length > memoryLimit ? next.slice(-memoryLimit) : next;
		void writer?.append(written);
		for (const listener of listeners) listener(kept);
	};

	// The skew is re-estimated on every hive poll and wobbles by the request's latency: entries never go
	// back in time because of it, so the file's order and its times agree.
	let lastAt = -Infinity;
	const add = (events: TimelineEvent[], consoleAt: number): TimelineEntry[] => {
		const at = Math.max(hiveNow(consoleAt), lastAt);
		lastAt = at;
		const written = events.map((event) => folder.fold(makeEntry(event, consoleAt, at)).entry);
		folder.prune(at);
		keep(written);
		return written;
	};

	const observe = (): TimelineEntry[] => {
		const state = options.store.getState();
		// Before the first hive poll settles there is nothing to say: "unknown, no data yet" is not an event.
		if (state.sources.hive.state === 'pending' && !state.snapshots.hive) return [];
		const consoleAt = now();
		const assessment = assessOf(state, consoleAt);
		const step = timelineStep(facts, factsOf(state, assessment, state.thresholds ?? DEFAULT_THRESHOLDS, consoleAt));
		facts = step.facts;
		return step.events.length ? add(step.events, consoleAt) : [];
	};

	return {
		path: writer?.path ?? null,
		async start() {
			if (options.stateDir) {
				try {
					const {entries} = await readTimeline(options.stateDir, options.context);
					kept = entries.slice(-memoryLimit);
					for (const e of kept) folder.remember(e);
				} catch (error) {
					options.onError?.(error as TimelineFileError);
				}
			}
			if (!unsubscribe) {
				unsubscribe = options.store.subscribe((state, previous) => {
					if (state.sources !== previous.sources || state.snapshots !== previous.snapshots) observe();
				});
			}
			if (options.tickMs && !timer) {
				timer = setInterval(observe, options.tickMs);
				timer.unref();
			}
			observe();
			for (const listener of listeners) listener(kept);
		},
		record(event) {
			const consoleAt = now();
			return add([recordedEvent(event)], consoleAt)[0]!;
		},
		observe,
		entries: () => kept,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		flush: () => writer?.flush() ?? Promise.resolve(),
		async stop() {
			unsubscribe?.();
			unsubscribe = null;
			if (timer) clearInterval(timer);
			timer = null;
			await writer?.flush();
		},
	};
}

const OUTCOME_SEVERITY: Record<string, TimelineSeverity> = {
	confirmed: 'ok',
	sent: 'info',
	completed: 'ok',
	recovered: 'ok',
	done: 'ok',
	failed: 'critical',
	'not-recovered': 'critical',
	unconfirmed: 'warning',
	aborted: 'warning',
	stopped: 'warning',
	refused: 'warning',
	skipped: 'info',
};

/** An explicit event as a timeline event (its text built here, so every caller's line reads alike). */
export function recordedEvent(event: RecordedEvent): TimelineEvent {
	switch (event.kind) {
		case 'action-intent': {
			const targets = (event.targets ?? []).map((t) => cleanText(t.name || t.id, 60));
			const requests = (event.requests ?? []).map((r) => cleanText(r, 200));
			const on = targets.length ? ` on ${targets.slice(0, 3).join(', ')}${targets.length > 3 ? `, … (${targets.length})` : ''}` : '';
			return {
				kind: 'action-intent',
				severity: 'info',
				subject: event.action,
				from: null,
				to: 'sending',
				text: `action ${event.action}${on}: ${requests.length ? requests.slice(0, 2).join('; ') + (requests.length > 2 ? `; … (${requests.length} requests)` : '') : 'sending'}`,
				detail: {
					runId: event.runId,
					targets: targets.join(', ') || null,
					requests: requests.join('; ') || null,
					confirmation: event.confirmation ?? null,
				},
			};
		}
		case 'action-outcome':
			return {
				kind: 'action-outcome',
				severity: OUTCOME_SEVERITY[event.result] ?? 'info',
				subject: event.action,
				from: null,
				to: event.result,
				text: `action ${event.action} ${event.result}${event.message ? `: ${event.message}` : ''}`,
				detail: {runId: event.runId, message: event.message ?? null, durationMs: event.durationMs ?? null},
			};
		case 'playbook':
			return {
				kind: 'playbook',
				severity: event.phase === 'started' ? 'info' : (OUTCOME_SEVERITY[event.outcome ?? event.phase] ?? 'info'),
				subject: event.playbookId,
				from: null,
				to: event.phase,
				text: `playbook ${event.title} ${event.phase}${event.outcome ? ` (${event.outcome})` : ''}${event.message ? `: ${event.message}` : ''}`,
				detail: {outcome: event.outcome ?? null, message: event.message ?? null},
			};
		case 'playbook-step':
			return {
				kind: 'playbook-step',
				severity: OUTCOME_SEVERITY[event.status] ?? 'info',
				subject: `${event.playbookId}/${event.stepId}`,
				from: null,
				to: event.status,
				text: `playbook step ${event.title}: ${event.status}${event.message ? ` (${event.message})` : ''}`,
				detail: {playbookId: event.playbookId, stepId: event.stepId, message: event.message ?? null, runId: event.runId ?? null},
			};
		case 'note':
			return {kind: 'note', severity: event.severity ?? 'info', subject: 'note', from: null, to: null, text: event.text};
	}
}
