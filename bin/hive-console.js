#!/usr/bin/env node
// Thin launcher: the real program is the esbuild bundle built by `npm run build` (run by `npm ci`).
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import v8 from 'node:v8';

// The long-running commands get three V8 settings, read at run time so they cost no start-up (a hard
// --max-old-space-size only works on the command line and needed a second node process: +60-70 ms to the
// first frame). Each was measured with `npm run bench -- console` (README, Benchmarks):
// - --heap-growing-percent=50: the heap grows to 1.5x what survives a full GC instead of V8's lazier
//   default; a console polling 10,000 agents otherwise reached 363 MB RSS (live data: a few tens of MB).
// - --semi-space-growth-factor=1: the young generation stays small instead of doubling under the
//   10,000-agent bodies: peak RSS there 163-171 -> 148-153 MB, keypress p95 still under 40 ms.
// - --interrupt-budget 8x the default: an idle console runs each function a few times per poll, so for
//   its first minutes TurboFan kept compiling functions that had just become "hot" (a third of idle CPU,
//   measured with perf); with a larger budget only really hot code is optimised (loops over 10,000 agents
//   still get there at once). Idle CPU in the first minute 1.1-1.2 % -> 0.85-1.02 % at 4x, 0.82-0.97 % at
//   8x; keypress latency with 10,000 agents unchanged.
const LONG_RUNNING = new Set(['console', 'demo', 'watch']);
const args = process.argv.slice(2);
const command = args[0] !== undefined && !args[0].startsWith('-') ? args[0] : 'console';
if (LONG_RUNNING.has(command)) v8.setFlagsFromString('--heap-growing-percent=50 --semi-space-growth-factor=1 --interrupt-budget=540672');

const bundle = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
	process.stderr.write('hive-console: the bundle dist/cli.js is missing; run `npm ci` or `npm run build` first.\n');
	process.exit(70);
}
await import(bundle.href);
