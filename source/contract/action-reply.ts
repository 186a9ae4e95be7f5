// How an action went, read from the hive's reply (docs/hive-contract.md, section 3). The hive refuses some actions with HTTP 200
// and `{error: "..."}`, so the status code alone never decides success; FastAPI errors are `{detail}` with
// 4xx/5xx, and a 422's detail is a list of validation problems that is flattened into one line.
import {z} from 'zod';
import type {ActionReply} from './types.js';
import {cutToWidth, sanitise} from '../util/terminal-text.js';
import {redactText} from '../util/redact.js';

function oneLine(text: string, width = 300): string {
	return cutToWidth(sanitise(redactText(text)).replace(/\s+/g, ' ').trim(), width);
}

function asMessage(value: unknown): string | null {
	if (value === null || value === undefined || value === '') return null;
	if (typeof value === 'string') return value;
	if (Array.isArray(value)) {
		// FastAPI 422: [{loc: ["body", "count"], msg: "field required", type: ...}, ...]
		const parts = value.map((item) => {
			if (item && typeof item === 'object') {
				const entry = item as {loc?: unknown; msg?: unknown};
				const loc = Array.isArray(entry.loc) ? entry.loc.filter((p) => p !== 'body').join('.') : '';
				const msg = typeof entry.msg === 'string' ? entry.msg : JSON.stringify(item);
				return loc ? `${loc}: ${msg}` : msg;
			}
			return String(item);
		});
		return parts.join('; ');
	}
	if (typeof value === 'object') {
		const inner = value as {message?: unknown; error?: unknown};
		return asMessage(inner.message) ?? asMessage(inner.error) ?? JSON.stringify(value);
	}
	return String(value);
}

function authHint(status: number): string {
	return status === 401
		? 'unauthorised (HTTP 401): check HIVE_TOKEN or --token-file'
		: 'forbidden (HTTP 403): the token lacks permission; check HIVE_TOKEN or --token-file';
}

/**
 * Normalises an action reply. `body` is the parsed JSON (or the raw text when it was not JSON).
 * ok only for a 2xx without an `error` field and without `success: false`.
 */
export function normaliseActionReply(httpStatus: number, body: unknown): ActionReply {
	const obj = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
	const is2xx = httpStatus >= 200 && httpStatus < 300;
	if (httpStatus === 401 || httpStatus === 403) {
		const detail = asMessage(obj?.detail ?? obj?.error);
		return {ok: false, httpStatus, message: oneLine(detail ? `${authHint(httpStatus)} (${detail})` : authHint(httpStatus)), body};
	}
	if (is2xx && obj) {
		const error = asMessage(obj.error);
		if (error !== null) return {ok: false, httpStatus, message: oneLine(`refused: ${error}`), body};
		if (obj.success === false) {
			const why = asMessage(obj.message) ?? asMessage(obj.detail) ?? 'the hive answered success: false';
			return {ok: false, httpStatus, message: oneLine(`refused: ${why}`), body};
		}
		const parts: string[] = [];
		const status = asMessage(obj.status) ?? asMessage(obj.message);
		if (status) parts.push(status);
		if (Array.isArray(obj.actions_performed) && obj.actions_performed.length > 0) {
			parts.push(obj.actions_performed.map((a) => asMessage(a) ?? '').filter(Boolean).join(', '));
		}
		return {ok: true, httpStatus, message: oneLine(parts.length > 0 ? `done: ${parts.join('; ')}` : 'done'), body};
	}
	if (is2xx) {
		return {ok: true, httpStatus, message: 'done', body};
	}
	const detail = asMessage(obj?.detail) ?? asMessage(obj?.error) ?? asMessage(obj?.message) ?? (typeof body === 'string' ? body : null);
	// FastAPI's 400 is the server refusing on its own rules ("Task is not in retryable state"), not a fault.
	const what = httpStatus === 400 ? 'refused' : httpStatus === 404 ? 'not found' : httpStatus === 422 ? 'rejected' : httpStatus >= 500 ? 'hive error' : 'failed';
	return {ok: false, httpStatus, message: oneLine(`${what} (HTTP ${httpStatus})${detail ? `: ${detail}` : ''}`), body};
}

// ------------------------------------------------------------------ what the hive says it did
//
// The effect checks read the hive's own account of an action (reply bodies) as well as re-reading state,
// so that "Re-registered 0 agents" can never be shown as a success. These readers are tolerant: a field of
// the wrong type reads as null, never as a thrown parse error, because an action that was sent must still
// report what is known about it.

const looseText = z.unknown().transform((v): string | null => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null));
const looseCount = z.unknown().transform((v): number | null => {
	const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
	return Number.isFinite(n) ? n : null;
});
const looseStrings = z.unknown().transform((v): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []));
const looseRecord = z.unknown().transform((v): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}));

/** The task object the beehive server returns after a change (`updated_task`, its Task.to_dict()). */
const updatedTaskSchema = z
	.object({id: looseText, title: looseText, status: looseText, assigned_agent_id: looseText, retry_count: looseCount, max_retries: looseCount})
	.passthrough();

