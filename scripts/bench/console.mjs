// Console benchmarks (figures for the README; nothing here asserts on time):
//   spawn to first frame, and to the first frame with data from the simulator;
//   CPU while idle over 60 s at a 2 s poll interval; peak RSS;
//   keypress to the next frame with 10,000 agents.
// The console needs a terminal: each run gets a pseudo-terminal from script(1), 120x40.
import {spawn, spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import readline from 'node:readline';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/hive-console.js');
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
// BENCH_SECTIONS=startup,idle,keys picks sections (default all), for measuring one change at a time.
const SECTIONS = new Set((process.env.BENCH_SECTIONS ?? 'startup,idle,keys').split(','));
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).stdout.trim()) || 100;

const strip = (text) => text.replace(/\u001b\[[0-9;?<>=]*[A-Za-z]/g, '').replace(/\u001b\][^\u0007]*\u0007/g, '');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startSimulator(agents) {
	const child = spawn(process.execPath, [bin, 'simulate', '--port', '0', '--agents', String(agents)], {stdio: ['ignore', 'pipe', 'inherit']});
	const line = await new Promise((resolve, reject) => {
		readline.createInterface({input: child.stdout}).once('line', resolve);
		child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
	});
	const url = /(http:\/\/\S+)/.exec(line)?.[1];
	if (!url) throw new Error(`unexpected simulator line: ${line}`);
	return {url, stop: () => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM')))};
}

/** Runs the console under script(1) so it has a real pty; `exec` makes node script's direct child. */
function runConsole(args) {
	const command = `stty cols 120 rows 40; exec env CI=false NO_COLOR= ${process.execPath} ${bin} ${args.join(' ')}`;
	const started = performance.now();
	const child = spawn('script', ['-qfec', command, '/dev/null'], {stdio: ['pipe', 'pipe', 'inherit']});
	let text = '';
	const waiters = [];
	let chunks = 0;
	child.stdout.on('data', (d) => {
		text += d.toString();
		chunks++;
		if (text.length > 2_000_000) text = text.slice(-200_000);
		for (const w of [...waiters]) w();
	});
	const waitFor = (test, timeoutMs = 30_000) =>
		new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`timed out; last output: ${strip(text).slice(-400)}`)), timeoutMs);
			const check = () => {
				if (test(strip(text))) {
					clearTimeout(timer);
					waiters.splice(waiters.indexOf(check), 1);
					resolve(performance.now());
				}
			};
			waiters.push(check);
			check();
		});
	const nextChunk = () => {
		const before = chunks;
		return new Promise((resolve) => {
			const check = () => {
				if (chunks > before) {
					waiters.splice(waiters.indexOf(check), 1);
					resolve(performance.now());
				}
			};
			waiters.push(check);
		});
	};
	// The console's own node: the deepest descendant (bin/ relaunches long-running commands with a heap cap).
	const nodePid = () => {
		let pid = child.pid;
		for (;;) {
			const next = spawnSync('pgrep', ['-P', String(pid)], {encoding: 'utf8'}).stdout.trim().split('\n')[0];
			if (!next) return pid;
			pid = Number(next);
		}
	};
	return {
		started,
		child,
		waitFor,
		nextChunk,
		nodePid,
		clear: () => (text = ''),
		send: (key) => child.stdin.write(key),
		quit: () => new Promise((r) => (child.once('exit', r), child.stdin.write('q'))),
	};
}

function cpuTicks(pid) {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return Number(fields[11]) + Number(fields[12]);
}

function peakRssMb(pid) {
	const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return m ? Number(m[1]) / 1024 : NaN;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];

spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], {stdio: 'inherit'});

