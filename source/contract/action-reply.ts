// How an action went, read from the hive's reply (contract §3). The hive refuses some actions with HTTP 200
// and `{error: "..."}`, so the status code alone never decides success; FastAPI errors are `{detail}` with
// 4xx/5xx, and a 422's detail is a list of validation problems that is flattened into one line.
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
	const what = httpStatus === 404 ? 'not found' : httpStatus === 422 ? 'rejected' : httpStatus >= 500 ? 'hive error' : 'failed';
	return {ok: false, httpStatus, message: oneLine(`${what} (HTTP ${httpStatus})${detail ? `: ${detail}` : ''}`), body};
}
