// The one owner of the terminal's state. It enters the alternate screen, and it always gives the terminal
// back (main screen, visible cursor, raw mode off) exactly once, whichever way the program ends: q, Ctrl-C,
// SIGTERM, SIGHUP, SIGINT, a crash (uncaught exception or unhandled rejection: the stack goes to a file in
// the XDG state directory and its path is printed after the terminal is restored), or a plain exit.
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describeError, redactText} from '../util/redact.js';

const ENTER_ALT = '\u001b[?1049h';
const LEAVE_ALT = '\u001b[?1049l';
const CLEAR_HOME = '\u001b[2J\u001b[H';
const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';
// Ink 6 can switch on bracketed paste and the kitty keyboard protocol, and the console focus reporting;
// all three are switched off on the way out, whichever way it goes.
const RESET_MODES = '\u001b[?2004l\u001b[<u\u001b[?1004l';

export type EndReason = {kind: 'signal'; signal: NodeJS.Signals} | {kind: 'crash'; error: unknown};

export interface TerminalSessionOptions {
	stdout?: NodeJS.WriteStream;
	stdin?: NodeJS.ReadStream;
	stderr?: NodeJS.WriteStream;
	/** XDG state directory of this program; crash logs go in it. */
	stateDir: string;
	/**
	 * Called on a signal or a crash after the terminal is restored; should stop the poller and close
	 * sources quickly. The process exits when it settles (or after `graceMs`).
	 */
	onEnd?: (reason: EndReason) => Promise<void> | void;
	/**
	 * Called synchronously right before the terminal is restored on a signal or a crash, to stop the UI
	 * from drawing: a frame Ink writes after we left the alternate screen lands on the user's shell.
	 */
	beforeRestore?: () => void;
	graceMs?: number;
}

export interface TerminalSession {
	/** Idempotent: leaves the alternate screen, shows the cursor, turns raw mode off. */
	restore(): void;
	/** Writes the crash log, restores, prints where the log is; returns its path (null if unwritable). */
	crash(error: unknown): string | null;
	/** Removes the process handlers (after a normal quit and restore). */
	dispose(): void;
}

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = {SIGHUP: 1, SIGINT: 2, SIGTERM: 15};

export function writeCrashLog(stateDir: string, error: unknown, now = new Date()): string | null {
	try {
		mkdirSync(stateDir, {recursive: true});
		const file = path.join(stateDir, `crash-${now.toISOString().replace(/[:.]/g, '-')}-${process.pid}.log`);
		const stack = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
		writeFileSync(file, `hive-console crashed at ${now.toISOString()}\nnode ${process.version} ${process.platform}\n\n${redactText(stack)}\n`, {mode: 0o600});
		return file;
	} catch {
		return null;
	}
}

export function openTerminalSession(options: TerminalSessionOptions): TerminalSession {
	const stdout = options.stdout ?? process.stdout;
	const stdin = options.stdin ?? process.stdin;
	const stderr = options.stderr ?? process.stderr;
	let restored = false;
	let ending = false;

	stdout.write(ENTER_ALT + CLEAR_HOME + HIDE_CURSOR);

	const restore = () => {
		if (restored) return;
		restored = true;
		try {
			if (stdin.isTTY && typeof stdin.setRawMode === 'function') stdin.setRawMode(false);
		} catch {
			// stdin already closed: nothing to give back.
		}
		try {
			// The alternate screen is wiped before it is left: a terminal that was resized meanwhile (tmux at
			// least) folds the alternate screen's rows beyond the old height into the main screen as it switches
			// back, which left a third of the console's last frame on the user's shell.
			stdout.write(RESET_MODES + SHOW_CURSOR + CLEAR_HOME + LEAVE_ALT);
		} catch {
			// stdout gone (terminal closed on SIGHUP): nothing to restore.
		}
	};

	const silenceUi = () => {
		try {
			options.beforeRestore?.();
		} catch {
			// The UI is already gone or broken; restoring the terminal matters more.
		}
	};

	const finish = (reason: EndReason, code: number) => {
		if (ending) return;
		ending = true;
		silenceUi();
		restore();
		const done = () => process.exit(code);
		const timer = setTimeout(done, options.graceMs ?? 3000);
		timer.unref();
		Promise.resolve()
			.then(() => options.onEnd?.(reason))
			.catch(() => undefined)
			.finally(done);
	};

	const crash = (error: unknown): string | null => {
		const file = writeCrashLog(options.stateDir, error);
		silenceUi();
		restore();
		stderr.write(`hive-console crashed: ${describeError(error)}\n${file ? `The stack trace is in ${file}\n` : 'The crash log could not be written.\n'}`);
		return file;
	};

	const onSignal = (signal: NodeJS.Signals) => finish({kind: 'signal', signal}, 128 + (SIGNAL_NUMBERS[signal] ?? 0));
	const onCrash = (error: unknown) => {
		// The terminal went away (SIGHUP, a closed SSH session): a hangup, not a crash worth a log.
		const code = (error as NodeJS.ErrnoException | null)?.code;
		if (code === 'EIO' || code === 'EPIPE') {
			finish({kind: 'signal', signal: 'SIGHUP'}, 129);
			return;
		}
		crash(error);
		finish({kind: 'crash', error}, 70);
	};
	const onExit = () => restore();

	for (const s of SIGNALS) process.on(s, onSignal);
	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);
	process.on('exit', onExit);

	return {
		restore,
		crash,
		dispose() {
			for (const s of SIGNALS) process.off(s, onSignal);
			process.off('uncaughtException', onCrash);
			process.off('unhandledRejection', onCrash);
			process.off('exit', onExit);
		},
	};
}
