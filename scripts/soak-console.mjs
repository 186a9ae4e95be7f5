// Console soak: the real console binary in a terminal (tmux, 120x40) against the simulator binary, with a
// throwaway redis-server and PostgreSQL when they are installed, for a given number of minutes. The
// scenario is switched through /_sim/scenario every --switch-every minutes; one line per minute gives the
// console's RSS, its CPU over that minute and (with --heap, the default) its V8 heap.
//   npm run soak -- [--minutes 20] [--agents 50] [--speed 100] [--interval 2] [--switch-every 5]
//                   [--no-heap] [--no-build] [--out FILE] [--keep-inspector]
// Everything it starts (simulator, redis-server, PostgreSQL, the tmux server on a private socket) is stopped
// at the end, on Ctrl-C or SIGTERM. Only loopback is used.
//
// The binary is copied to a temporary directory first, so a rebuild in the working tree during a long
// soak neither changes nor breaks the console being measured.
//
// Heap figures come from the inspector (the console runs with --inspect on a loopback port; this script
// calls Runtime.evaluate once a minute, without enabling any domain, so nothing is recorded or retained by
// the inspector between calls). --no-heap runs the console exactly as a user would.
import {spawn, spawnSync} from 'node:child_process';
import {appendFileSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import WebSocket from 'ws';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const {values: args} = parseArgs({
	options: {
		minutes: {type: 'string', default: '20'},
		agents: {type: 'string', default: '50'},
		speed: {type: 'string', default: '100'},
		interval: {type: 'string', default: '2'},
		'switch-every': {type: 'string', default: '5'},
		heap: {type: 'boolean', default: true},
		'no-heap': {type: 'boolean', default: false},
		build: {type: 'boolean', default: true},
		'no-build': {type: 'boolean', default: false},
		out: {type: 'string', default: ''},
		'keep-inspector': {type: 'boolean', default: false},
		seed: {type: 'string', default: '42'},
		help: {type: 'boolean', short: 'h', default: false},
	},
});
if (args.help) {
	console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(0, 8).join('\n'));
	process.exit(0);
}
const minutes = Number(args.minutes);
const switchEvery = Number(args['switch-every']);
const withHeap = args.heap && !args['no-heap'];
for (const [name, value] of Object.entries({minutes, 'switch-every': switchEvery, agents: Number(args.agents), speed: Number(args.speed), interval: Number(args.interval)})) {
	if (!Number.isFinite(value) || value <= 0) {
		console.error(`soak-console: --${name} needs a positive number`);
		process.exit(64);
	}
}
const out = args.out || null;
if (out) writeFileSync(out, '');
const say = (line) => {
	console.log(line);
	if (out) appendFileSync(out, line + '\n');
};

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).stdout.trim()) || 100;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const children = [];
const dirs = [];
const stops = [];
let sim = null;
const tmuxSocket = `hive-soak-${process.pid}`;
const tmux = (...a) => spawnSync('tmux', ['-L', tmuxSocket, ...a], {encoding: 'utf8'});

const freePort = () =>
	new Promise((resolve, reject) => {
		const s = createServer();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const {port} = s.address();
			s.close(() => resolve(port));
		});
	});
const waitUntil = async (what, probe, ms = 30_000) => {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		if (await probe()) return;
		await sleep(100);
	}
	throw new Error(`${what} did not start within ${ms / 1000} s`);
};
const which = (binary, dirsFirst = []) => {
	for (const dir of [...dirsFirst, ...(process.env.PATH ?? '').split(':')]) {
		if (dir && existsSync(path.join(dir, binary))) return path.join(dir, binary);
	}
	return null;
};
const pgDirs = existsSync('/usr/lib/postgresql')
	? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)).map((v) => `/usr/lib/postgresql/${v}/bin`)
	: [];

async function ownRedis() {
	const binary = which('redis-server');
	if (!binary) return null;
	const dir = mkdtempSync(path.join(os.tmpdir(), 'soak-console-redis-'));
	dirs.push(dir);
	const port = await freePort();
	const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', path.join(dir, 'redis.log')], {stdio: 'ignore'});
	children.push(child);
	await waitUntil('redis-server', () => spawnSync(which('redis-cli') ?? 'redis-cli', ['-p', String(port), 'PING'], {encoding: 'utf8'}).stdout?.trim() === 'PONG');
	return `redis://127.0.0.1:${port}`;
}

