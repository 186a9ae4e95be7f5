// `npm run bench`: runs every benchmark in scripts/bench/ in turn (each prints its own figures) and
// never asserts on time: the figures go in the README's Benchmarks section.
import {readdirSync} from 'node:fs';
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench');
const only = process.argv[2];
const files = readdirSync(dir).filter((f) => f.endsWith('.mjs') && (!only || f.includes(only))).sort();
let failed = 0;
for (const file of files) {
	console.log(`\n== ${file}`);
	const r = spawnSync(process.execPath, [path.join(dir, file)], {stdio: 'inherit'});
	if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
