// Drives the real binary (`bin/hive-console.js demo`) in tmux on a private socket, at 120x40 and 80x24:
// waits for data, switches panes, filters, sorts, zooms, opens help, pauses, switches the demo scenario,
// resizes, and quits by q, Ctrl-C and SIGTERM, each time checking that the terminal came back (the shell
// text from before the launch is visible again, the alternate screen is gone).
import {spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import path from 'node:path';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {binPath, repoRoot} from '../harness/services.js';

const MARKER = 'BEFORE-LAUNCH-MARKER';
let socket = '';

function tmux(...args: string[]): string {
	const r = spawnSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
	if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
	return r.stdout;
}

const screen = () => tmux('capture-pane', '-p', '-t', 'e2e');

async function waitForScreen(what: string, test: (text: string) => boolean, timeoutMs = 20_000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	while (Date.now() < deadline) {
		last = screen();
		if (test(last)) return last;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`timed out waiting for ${what}; the screen was:\n${last}`);
}

const keys = (...k: string[]) => tmux('send-keys', '-t', 'e2e', ...k);

async function launch(columns: number, rows: number, extra = ''): Promise<void> {
	socket = `hive-test-${randomBytes(4).toString('hex')}`;
	tmux('new-session', '-d', '-s', 'e2e', '-x', String(columns), '-y', String(rows), 'env -i PATH="$PATH" HOME="$HOME" TERM=xterm-256color bash --norc --noprofile');
	tmux('set-option', '-t', 'e2e', 'status', 'off');
	keys(`cd ${repoRoot} && export CI=false XDG_STATE_HOME=${path.join(repoRoot, 'node_modules/.cache/e2e-state')} && clear && echo ${MARKER}`, 'Enter');
	await waitForScreen('the shell', (s) => s.includes(MARKER));
	keys(`node ${binPath} demo --agents 20 ${extra}`, 'Enter');
	// Data from the simulator: a measured success rate (the metrics pane shows in every layout).
	await waitForScreen('the first frame with data', (s) => /success rate\s+[\d.]+%/.test(s) && s.includes('updated'), 60_000);
}

async function expectRestored(): Promise<void> {
	const text = await waitForScreen('the terminal to be restored', (s) => s.includes(MARKER) && !s.includes('hive-console │') && /\$ ?$|# ?$/m.test(s), 20_000);
	expect(text).toContain(MARKER);
	expect(tmux('display-message', '-p', '-t', 'e2e', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
}

beforeAll(() => {
	const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build.mjs')], {encoding: 'utf8'});
	if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
}, 120_000);

afterEach(() => {
	if (socket) spawnSync('tmux', ['-L', socket, 'kill-server']);
	socket = '';
});

describe('hive-console demo in tmux', () => {
	it('at 120x40: panes, filter, sort, zoom, help, pause, scenario, resize to 80x24, quit with q', {timeout: 180_000}, async () => {
		await launch(120, 40);
		let s = screen();
		for (const title of ['1 Metrics vs thresholds', '2 Agents', '3 Tasks', '4 Redis streams', '5 Slow queries', '6 Logs']) expect(s).toContain(title);
		expect(s).toContain('[DEMO: healthy]');

		keys('2');
		await waitForScreen('agents focused', (t) => t.includes('► 2 Agents'));
		keys('/', 'c', 'l', 'a', 'u', 'd', 'e', 'Enter');
		s = await waitForScreen('the filter', (t) => /2 Agents \/claude \(\d+\/20\)/.test(t));
		const names = [...s.matchAll(/┃[› ] ([a-z]+-[a-z]+-\d+)/g)].map((m) => m[1]);
		expect(names.length).toBeGreaterThan(0);
		for (const name of names) expect(name).toMatch(/^claude-/);
		keys('Escape');
		await waitForScreen('the filter cleared', (t) => !t.includes('/claude'));

		keys('s');
		await waitForScreen('sorted by status', (t) => t.includes('Status▲'));
		keys('S');
		await waitForScreen('sort reversed', (t) => t.includes('Status▼'));

		keys('z');
		s = await waitForScreen('zoom', (t) => t.includes('► 2 Agents') && !t.includes('1 Metrics vs thresholds'));
		keys('z');
		await waitForScreen('unzoomed', (t) => t.includes('1 Metrics vs thresholds'));

		keys('?');
		s = await waitForScreen('help', (t) => t.includes('Pause or resume polling'));
		expect(s).toContain('Next scenario of the simulated hive');
		keys('Escape');
		await waitForScreen('help closed', (t) => !t.includes('Pause or resume polling'));

		keys('Enter');
		await waitForScreen('agent details', (t) => t.includes('tasks done / failed'));
		keys('Escape');
		await waitForScreen('details closed', (t) => !t.includes('tasks done / failed'));

		keys('p');
		await waitForScreen('paused', (t) => t.includes('PAUSED'));
		keys('p');
		await waitForScreen('resumed', (t) => !t.includes('PAUSED'));

		keys('c');
		await waitForScreen('the next scenario', (t) => t.includes('[DEMO: coordination-critical]'));
		await waitForScreen('the critical state', (t) => /CRITICAL/.test(t), 30_000);

		tmux('resize-window', '-t', 'e2e', '-x', '80', '-y', '24');
		s = await waitForScreen('the one-pane layout', (t) => t.includes('[2 Agents]'));
		expect(s).not.toContain('4 Redis streams ─');
		tmux('resize-window', '-t', 'e2e', '-x', '120', '-y', '40');
		await waitForScreen('the grid again', (t) => t.includes('4 Redis streams'));

		keys('q');
		await expectRestored();
	});

	it('at 80x24: one pane with a tab bar, Tab moves, Ctrl-C restores the terminal', {timeout: 120_000}, async () => {
		await launch(80, 24);
		let s = screen();
		expect(s).toContain('[1 Metrics]');
		expect(s.split('\n').every((l) => l.length <= 80)).toBe(true);
		keys('Tab');
		s = await waitForScreen('agents tab', (t) => t.includes('[2 Agents]'));
		keys('4');
		s = await waitForScreen('streams tab', (t) => t.includes('[4 Streams]'));
		expect(s).toMatch(/agent_messages:|redis not configured/);
		keys('C-c');
		await expectRestored();
	});

	it('SIGTERM restores the terminal too', {timeout: 120_000}, async () => {
		await launch(100, 30, '--scenario task-distribution');
		const shellPid = tmux('display-message', '-p', '-t', 'e2e', '#{pane_pid}').trim();
		const child = spawnSync('pgrep', ['-P', shellPid], {encoding: 'utf8'}).stdout.trim().split('\n')[0];
		expect(child).toMatch(/^\d+$/);
		process.kill(Number(child), 'SIGTERM');
		await expectRestored();
	});
});