async function ownPostgres() {
	const initdb = which('initdb', pgDirs);
	const postgres = which('postgres', pgDirs);
	const psql = which('psql', pgDirs);
	if (!initdb || !postgres || !psql) return null;
	const dir = mkdtempSync(path.join(os.tmpdir(), 'soak-console-pg-'));
	dirs.push(dir);
	const dataDir = path.join(dir, 'data');
	const asRoot = process.getuid?.() === 0;
	if (asRoot) chownSync(dir, Number(spawnSync('id', ['-u', 'postgres'], {encoding: 'utf8'}).stdout), Number(spawnSync('id', ['-g', 'postgres'], {encoding: 'utf8'}).stdout));
	const as = (cmd, a) => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...a]] : [cmd, a]);
	const [ic, ia] = as(initdb, ['-D', dataDir, '--auth=trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
	if (spawnSync(ic, ia).status !== 0) throw new Error('initdb failed');
	const port = await freePort();
	const [pc, pa] = as(postgres, ['-D', dataDir, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'fsync=off', '-c', 'synchronous_commit=off']);
	const child = spawn(pc, pa, {stdio: 'ignore'});
	children.push(child);
	// runuser does not pass signals on: stop the postmaster through its pid file (fast shutdown).
	stops.push(() => {
		try {
			const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
			if (pid > 0) process.kill(pid, 'SIGINT');
		} catch {
			// Never started or already stopped.
		}
	});
	const q = (sql, db = 'postgres') => spawnSync(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db, '-Atc', sql], {encoding: 'utf8'});
	await waitUntil('postgres', () => q('select 1').stdout?.trim() === '1');
	q('CREATE DATABASE leanvibe_agent_hive');
	q('CREATE EXTENSION IF NOT EXISTS pg_stat_statements', 'leanvibe_agent_hive');
	return `postgres://postgres@127.0.0.1:${port}/leanvibe_agent_hive`;
}

let cleaning = null;
function cleanup() {
	cleaning ??= (async () => {
		tmux('kill-server');
		for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(child === sim ? 'SIGTERM' : 'SIGINT');
		for (const stop of stops) stop();
		const deadline = Date.now() + 6000;
		while (Date.now() < deadline && children.some((c) => c.exitCode === null && c.signalCode === null)) await sleep(100);
		for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
	})();
	return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, () => {
		say(`# ${signal}: stopping everything this soak started`);
		void cleanup().then(() => process.exit(130));
	});
}
for (const event of ['uncaughtException', 'unhandledRejection']) {
	process.on(event, (error) => {
		say(`# soak failed: ${error?.stack ?? error}`);
		void cleanup().then(() => process.exit(1));
	});
}

// 1. A private copy of the binary.
if (args.build && !args['no-build']) {
	const r = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], {stdio: 'inherit'});
	if (r.status !== 0) throw new Error('build failed');
}
const app = mkdtempSync(path.join(os.tmpdir(), 'soak-console-app-'));
dirs.push(app);
cpSync(path.join(root, 'bin'), path.join(app, 'bin'), {recursive: true});
cpSync(path.join(root, 'dist'), path.join(app, 'dist'), {recursive: true});
cpSync(path.join(root, 'package.json'), path.join(app, 'package.json'));
symlinkSync(path.join(root, 'node_modules'), path.join(app, 'node_modules'));
const bin = path.join(app, 'bin/hive-console.js');

// 2. Services and the simulator.
const [redisUrl, databaseUrl] = await Promise.all([ownRedis(), ownPostgres()]);
const work = mkdtempSync(path.join(os.tmpdir(), 'soak-console-work-'));
dirs.push(work);
const logFile = path.join(work, 'api.log');
const simArgs = ['simulate', '--port', '0', '--speed', args.speed, '--agents', args.agents, '--seed', args.seed, '--log-file', logFile];
if (redisUrl) simArgs.push('--redis', redisUrl);
if (databaseUrl) simArgs.push('--database', databaseUrl);
sim = spawn(process.execPath, [bin, ...simArgs], {stdio: ['ignore', 'pipe', 'pipe']});
children.push(sim);
let simStderr = '';
sim.stderr.on('data', (d) => (simStderr = (simStderr + d).slice(-4000)));
const url = await new Promise((resolve, reject) => {
	readline.createInterface({input: sim.stdout}).once('line', (line) => {
		const m = /listening on (\S+)/.exec(line);
		m ? resolve(m[1]) : reject(new Error(line));
	});
	sim.once('exit', (code) => reject(new Error(`simulator exited ${code}: ${simStderr}`)));
});
sim.once('exit', (code, signal) => {
	if (!cleaning) say(`# the simulator exited during the soak: code ${code}, signal ${signal}: ${simStderr.trim().split('\n').at(-1) ?? ''}`);
});

