// Bundles source/cli.ts into dist/ with esbuild. Code splitting keeps the one-shot commands (status,
// check, action --yes) from loading Ink and React: each command is a dynamic import and its own chunk.
import {build} from 'esbuild';
import {existsSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {execFileSync} from 'node:child_process';
import {tmpdir} from 'node:os';
import {fileURLToPath} from 'node:url';
import path from 'node:path';
import {inkPatchesEsbuildPlugin} from '../source/ui/ink-patches/patches.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const chunks = path.join(root, 'dist/chunks');

function safeList(dir) {
	try {
		return readdirSync(dir);
	} catch {
		return [];
	}
}

// Shared by the two bundles below.
const common = {
	bundle: true,
	platform: 'node',
	target: 'node20',
	// Node 20 has the RegExp v flag; lowered to `new RegExp(…, 'v')`, string-width's emoji pattern took ~37 ms to
	// build at load, where the literal is compiled lazily (measured with `npm run bench -- status`).
	supported: {'regexp-set-notation': true},
	sourcemap: true,
	logLevel: 'warning',
	jsx: 'automatic',
	// ink imports react-devtools-core only when DEV is set; marking it external breaks at run time.
	alias: {'react-devtools-core': path.join(root, 'scripts/devtools-stub.mjs')},
	// Ink's frame composition and text memos are replaced by ours (source/ui/ink-patches/ says which and why).
	plugins: [inkPatchesEsbuildPlugin],
};

const result = await build({
	...common,
	metafile: true,
	entryPoints: [path.join(root, 'source/cli.ts')],
	outdir: path.join(root, 'dist'),
	splitting: true,
	format: 'esm',
	// React and Ink are bundled (not external), so production React comes with them: its development
	// build checks and times every render (performance tracks, prop diffs), which doubled the CPU of an
	// idle console's frame. (Production with an external react renders nothing: see docs/platform-facts.md.)
	define: {'process.env.DEV': '"false"', 'process.env.NODE_ENV': '"production"'},
	banner: {
		js: "import {createRequire as __hcCreateRequire} from 'node:module'; const require = __hcCreateRequire(import.meta.url);",
	},
	entryNames: '[name]',
	chunkNames: 'chunks/[name]-[hash]',
});


// Chunk names carry a content hash, so every rebuild left the previous chunks behind (139 MB after a day of
// work). Remove what this build did not write.
const outputs = new Set(Object.keys(result.metafile.outputs).map((file) => path.resolve(root, file)));
for (const name of safeList(chunks)) {
	const file = path.join(chunks, name);
	if (!outputs.has(file)) rmSync(file, {force: true});
}

// The one-shot commands (status, check, action, playbook, watch, …) also as one CommonJS script, which the
// launcher compiles with V8's code cache (bin/hive-console.js says why: Node 20 caches no ES module's code).
// The console and demo are left out (their modules import Ink, whose Yoga needs top-level await), and so is
// the simulator, which needs no fast start.
const ESM_COMMANDS = /[\\/]commands[\\/](console|demo|simulate)\.js$/;
// The Redis, PostgreSQL and WebSocket clients stay in node_modules, required on first use: bundled, they were
// half the script, read and checked at every start.
const CLIENTS = /^(pg|ioredis|ws)$/;
const headlessOnly = {
	name: 'headless-only',
	setup(b) {
		b.onResolve({filter: CLIENTS}, (args) => (args.namespace === 'client' ? {path: args.path, external: true} : {path: args.path, namespace: 'client'}));
		b.onLoad({filter: /.*/, namespace: 'client'}, (args) => ({contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js'}));
		b.onResolve({filter: ESM_COMMANDS}, (args) => ({path: args.path, namespace: 'esm-command'}));
		b.onLoad({filter: /.*/, namespace: 'esm-command'}, (args) => ({
			contents: `throw new Error('${path.basename(args.path)} is not in the headless bundle; bin/hive-console.js should have loaded dist/cli.js for it');`,
			loader: 'js',
		}));
	},
};
await build({
	...common,
	entryPoints: [path.join(root, 'source/cli.ts')],
	outfile: path.join(root, 'dist/headless.cjs'),
	format: 'cjs',
	// Whitespace and syntax only (names stay, for stack traces): a third less to read and hash at every start.
	minifyWhitespace: true,
	minifySyntax: true,
	define: {'process.env.DEV': '"false"', 'process.env.NODE_ENV': '"production"', 'import.meta.url': '__hcModuleUrl'},
	banner: {js: "var __hcModuleUrl = require('node:url').pathToFileURL(__filename).href;"},
	plugins: [headlessOnly, ...common.plugins],
});

// vm.Script, which runs this script, has no module loader: an import() left in it would fail only when that
// path runs. esbuild turns the bundled ones into requires; one of a module left out would stay.
if (/\bimport\(/.test(readFileSync(path.join(root, 'dist/headless.cjs'), 'utf8'))) {
	throw new Error('build: dist/headless.cjs contains an import(), which vm.Script cannot run; require the module or bundle it');
}

// The code cache: V8's compiled code for what one `status` runs (against a port where nothing listens, so the
// build needs no hive), written by the launcher when it exits. A cache from another Node version is rejected
// by V8 and the script is compiled as usual.
const cache = path.join(root, 'dist/headless.cjs.cache');
rmSync(cache, {force: true});
try {
	execFileSync(process.execPath, [path.join(root, 'bin/hive-console.js'), 'status', '--hive', 'http://127.0.0.1:9', '--timeout', '1'], {
		// No config file, token or source from the builder's environment: this run must talk to nothing.
		env: {PATH: process.env.PATH ?? '', HOME: tmpdir(), XDG_CONFIG_HOME: path.join(tmpdir(), 'hive-console-build-no-config'), HIVE_CONSOLE_WRITE_CODE_CACHE: cache},
		stdio: 'ignore',
		timeout: 20_000,
	});
} catch {
	// status exits 3 (unknown) against a closed port: that is the expected run.
}
if (!existsSync(cache)) console.warn('build: no code cache written (dist/headless.cjs.cache); the one-shot commands will compile at every start');