/** Fields every action reply may carry: what was done, and the counts the server attached. */
export const actionFactsSchema = z
	.object({
		actions_performed: looseStrings,
		affected_components: looseRecord,
		recovery_steps: looseStrings,
		next_steps: looseStrings,
		warning: looseText,
		reset_type: looseText,
		emergency_action: looseText,
		status: looseText,
	})
	.passthrough();
export type ActionFacts = z.output<typeof actionFactsSchema>;

/** POST /api/dashboard/tasks/{id}/reassign: `{success, reassignment: {...}, updated_task, timestamp}`. */
export const reassignReplySchema = z
	.object({
		reassignment: z
			.object({
				task_id: looseText,
				original_agent_id: looseText,
				original_status: looseText,
				reason: looseText,
				new_agent_id: looseText,
				new_agent_name: looseText,
				assignment_method: looseText,
				agent_task_load: looseCount,
			})
			.passthrough(),
		updated_task: updatedTaskSchema.nullish(),
	})
	.passthrough();

/** POST /api/dashboard/tasks/{id}/retry: `{success, retry_info: {...}, updated_task, next_steps, timestamp}`. */
export const retryReplySchema = z
	.object({
		retry_info: z
			.object({original_status: looseText, original_retry_count: looseCount, new_retry_count: looseCount, retry_count_reset: z.unknown().transform((v) => v === true)})
			.passthrough(),
		updated_task: updatedTaskSchema.nullish(),
	})
	.passthrough();

export interface Reassignment {
	newAgentId: string | null;
	newAgentName: string | null;
	originalAgentId: string | null;
	/** auto_select_best_available, manual_specific or reset_to_pending, as the hive names it. */
	method: string | null;
	agentTaskLoad: number | null;
	taskStatus: string | null;
}

function asRecord(body: unknown): Record<string, unknown> | null {
	return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
}

/** What a reply says was done; empty lists and nulls when the body is not an object. */
export function actionFacts(body: unknown): ActionFacts {
	return actionFactsSchema.parse(asRecord(body) ?? {});
}

/**
 * The reassignment a reply reports, or null when it reports none. A flat reply (`new_agent_id` at the top,
 * as some builds answer) is read too, so an effect check can still say where the task went.
 */
export function reassignmentOf(body: unknown): Reassignment | null {
	const parsed = reassignReplySchema.safeParse(body);
	if (parsed.success) {
		const r = parsed.data.reassignment;
		return {
			newAgentId: r.new_agent_id,
			newAgentName: r.new_agent_name,
			originalAgentId: r.original_agent_id,
			method: r.assignment_method,
			agentTaskLoad: r.agent_task_load,
			taskStatus: parsed.data.updated_task?.status ?? null,
		};
	}
	const flat = asRecord(body);
	if (!flat || !('new_agent_id' in flat)) return null;
	const read = (key: string) => looseText.parse(flat[key]);
	return {
		newAgentId: read('new_agent_id'),
		newAgentName: read('new_agent_name'),
		originalAgentId: read('original_agent_id') ?? read('previous_agent_id'),
		method: read('assignment_method'),
		agentTaskLoad: null,
		taskStatus: read('status'),
	};
}

export interface RetryOutcome {
	taskStatus: string | null;
	retryCount: number | null;
	maxRetries: number | null;
	countReset: boolean;
}

/** What a retry reply reports, or null when it is not a retry reply. */
export function retryOutcomeOf(body: unknown): RetryOutcome | null {
	const parsed = retryReplySchema.safeParse(body);
	if (parsed.success) {
		const task = parsed.data.updated_task;
		const info = parsed.data.retry_info;
		return {taskStatus: task?.status ?? null, retryCount: task?.retry_count ?? info.new_retry_count ?? null, maxRetries: task?.max_retries ?? null, countReset: info.retry_count_reset};
	}
	const flat = asRecord(body);
	if (!flat || !('status' in flat)) return null;
	return {taskStatus: looseText.parse(flat.status), retryCount: looseCount.parse(flat.retry_count), maxRetries: looseCount.parse(flat.max_retries), countReset: false};
}

/**
 * The first number in the first `actions_performed` line that matches, e.g. 3 from "Reset 3 stuck tasks to
 * pending" with /stuck tasks/i; null when no line matches, so "said nothing" differs from "said 0".
 */
export function performedCount(facts: ActionFacts, pattern: RegExp): number | null {
	const line = facts.actions_performed.find((l) => pattern.test(l));
	const m = line?.match(/(\d+)/);
	return m ? Number(m[1]) : null;
}

/** A count from `affected_components` (or the reply's top level), or null. */
export function affectedCount(body: unknown, ...keys: string[]): number | null {
	const facts = actionFacts(body);
	const top = asRecord(body) ?? {};
	for (const key of keys) {
		const n = looseCount.parse(facts.affected_components[key] ?? top[key]);
		if (n !== null) return n;
	}
	return null;
}

/** One line of what the hive said it did, safe for the terminal: "Reset 3 stuck tasks to pending; …". */
export function saidLine(body: unknown, width = 160): string | null {
	const performed = actionFacts(body).actions_performed;
	return performed.length > 0 ? oneLine(performed.join('; '), width) : null;
}
