// Bundles source/cli.ts into dist/ with esbuild. Code splitting keeps the one-shot commands (status,
// check, action --yes) from loading Ink and React: each command is a dynamic import and its own chunk.
import {build} from 'esbuild';
import {fileURLToPath} from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

await build({
	entryPoints: [path.join(root, 'source/cli.ts')],
	outdir: path.join(root, 'dist'),
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	sourcemap: true,
	logLevel: 'warning',
	jsx: 'automatic',
	// ink imports react-devtools-core only when DEV is set; marking it external breaks at run time.
	alias: {'react-devtools-core': path.join(root, 'scripts/devtools-stub.mjs')},
	// React and Ink are bundled (not external), so production React comes with them: its development
	// build checks and times every render (performance tracks, prop diffs), which doubled the CPU of an
	// idle console's frame. (Production with an external react renders nothing: see stack-notes.)
	define: {'process.env.DEV': '"false"', 'process.env.NODE_ENV': '"production"'},
	banner: {
		js: "import {createRequire as __hcCreateRequire} from 'node:module'; const require = __hcCreateRequire(import.meta.url);",
	},
	entryNames: '[name]',
	chunkNames: 'chunks/[name]-[hash]',
});
