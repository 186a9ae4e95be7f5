// Output that survives its reader going away: `hive-console action list | head -3` ends the output, not the
// program with an EPIPE stack trace. The entry point watches stdout for every command but the console; the
// repeating commands (watch, fleet) also stop producing frames once nobody reads them.
import {describeError} from '../util/redact.js';

let pipeClosed = false;
let pipeWatched = false;
const closeListeners: Array<() => void> = [];

/** True once stdout's reader went away (EPIPE): stop producing output, exit quietly. */
export function stdoutClosed(): boolean {
	return pipeClosed;
}

/** Watches stdout for a reader that went away; `onClose` runs once it has (at once if it already has). */
export function watchStdout(onClose?: () => void): void {
	if (onClose) {
		if (pipeClosed) onClose();
		else closeListeners.push(onClose);
	}
	if (pipeWatched) return;
	pipeWatched = true;
	process.stdout.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') {
			process.stderr.write(`hive-console: cannot write output: ${describeError(error)}\n`);
		}
		if (pipeClosed) return;
		pipeClosed = true;
		for (const listener of closeListeners.splice(0)) listener();
	});
}

/** Writes to stdout and resolves once the data is handed to the OS (or the pipe is gone). */
export function writeOut(text: string): Promise<void> {
	watchStdout();
	if (pipeClosed) return Promise.resolve();
	return new Promise((resolve) => {
		try {
			process.stdout.write(text, () => resolve());
		} catch {
			pipeClosed = true;
			resolve();
		}
	});
}
