// The timeline's shapes: one entry per change that matters, in order, timed on the hive's clock. Entries
// are written as JSON lines (format version 1); a folded (flapping) entry is written again under the same
// id with its new count, and readers keep the last line of each id.
import type {ActionTarget} from '../actions/types.js';

export const TIMELINE_VERSION = 1;

export type TimelineKind =
	| 'overall'
	| 'metric'
	| 'source'
	| 'agent'
	| 'agents'
	| 'task'
	| 'tasks'
	| 'scenario'
	| 'condition'
	| 'action-intent'
	| 'action-outcome'
	| 'playbook'
	| 'playbook-step'
	| 'note';

/** How an entry reads at a glance; `ok` marks a recovery or a clear. */
export type TimelineSeverity = 'info' | 'ok' | 'warning' | 'critical' | 'unknown';

export interface TimelineEntry {
	v: typeof TIMELINE_VERSION;
	/** Unique within the file; a fold rewrites the entry under the same id. */
	id: string;
	/** Epoch ms on the hive's clock (console time shifted by the skew the last hive poll observed). */
	at: number;
	/** ISO form of `at`, for people reading the file with tail. */
	time: string;
	/** Epoch ms on the console's clock when it was recorded. */
	consoleAt: number;
	context: string | null;
	kind: TimelineKind;
	severity: TimelineSeverity;
	/** What changed: "overall", "successRate", "hive", an agent or task id, a scenario, an action id. */
	subject: string;
	/** State before and after, where the change is one ("ok" → "warning", "down" → "ok"). */
	from: string | null;
	to: string | null;
	/** One line for people, redacted and sanitised. */
	text: string;
	/** Facts behind the line (value, threshold, error, names, run id), redacted and sanitised. */
	detail?: Record<string, string | number | boolean | null>;
	/** Set on the first entries after the recorder started: the state it found, not a change it saw. */
	baseline?: boolean;
	/** Flapping folded into this entry: how many changes it stands for (absent for one). */
	count?: number;
	/** The states a folded entry moved between. */
	states?: string[];
	/** Hive-clock time of the last change folded in. */
	lastAt?: number;
}

/** A change the reducer found, before it is timed, numbered and folded. */
export type TimelineEvent = Pick<TimelineEntry, 'kind' | 'severity' | 'subject' | 'from' | 'to' | 'text' | 'detail' | 'baseline'>;

/**
 * What the gate and the playbook runner report: accepted by the recorder's `record()`. Targets and requests
 * are redacted and sanitised on the way in; they may carry names from the hive.
 */
export type RecordedEvent =
	| {
			kind: 'action-intent';
			runId: string;
			action: string;
			targets?: Array<Pick<ActionTarget, 'kind' | 'id' | 'name'>>;
			/** "POST /api/v1/agents/{id}/restart", "DEL agent_messages:x". */
			requests?: string[];
			confirmation?: string;
	  }
	| {
			kind: 'action-outcome';
			runId: string;
			action: string;
			/** The gate's result words: sent, failed, aborted, confirmed, unconfirmed, skipped, refused. */
			result: string;
			message?: string;
			durationMs?: number;
	  }
	| {kind: 'playbook'; playbookId: string; title: string; phase: 'started' | 'finished' | 'aborted'; outcome?: string | null; message?: string}
	| {
			kind: 'playbook-step';
			playbookId: string;
			stepId: string;
			title: string;
			status: 'running' | 'done' | 'failed' | 'skipped';
			message?: string;
			runId?: string | null;
	  }
	| {kind: 'note'; text: string; severity?: TimelineSeverity};
