// The optional log source: follows a file (tail -F: survives rotation and truncation) or runs a command
// (`cmd:docker compose logs api --tail=200`), keeps the lines that match the runbook's patterns in a
// bounded ring, and hands the recent ones to the poller.
import {spawn, type ChildProcess} from 'node:child_process';
import {open, stat, type FileHandle} from 'node:fs/promises';
import {StringDecoder} from 'node:string_decoder';
import type {CommandLogsSnapshot, LogLine, LogsSnapshot, PreviousRun, PreviousRunLine} from '../contract/snapshot.js';
import {SourceError, type Source} from './source.js';
import {capLine, categorize, MAX_MATCHED_LINE, plainLine} from './logs-patterns.js';
import {describeError, redactText} from '../util/redact.js';

export interface LogSourceOptions {
	/** A file path to follow, or `cmd:COMMAND` to run through `sh -c`. */
	spec: string;
	/** Matching lines kept (default 500). */
	maxLines?: number;
	/** Lines read from the end of a file when following starts (default 200), as `tail -n`. */
	initialLines?: number;
	/** A line is cut to this many characters (default 1000). */
	maxLineLength?: number;
}

const CMD_PREFIX = 'cmd:';
// Never read more than this per poll from a file; a flood is skipped over, keeping its newest part.
const MAX_READ_BYTES = 4 * 1024 * 1024;
const TAIL_WINDOW_BYTES = 256 * 1024;

class Ring {
	readonly lines: LogLine[] = [];
	constructor(
		private readonly max: number,
		private readonly maxLength: number,
	) {}

	add(raw: string, at = Date.now()): void {
		// Cut before anything reads it: a 256 KB line costs what an 8 KB one does (README, "Untrusted input").
		const line = capLine(raw);
		const category = categorize(line);
		if (!category) return;
		let text = plainLine(line);
		if (text.length > this.maxLength) text = `${text.slice(0, this.maxLength - 1)}…`;
		this.lines.push({at, category, text});
		if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
	}
}

/**
 * Splits decoded text into lines. A "line" without a newline for this long is a line anyway (a binary
 * file, a huge JSON blob, a command that never prints a newline): what waits for its end stays bounded.
 */
class LineSplitter {
	private partial = '';
	constructor(private readonly maxPending: number) {}

	push(text: string): string[] {
		const lines = (this.partial + text).split('\n');
		this.partial = lines.pop() ?? '';
		if (this.partial.length > this.maxPending) {
			lines.push(this.partial);
			this.partial = '';
		}
		return lines;
	}

	/** The unfinished line, handed out once (end of a file or a run). */
	flush(): string | null {
		const rest = this.partial;
		this.partial = '';
		return rest === '' ? null : rest;
	}

	reset(): void {
		this.partial = '';
	}
}

// A command's output is read as bytes, at most this fast per stream: a flood (`yes | tr -d '\n'`, a
// debug log left on) is slowed by the pipe's own backpressure instead of costing a core, and no real
// log comes near it (README, "Logs").
const MAX_BYTES_PER_SECOND = 2 * 1024 * 1024;
const READ_WINDOW_MS = 250;
// Bytes of one line kept for matching: enough for MAX_MATCHED_LINE characters of any text in UTF-8
// (three bytes per UTF-16 unit at most). The rest of a longer line is skipped, never accumulated.
const MAX_LINE_BYTES = MAX_MATCHED_LINE * 3;

/**
 * Splits a byte stream into lines. A line's first MAX_LINE_BYTES are kept and decoded; a longer line is
 * handed on, cut, as soon as that much arrived (a line that never ends still shows), and the rest of it is
 * skipped by searching for the next newline in the raw bytes, without decoding or copying it.
 */
export class ByteLineSplitter {
	private parts: Buffer[] = [];
	private size = 0;
	private skipping = false;
	constructor(
		private readonly onLine: (line: string) => void,
		private readonly maxLineBytes = MAX_LINE_BYTES,
	) {}

	push(chunk: Buffer): void {
		let start = 0;
		while (start < chunk.length) {
			const newline = chunk.indexOf(10, start);
			const end = newline === -1 ? chunk.length : newline;
			if (!this.skipping) {
				const take = Math.min(this.maxLineBytes - this.size, end - start);
				if (take > 0) {
					this.parts.push(Buffer.from(chunk.subarray(start, start + take)));
					this.size += take;
				}
				if (newline !== -1 && take === end - start) this.emit();
				else if (this.size >= this.maxLineBytes) {
					this.emit();
					this.skipping = newline === -1;
				}
			} else if (newline !== -1) {
				this.skipping = false;
			}
			start = newline === -1 ? chunk.length : newline + 1;
		}
	}

	/** The unfinished line, at the end of a run. */
	end(): void {
		if (this.size > 0) this.emit();
		this.skipping = false;
	}

