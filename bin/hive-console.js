#!/usr/bin/env node
// Thin launcher: the real program is the esbuild bundle built by `npm run build` (run by `npm ci`).
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import v8 from 'node:v8';

// The long-running commands keep their heap close to what they really hold. With V8's defaults a console
// polling 10,000 agents let its heap grow lazily to 1.8 GB RSS (live data: a few tens of MB). Measured
// choices (console at 10,000 agents, 60 s of keys and polls): no setting 363 MB peak RSS; heap growing
// factor 1.5 (below) 200 MB at a few points more CPU; a hard --max-old-space-size=256 189 MB, but that flag
// only takes effect on the command line (v8.setFlagsFromString leaves heap_size_limit as it was), so it
// needed a second node process: +60-70 ms to the first frame, and a crash instead of slower GC if a
// bigger hive ever needs more. The growing factor is read at every full GC, so setting it here works.
const LONG_RUNNING = new Set(['console', 'demo', 'watch']);
const args = process.argv.slice(2);
const command = args[0] !== undefined && !args[0].startsWith('-') ? args[0] : 'console';
if (LONG_RUNNING.has(command)) v8.setFlagsFromString('--heap-growing-percent=50');

const bundle = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
	process.stderr.write('hive-console: the bundle dist/cli.js is missing; run `npm ci` or `npm run build` first.\n');
	process.exit(70);
}
await import(bundle.href);
