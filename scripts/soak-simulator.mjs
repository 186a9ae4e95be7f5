// Soak test: runs the real simulator binary at --speed 60 against a real redis-server and PostgreSQL
// (started here in temporary directories, or given with --redis/--database) for a given duration, polls
// it the way a console would, cycles the scenarios, and samples its RSS. Writes a table and a summary.
//   node scripts/soak-simulator.mjs [--duration 3600] [--agents 50] [--speed 60] [--out FILE] [--redis URL] [--database URL]
import {spawn, spawnSync} from 'node:child_process';
import {appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const {values: args} = parseArgs({
	options: {
		duration: {type: 'string', default: '3600'},
		agents: {type: 'string', default: '50'},
		speed: {type: 'string', default: '60'},
		out: {type: 'string', default: ''},
		redis: {type: 'string'},
		database: {type: 'string'},
		sample: {type: 'string', default: '10'},
	},
});
const durationS = Number(args.duration);
const out = args.out || null;
const say = (line) => {
	console.log(line);
	if (out) appendFileSync(out, line + '\n');
};
if (out) writeFileSync(out, '');

const children = [];
const dirs = [];
const freePort = () =>
	new Promise((resolve) => {
		const s = createServer();
		s.listen(0, '127.0.0.1', () => {
			const {port} = s.address();
			s.close(() => resolve(port));
		});
	});
const waitUntil = async (probe, ms = 30_000) => {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		if (probe()) return;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error('service did not start');
};

async function ownRedis() {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'soak-redis-'));
	dirs.push(dir);
	const port = await freePort();
	children.push(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {stdio: 'ignore'}));
	await waitUntil(() => spawnSync('redis-cli', ['-p', String(port), 'PING'], {encoding: 'utf8'}).stdout.trim() === 'PONG');
	return `redis://127.0.0.1:${port}`;
}

async function ownPostgres() {
	const base = '/usr/lib/postgresql';
	const bin = path.join(base, readdirSync(base).sort((a, b) => Number(b) - Number(a))[0], 'bin');
	const dir = mkdtempSync(path.join(os.tmpdir(), 'soak-pg-'));
	dirs.push(dir);
	const asRoot = process.getuid?.() === 0;
	if (asRoot) chownSync(dir, Number(spawnSync('id', ['-u', 'postgres'], {encoding: 'utf8'}).stdout), Number(spawnSync('id', ['-g', 'postgres'], {encoding: 'utf8'}).stdout));
	const as = (cmd, a) => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...a]] : [cmd, a]);
	const [ic, ia] = as(path.join(bin, 'initdb'), ['-D', path.join(dir, 'data'), '--auth=trust', '-U', 'postgres', '--no-sync']);
	if (spawnSync(ic, ia).status !== 0) throw new Error('initdb failed');
	const port = await freePort();
	const [pc, pa] = as(path.join(bin, 'postgres'), ['-D', path.join(dir, 'data'), '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'fsync=off']);
	children.push(spawn(pc, pa, {stdio: 'ignore'}));
	await waitUntil(() => spawnSync('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-Atc', 'select 1'], {encoding: 'utf8'}).stdout.trim() === '1');
	spawnSync('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-c', 'CREATE DATABASE leanvibe_agent_hive']);
	return `postgres://postgres@127.0.0.1:${port}/leanvibe_agent_hive`;
}

const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

const redisUrl = args.redis ?? (await ownRedis());
const databaseUrl = args.database ?? (await ownPostgres());
const logDir = mkdtempSync(path.join(os.tmpdir(), 'soak-log-'));
dirs.push(logDir);
const sim = spawn(process.execPath, [path.join(root, 'bin/hive-console.js'), 'simulate', '--port', '0', '--speed', args.speed, '--agents', args.agents, '--seed', '42', '--redis', redisUrl, '--database', databaseUrl, '--log-file', path.join(logDir, 'api.log')], {stdio: ['ignore', 'pipe', 'inherit']});
const url = await new Promise((resolve, reject) => {
	readline.createInterface({input: sim.stdout}).once('line', (line) => {
		const m = /listening on (\S+)/.exec(line);
		m ? resolve(m[1]) : reject(new Error(line));
	});
	sim.once('exit', (code) => reject(new Error(`simulator exited ${code}`)));
});

// A simulator that dies mid-soak must leave its reason in the output, not a table that just stops.
sim.once('exit', (code, signal) => say(`# simulator exited during the soak: code ${code}, signal ${signal}`));
process.on('exit', (code) => out && appendFileSync(out, `# soak script exiting with code ${code}\n`));
for (const event of ['uncaughtException', 'unhandledRejection']) {
	process.on(event, (error) => {
		say(`# soak script failed: ${error?.stack ?? error}`);
		process.exit(1);
	});
}

const scenarios = ['healthy', 'communication-failure', 'healthy', 'task-distribution', 'healthy', 'coordination-critical', 'healthy', 'slow-database', 'healthy'];
const post = (p, body) => fetch(url + p, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000)}).then((r) => r.json());
say(`# soak: ${url} speed=${args.speed} agents=${args.agents} duration=${durationS}s (simulated ${((durationS * Number(args.speed)) / 3600).toFixed(1)} h)`);
say('elapsed_s\trss_mb\ttasks_total\ttasks_live\tscenario\tsim_time');
const started = Date.now();
const samples = [];
let lastScenario = -1;
while ((Date.now() - started) / 1000 < durationS) {
	const elapsed = Math.round((Date.now() - started) / 1000);
	const slot = Math.floor(elapsed / (durationS / scenarios.length));
	if (slot !== lastScenario && slot < scenarios.length) {
		lastScenario = slot;
		await post('/_sim/scenario', {name: scenarios[slot]});
	}
	// Poll the way the console does.
	for (const p of ['/api/dashboard/metrics/coordination', '/api/dashboard/metrics/agents', '/health', '/api/v1/agents/status', '/api/dashboard/tasks/queue']) {
		await fetch(url + p, {signal: AbortSignal.timeout(10_000)}).then((r) => r.arrayBuffer()).catch(() => undefined);
	}
	const state = await fetch(url + '/_sim/state', {signal: AbortSignal.timeout(30_000)}).then((r) => r.json());
	const rss = rssKb(sim.pid) / 1024;
	samples.push({elapsed, rss});
	say(`${elapsed}\t${rss.toFixed(1)}\t${state.tasks.total}\t${state.tasks.live}\t${state.scenario}\t${state.simulated_time}`);
	await new Promise((r) => setTimeout(r, Number(args.sample) * 1000));
}
const half = samples.slice(Math.floor(samples.length / 2));
const max = Math.max(...samples.map((s) => s.rss));
say(`# summary: start ${samples[0].rss.toFixed(1)} MB, max ${max.toFixed(1)} MB, end ${samples.at(-1).rss.toFixed(1)} MB; second half min ${Math.min(...half.map((s) => s.rss)).toFixed(1)} / max ${Math.max(...half.map((s) => s.rss)).toFixed(1)} MB`);
sim.removeAllListeners('exit');
sim.kill('SIGTERM');
const code = await new Promise((r) => sim.once('exit', (c) => r(c)));
say(`# simulator exit code after SIGTERM: ${code}`);
for (const child of children) child.kill('SIGINT');
await new Promise((r) => setTimeout(r, 1500));
for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
