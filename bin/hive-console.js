#!/usr/bin/env node
// Thin launcher: the real program is the esbuild bundles built by `npm run build` (run by `npm ci`).
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';

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
// The commands that draw with Ink, and the simulator, load the ES-module bundle (dist/cli.js); every other
// command runs from dist/headless.cjs, which leaves these three out (scripts/build.mjs).
const ESM_COMMANDS = new Set(['console', 'demo', 'simulate']);
const args = process.argv.slice(2);
const command = args[0] !== undefined && !args[0].startsWith('-') ? args[0] : 'console';
function setLongRunningFlags() {
	if (LONG_RUNNING.has(command)) v8.setFlagsFromString('--heap-growing-percent=50 --semi-space-growth-factor=1 --interrupt-budget=540672');
}

function missing(file) {
	process.stderr.write(`hive-console: the bundle dist/${path.basename(file)} is missing; run \`npm ci\` or \`npm run build\` first.\n`);
	process.exit(70);
}

/**
 * Runs dist/headless.cjs compiled with V8's code cache. Node 20 keeps no compiled code for ES modules
 * between runs (Node 22's module.enableCompileCache does), and `status` spent ~25 ms compiling and resolving
 * its chunks; a CommonJS script compiled through vm.Script takes V8's cached data: `status` 209 -> 184 ms,
 * medians of 40 alternated runs (README, Benchmarks). A cache V8 rejects (another Node version) just means
 * compiling as usual.
 */
function runHeadless() {
	const file = fileURLToPath(new URL('../dist/headless.cjs', import.meta.url));
	let source;
	try {
		source = readFileSync(file, 'utf8');
	} catch {
		missing(file);
	}
	const cacheFile = `${file}.cache`;
	const writeCache = process.env.HIVE_CONSOLE_WRITE_CODE_CACHE;
	let cachedData;
	if (!writeCache) {
		try {
			cachedData = readFileSync(cacheFile);
		} catch {
			// No cache (a build that could not run node): compile as usual.
		}
	}
	const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
	const script = new vm.Script(wrapped, {filename: file, cachedData});
	// For the build's test and the bench: whether V8 took the cache.
	if (process.env.HIVE_CONSOLE_CODE_CACHE_REPORT) {
		process.stderr.write(`code cache: ${cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted'}\n`);
	}
	// Written at exit, so the cache holds every function this run compiled, not only the top level.
	if (writeCache) process.once('exit', () => writeFileSync(writeCache, script.createCachedData()));
	// After compiling: V8 rejects a code cache made under other flags (watch's run from the same cache).
	setLongRunningFlags();
	const module = {exports: {}};
	script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));
}

if (ESM_COMMANDS.has(command)) {
	const bundle = new URL('../dist/cli.js', import.meta.url);
	if (!existsSync(fileURLToPath(bundle))) missing(fileURLToPath(bundle));
	setLongRunningFlags();
	await import(bundle.href);
} else {
	runHeadless();
}
