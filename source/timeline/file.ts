// The timeline on disk: JSON lines per context in the state directory, bounded by rotation
// (timeline.jsonl, then timeline.1.jsonl; the older half is dropped when the current file fills). Lines are
// appended in batches and fsync'd, one batch at a time, so a crash leaves at worst a torn last line, which
// readers skip. A folded entry is appended again under its id; readers keep the last line of each id.
import {createHash} from 'node:crypto';
import {mkdirSync} from 'node:fs';
import {open, readFile, rename, stat} from 'node:fs/promises';
import path from 'node:path';
import {toSafeJson} from '../util/safe-json.js';
import {TIMELINE_VERSION, type TimelineEntry} from './types.js';

/** Both files together stay under this many bytes by default. */
export const DEFAULT_TIMELINE_CAP_BYTES = 4 * 1024 * 1024;

/** The folder name for a context: readable, safe as a path segment, distinct for distinct names. */
export function contextSlug(context: string | null): string {
	if (context === null || context === '') return 'default';
	const plain = context.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
	if (plain === context && plain !== '.' && plain !== '..') return plain;
	// Two names that differ only in characters replaced above must not share a file.
	return `${plain.replace(/^\.+/, '_')}-${createHash('sha256').update(context).digest('hex').slice(0, 8)}`;
}

export function timelineDir(stateDir: string, context: string | null): string {
	return path.join(stateDir, 'timeline', contextSlug(context));
}

export function timelinePaths(stateDir: string, context: string | null): {current: string; rotated: string} {
	const dir = timelineDir(stateDir, context);
	return {current: path.join(dir, 'timeline.jsonl'), rotated: path.join(dir, 'timeline.1.jsonl')};
}

export class TimelineFileError extends Error {
	override name = 'TimelineFileError';
}

export interface TimelineWriter {
	readonly path: string;
	/** Queues entries; they are written (and fsync'd) in order, one batch at a time. */
	append(entries: TimelineEntry[]): Promise<void>;
	/** Resolves when everything queued so far is on disk. */
	flush(): Promise<void>;
}

export interface TimelineWriterOptions {
	/** Both files together stay under this (default 4 MB); each holds at most half. */
	capBytes?: number;
	/** Called with the error when a batch cannot be written (the console keeps running; the entries stay in memory). */
	onError?: (error: TimelineFileError) => void;
}

export function openTimelineWriter(stateDir: string, context: string | null, options: TimelineWriterOptions = {}): TimelineWriter {
	const {current, rotated} = timelinePaths(stateDir, context);
	const half = Math.max(4096, Math.floor((options.capBytes ?? DEFAULT_TIMELINE_CAP_BYTES) / 2));
	let size: number | null = null;
	let pending: string[] = [];
	let chain: Promise<void> = Promise.resolve();

	const writeBatch = async (lines: string[]) => {
		mkdirSync(path.dirname(current), {recursive: true, mode: 0o700});
		if (size === null) size = await stat(current).then((s) => s.size, () => 0);
		for (let i = 0; i < lines.length; ) {
			// As many lines as fit in the current file; a full file is rotated first. A single line longer
			// than the half is cut by the caller (entries are bounded), so this always makes progress.
			let bytes = 0;
			let j = i;
			while (j < lines.length && (j === i || size + bytes + Buffer.byteLength(lines[j]!) <= half)) bytes += Buffer.byteLength(lines[j++]!);
			if (size > 0 && size + bytes > half) {
				await rename(current, rotated);
				size = 0;
				continue;
			}
			const handle = await open(current, 'a', 0o600);
			try {
				await handle.write(lines.slice(i, j).join(''));
				await handle.sync();
			} finally {
				await handle.close();
			}
			size += bytes;
			i = j;
		}
	};

	const flushPending = () => {
		if (pending.length === 0) return chain;
		const lines = pending;
		pending = [];
		chain = chain
			.then(() => writeBatch(lines))
			.catch((error: unknown) => {
				size = null;
				const code = (error as NodeJS.ErrnoException).code;
				options.onError?.(new TimelineFileError(`timeline ${current}: cannot write (${code ?? String(error)})`));
			});
		return chain;
	};

	return {
		path: current,
		append(entries) {
			for (const e of entries) pending.push(toSafeJson(e, 0) + '\n');
			// Entries of one poll arrive together; a microtask later they go out as one write and one fsync.
			return Promise.resolve().then(flushPending);
		},
		flush: () => flushPending(),
	};
}

export interface TimelineReadResult {
	/** Oldest first, one per id (the last line written for it). */
	entries: TimelineEntry[];
	/** Lines that were not entries (a torn last line after a crash, a hand edit). */
	skipped: number;
}

function isEntry(value: unknown): value is TimelineEntry {
	if (typeof value !== 'object' || value === null) return false;
	const e = value as Partial<TimelineEntry>;
	return e.v === TIMELINE_VERSION && typeof e.id === 'string' && typeof e.at === 'number' && Number.isFinite(e.at) && typeof e.kind === 'string' && typeof e.text === 'string' && typeof e.subject === 'string';
}

/** Parses one file's text: linear (split and JSON.parse), never a regex over the lines. */
export function parseTimeline(text: string): TimelineReadResult {
	const byId = new Map<string, TimelineEntry>();
	let skipped = 0;
	for (const line of text.split('\n')) {
		if (!line.trim()) continue;
		try {
			const value: unknown = JSON.parse(line);
			if (!isEntry(value)) {
				skipped++;
				continue;
			}
			// A later line for an id (a fold) replaces the earlier one but keeps its place in the order.
			byId.set(value.id, value);
		} catch {
			skipped++;
		}
	}
	const entries = [...byId.values()].sort((a, b) => a.at - b.at);
	return {entries, skipped};
}

async function readIfExists(file: string): Promise<string> {
	try {
		return await readFile(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return '';
		throw new TimelineFileError(`timeline ${file}: cannot read (${code ?? String(error)})`);
	}
}

/** Both files of a context, merged, oldest first; `since` (hive-clock epoch ms) drops older entries. */
export async function readTimeline(stateDir: string, context: string | null, options: {since?: number} = {}): Promise<TimelineReadResult & {path: string}> {
	const {current, rotated} = timelinePaths(stateDir, context);
	const text = (await readIfExists(rotated)) + '\n' + (await readIfExists(current));
	const result = parseTimeline(text);
	const since = options.since;
	return {path: current, skipped: result.skipped, entries: since === undefined ? result.entries : result.entries.filter((e) => (e.lastAt ?? e.at) >= since)};
}