	private emit(): void {
		const text = this.parts.length === 1 ? this.parts[0]!.toString('utf8') : Buffer.concat(this.parts, this.size).toString('utf8');
		this.parts = [];
		this.size = 0;
		this.onLine(text);
	}
}

/**
 * Calls `onLine` for every line of a pipe, the last one too when it has no newline; never buffers more
 * than one cut line, and reads at most MAX_BYTES_PER_SECOND (pausing the pipe for the rest of a window).
 */
function eachLine(stream: NodeJS.ReadableStream & {pause(): unknown; resume(): unknown}, onLine: (line: string) => void, timers: Set<ReturnType<typeof setTimeout>>): void {
	const lines = new ByteLineSplitter(onLine);
	const budget = (MAX_BYTES_PER_SECOND * READ_WINDOW_MS) / 1000;
	let windowStart = Date.now();
	let used = 0;
	stream.on('data', (chunk: Buffer) => {
		const now = Date.now();
		if (now - windowStart >= READ_WINDOW_MS) {
			windowStart = now;
			used = 0;
		}
		used += chunk.length;
		lines.push(chunk);
		if (used >= budget) {
			stream.pause();
			const timer = setTimeout(() => {
				timers.delete(timer);
				windowStart = Date.now();
				used = 0;
				stream.resume();
			}, Math.max(1, READ_WINDOW_MS - (Date.now() - windowStart)));
			timers.add(timer);
		}
	});
	stream.on('end', () => lines.end());
	// A pipe error ends the run like its close does; unhandled, it would end the console.
	stream.on('error', () => undefined);
}

/** tail -F by polling: reads what was appended since the last poll, following the path, not the inode. */
class FileFollower {
	private handle: FileHandle | null = null;
	private ino = -1;
	private dev = -1;
	private position = 0;
	private decoder = new StringDecoder('utf8');
	private readonly lines: LineSplitter;
	private everOpened = false;

	constructor(
		private readonly file: string,
		private readonly ring: Ring,
		private readonly initialLines: number,
		maxLength: number,
	) {
		this.lines = new LineSplitter(maxLength * 4);
	}

	async poll(): Promise<void> {
		let info;
		try {
			info = await stat(this.file);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'ENOENT' && this.handle) {
				// Rotated away and not yet recreated: finish the old file, then wait for the new one.
				await this.drainAndClose();
				return;
			}
			if (code === 'ENOENT' && this.everOpened) return;
			throw this.error(error);
		}
		if (this.handle && (info.ino !== this.ino || info.dev !== this.dev)) await this.drainAndClose();
		if (!this.handle) {
			const first = !this.everOpened;
			await this.openFile(info.ino, info.dev);
			// The first time, start near the end like `tail -n N`; a file that appears later is all new.
			if (first) {
				await this.readTail(info.size);
				return;
			}
		}
		if (info.size < this.position) {
			// Truncated in place (copytruncate, `> file`): start again from the top.
			this.position = 0;
			this.lines.reset();
			this.decoder = new StringDecoder('utf8');
		}
		await this.readTo(info.size);
	}

	private error(error: unknown): SourceError {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return new SourceError('logs', 'down', `logs file ${this.file}: not found; waiting for it to appear (check the path given to --logs)`);
		if (code === 'EACCES' || code === 'EPERM') return new SourceError('logs', 'unauthorised', `logs file ${this.file}: permission denied; make it readable by this user`);
		if (code === 'EISDIR') return new SourceError('logs', 'misconfigured', `logs file ${this.file}: is a directory; give the log file itself`);
		return new SourceError('logs', 'down', `logs file ${this.file}: ${describeError(error)}`);
	}

	private async openFile(ino: number, dev: number): Promise<void> {
		try {
			this.handle = await open(this.file, 'r');
		} catch (error) {
			throw this.error(error);
		}
		this.everOpened = true;
		this.ino = ino;
		this.dev = dev;
		this.position = 0;
		this.lines.reset();
		this.decoder = new StringDecoder('utf8');
	}

	private async readTail(size: number): Promise<void> {
		const start = Math.max(0, size - TAIL_WINDOW_BYTES);
		const buffer = Buffer.alloc(size - start);
		if (buffer.length > 0) await this.handle!.read(buffer, 0, buffer.length, start);
		this.position = size;
		const lines = this.lines.push(buffer.toString('utf8'));
		if (start > 0) lines.shift(); // cut mid-line
		for (const line of lines.slice(-this.initialLines)) this.ring.add(line);
	}

	private async readTo(size: number): Promise<void> {
		if (!this.handle || size <= this.position) return;
		if (size - this.position > MAX_READ_BYTES) {
			this.position = size - MAX_READ_BYTES;
			this.lines.reset();
			this.decoder = new StringDecoder('utf8');
			await this.consume(size, true);
			return;
		}
		await this.consume(size, false);
	}

	private async consume(size: number, skipFirstLine: boolean): Promise<void> {
		const buffer = Buffer.alloc(Math.min(size - this.position, MAX_READ_BYTES));
		const {bytesRead} = await this.handle!.read(buffer, 0, buffer.length, this.position);
		this.position += bytesRead;
		const lines = this.lines.push(this.decoder.write(buffer.subarray(0, bytesRead)));
		if (skipFirstLine) lines.shift();
		for (const line of lines) this.ring.add(line);
	}

	private async drainAndClose(): Promise<void> {
		if (!this.handle) return;
		try {
			const {size} = await this.handle.stat();
			await this.readTo(size);
			const rest = this.lines.flush();
			if (rest !== null) this.ring.add(rest);
		} catch {
			// The old file is gone for good; what was read stays.
		}
		await this.handle.close().catch(() => undefined);
		this.handle = null;
		this.lines.reset();
	}

	async close(): Promise<void> {
		await this.handle?.close().catch(() => undefined);
		this.handle = null;
	}
}

