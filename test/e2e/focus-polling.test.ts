// Focus-aware polling in the real console under tmux (`focus-events on`, a client attached): when its
// window is left, the console polls at the slower out-of-view interval and says so in the header (counted
// at a proxy in front of the simulator); when the window is selected again it refreshes at once and goes
// back to its interval. The focus bytes never reach the console as the keys I and O (both actions).
import {spawn, type ChildProcess} from 'node:child_process';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {binPath, startSimulator, type SimulatorService} from '../harness/services.js';
import {buildBundle, openTmux, type Tmux} from './tmux.js';

let sim: SimulatorService;
let proxy: http.Server;
let proxyUrl: string;
const healthAt: number[] = [];
let t: Tmux | null = null;
let client: ChildProcess | null = null;

beforeAll(async () => {
	buildBundle();
	sim = await startSimulator({agents: 3});
	const up = new URL(sim.url);
	proxy = http.createServer((req, res) => {
		if ((req.url ?? '').startsWith('/health')) healthAt.push(Date.now());
		const forward = http.request({host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers}, (answer) => {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		});
		forward.on('error', () => res.destroy());
		req.pipe(forward);
	});
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
	client?.kill('SIGKILL');
	t?.kill();
	proxy?.close();
	await sim?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('focus-aware polling in tmux', () => {
	it('out of view: slower polling, said in the header; back in view: a refresh at once and the interval again', {timeout: 90_000}, async () => {
		const home = mkdtempSync(path.join(os.tmpdir(), 'hive-focus-'));
		const tm = (t = openTmux());
		tm.tmux('new-session', '-d', '-s', 'e2e', '-x', '120', '-y', '40', `env -i PATH="$PATH" HOME="${home}" TERM=xterm-256color XDG_STATE_HOME=${home}/state XDG_CONFIG_HOME=${home}/config node ${binPath} --hive ${proxyUrl} --interval 1; sleep 60`);
		tm.tmux('set-option', '-g', 'focus-events', 'on');
		// Focus exists only for an attached client: attach one on a pseudo-terminal.
		client = spawn('script', ['-qfc', `tmux -L ${tm.socket} attach -t e2e`, '/dev/null'], {stdio: 'ignore'});
		const screen = () => tm.tmux('capture-pane', '-p', '-t', 'e2e:0');
		const waitFor = async (what: string, test: (s: string) => boolean) => {
			for (let i = 0; i < 200; i++) {
				const s = screen();
				if (test(s)) return s;
				await sleep(100);
			}
			throw new Error(`timed out waiting for ${what}; the screen was:\n${screen()}`);
		};
		await waitFor('the console in view, polling every second', (s) => /updated/.test(s) && /every 1 s/.test(s));

		tm.tmux('new-window', '-d', '-t', 'e2e', 'sleep 600');
		tm.tmux('select-window', '-t', 'e2e:1');
		await waitFor('the header saying out of view', (s) => s.includes('out of view: every 30 s'));
		const awayFrom = healthAt.length;
		await sleep(4000);
		// At 1 s it would have asked about four times; out of view at 30 s, at most once.
		expect(healthAt.length - awayFrom).toBeLessThanOrEqual(1);

		const back = healthAt.length;
		tm.tmux('select-window', '-t', 'e2e:0');
		const s = await waitFor('back in view at the interval', (x) => /every 1 s/.test(x) && !x.includes('out of view'));
		for (let i = 0; i < 30 && healthAt.length === back; i++) await sleep(100);
		expect(healthAt.length, 'a refresh on focus, long before the 30 s interval would ask').toBeGreaterThan(back);
		// The focus bytes were not read as keys: no confirmation of I (hard reset) or O (restart orchestrator).
		expect(s).not.toContain('Confirm:');
		expect(s).not.toMatch(/not available/);
	});
});
