// Time of `hive-console status` (and `status --json`) against the runbook's quick coordination health
// check (curl + grep + awk + bc, run with bash), on the same simulator: RUNS runs each, median and spread.
// Starts its own simulator on a free port; prints figures, asserts nothing.
import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/hive-console.js');
const RUNS = Number(process.env.RUNS ?? 20);
const AGENTS = Number(process.env.AGENTS ?? 8);

const dir = mkdtempSync(path.join(os.tmpdir(), 'hive-bench-status-'));
const sim = spawn(process.execPath, [bin, 'simulate', '--port', '0', '--agents', String(AGENTS)], {stdio: ['ignore', 'pipe', 'inherit']});
process.on('exit', () => {
	sim.kill('SIGTERM');
	rmSync(dir, {recursive: true, force: true});
});
const url = await new Promise((resolve, reject) => {
	sim.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
	readline.createInterface({input: sim.stdout}).once('line', (line) => {
		const m = /listening on (\S+)/.exec(line);
		m ? resolve(m[1]) : reject(new Error(line));
	});
});

// The runbook's "Quick Coordination Health Check", verbatim except for the base URL (bugs included: its
// greps pick the HELP line and match "inactive"; we time it, we do not copy it).
const snippet = path.join(dir, 'quick-check.sh');
writeFileSync(
	snippet,
	`#!/bin/bash
echo "=== Coordination Health Check ==="
COORD_SUCCESS=$(curl -s ${url}/api/dashboard/metrics/coordination | grep success_rate | head -1 | awk '{print $2}')
echo "Coordination Success Rate: \${COORD_SUCCESS}%"
ACTIVE_AGENTS=$(curl -s ${url}/api/dashboard/metrics/agents | grep active | head -1 | awk '{print $2}')
echo "Active Agents: \${ACTIVE_AGENTS}"
QUEUE_LENGTH=$(curl -s ${url}/api/dashboard/metrics/coordination | grep queue_length | awk '{print $2}')
echo "Task Queue Length: \${QUEUE_LENGTH}"
if (( $(echo "$COORD_SUCCESS < 70" | bc -l) )); then
    echo "STATUS: CRITICAL - Immediate action required"
elif (( $(echo "$COORD_SUCCESS < 90" | bc -l) )); then
    echo "STATUS: WARNING - Investigation needed"
else
    echo "STATUS: HEALTHY"
fi
`,
);

const env = {PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_STATE_HOME: path.join(dir, 'state')};
function time(cmd, args) {
	const ms = [];
	let last;
	for (let i = 0; i < RUNS; i++) {
		const t = performance.now();
		last = spawnSync(cmd, args, {encoding: 'utf8', env});
		ms.push(performance.now() - t);
	}
	ms.sort((a, b) => a - b);
	return {median: ms[Math.floor(ms.length / 2)], min: ms[0], max: ms[ms.length - 1], last};
}

const cases = [
	['runbook quick check (bash, 3× curl, grep, awk, bc)', 'bash', [snippet]],
	['hive-console status', process.execPath, [bin, 'status', '--hive', url]],
	['hive-console status --json', process.execPath, [bin, 'status', '--json', '--hive', url]],
];
// One warm-up each, so the page cache is not what we measure.
for (const [, cmd, args] of cases) spawnSync(cmd, args, {env});
console.log(`simulator with ${AGENTS} agents, ${RUNS} runs each (median, min–max):`);
for (const [label, cmd, args] of cases) {
	const r = time(cmd, args);
	console.log(`  ${label.padEnd(52)} ${r.median.toFixed(0).padStart(5)} ms  (${r.min.toFixed(0)}–${r.max.toFixed(0)} ms, exit ${r.last.status})`);
}
const quick = spawnSync('bash', [snippet], {encoding: 'utf8', env}).stdout;
console.log('\nwhat the runbook snippet prints (note the HELP-line values):');
console.log(quick.replace(/^/gm, '  ').trimEnd());
process.exit(0);