interface Run {
	child: ChildProcess;
	ring: Ring;
	startedAt: number;
	stdoutLines: number;
	lastStderr: string;
	exit: {code: number | null; signal: NodeJS.Signals | null; at: number} | null;
	spawnError: Error | null;
	timers: Set<ReturnType<typeof setTimeout>>;
}

function describeExit(exit: {code: number | null; signal: string | null}): string {
	return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

function timeOfDay(at: number): string {
	const d = new Date(at);
	return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

// A command that printed and exited cleanly (`--tail=200`) is run again; while the next run is this young
// the complete run is still what is shown, so a slow re-run does not show half of the same lines twice.
const RERUN_GRACE_MS = 3000;

/**
 * Runs the command through `sh -c` (a command string needs a shell) in its own process group so close()
 * can end the whole pipeline. A command that follows (`logs -f`) keeps filling its ring and its lines show
 * as they come. One that prints and exits cleanly (`--tail=200`) is run again on the next poll, its last
 * complete run shown. One that dies (non-zero exit, a signal) is restarted at once and that poll fails with
 * how and when it died, so the pane never calls a dead follower's lines current; from then on its lines
 * are kept, marked as the previous run's, under the new run's.
 */
class CommandRunner {
	private active: Run | null = null;
	private previous: {lines: PreviousRunLine[]; complete: LogLine[]; info: PreviousRun} | null = null;
	private everProduced = false;
	private closed = false;

	constructor(
		private readonly command: string,
		private readonly display: string,
		private readonly maxLines: number,
		private readonly maxLength: number,
	) {}

	private start(): Run {
		const child = spawn('sh', ['-c', this.command], {stdio: ['ignore', 'pipe', 'pipe'], detached: true});
		const run: Run = {child, ring: new Ring(this.maxLines, this.maxLength), startedAt: Date.now(), stdoutLines: 0, lastStderr: '', exit: null, spawnError: null, timers: new Set()};
		child.on('error', (error) => {
			run.spawnError = error;
		});
		const finish = (code: number | null, signal: NodeJS.Signals | null, at: number) => {
			if (run.exit) return;
			run.exit = {code, signal, at};
			for (const timer of run.timers) clearTimeout(timer);
			run.timers.clear();
		};
		// 'close', not 'exit': lines still in the pipes are read before the run counts as finished.
		child.on('close', (code, signal) => finish(code, signal, Date.now()));
		// But a shell killed under its pipeline leaves the pipeline holding the pipes open, and 'close' never
		// comes: the run ends shortly after its shell did, and what is left of its process group is ended.
		child.on('exit', (code, signal) => {
			const at = Date.now();
			const timer = setTimeout(() => {
				run.timers.delete(timer);
				finish(code, signal, at);
				if (child.pid !== undefined) {
					try {
						process.kill(-child.pid, 'SIGTERM');
					} catch {
						// Nothing left.
					}
				}
			}, 500);
			run.timers.add(timer);
		});
		eachLine(child.stdout!, (line) => {
			run.stdoutLines++;
			run.ring.add(line);
		}, run.timers);
		eachLine(child.stderr!, (line) => {
			// Compose and friends write some logs to stderr; both streams are matched.
			if (line.trim()) run.lastStderr = line.slice(0, 1000);
			run.ring.add(line);
		}, run.timers);
		return run;
	}

	private snapshotOf(run: Run): {lines: LogLine[]; previousRun: PreviousRun | null} {
		const previous = this.previous;
		if (!previous) return {lines: run.ring.lines.slice(), previousRun: null};
		if (!previous.info.died && Date.now() - run.startedAt < RERUN_GRACE_MS) return {lines: previous.complete, previousRun: null};
		const room = Math.max(0, this.maxLines - run.ring.lines.length);
		const older = room === 0 ? [] : previous.lines.slice(-room);
		return {lines: [...older, ...run.ring.lines], previousRun: older.length > 0 ? previous.info : null};
	}

	poll(): {lines: LogLine[]; previousRun: PreviousRun | null} {
		if (this.closed) return {lines: [], previousRun: null};
		if (!this.active) this.active = this.start();
		const run = this.active;
		if (run.spawnError) {
			this.active = null;
			throw new SourceError('logs', 'misconfigured', `logs ${this.display}: could not start (${describeError(run.spawnError)}); check the command`);
		}
		if (!run.exit) return this.snapshotOf(run);
		this.active = null;
		const died = run.exit.code !== 0;
		if (died && run.stdoutLines === 0 && !this.everProduced) {
			// It never worked: a wrong command, not a dying one. Retried with backoff, not at once.
			const why = run.lastStderr ? `: ${redactText(plainLine(run.lastStderr)).slice(0, 200)}` : '';
			throw new SourceError('logs', 'misconfigured', `logs ${this.display}: exited with ${run.exit.code ?? run.exit.signal}${why}; check the command`);
		}
		this.everProduced ||= run.stdoutLines > 0;
		const lines = run.ring.lines.slice();
		const info: PreviousRun = {endedAt: run.exit.at, code: run.exit.code, signal: run.exit.signal, died, restartedAt: Date.now()};
		// A dead run with nothing new to show keeps the lines of the run before it, still marked.
		const kept = died && lines.length === 0 && this.previous ? this.previous.lines : lines.map((l): PreviousRunLine => ({...l, previousRun: true}));
		this.previous = {lines: kept, complete: lines, info};
		this.active = this.start();
		if (!died) return {lines, previousRun: null};
		const why = run.lastStderr ? ` (its last words: ${redactText(plainLine(run.lastStderr)).slice(0, 120)})` : '';
		throw new SourceError(
			'logs',
			'down',
			`logs ${this.display}: the command died (${describeExit(run.exit)}) at ${timeOfDay(run.exit.at)}${why}; restarted, its lines stay marked as the previous run's; if it keeps dying, run it in a shell to see why`,
		);
	}

	async close(): Promise<void> {
		this.closed = true;
		const run = this.active;
		this.active = null;
		if (!run) return;
		for (const timer of run.timers) clearTimeout(timer);
		run.timers.clear();
		if (run.exit || run.child.pid === undefined) return;
		const pid = run.child.pid;
		const exited = new Promise<void>((resolve) => run.child.once('close', () => resolve()));
		const signalGroup = (signal: NodeJS.Signals) => {
			try {
				process.kill(-pid, signal);
			} catch {
				// Already gone.
			}
		};
		signalGroup('SIGTERM');
		// A paused pipe must flow again, or a writer blocked on it could not see the signal's end.
		run.child.stdout?.resume();
		run.child.stderr?.resume();
		const timer = setTimeout(() => signalGroup('SIGKILL'), 1000);
		await exited;
		clearTimeout(timer);
	}
}

export function createLogSource(options: LogSourceOptions): Source<LogsSnapshot> {
	const spec = options.spec.trim();
	const maxLines = Math.max(1, options.maxLines ?? 500);
	const maxLength = Math.max(20, options.maxLineLength ?? 1000);
	if (spec === '' || spec.trim() === CMD_PREFIX) {
		// Reported by poll(), like every other failure, so a bad setting shows as this source's state.
		const error = new SourceError('logs', 'misconfigured', 'logs: nothing to follow; give a file path or cmd:COMMAND (e.g. "cmd:docker compose logs api --tail=200")');
		return {
			name: 'logs',
			poll: async () => {
				throw error;
			},
			close: async () => undefined,
		};
	}
	if (spec.startsWith(CMD_PREFIX)) {
		const command = spec.slice(CMD_PREFIX.length).trim();
		const display = `cmd "${redactText(command)}"`;
		const runner = new CommandRunner(command, display, maxLines, maxLength);
		return {
			name: 'logs',
			async poll(signal): Promise<CommandLogsSnapshot> {
				signal.throwIfAborted();
				const {lines, previousRun} = runner.poll();
				return {at: Date.now(), lines, origin: `cmd: ${redactText(command)}`, previousRun};
			},
			close: () => runner.close(),
		};
	}
	const ring = new Ring(maxLines, maxLength);
	const follower = new FileFollower(spec, ring, Math.max(0, options.initialLines ?? 200), maxLength);
	return {
		name: 'logs',
		async poll(signal) {
			signal.throwIfAborted();
			await follower.poll();
			return {at: Date.now(), lines: ring.lines.slice(), origin: `file: ${redactText(spec)}`};
		},
		close: () => follower.close(),
	};
}
