#!/usr/bin/env node
// Thin launcher: the real program is the esbuild bundle built by `npm run build` (run by `npm ci`).
//
// The long-running commands (the console, demo, watch) run in a child node with a capped heap. With
// V8's default limit (a quarter of RAM or more) a console polling 10,000 agents let its heap grow
// lazily to 1.8 GB RSS although its live data is a few tens of MB; v8.setFlagsFromString cannot lower
// the limit once the isolate exists, so the flag has to be on the command line. One-shot commands
// (status, check, action) are not re-executed: they pay no extra start-up.
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {constants} from 'node:os';
import {fileURLToPath} from 'node:url';

const HEAP_MB = 256;
const LONG_RUNNING = new Set(['console', 'demo', 'watch']);

const bundle = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
	process.stderr.write('hive-console: the bundle dist/cli.js is missing; run `npm ci` or `npm run build` first.\n');
	process.exit(70);
}

const args = process.argv.slice(2);
const command = args[0] !== undefined && !args[0].startsWith('-') ? args[0] : 'console';
const heapGiven = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => a.startsWith('--max-old-space-size'));
const wantsHelp = args.some((a) => a === '--help' || a === '-h' || a === '--version');
// A debugger attached to this process should see the program, not a launcher (and the port is taken).
const debugging = process.execArgv.some((a) => a.startsWith('--inspect'));

if (!LONG_RUNNING.has(command) || heapGiven || wantsHelp || debugging) {
	await import(bundle.href);
} else {
	relaunch();
}

function relaunch() {
	// Same terminal (stdio inherited, same process group), so the child owns the TTY exactly as this
	// process would; this one only waits, forwards signals sent to it alone, and mirrors the exit.
	const child = spawn(process.execPath, [...process.execArgv, `--max-old-space-size=${HEAP_MB}`, fileURLToPath(import.meta.url), ...args], {
		stdio: 'inherit',
	});
	// SIGWINCH is not forwarded: the terminal sends it to the whole foreground group, the child included.
	const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];
	const forward = (signal) => {
		if (child.exitCode === null && child.signalCode === null) child.kill(signal);
	};
	for (const signal of signals) process.on(signal, forward);
	child.once('error', (error) => {
		process.stderr.write(`hive-console: could not start node (${error.message})\n`);
		process.exit(70);
	});
	child.once('exit', (code, signal) => {
		for (const s of signals) process.off(s, forward);
		if (signal) {
			// Killed before it could restore the terminal (SIGKILL, or V8 aborting when the heap is
			// exhausted): leave the alternate screen and show the cursor, which is all that is safe to do
			// from here (touching stdin would steal the terminal's input), and exit as a shell would report it.
			if (process.stdout.isTTY) process.stdout.write('\u001b[?1049l\u001b[?25h');
			process.stderr.write(`hive-console: ended by ${signal}\n`);
			process.exit(128 + (constants.signals[signal] ?? 0));
		}
		process.exit(code ?? 70);
	});
}
