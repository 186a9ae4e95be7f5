#!/usr/bin/env node
// Key press → next frame of the real console (tmux, 120×40, --interval 1) while every read of the hive
// returns a hostile body of --bytes (default 1 MB: a megabyte of digits for the success rate, names of
// `agent agent …`, digit runs where numbers go), against the same console on the plain simulator.
// Prints p50 / p95 / max per phase. The proxy runs in its own process so this script's polling of tmux
// never delays its answers.
//
//   node scripts/bench-keys-under-load.mjs [--keys 60] [--bytes 1048576] [--no-build]
//
// Each key is timed from `tmux send-keys` to the first capture of the pane that shows its effect (help
// opened, help closed, the next pane focused); captures are taken back to back (a few ms each), so the
// figures include up to one capture of latency.
import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import {randomBytes} from 'node:crypto';
import {fileURLToPath} from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repoRoot, 'bin/hive-console.js');
const args = process.argv.slice(2);
const flag = (name, fallback) => {
	const i = args.indexOf(`--${name}`);
	return i === -1 ? fallback : args[i + 1];
};

// ------------------------------------------------------------ the proxy (child mode)

function hugeBody(pathname, bytes) {
	if (pathname.includes('metrics')) {
		return ['text/plain; version=0.0.4', `# HELP leanvibe_coordination_success_rate x\nleanvibe_coordination_success_rate ${'9'.repeat(bytes / 2)}\nleanvibe_agent_health{agent_name="${'agent '.repeat(bytes / 12)}"} 1\n`];
	}
	if (pathname.includes('agents')) {
		const name = `${'agent '.repeat(Math.floor(bytes / 12))}\u001B[2J\u202E`;
		return ['application/json', JSON.stringify({agents: [{id: 'a1', name, type: 'x', role: name.slice(0, bytes / 4), status: 'active'}], total_agents: '1'.repeat(bytes / 4), active_agents: 1})];
	}
	return ['application/json', `{"status": "healthy", "version": "${'1'.repeat(bytes / 2)}", "queue_length": ${'7'.repeat(bytes / 2)}}`];
}

if (args[0] === '--serve-proxy') {
	const upstream = args[1];
	const bytes = Number(args[2]);
	let huge = false;
	const server = http.createServer(async (req, res) => {
		if (req.url === '/_bench/huge') {
			huge = true;
			res.end('ok');
			return;
		}
		const url = new URL(req.url, 'http://x');
		if (huge && req.method === 'GET') {
			const [type, body] = hugeBody(url.pathname, bytes);
			res.writeHead(200, {'content-type': type});
			res.end(body);
			return;
		}
		try {
			const up = await fetch(`${upstream}${req.url}`, {method: req.method, headers: {accept: req.headers.accept ?? '*/*'}});
			res.writeHead(up.status, {'content-type': up.headers.get('content-type') ?? 'application/json'});
			res.end(Buffer.from(await up.arrayBuffer()));
		} catch {
			res.writeHead(502);
			res.end();
		}
	});
	server.listen(0, '127.0.0.1', () => console.log(`proxy http://127.0.0.1:${server.address().port}`));
	process.on('SIGTERM', () => process.exit(0));
} else {
	await main();
}

// ------------------------------------------------------------ the bench

async function firstLine(child, pattern) {
	const lines = readline.createInterface({input: child.stdout});
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('no first line in 30 s')), 30_000);
		lines.once('line', (line) => {
			clearTimeout(timer);
			const m = pattern.exec(line);
			if (m) resolve(m[1]);
			else reject(new Error(`unexpected first line: ${line}`));
		});
	});
}

function stats(values) {
	const s = [...values].sort((a, b) => a - b);
	const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
	return `n ${s.length}, p50 ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms, max ${s.at(-1).toFixed(0)} ms`;
}

async function main() {
	const keyCount = Number(flag('keys', '60'));
	const bytes = Number(flag('bytes', String(1024 * 1024)));
	if (!args.includes('--no-build')) {
		const b = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build.mjs')], {stdio: 'inherit'});
		if (b.status !== 0) process.exit(1);
	}
	const children = [];
	const socket = `hive-bench-${randomBytes(4).toString('hex')}`;
	const state = mkdtempSync(path.join(os.tmpdir(), 'hive-bench-keys-'));
	const tmux = (...a) => {
		const r = spawnSync('tmux', ['-L', socket, ...a], {encoding: 'utf8'});
		if (r.status !== 0) throw new Error(`tmux ${a.join(' ')}: ${r.stderr}`);
		return r.stdout;
	};
	const screen = () => tmux('capture-pane', '-p', '-t', 'b');
	const cleanup = () => {
		spawnSync('tmux', ['-L', socket, 'kill-server']);
		for (const c of children) c.kill('SIGTERM');
		rmSync(state, {recursive: true, force: true});
	};
	process.on('SIGINT', () => {
		cleanup();
		process.exit(130);
	});
	try {
		const sim = spawn(process.execPath, [bin, 'simulate', '--port', '0', '--agents', '8'], {stdio: ['ignore', 'pipe', 'inherit']});
		children.push(sim);
		const simUrl = await firstLine(sim, /^hive simulator listening on (\S+)$/);
		const proxy = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve-proxy', simUrl, String(bytes)], {stdio: ['ignore', 'pipe', 'inherit']});
		children.push(proxy);
		const proxyUrl = await firstLine(proxy, /^proxy (\S+)$/);

		tmux('new-session', '-d', '-s', 'b', '-x', '120', '-y', '40', 'env -i PATH="$PATH" TERM=xterm-256color bash --norc --noprofile');
		tmux('set-option', '-t', 'b', 'status', 'off');
		tmux('send-keys', '-t', 'b', `HOME=${state} XDG_STATE_HOME=${state} ${process.execPath} ${bin} --hive ${proxyUrl} --interval 1`, 'Enter');
		const waitScreen = async (test, ms = 30_000) => {
			const deadline = Date.now() + ms;
			while (Date.now() < deadline) {
				const s = screen();
				if (test(s)) return s;
				await new Promise((r) => setTimeout(r, 50));
			}
			throw new Error(`screen never matched; it was:\n${screen()}`);
		};
		await waitScreen((s) => /success rate\s+[\d.]+%/.test(s) && s.includes('updated'));

		const press = async (key, test) => {
			const start = performance.now();
			tmux('send-keys', '-t', 'b', key);
			for (;;) {
				const elapsed = performance.now() - start;
				if (test(screen())) return elapsed;
				if (elapsed > 15_000) throw new Error(`key ${key} not answered in 15 s`);
			}
		};
		const phase = async () => {
			const times = [];
			for (let i = 0; times.length < keyCount; i++) {
				times.push(await press('?', (s) => s.includes('Pause or resume polling')));
				times.push(await press('Escape', (s) => !s.includes('Pause or resume polling')));
				const focused = /► (\d) /.exec(screen())?.[1];
				times.push(await press('Tab', (s) => /► (\d) /.exec(s)?.[1] !== focused));
				// Spread the presses over the poll cycle.
				await new Promise((r) => setTimeout(r, 50 + ((i * 211) % 900)));
			}
			return times;
		};
		const plain = await phase();
		console.log(`plain simulator (8 agents):            ${stats(plain)}`);
		await fetch(`${proxyUrl}/_bench/huge`);
		await waitScreen((s) => /unavailable this poll/.test(s) && /UNKNOWN/.test(s));
		const huge = await phase();
		console.log(`every read a ${(bytes / 1024 / 1024).toFixed(1)} MB hostile body: ${stats(huge)}`);
	} finally {
		cleanup();
	}
}
