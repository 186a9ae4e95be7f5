// Time of `hive-console status` (and `status --json`) against the runbook's quick coordination health
// check (curl + grep + awk + bc, run with bash), on the same simulator: RUNS runs each, median and spread.
// Starts its own simulator on a free port; prints figures, asserts nothing.
import {spawn, spawnSync} from 'node:child_process';
import http from 'node:http';
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
// Peak memory (max RSS) comes from GNU time when the machine has it.
const gnuTime = ['/usr/bin/time'].find((p) => spawnSync(p, ['-f', '%M', 'true'], {encoding: 'utf8'}).status === 0);

function once(cmd, args) {
	const t = performance.now();
	const r = gnuTime ? spawnSync(gnuTime, ['-f', '%M', cmd, ...args], {encoding: 'utf8', env}) : spawnSync(cmd, args, {encoding: 'utf8', env});
	const ms = performance.now() - t;
	const kb = gnuTime ? Number(/(\d+)\s*$/.exec(r.stderr)?.[1]) : NaN;
	return {ms, mb: kb / 1024, status: r.status};
}

const cases = [
	['runbook quick check (bash, 3× curl, grep, awk, bc)', 'bash', [snippet]],
	['node -e 0', process.execPath, ['-e', '0']],
	['hive-console status', process.execPath, [bin, 'status', '--hive', url]],
	['hive-console status --json', process.execPath, [bin, 'status', '--json', '--hive', url]],
];
// One warm-up each, so the page cache is not what we measure; then the cases alternate, run by run, so a
// busy moment of the machine falls on all of them alike.
for (const [, cmd, args] of cases) spawnSync(cmd, args, {env});
// The one-shot commands start from a script compiled with V8's code cache (README, Architecture): say whether
// V8 took it, since a rejected cache (another Node than the build's) costs ~25 ms a run.
const cacheState = spawnSync(process.execPath, [bin, 'status', '--hive', url], {env: {...env, HIVE_CONSOLE_CODE_CACHE_REPORT: '1'}, encoding: 'utf8'}).stderr.match(/code cache: \w+/)?.[0] ?? 'code cache: not reported';
const results = cases.map(() => ({ms: [], mb: [], status: null}));
for (let i = 0; i < RUNS; i++) {
	cases.forEach(([, cmd, args], k) => {
		const r = once(cmd, args);
		results[k].ms.push(r.ms);
		results[k].mb.push(r.mb);
		results[k].status = r.status;
	});
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`simulator with ${AGENTS} agents, ${RUNS} alternated runs each (median, min–max; peak RSS median); ${cacheState}:`);
cases.forEach(([label], k) => {
	const {ms, mb, status} = results[k];
	const rss = Number.isFinite(median(mb)) ? `, peak ${median(mb).toFixed(0)} MB` : '';
	console.log(`  ${label.padEnd(52)} ${median(ms).toFixed(0).padStart(5)} ms  (${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)} ms, exit ${status}${rss})`);
});
const [snippetMs, nodeMs, statusMs] = [0, 1, 2].map((k) => median(results[k].ms));
const statusMb = median(results[2].mb);
console.log('\nagainst the goals:');
console.log(`  status / runbook snippet   ${(statusMs / snippetMs).toFixed(2)}×   goal ≤ 1.0×`);
console.log(`  status / node -e 0         ${(statusMs / nodeMs).toFixed(2)}×   goal ≤ 1.5×`);
if (Number.isFinite(statusMb)) console.log(`  status peak memory         ${statusMb.toFixed(0)} MB   goal ≤ 60 MB (node -e 0: ${median(results[1].mb).toFixed(0)} MB)`);
// Requests one poll cycle sends to the hive, per API profile: a counting proxy in front of the simulator,
// one `status` through it (status polls each source once, as one cycle of the console does).
const counted = [];
const proxy = http.createServer((req, res) => {
	counted.push(`${req.method} ${req.url}`);
	const up = new URL(url);
	const forward = http.request({host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers}, (answer) => {
		res.writeHead(answer.statusCode ?? 502, answer.headers);
		answer.pipe(res);
	});
	forward.on('error', () => res.destroy());
	req.pipe(forward);
});
await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const proxyUrl = `http://127.0.0.1:${proxy.address().port}`;
console.log('\nrequests to the hive per poll cycle (goal ≤ 4):');
for (const profile of ['beehive', 'runbook', 'auto']) {
	counted.length = 0;
	// Asynchronous: the proxy answers in this process while status runs.
	await new Promise((resolve) => spawn(process.execPath, [bin, 'status', '--api-profile', profile, '--hive', proxyUrl], {env, stdio: 'ignore'}).on('exit', resolve));
	console.log(`  ${profile.padEnd(8)} ${String(counted.length).padStart(2)}: ${counted.join(', ')}`);
}
proxy.close();

const quick = spawnSync('bash', [snippet], {encoding: 'utf8', env}).stdout;
console.log('\nwhat the runbook snippet prints (note the HELP-line values):');
console.log(quick.replace(/^/gm, '  ').trimEnd());
process.exit(0);
