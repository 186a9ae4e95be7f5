// One Redis source poll against 1,000 streams with groups, consumers and pending messages on a throwaway
// redis-server: time per poll and memory. Prints figures, asserts nothing (machines are noisy).
// Run: node scripts/bench/redis-streams.mjs [streams]   (also run by `npm run bench`)
import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {tsImport} from 'tsx/esm/api';

// A collectable heap gives a retained-memory figure that does not depend on when the GC last ran.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const here = path.dirname(fileURLToPath(import.meta.url));
const STREAMS = Number(process.argv[2] ?? 1000);
const ENTRIES = 50;
const POLLS = 10;

const {createRedisSource} = await tsImport(path.join(here, '../../source/sources/redis-source.ts'), import.meta.url);
const {Redis} = await import('ioredis');

async function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address();
			server.close(() => resolve(port));
		});
	});
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'hive-bench-redis-'));
const port = await freePort();
const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {stdio: 'ignore'});
const cleanup = () => {
	server.kill('SIGKILL');
	rmSync(dir, {recursive: true, force: true});
};
process.on('exit', cleanup);
for (let i = 0; i < 100; i++) {
	if (spawnSync('redis-cli', ['-p', String(port), 'PING'], {encoding: 'utf8'}).stdout.trim() === 'PONG') break;
	await new Promise((r) => setTimeout(r, 50));
}

const url = `redis://127.0.0.1:${port}`;
const admin = new Redis(url);
// Like the hive: stream agent_messages:{id}, group group_{id}, consumer = id; half the agents have read and
// left 5 messages pending, so pending, lag and idle all have real values.
for (let start = 0; start < STREAMS; start += 100) {
	const pipeline = admin.pipeline();
	for (let i = start; i < Math.min(STREAMS, start + 100); i++) {
		const key = `agent_messages:agent-${i}`;
		for (let e = 0; e < ENTRIES; e++) pipeline.xadd(key, '*', 'message_id', `m${e}`, 'from_agent', 'orchestrator', 'type', 'task', 'payload', '{"x":1}');
		pipeline.xgroup('CREATE', key, `group_agent-${i}`, '0');
		if (i % 2 === 0) pipeline.xreadgroup('GROUP', `group_agent-${i}`, `agent-${i}`, 'COUNT', 5, 'STREAMS', key, '>');
	}
	await pipeline.exec();
}
admin.disconnect();

const source = createRedisSource({url, maxStreams: STREAMS, timeBudgetMs: 60_000, commandTimeoutMs: 10_000});
const mb = (n) => (n / 1024 / 1024).toFixed(1);
gc();
const before = process.memoryUsage();
let t = performance.now();
let snap = await source.poll(AbortSignal.timeout(120_000));
const first = performance.now() - t;
const times = [];
for (let i = 0; i < POLLS; i++) {
	t = performance.now();
	snap = await source.poll(AbortSignal.timeout(120_000));
	times.push(performance.now() - t);
}
gc();
const after = process.memoryUsage();
await source.close();
times.sort((a, b) => a - b);
const groups = snap.streams.reduce((n, s) => n + s.groups.length, 0);
const pending = snap.streams.reduce((n, s) => n + s.groups.reduce((m, g) => m + g.pending, 0), 0);

console.log(`redis ${snap.serverVersion}: ${snap.streams.length} streams, ${groups} groups, ${pending} pending messages (truncated: ${snap.truncated})`);
console.log(`first poll (connect + INFO + SCAN + pipelines): ${first.toFixed(0)} ms`);
console.log(`poll over ${POLLS} runs: median ${times[Math.floor(POLLS / 2)].toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[POLLS - 1].toFixed(0)} ms`);
console.log(`snapshot as JSON: ${(JSON.stringify(snap).length / 1024).toFixed(0)} KiB`);
console.log(`process memory after ${POLLS + 1} polls: rss ${mb(after.rss)} MiB, heap retained with the last snapshot ${mb(after.heapUsed)} MiB (${mb(before.heapUsed)} MiB before the first poll)`);

const capped = createRedisSource({url, maxStreams: 100, timeBudgetMs: 60_000});
t = performance.now();
const small = await capped.poll(AbortSignal.timeout(60_000));
console.log(`with a cap of 100 streams: ${(performance.now() - t).toFixed(0)} ms (incl. connect), ${small.streams.length} streams, truncated: ${small.truncated}`);
await capped.close();
process.exit(0);
