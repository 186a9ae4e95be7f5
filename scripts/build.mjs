// Bundles source/cli.ts into dist/ with esbuild. Code splitting keeps the one-shot commands (status,
// check, action --yes) from loading Ink and React: each command is a dynamic import and its own chunk.
import {build} from 'esbuild';
import {readdirSync, rmSync} from 'node:fs';
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

const result = await build({
	metafile: true,
	entryPoints: [path.join(root, 'source/cli.ts')],
	outdir: path.join(root, 'dist'),
	bundle: true,
	splitting: true,
	format: 'esm',
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
	// React and Ink are bundled (not external), so production React comes with them: its development
	// build checks and times every render (performance tracks, prop diffs), which doubled the CPU of an
	// idle console's frame. (Production with an external react renders nothing: see docs/platform-facts.md.)
	define: {'process.env.DEV': '"false"', 'process.env.NODE_ENV': '"production"'},
	banner: {
		js: "import {createRequire as __hcCreateRequire} from 'node:module'; const require = __hcCreateRequire(import.meta.url);",
	},
	// Ink's frame composition and text memos are replaced by ours (source/ui/ink-patches/ says which and why).
	plugins: [inkPatchesEsbuildPlugin],
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
