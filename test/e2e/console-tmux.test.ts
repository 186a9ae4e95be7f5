// Drives the real binary (`bin/hive-console.js demo`) in tmux on a private socket, at 120x40 and 80x24:
// waits for data, switches panes, filters, sorts, zooms, opens help, pauses, switches the demo scenario,
// resizes, and quits by q, Ctrl-C and SIGTERM, each time checking that the terminal came back (the shell
// text from before the launch is visible again, the alternate screen is gone). Then Scenario 1 of the runbook
// from the banner to recovery (same file, so the two demos never compete for this small machine's cores):
// the banner names the scenario, `!` opens its playbook, each step is confirmed in the console (emergency stop by typing the context name "demo", the 30 s wait skipped, restart orchestrator),
// and the success rate recovers. Recovery takes simulated hours, so the test moves the demo's simulator
// clock with POST /_sim/advance on the URL the console's header shows.
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {binPath, repoRoot} from '../harness/services.js';
import {buildBundle, openTmux, type Tmux} from './tmux.js';

const MARKER = 'BEFORE-LAUNCH-MARKER';
let t: Tmux = openTmux();
const tmux = (...args: string[]) => t.tmux(...args);
const screen = () => t.screen();
const keys = (...k: string[]) => t.keys(...k);
const waitForScreen = (what: string, test: (text: string) => boolean, timeoutMs?: number) => t.waitForScreen(what, test, timeoutMs);

async function launch(columns: number, rows: number, extra = ''): Promise<void> {
	t = openTmux();
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

beforeAll(buildBundle, 120_000);

afterEach(() => t.kill());

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

	it('--ascii puts nothing but ASCII on the screen; SIGTERM restores the terminal too', {timeout: 120_000}, async () => {
		await launch(100, 30, '--scenario task-distribution --ascii');
		const s = screen();
		expect(s).toContain('hive-console | demo');
		// eslint-disable-next-line no-control-regex
		expect(s.replace(/[\u0000-\u007f]/g, '')).toBe('');
		const shellPid = tmux('display-message', '-p', '-t', 'e2e', '#{pane_pid}').trim();
		const child = spawnSync('pgrep', ['-P', shellPid], {encoding: 'utf8'}).stdout.trim().split('\n')[0];
		expect(child).toMatch(/^\d+$/);
		process.kill(Number(child), 'SIGTERM');
		await expectRestored();
	});
});

describe('Scenario 1 in the demo', () => {
	it('from the banner through the playbook to a recovered success rate', {timeout: 240_000}, async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'hive-e2e-playbook-'));
		const audit = path.join(dir, 'audit.jsonl');
		t = openTmux();
		tmux('new-session', '-d', '-s', 'e2e', '-x', '120', '-y', '40', 'env -i PATH="$PATH" HOME="$HOME" TERM=xterm-256color bash --norc --noprofile');
		tmux('set-option', '-t', 'e2e', 'status', 'off');
		keys(`cd ${repoRoot} && export CI=false XDG_STATE_HOME=${dir} && clear && node ${binPath} demo --agents 12 --scenario coordination-critical --audit-log ${audit}`, 'Enter');

		let s = await waitForScreen('the banner', (x) => x.includes('Scenario 1: coordination success rate below 70 %') && x.includes('press ! for the playbook'), 90_000);
		const url = /http:\/\/127\.0\.0\.1:\d+/.exec(s)![0];
		const advance = async (seconds: number) => {
			const res = await fetch(`${url}/_sim/advance`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({seconds})});
			expect(res.ok).toBe(true);
			await res.text();
		};

		keys('!');
		await waitForScreen('the playbook', (x) => x.includes('step 1 of 7') && x.includes('2. Emergency stop of all agents'));
		keys('Enter');
		await waitForScreen('the assessment step done', (x) => x.includes('step 2 of 7'));
		keys('Enter');
		s = await waitForScreen('the emergency stop confirmation', (x) => x.includes('Confirm: Emergency stop') && x.includes('Type "demo" to confirm'));
		expect(s).toContain('› Cancel ‹');
		expect(s).toContain('POST /api/');
		keys('-l', 'demo');
		keys('Enter');
		await waitForScreen('the stop confirmed', (x) => x.includes('step 3 of 7') && x.includes('2. Emergency stop of all agents  done'), 60_000);
		keys('Enter');
		await waitForScreen('the countdown', (x) => /3\. Wait for graceful shutdown\s+running\s+\d+ s left/.test(x));
		keys('s');
		await waitForScreen('the wait skipped', (x) => x.includes('wait skipped') && x.includes('step 4 of 7'));
		keys('Enter');
		await waitForScreen('the restart confirmation', (x) => x.includes('Confirm: Restart orchestrator'));
		keys('-l', 'demo');
		keys('Enter');
		await waitForScreen('the restart confirmed', (x) => x.includes('4. Restart the orchestrator  done'), 60_000);
		// Clear a corrupted stream (skipped when none exists), then verify database and Redis.
		keys('Enter');
		await waitForScreen('step 5 settled', (x) => /5\. Clear a corrupted stream.*(done|skipped)/.test(x) || x.includes('Confirm: Delete stream'));
		if (screen().includes('Confirm: Delete stream')) {
			keys('-l', 'agent_messages:coordination');
			keys('Enter');
		}
		await waitForScreen('step 6', (x) => x.includes('step 6 of 7'));
		keys('Enter');
		await waitForScreen('step 7', (x) => x.includes('step 7 of 7'));
		keys('Enter');
		await t.waitForScreen('the recovery', (x) => /recovered: success rate [\d.]+ % → [\d.]+ %/.test(x) && x.includes('FINISHED'), 120_000, () => advance(3600));
		s = screen();
		const rates = /recovered: success rate ([\d.]+) % → ([\d.]+) %/.exec(s)!;
		expect(Number(rates[2])).toBeGreaterThanOrEqual(70);
		expect(Number(rates[2])).toBeGreaterThan(Number(rates[1]));

		// Esc followed at once by q reads as Alt-q in a terminal: close with Enter and wait before quitting.
		keys('Enter');
		await waitForScreen('the playbook closed', (x) => !x.includes('FINISHED') && x.includes('1 Metrics vs thresholds'));
		keys('q');
		await waitForScreen('the shell again', (x) => !x.includes('hive-console │'), 30_000);
		const phases = readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((e: {action: string; phase: string; result: string}) => `${e.action}:${e.phase}:${e.result}`);
		expect(phases).toEqual(expect.arrayContaining(['emergency-stop:intent:sending', 'emergency-stop:effect:confirmed', 'restart-orchestrator:intent:sending', 'restart-orchestrator:effect:confirmed']));
	});
});
