// One poll cycle (hive HTTP + Redis, in parallel, as the console and `status` run it) against a simulator
// with 10,000 agents whose Redis holds 10,000+ agent streams, of which a poll reads its cap of 1,000.
// Starts its own redis-server and simulator on free ports; prints figures, asserts nothing.
import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import {fileURLToPath} from 'node:url';
import {register} from 'tsx/esm/api';
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CYCLES = Number(process.env.CYCLES ?? 7);

function freePort() {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const {port} = s.address();
			s.close(() => resolve(port));
		});
	});
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;

const dir = mkdtempSync(path.join(os.tmpdir(), 'hive-bench-'));
const children = [];
function cleanup() {
	for (const c of children) c.kill('SIGTERM');
	rmSync(dir, {recursive: true, force: true});
}
process.on('exit', cleanup);

const redisPort = await freePort();
children.push(spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {stdio: 'ignore'}));
for (let i = 0; i < 100; i++) {
	if (spawnSync('redis-cli', ['-p', String(redisPort), 'PING'], {encoding: 'utf8'}).stdout.trim() === 'PONG') break;
	await new Promise((r) => setTimeout(r, 50));
}
const redisUrl = `redis://127.0.0.1:${redisPort}`;

const sim = spawn(process.execPath, [path.join(root, 'bin/hive-console.js'), 'simulate', '--port', '0', '--agents', '10000', '--redis', redisUrl], {stdio: ['ignore', 'pipe', 'inherit']});
children.push(sim);
const hiveUrl = await new Promise((resolve, reject) => {
	sim.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
	readline.createInterface({input: sim.stdout}).once('line', (line) => {
		const m = /listening on (\S+)/.exec(line);
		m ? resolve(m[1]) : reject(new Error(line));
	});
});
// Wait until the simulator's bridge has created the agents' streams.
for (let i = 0; i < 600; i++) {
	const n = Number(spawnSync('redis-cli', ['-p', String(redisPort), 'DBSIZE'], {encoding: 'utf8'}).stdout.trim());
	if (n >= 10_000) break;
	await new Promise((r) => setTimeout(r, 100));
}
const keys = spawnSync('redis-cli', ['-p', String(redisPort), 'DBSIZE'], {encoding: 'utf8'}).stdout.trim();

register();
const {resolveConfig} = await import(path.join(root, 'source/config/resolve.ts'));
const {createHiveApp} = await import(path.join(root, 'source/app/create.ts'));
const config = await resolveConfig({hive: hiveUrl, redis: redisUrl, interval: 5}, {HOME: dir});
const app = createHiveApp(config, {include: ['hive', 'redis']});

// First cycle: connections, profile probe.
let t = performance.now();
await app.poller.refreshNow();
const first = performance.now() - t;

gc();
const before = process.memoryUsage();
const times = [];
const hiveMs = [];
const redisMs = [];
// The console's own CPU per cycle (this process: parsing, readers, store, GC), apart from the time the
// simulator takes to build and send its 5.4 MB agents list.
const cpuMs = [];
for (let i = 0; i < CYCLES; i++) {
	t = performance.now();
	const cpu0 = process.cpuUsage();
	await app.poller.refreshNow();
	times.push(performance.now() - t);
	const cpu = process.cpuUsage(cpu0);
	cpuMs.push((cpu.user + cpu.system) / 1000);
	const s = app.store.getState().sources;
	hiveMs.push(s.hive.lastDurationMs);
	redisMs.push(s.redis.lastDurationMs);
	if (process.env.TRACE_HEAP) {
		gc();
		console.log(`cycle ${i + 1}: heap ${mb(process.memoryUsage().heapUsed)}`);
	}
}
const peakRss = process.memoryUsage().rss;
gc();
const after = process.memoryUsage();
const state = app.store.getState();
const hive = state.snapshots.hive;
const redis = state.snapshots.redis;
console.log(`simulator: ${hive?.agents?.length ?? 0} agents; redis: ${keys} keys, ${redis?.streams.length ?? 0} streams read per poll${redis?.truncated ? ` (truncated: ${redis.truncatedReason})` : ''}`);
console.log(`sources: hive ${state.sources.hive.state}, redis ${state.sources.redis.state}`);
console.log(`first cycle (connect + profile probe): ${first.toFixed(0)} ms`);
console.log(`poll cycle, median of ${CYCLES}: ${median(times).toFixed(0)} ms (hive ${median(hiveMs)} ms, redis ${median(redisMs)} ms, in parallel; goal 150 ms)`);
console.log(`the console's CPU per cycle, median: ${median(cpuMs).toFixed(0)} ms (range ${Math.min(...cpuMs).toFixed(0)}-${Math.max(...cpuMs).toFixed(0)})`);
// What the stand-in itself takes to answer the same four requests, asked in parallel by curl.
{
	const paths = ['/health', '/api/dashboard/metrics', '/api/dashboard/agents/status?include_inactive=true', '/api/dashboard/tasks/queue?limit=500'];
	const serve = [];
	for (let i = 0; i < 5; i++) {
		const s = performance.now();
		await Promise.all(paths.map((p) => new Promise((resolve) => spawn('curl', ['-s', '-o', '/dev/null', `${hiveUrl}${p}`]).once('exit', resolve))));
		serve.push(performance.now() - s);
	}
	console.log(`the simulator answering the same requests to curl, median of 5: ${median(serve).toFixed(0)} ms`);
}
console.log(`memory: rss ${mb(peakRss)} after the cycles; heap retained after GC ${mb(after.heapUsed)} (before the measured cycles ${mb(before.heapUsed)}; includes tsx and the store's last snapshots)`);
await app.close();
cleanup();
process.exit(0);