// 3. The console in tmux. XDG directories of its own: no config file, no audit log outside the soak.
const inspectPort = withHeap ? await freePort() : null;
const consoleArgs = ['--hive', url, '--interval', args.interval, '--logs', logFile];
if (redisUrl) consoleArgs.push('--redis', redisUrl);
if (databaseUrl) consoleArgs.push('--database', databaseUrl);
const env = [
	'CI=false',
	`XDG_CONFIG_HOME=${path.join(work, 'config')}`,
	`XDG_STATE_HOME=${path.join(work, 'state')}`,
	...(inspectPort ? [`NODE_OPTIONS=--inspect=127.0.0.1:${inspectPort}`] : []),
];
mkdirSync(path.join(work, 'config'));
mkdirSync(path.join(work, 'state'));
const shellQuote = (s) => `'${String(s).replaceAll("'", "'\\''")}'`;
const command = `exec env -u HIVE_URL -u HIVE_TOKEN -u REDIS_URL -u DATABASE_URL -u ALERTMANAGER_URL ${env.map(shellQuote).join(' ')} ${shellQuote(process.execPath)} ${shellQuote(bin)} ${consoleArgs.map(shellQuote).join(' ')}`;
const started = tmux('new-session', '-d', '-s', 'soak', '-x', '120', '-y', '40', command);
if (started.status !== 0) throw new Error(`tmux: ${started.stderr}`);
tmux('set-option', '-t', 'soak', 'remain-on-exit', 'on');
const screen = () => tmux('capture-pane', '-p', '-t', 'soak').stdout ?? '';
const panePid = Number(tmux('display-message', '-p', '-t', 'soak', '#{pane_pid}').stdout.trim());
// The console's own node: the deepest node descendant of the pane (the pane runs it through exec).
const consolePid = () => {
	let pid = panePid;
	for (;;) {
		const next = spawnSync('pgrep', ['-P', String(pid)], {encoding: 'utf8'}).stdout.trim().split('\n')[0];
		if (!next) return pid;
		pid = Number(next);
	}
};
await waitUntil('the console with data', () => /success rate\s+[\d.]+%/.test(screen()), 60_000).catch((e) => {
	throw new Error(`${e.message}; the screen was:\n${screen()}`);
});
const pid = consolePid();

const status = (p) => readFileSync(`/proc/${p}/status`, 'utf8');
const rssMb = (p) => Number(/VmRSS:\s+(\d+)/.exec(status(p))?.[1] ?? NaN) / 1024;
const cpuTicks = (p) => {
	const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
	return Number(fields[11]) + Number(fields[12]);
};

// One inspector connection for the whole soak; Runtime.evaluate needs no enabled domain.
let inspector = null;
let nextId = 1;
const pending = new Map();
async function connectInspector() {
	const list = await fetch(`http://127.0.0.1:${inspectPort}/json/list`, {signal: AbortSignal.timeout(5000)}).then((r) => r.json());
	const ws = new WebSocket(list[0].webSocketDebuggerUrl, {perMessageDeflate: false});
	await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
	ws.on('message', (data) => {
		const msg = JSON.parse(String(data));
		const waiter = pending.get(msg.id);
		if (waiter) (pending.delete(msg.id), waiter(msg));
	});
	return ws;
}
const evaluate = (expression) =>
	new Promise((resolve, reject) => {
		const id = nextId++;
		const timer = setTimeout(() => (pending.delete(id), reject(new Error('inspector timeout'))), 10_000);
		pending.set(id, (msg) => {
			clearTimeout(timer);
			msg.error ? reject(new Error(msg.error.message)) : resolve(msg.result?.result?.value);
		});
		inspector.send(JSON.stringify({id, method: 'Runtime.evaluate', params: {expression, returnByValue: true}}));
	});
const heapMb = async () => {
	if (!inspector) return null;
	const m = await evaluate('JSON.stringify(process.memoryUsage())').catch(() => null);
	return m ? JSON.parse(m) : null;
};
if (inspectPort) inspector = await connectInspector();

