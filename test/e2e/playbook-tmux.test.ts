// Scenario 1 of the runbook in the real binary (`demo --scenario coordination-critical`) in tmux on a
// private socket: the banner names the scenario, `!` opens its playbook, each step is confirmed in the
// console (emergency stop by typing the context name "demo", the 30 s wait skipped, restart orchestrator),
// and the success rate recovers. Recovery takes simulated hours, so the test moves the demo's simulator
// clock with POST /_sim/advance on the URL the console's header shows.
import {spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {binPath, repoRoot} from '../harness/services.js';

let socket = '';

function tmux(...args: string[]): string {
	const r = spawnSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
	if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
	return r.stdout;
}
const screen = () => tmux('capture-pane', '-p', '-t', 'e2e');
const keys = (...k: string[]) => tmux('send-keys', '-t', 'e2e', ...k);

async function waitForScreen(what: string, test: (text: string) => boolean, timeoutMs = 30_000, meanwhile?: () => Promise<void>): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	while (Date.now() < deadline) {
		last = screen();
		if (test(last)) return last;
		await meanwhile?.();
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`timed out waiting for ${what}; the screen was:\n${last}`);
}

beforeAll(() => {
	const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build.mjs')], {encoding: 'utf8'});
	if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
}, 120_000);

afterEach(() => {
	if (socket) spawnSync('tmux', ['-L', socket, 'kill-server']);
	socket = '';
});

describe('Scenario 1 in the demo', () => {
	it('from the banner through the playbook to a recovered success rate', {timeout: 240_000}, async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'hive-e2e-playbook-'));
		const audit = path.join(dir, 'audit.jsonl');
		socket = `hive-test-${randomBytes(4).toString('hex')}`;
		tmux('new-session', '-d', '-s', 'e2e', '-x', '120', '-y', '40', 'env -i PATH="$PATH" HOME="$HOME" TERM=xterm-256color bash --norc --noprofile');
		tmux('set-option', '-t', 'e2e', 'status', 'off');
		keys(`cd ${repoRoot} && export CI=false XDG_STATE_HOME=${dir} && clear && node ${binPath} demo --agents 12 --scenario coordination-critical --audit-log ${audit}`, 'Enter');

		let s = await waitForScreen('the banner', (t) => t.includes('Scenario 1: coordination success rate below 70 %') && t.includes('press ! for the playbook'), 90_000);
		const url = /http:\/\/127\.0\.0\.1:\d+/.exec(s)![0];
		const advance = async (seconds: number) => {
			const res = await fetch(`${url}/_sim/advance`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({seconds})});
			expect(res.ok).toBe(true);
			await res.text();
		};

		keys('!');
		await waitForScreen('the playbook', (t) => t.includes('step 1 of 7') && t.includes('2. Emergency stop of all agents'));
		keys('Enter');
		await waitForScreen('the assessment step done', (t) => t.includes('step 2 of 7'));
		keys('Enter');
		s = await waitForScreen('the emergency stop confirmation', (t) => t.includes('Confirm: Emergency stop') && t.includes('Type "demo" to confirm'));
		expect(s).toContain('› Cancel ‹');
		expect(s).toContain('POST /api/');
		keys('-l', 'demo');
		keys('Enter');
		await waitForScreen('the stop confirmed', (t) => t.includes('step 3 of 7') && t.includes('2. Emergency stop of all agents  done'), 60_000);
		keys('Enter');
		await waitForScreen('the countdown', (t) => /3\. Wait for graceful shutdown\s+running\s+\d+ s left/.test(t));
		keys('s');
		await waitForScreen('the wait skipped', (t) => t.includes('wait skipped') && t.includes('step 4 of 7'));
		keys('Enter');
		await waitForScreen('the restart confirmation', (t) => t.includes('Confirm: Restart orchestrator'));
		keys('-l', 'demo');
		keys('Enter');
		await waitForScreen('the restart confirmed', (t) => t.includes('4. Restart the orchestrator  done'), 60_000);
		// Clear a corrupted stream (skipped when none exists), then verify database and Redis.
		keys('Enter');
		await waitForScreen('step 5 settled', (t) => /5\. Clear a corrupted stream.*(done|skipped)/.test(t) || t.includes('Confirm: Delete stream'));
		if (screen().includes('Confirm: Delete stream')) {
			keys('-l', 'agent_messages:coordination');
			keys('Enter');
		}
		await waitForScreen('step 6', (t) => t.includes('step 6 of 7'));
		keys('Enter');
		await waitForScreen('step 7', (t) => t.includes('step 7 of 7'));
		keys('Enter');
		await waitForScreen('the recovery', (t) => /recovered: success rate [\d.]+ % → [\d.]+ %/.test(t) && t.includes('FINISHED'), 120_000, () => advance(3600));
		s = screen();
		const rates = /recovered: success rate ([\d.]+) % → ([\d.]+) %/.exec(s)!;
		expect(Number(rates[2])).toBeGreaterThanOrEqual(70);
		expect(Number(rates[2])).toBeGreaterThan(Number(rates[1]));

		keys('Escape');
		keys('q');
		await waitForScreen('the shell again', (t) => !t.includes('hive-console │'), 30_000);
		const phases = readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((e: {action: string; phase: string; result: string}) => `${e.action}:${e.phase}:${e.result}`);
		expect(phases).toEqual(expect.arrayContaining(['emergency-stop:intent:sending', 'emergency-stop:effect:confirmed', 'restart-orchestrator:intent:sending', 'restart-orchestrator:effect:confirmed']));
	});
});
