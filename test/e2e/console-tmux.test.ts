// Drives the real binary (`bin/hive-console.js demo`) in tmux on a private socket, at 120x40 and 80x24:
// waits for data, switches panes, filters, sorts, zooms, opens help, pauses, switches the demo scenario,
// resizes, and quits by q, Ctrl-C and SIGTERM, each time checking that the terminal came back (the shell
// text from before the launch is visible again, the alternate screen is gone). Then each of the runbook's
// three scenarios in the demo (its simulator at x60), from the banner through its playbook to RECOVERED with
// the header healthy, counting the keys besides the confirmations (same file, so two demos never compete for
// this small machine's cores).
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
		expect(s).toContain('[DEMO: healthy · sim ×60]');

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
		await waitForScreen('the next scenario', (t) => t.includes('[DEMO: coordination-critical · sim ×60]'));
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

/**
 * Drives a playbook in the demo from the banner to its ending, answering each confirmation as its severity
 * asks (a typed name, Tab then Enter, or y) and counting every other key the operator presses.
 */
async function playbookInDemo(args: string, banner: string, audit: string): Promise<{keys: number; ending: string; confirmations: string[]}> {
	t = openTmux();
	tmux('new-session', '-d', '-s', 'e2e', '-x', '120', '-y', '40', 'env -i PATH="$PATH" HOME="$HOME" TERM=xterm-256color bash --norc --noprofile');
	tmux('set-option', '-t', 'e2e', 'status', 'off');
	keys(`cd ${repoRoot} && export CI=false XDG_STATE_HOME=${path.dirname(audit)} && clear && node ${binPath} demo ${args} --audit-log ${audit}`, 'Enter');
	await waitForScreen('the banner', (x) => x.includes(banner) && /! (for the )?playbook/.test(x), 90_000);
	expect(screen()).toContain('sim ×60');
	let count = 0;
	const press = (...k: string[]) => {
		count += k.length;
		keys(...k);
	};
	press('!');
	await waitForScreen('the playbook', (x) => x.includes('step 1 of') && x.includes('Enter starts'));
	press('Enter');
	const confirmations: string[] = [];
	for (;;) {
		const s = await waitForScreen('a confirmation or the ending', (x) => x.includes('Confirm:') || /\bRECOVERED\b/.test(x), 120_000);
		if (!s.includes('Confirm:')) break;
		const title = /Confirm: ([^\n]*?)\s{2,}/.exec(s)?.[1] ?? '?';
		confirmations.push(title);
		const typed = /Type "([^"]+)" to confirm/.exec(s);
		// Each key of a confirmation goes on its own, as a person types them.
		if (typed) {
			keys('-l', typed[1]!);
			await new Promise((r) => setTimeout(r, 200));
			keys('Enter');
		} else if (s.includes('Move to Confirm')) {
			keys('Tab');
			await new Promise((r) => setTimeout(r, 200));
			keys('Enter');
		} else keys('y');
		await waitForScreen(`the ${title} confirmation to close`, (x) => !x.includes(`Confirm: ${title}`) || /\bRECOVERED\b/.test(x), 60_000);
	}
	const ending = screen();
	return {keys: count, ending, confirmations};
}

describe('each runbook scenario in the demo, from the banner to a verified recovery', () => {
	const cases = [
		{name: 'Scenario 1 (beehive, the default profile)', args: '--scenario coordination-critical', banner: 'Scenario 1: coordination success rate below 70 %', actions: ['emergency-stop', 'coordination-reset-hard']},
		{name: 'Scenario 2 (runbook profile)', args: '--scenario communication-failure --api-profile runbook', banner: 'Scenario 2: agent communication failures', actions: ['refresh-redis-pools', 'restart-problem-agents']},
		{name: 'Scenario 3 (beehive)', args: '--scenario task-distribution', banner: 'Scenario 3: task distribution failures', actions: ['reassign-task', 'restart-orchestrator']},
	];
	for (const c of cases) {
		it(`${c.name}: ! and Enter, the confirmations, then RECOVERED with the header healthy`, {timeout: 240_000}, async () => {
			const dir = mkdtempSync(path.join(os.tmpdir(), 'hive-e2e-playbook-'));
			const audit = path.join(dir, 'audit.jsonl');
			const started = Date.now();
			const {keys: count, ending, confirmations} = await playbookInDemo(`--agents 12 ${c.args}`, c.banner, audit);
			const wallSeconds = (Date.now() - started) / 1000;
			expect(ending, ending).toMatch(/^RECOVERED\b|\bRECOVERED: in target/m);
			expect(ending).not.toContain('NOT RECOVERED');
			// The header agrees with the playbook's ending: the scenario's metrics are in target.
			expect(ending).toMatch(/│ ● HEALTHY │/);
			expect(count).toBeLessThanOrEqual(5);
			expect(confirmations.length).toBeGreaterThan(0);
			// Recorded for the README's keystroke table when the test is run by hand.
			console.log(`${c.name}: ${count} keys besides ${confirmations.length} confirmations (${confirmations.join(', ')}), ${wallSeconds.toFixed(0)} s of wall time`);

			keys('Enter');
			await waitForScreen('the playbook closed', (x) => !/\bRECOVERED\b/.test(x) && x.includes('1 Metrics vs thresholds'));
			keys('q');
			await waitForScreen('the shell again', (x) => !x.includes('hive-console │'), 30_000);
			const lines = readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as {action: string; phase: string; result: string});
			for (const action of c.actions) {
				expect(lines.filter((e) => e.action === action).map((e) => `${e.phase}:${e.result}`), action).toContain('intent:sending');
				expect(lines.some((e) => e.action === action && e.phase === 'reply' && e.result === 'failed'), action).toBe(false);
			}
		});
	}
});