// 4. The soak.
const scenarios = ['communication-failure', 'task-distribution', 'coordination-critical', 'slow-database', 'flaky-api', 'healthy'];
const post = (p, body) => fetch(url + p, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000)}).then((r) => r.json());
say(`# console soak: ${minutes} min, ${args.agents} agents, simulator --speed ${args.speed}, console --interval ${args.interval} s, scenario every ${switchEvery} min; redis ${redisUrl ? 'yes' : 'no (not installed)'}, postgres ${databaseUrl ? 'yes' : 'no (not installed)'}; console pid ${pid}${inspectPort ? `, inspector 127.0.0.1:${inspectPort}` : ''}`);
say('# CPU is % of one core over the minute, on a shared 2-core machine: indicative only; RSS is the figure that matters');
say('minute\trss_mb\tcpu_pct\theap_used_mb\theap_total_mb\texternal_mb\tscenario');
const t0 = Date.now();
let ticks = cpuTicks(pid);
let tPrev = t0;
let scenarioIndex = -1;
let scenario = 'healthy';
const rows = [];
const row0 = {minute: 0, rss: rssMb(pid), cpu: NaN, heap: await heapMb(), scenario};
rows.push(row0);
const fmt = (r) => `${r.minute}\t${r.rss.toFixed(1)}\t${Number.isNaN(r.cpu) ? '-' : r.cpu.toFixed(2)}\t${r.heap ? (r.heap.heapUsed / 2 ** 20).toFixed(1) : '-'}\t${r.heap ? (r.heap.heapTotal / 2 ** 20).toFixed(1) : '-'}\t${r.heap ? (r.heap.external / 2 ** 20).toFixed(1) : '-'}\t${r.scenario}`;
say(fmt(row0));
for (let minute = 1; minute <= minutes; minute++) {
	// Switch at the start of each --switch-every period, the first one switch-every minutes in.
	while (Date.now() < t0 + minute * 60_000) {
		const elapsedMin = (Date.now() - t0) / 60_000;
		const slot = Math.floor(elapsedMin / switchEvery) - 1;
		if (slot > scenarioIndex) {
			scenarioIndex = slot;
			scenario = scenarios[slot % scenarios.length];
			await post('/_sim/scenario', {name: scenario}).catch((e) => say(`# scenario switch to ${scenario} failed: ${e.message}`));
		}
		await sleep(Math.min(1000, t0 + minute * 60_000 - Date.now()));
		if (!existsSync(`/proc/${pid}`)) throw new Error(`the console exited; the screen was:\n${screen()}`);
	}
	const now = Date.now();
	const ticksNow = cpuTicks(pid);
	const r = {minute, rss: rssMb(pid), cpu: (100 * (ticksNow - ticks)) / CLK_TCK / ((now - tPrev) / 1000), heap: await heapMb(), scenario};
	ticks = ticksNow;
	tPrev = now;
	rows.push(r);
	say(fmt(r));
}

const at = (m) => rows.find((r) => r.minute === m) ?? rows.at(-1);
const warm = at(Math.min(5, minutes));
const end = rows.at(-1);
const cpus = rows.filter((r) => !Number.isNaN(r.cpu)).map((r) => r.cpu);
const peak = Math.max(...rows.map((r) => r.rss));
const pct = (a, b) => `${b >= a ? '+' : ''}${((100 * (b - a)) / a).toFixed(1)} %`;
const perMin = end.minute > warm.minute ? ((end.rss - warm.rss) / (end.minute - warm.minute)).toFixed(2) : '-';
say(`# summary: RSS start ${row0.rss.toFixed(1)} MB, minute ${warm.minute} ${warm.rss.toFixed(1)} MB, end (minute ${end.minute}) ${end.rss.toFixed(1)} MB, peak ${peak.toFixed(1)} MB; minute ${warm.minute} -> end ${pct(warm.rss, end.rss)} (${perMin} MB/min)`);
if (warm.heap && end.heap) say(`# summary: heap used minute ${warm.minute} ${(warm.heap.heapUsed / 2 ** 20).toFixed(1)} MB, end ${(end.heap.heapUsed / 2 ** 20).toFixed(1)} MB (${pct(warm.heap.heapUsed, end.heap.heapUsed)})`);
if (cpus.length) say(`# summary: CPU median ${[...cpus].sort((a, b) => a - b)[Math.floor(cpus.length / 2)].toFixed(2)} % of a core, max ${Math.max(...cpus).toFixed(2)} % (shared machine)`);
if (args['keep-inspector']) {
	say('# --keep-inspector: the soak stays up until Ctrl-C');
	await new Promise(() => undefined);
}
inspector?.close();
await cleanup();
