// The audit log: append-only JSON lines, one per phase of a run. The intent line is written and fsync'd
// before anything is sent, so a crash or a kill mid-action still leaves a record of what was about to
// happen; the reply and effect lines follow as they are known.
import {mkdirSync} from 'node:fs';
import {open, readFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {redactText} from '../util/redact.js';
import {toSafeJson} from '../util/safe-json.js';

export type AuditPhase = 'intent' | 'reply' | 'effect' | 'skipped';

export interface AuditEntry {
	/** Format version of a line. */
	v: 1;
	time: string;
	runId: string;
	phase: AuditPhase;
	user: string;
	host: string;
	context: string;
	action: string;
	targets: Array<{kind: string; id: string; name: string}>;
	inputs: Record<string, unknown>;
	/** What was (to be) sent: "POST /api/v1/agents/{id}/restart", "DEL agent_messages:x"; secrets redacted. */
	requests: string[];
	/** How it was confirmed: "typed name", "confirm", "yes", "--yes". */
	confirmation?: string;
	/** intent: "sending"; reply: "sent" | "failed" | "aborted"; effect: "confirmed" | "unconfirmed"; skipped: "skipped". */
	result: string;
	message?: string;
	durationMs?: number;
}

export function currentUser(): string {
	try {
		return os.userInfo().username;
	} catch {
		return process.env.USER ?? 'unknown';
	}
}

export interface AuditLog {
	readonly path: string;
	/** Appends one line and fsyncs it before resolving. */
	append(entry: AuditEntry): Promise<void>;
}

export class AuditLogError extends Error {
	override name = 'AuditLogError';
}

function redactEntry(entry: AuditEntry): AuditEntry {
	return {
		...entry,
		requests: entry.requests.map((r) => redactText(r)),
		...(entry.message === undefined ? {} : {message: redactText(entry.message)}),
	};
}

export function openAuditLog(file: string): AuditLog {
	let dirReady = false;
	// Lines are appended one at a time so that concurrent runs never interleave inside a line.
	let queue: Promise<void> = Promise.resolve();
	const writeLine = async (line: string) => {
		if (!dirReady) {
			mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
			dirReady = true;
		}
		const handle = await open(file, 'a', 0o600);
		try {
			await handle.write(line);
			await handle.sync();
		} finally {
			await handle.close();
		}
	};
	return {
		path: file,
		append(entry) {
			// Escaped like `status --json`: names from the hive may carry C1 or bidi controls, and this file
			// is read with cat and tail.
			const line = toSafeJson(redactEntry(entry), 0) + '\n';
			const next = queue.then(() => writeLine(line));
			queue = next.catch(() => undefined);
			return next.catch((error: unknown) => {
				const code = (error as NodeJS.ErrnoException).code;
				throw new AuditLogError(`audit log ${file}: cannot write (${code ?? String(error)}); fix the path or pass --audit-log PATH`);
			});
		},
	};
}

export interface AuditReadResult {
	entries: AuditEntry[];
	/** Lines that were not valid entries (a torn last line after a crash, a hand edit). */
	skipped: number;
}

export async function readAuditLog(file: string, options: {since?: number} = {}): Promise<AuditReadResult> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {entries: [], skipped: 0};
		throw new AuditLogError(`audit log ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
	}
	const entries: AuditEntry[] = [];
	let skipped = 0;
	for (const line of text.split('\n')) {
		if (!line.trim()) continue;
		try {
			const entry = JSON.parse(line) as AuditEntry;
			if (typeof entry !== 'object' || entry === null || typeof entry.time !== 'string' || typeof entry.action !== 'string') {
				skipped++;
				continue;
			}
			if (options.since !== undefined && Date.parse(entry.time) < options.since) continue;
			entries.push(entry);
		} catch {
			skipped++;
		}
	}
	return {entries, skipped};
}

/** "2h", "30m", "1d", "45s" or an ISO time → epoch ms; null when it is neither. */
export function parseSince(value: string, now = Date.now()): number | null {
	const rel = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/.exec(value.trim());
	if (rel) {
		const unit = {s: 1, m: 60, h: 3600, d: 86400, w: 604800}[rel[2] as 's' | 'm' | 'h' | 'd' | 'w'];
		return now - Number(rel[1]) * unit * 1000;
	}
	if (/^\d{4}-\d{2}-\d{2}/.test(value.trim())) {
		const t = Date.parse(value.trim());
		return Number.isNaN(t) ? null : t;
	}
	return null;
}