// 1. Start-up against a simulator (12 agents): first frame, first frame with data.
{
	const sim = await startSimulator(12);
	const firstFrames = [];
	const dataFrames = [];
	for (let i = 0; i < (SECTIONS.has('startup') ? 5 : 0); i++) {
		const c = runConsole(['--hive', sim.url, '--interval', '2', ...(process.env.BENCH_PROFILE ? ['--api-profile', process.env.BENCH_PROFILE] : [])]);
		firstFrames.push((await c.waitFor((t) => t.includes('hive-console │'))) - c.started);
		dataFrames.push((await c.waitFor((t) => /success rate\s+[\d.]+%/.test(t))) - c.started);
		await c.quit();
	}
	if (SECTIONS.has('startup')) console.log(`spawn to first frame:            median ${median(firstFrames).toFixed(0)} ms (5 runs: ${firstFrames.map((x) => x.toFixed(0)).join(', ')}); goal ≤ 300 ms`);
	if (SECTIONS.has('startup')) console.log(`spawn to first frame with data:  median ${median(dataFrames).toFixed(0)} ms (5 runs: ${dataFrames.map((x) => x.toFixed(0)).join(', ')})`);

	// 2. Idle CPU at a 2 s poll interval (the clock ticks once a second; the poll every 2 s).
	// Twice: following the hive's WebSocket (full reads every 10 s, the shipped server), and polling only
	// (every 2 s, as against a hive without one).
	if (SECTIONS.has('idle')) {
		for (const [label, extra] of [['with the WebSocket', []], ['polling only', ['--api-profile', 'runbook']]]) {
			const c = runConsole(['--hive', sim.url, '--interval', '2', ...extra]);
			await c.waitFor((t) => /success rate\s+[\d.]+%/.test(t));
			await sleep(3000);
			const pid = c.nodePid();
			const t0 = performance.now();
			const ticks0 = cpuTicks(pid);
			await sleep(IDLE_SECONDS * 1000);
			const ticks1 = cpuTicks(pid);
			const seconds = (performance.now() - t0) / 1000;
			console.log(`idle CPU over ${seconds.toFixed(0)} s at a 2 s interval, ${label.padEnd(18)}: ${((100 * (ticks1 - ticks0)) / CLK_TCK / seconds).toFixed(2)} % of one core (12 agents); goal ≤ 0.5 %`);
			console.log(`peak RSS (12 agents, ${label}): ${peakRssMb(pid).toFixed(0)} MB; goal ≤ 100 MB`);
			await c.quit();
		}
	}
	await sim.stop();
}

// 3. Keypress to the next frame with 10,000 agents, agents pane zoomed.
if (SECTIONS.has('keys')) {
	const sim = await startSimulator(10_000);
	const c = runConsole(['--hive', sim.url, '--interval', '5']);
	await c.waitFor((t) => /10k agents/.test(t), 60_000);
	c.send('2');
	await c.waitFor((t) => t.includes('► 2 Agents'));
	c.send('z');
	await sleep(500);
	const times = [];
	const keys = ['j', 'j', 'k', '\u001b[6~', 'G', 'g', 's', 'S', '/', 'c', '\u001b', 'j'];
	for (let i = 0; i < 48; i++) {
		await sleep(150);
		const key = keys[i % keys.length];
		const sent = performance.now();
		const next = c.nextChunk();
		c.send(key);
		times.push((await next) - sent);
	}
	const pid = c.nodePid();
	// BENCH_KEYS_DETAIL=1: each key's times, to see which keys make the tail.
	if (process.env.BENCH_KEYS_DETAIL) {
		for (const [k, key] of keys.entries()) console.log(`  ${JSON.stringify(key).padEnd(12)} ${times.filter((_, i) => i % keys.length === k).map((t) => t.toFixed(1)).join(', ')} ms`);
	}
	console.log(`keypress to next frame (10,000 agents): median ${median(times).toFixed(1)} ms, p95 ${p95(times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms (${times.length} keys); goal p95 ≤ 30 ms`);
	console.log(`peak RSS (10,000 agents):        ${peakRssMb(pid).toFixed(0)} MB; goal ≤ 130 MB`);
	await c.quit();
	await sim.stop();
}
