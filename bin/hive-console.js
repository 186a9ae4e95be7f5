#!/usr/bin/env node
// Thin launcher: the real program is the esbuild bundle built by `npm run build` (run by `npm ci`).
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

const bundle = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
	process.stderr.write('hive-console: the bundle dist/cli.js is missing; run `npm ci` or `npm run build` first.\n');
	process.exit(70);
}
await import(bundle.href);
