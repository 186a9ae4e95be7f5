// `--logs hive` (or "logs": "hive"): the shipped server's own coordination log, GET
// /api/dashboard/logs/coordination, as the log source, for an engineer with no shell on the hive's host.
// The server builds that log from its failed tasks (their error messages, by level), so each entry becomes
// one line of the logs pane: newest first in the window asked for, categorised by the runbook's patterns
// like any other log line, or as a task failure when the message says nothing they know. Polled every
// third interval: the server reads its database for it.
import {z} from 'zod';
import type {LogLine, LogsSnapshot} from '../contract/snapshot.js';
import {parseHiveTimestamp} from '../contract/timestamps.js';
import {describeError} from '../util/redact.js';
import {createHiveClient, HiveRequestError} from './hive-client.js';
import {categorize, plainLine} from './logs-patterns.js';
import {SourceError, type Source} from './source.js';

export const HIVE_LOGS_SPEC = 'hive';
const ROUTE = {method: 'GET', path: '/api/dashboard/logs/coordination'} as const;
/** The window read each time: the last 24 h, at most 200 entries (the server's cap is 500). */
const QUERY = {hours: 24, limit: 200};

// Read leniently: a field the server adds or drops must not blank the pane; an entry without a message is skipped.
const text = z.string().max(100_000).nullish().catch(null);
const entry = z
	.object({timestamp: text, level: text, task_id: text, task_title: text, agent_id: text, error_message: text})
	.passthrough()
	.catch({timestamp: null, level: null, task_id: null, task_title: null, agent_id: null, error_message: null});
const body = z.object({log_entries: z.array(entry).max(10_000)}).passthrough();

export interface HiveLogSourceOptions {
	baseUrl: string;
	token: string | null;
	timeoutMs: number;
}

/** One log line for an entry: level, task, agent, then the hive's message. */
export function hiveLogLine(e: z.infer<typeof entry>, now: number): LogLine | null {
	if (!e.error_message) return null;
	// plainLine and categorize cut the line first (capLine), as for any followed log line.
	const task = e.task_title ? `task "${e.task_title}"` : e.task_id ? `task ${e.task_id}` : 'a task';
	const line = plainLine(`${(e.level ?? 'error').toUpperCase()} ${task}${e.agent_id ? ` on agent ${e.agent_id}` : ''} failed: ${plainLine(e.error_message)}`);
	return {at: (e.timestamp ? parseHiveTimestamp(e.timestamp) : null) ?? now, category: categorize(line) ?? 'task-fail', text: line};
}

export function createHiveLogSource(options: HiveLogSourceOptions): Source<LogsSnapshot> {
	const client = createHiveClient({baseUrl: options.baseUrl, token: options.token, timeoutMs: options.timeoutMs});
	const origin = `hive: ${client.displayUrl}${ROUTE.path}`;
	return {
		name: 'logs',
		async poll(signal) {
			let json: unknown;
			try {
				({json} = await client.getJson(ROUTE, {signal, query: QUERY}));
			} catch (error) {
				if (error instanceof HiveRequestError) {
					const missing = error.status === 404 || error.status === 405;
					throw new SourceError('logs', missing ? 'misconfigured' : error.kind, missing ? `logs: ${error.endpoint}: this hive has no coordination log route (the runbook profile); follow its log file instead (--logs FILE or "cmd:…")` : `logs: ${error.message}`, {cause: error});
				}
				throw new SourceError('logs', 'down', `logs: ${describeError(error)}`, {cause: error});
			}
			const parsed = body.safeParse(json);
			if (!parsed.success) throw new SourceError('logs', 'down', `logs: GET ${ROUTE.path}: expected {log_entries: [...]}, got ${Array.isArray(json) ? 'an array' : typeof json}`);
			const now = Date.now();
			const lines = parsed.data.log_entries.map((e) => hiveLogLine(e, now)).filter((l): l is LogLine => l !== null);
			// Oldest first, as a followed file gives them; the pane sorts newest first.
			lines.sort((a, b) => a.at - b.at);
			return {at: now, lines, origin};
		},
		close: () => client.close(),
	};
}
