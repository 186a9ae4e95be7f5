// The hive's dashboard WebSocket, with and without: HTTP requests per minute to the hive (counted at a proxy
// in front of the simulator, which passes the WebSocket through) for the console's data layer at a 2 s
// interval, and the time from a scenario switch in the simulator to the store judging it. Starts its own
// simulator (shipped server profile, 12 agents); prints figures, asserts nothing.
import {spawn} from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import {fileURLToPath} from 'node:url';
import {register} from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SECONDS = Number(process.env.WS_BENCH_SECONDS ?? 60);
const SWITCHES = 6;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const sim = spawn(process.execPath, [path.join(root, 'bin/hive-console.js'), 'simulate', '--port', '0', '--agents', '12', '--profile', 'beehive'], {stdio: ['ignore', 'pipe', 'inherit']});
process.on('exit', () => sim.kill('SIGTERM'));
const simUrl = await new Promise((resolve, reject) => {
	sim.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
	readline.createInterface({input: sim.stdout}).once('line', (line) => resolve(/listening on (\S+)/.exec(line)?.[1]));
});
const up = new URL(simUrl);
let requests = 0;
const proxy = http.createServer((req, res) => {
	if (!req.url.startsWith('/_sim')) requests++;
	const forward = http.request({host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers}, (answer) => {
		res.writeHead(answer.statusCode ?? 502, answer.headers);
		answer.pipe(res);
	});
	forward.on('error', () => res.destroy());
	req.pipe(forward);
});
// The WebSocket's upgrade is passed through as raw bytes (and not counted: it is one connection, not polls).
proxy.on('upgrade', (req, socket, head) => {
	const upstream = net.connect(Number(up.port), up.hostname, () => {
		upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
		upstream.write(head);
		socket.pipe(upstream).pipe(socket);
	});
	upstream.on('error', () => socket.destroy());
	socket.on('error', () => upstream.destroy());
});
await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
const proxyUrl = `http://127.0.0.1:${proxy.address().port}`;

register();
const {resolveConfig} = await import(path.join(root, 'source/config/resolve.ts'));
const {createHiveApp} = await import(path.join(root, 'source/app/create.ts'));
const {followHiveSocket} = await import(path.join(root, 'source/app/live-updates.ts'));
const {selectAssessment} = await import(path.join(root, 'source/model/select.ts'));

const scenario = (name) => fetch(`${simUrl}/_sim/scenario`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({name, backdate: true})});

async function run(withSocket) {
	await scenario('healthy');
	const config = await resolveConfig({hive: proxyUrl, interval: 2, apiProfile: 'beehive'}, {HOME: '/nonexistent'});
	const app = createHiveApp(config, {include: ['hive']});
	const stop = withSocket ? followHiveSocket(app) : () => undefined;
	app.poller.start();
	await sleep(3000);
	requests = 0;
	await sleep(SECONDS * 1000);
	const perMinute = (requests * 60) / SECONDS;
	const latencies = [];
	for (let i = 0; i < SWITCHES; i++) {
		const target = i % 2 === 0 ? 'critical' : 'healthy';
		await scenario(target === 'critical' ? 'coordination-critical' : 'healthy');
		const t = performance.now();
		while (selectAssessment(app.store.getState(), Date.now())?.overall !== target && performance.now() - t < 30_000) await sleep(10);
		latencies.push(performance.now() - t);
		await sleep(1500 + Math.random() * 2000);
	}
	stop();
	await app.close();
	return {perMinute, latencies};
}

const without = await run(false);
const withWs = await run(true);
const line = (label, r) =>
	console.log(`  ${label.padEnd(22)} ${r.perMinute.toFixed(0).padStart(4)} requests/min · scenario switch → store: median ${median(r.latencies).toFixed(0)} ms (${r.latencies.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`console data layer, 2 s interval, 12 agents, ${SECONDS} s counted, ${SWITCHES} scenario switches each:`);
line('polling only', without);
line('with the WebSocket', withWs);
proxy.close();
process.exit(0);
