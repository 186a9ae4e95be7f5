// Benchmark: the simulator with 10,000 agents and its task history. Prints the agents-list latency for
// both profiles (median and worst of several calls), the agent metrics latency, start-up time and RSS.
// Figures only, no assertions: machines are noisy.
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import {fileURLToPath} from 'node:url';

const root = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
const agents = Number(process.argv[2] ?? 10_000);
const t0 = performance.now();
const sim = spawn(process.execPath, [path.join(root, 'bin/hive-console.js'), 'simulate', '--port', '0', '--agents', String(agents), '--seed', '1'], {stdio: ['ignore', 'pipe', 'inherit']});
const url = await new Promise((resolve, reject) => {
	readline.createInterface({input: sim.stdout}).once('line', (line) => {
		const m = /listening on (\S+)/.exec(line);
		m ? resolve(m[1]) : reject(new Error(line));
	});
	sim.once('exit', (code) => reject(new Error(`simulator exited ${code}`)));
});
const startup = performance.now() - t0;
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${sim.pid}/status`, 'utf8'))[1]) / 1024;

async function time(p, runs = 7) {
	const times = [];
	let bytes = 0;
	for (let i = 0; i < runs; i++) {
		const s = performance.now();
		const res = await fetch(url + p);
		bytes = (await res.arrayBuffer()).byteLength;
		times.push(performance.now() - s);
	}
	times.sort((a, b) => a - b);
	return `${p}: median ${times[Math.floor(runs / 2)].toFixed(0)} ms, worst ${times.at(-1).toFixed(0)} ms, ${(bytes / 1e6).toFixed(1)} MB`;
}

const state = await fetch(url + '/_sim/state').then((r) => r.json());
console.log(`simulator, ${agents} agents, ${state.tasks.total} tasks kept one by one (plus 8 days counted per 10 min): start-up ${startup.toFixed(0)} ms, RSS ${rssMb().toFixed(0)} MB`);
console.log(await time('/api/v1/agents/status'));
console.log(await time('/api/dashboard/agents/status?include_inactive=true'));
console.log(await time('/api/dashboard/metrics/agents'));
console.log(await time('/api/dashboard/metrics/coordination'));
console.log(await time('/api/dashboard/tasks/queue'));
console.log(`RSS after the calls: ${rssMb().toFixed(0)} MB`);
sim.kill('SIGTERM');
await new Promise((r) => sim.once('exit', r));
