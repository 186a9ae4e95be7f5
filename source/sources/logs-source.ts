// The optional log source: follows a file (tail -F: survives rotation and truncation) or runs a command
// (`cmd:docker compose logs api --tail=200`), keeps the lines that match the runbook's patterns in a
// bounded ring, and hands the recent ones to the poller.
import {spawn, type ChildProcess} from 'node:child_process';
import {open, stat, type FileHandle} from 'node:fs/promises';
import {StringDecoder} from 'node:string_decoder';
import type {LogLine, LogsSnapshot} from '../store/types.js';
import {SourceError, type Source} from './source.js';
import {capLine, categorize, plainLine} from './logs-patterns.js';
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

/** Calls `onLine` for every line of a pipe, the last one too when it has no newline; never buffers without bound. */
function eachLine(stream: NodeJS.ReadableStream, maxPending: number, onLine: (line: string) => void): void {
	const lines = new LineSplitter(maxPending);
	stream.setEncoding('utf8');
	stream.on('data', (text: string) => {
		for (const line of lines.push(text)) onLine(line);
	});
	stream.on('end', () => {
		const rest = lines.flush();
		if (rest !== null) onLine(rest);
	});
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
	stdoutLines: number;
	lastStderr: string;
	exit: {code: number | null; signal: NodeJS.Signals | null} | null;
	spawnError: Error | null;
}

/**
 * Runs the command through `sh -c` (a command string needs a shell) in its own process group so close()
 * can end the whole pipeline. A command that follows (`logs -f`) keeps filling its ring; one that prints and
 * exits (`--tail=200`) is run again on the next poll, and the last complete run is what is shown.
 */
class CommandRunner {
	private active: Run | null = null;
	private shown: LogLine[] | null = null;
	private closed = false;

	constructor(
		private readonly command: string,
		private readonly display: string,
		private readonly maxLines: number,
		private readonly maxLength: number,
	) {}

	private start(): Run {
		const child = spawn('sh', ['-c', this.command], {stdio: ['ignore', 'pipe', 'pipe'], detached: true});
		const run: Run = {child, ring: new Ring(this.maxLines, this.maxLength), stdoutLines: 0, lastStderr: '', exit: null, spawnError: null};
		child.on('error', (error) => {
			run.spawnError = error;
		});
		// 'close', not 'exit': lines still in the pipes are read before the run counts as finished.
		child.on('close', (code, signal) => {
			run.exit = {code, signal};
		});
		eachLine(child.stdout!, this.maxLength * 4, (line) => {
			run.stdoutLines++;
			run.ring.add(line);
		});
		eachLine(child.stderr!, this.maxLength * 4, (line) => {
			// Compose and friends write some logs to stderr; both streams are matched.
			if (line.trim()) run.lastStderr = line;
			run.ring.add(line);
		});
		return run;
	}

	poll(): LogLine[] {
		if (this.closed) return this.shown ?? [];
		if (!this.active) this.active = this.start();
		const run = this.active;
		if (run.spawnError) {
			this.active = null;
			throw new SourceError('logs', 'misconfigured', `logs ${this.display}: could not start (${describeError(run.spawnError)}); check the command`);
		}
		if (run.exit) {
			this.active = null;
			const failed = run.exit.code !== 0;
			if (failed && run.stdoutLines === 0) {
				const why = run.lastStderr ? `: ${redactText(plainLine(run.lastStderr)).slice(0, 200)}` : '';
				throw new SourceError(
					'logs',
					'misconfigured',
					`logs ${this.display}: exited with ${run.exit.code ?? run.exit.signal}${why}; check the command`,
				);
			}
			this.shown = run.ring.lines.slice();
			this.active = this.start();
			return this.shown;
		}
		return this.shown ?? run.ring.lines.slice();
	}

	async close(): Promise<void> {
		this.closed = true;
		const run = this.active;
		this.active = null;
		if (!run || run.exit || run.child.pid === undefined) return;
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
			async poll(signal) {
				signal.throwIfAborted();
				return {at: Date.now(), lines: runner.poll(), origin: `cmd: ${redactText(command)}`};
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
