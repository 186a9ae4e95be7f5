// `y` in the real console under tmux: the selected agent's name and id reach tmux's paste buffer through
// OSC 52 (set-clipboard on), the raw bytes the console wrote hold the sequence of exactly that text, and
// with set-clipboard off nothing is pretended: the toast says why and names the file that holds the text.
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {binPath, startSimulator, type SimulatorService} from '../harness/services.js';
import {buildBundle, openTmux, type Tmux} from './tmux.js';

let sim: SimulatorService;
let t: Tmux | null = null;
let home: string;

beforeAll(async () => {
	buildBundle();
	sim = await startSimulator({agents: 3});
	home = mkdtempSync(path.join(os.tmpdir(), 'hive-copy-'));
}, 120_000);
afterAll(async () => {
	await sim?.stop();
});
afterEach(() => t?.kill());

async function consoleIn(setClipboard: 'on' | 'off', raw: string): Promise<Tmux> {
	const tm = (t = openTmux());
	const state = path.join(home, `state-${setClipboard}`);
	tm.tmux('new-session', '-d', '-s', 'e2e', '-x', '120', '-y', '40', `env -i PATH="$PATH" TMUX="$TMUX" HOME="${home}" TERM=xterm-256color XDG_STATE_HOME=${state} XDG_CONFIG_HOME=${path.join(home, 'config')} bash --norc --noprofile`);
	tm.tmux('set-option', '-g', 'set-clipboard', setClipboard);
	tm.tmux('pipe-pane', '-t', 'e2e', '-o', `cat >> ${raw}`);
	tm.keys(`exec node ${binPath} --hive ${sim.url} --interval 2`, 'Enter');
	await tm.waitForScreen('agents listed', (s) => s.includes('2 Agents') && /updated/.test(s), 30_000);
	tm.keys('2');
	await tm.waitForScreen('agents focused', (s) => s.includes('► 2 Agents'));
	return tm;
}

describe('copy with y in tmux', () => {
	it('set-clipboard on: tmux buffer holds the selected agent "name id"; the bytes written are its OSC 52', {timeout: 60_000}, async () => {
		const raw = path.join(home, 'on.raw');
		const tm = await consoleIn('on', raw);
		tm.keys('y');
		const s = await tm.waitForScreen('the copy toast', (x) => /copied agent \S+ \(\d+ bytes, OSC 52 to tmux/.test(x));
		const bytes = Number(/\((\d+) bytes/.exec(s)![1]);
		const buffer = tm.tmux('show-buffer');
		expect(buffer).toMatch(/^[a-z]+-[a-z]+-\d+ [0-9a-f-]{36}$/);
		expect(Buffer.byteLength(buffer)).toBe(bytes);
		// The selected row is that agent.
		expect(tm.screen()).toContain(`› ${buffer.split(' ')[0]}`);
		const written = readFileSync(raw, 'latin1');
		expect(written).toContain(`\u001b]52;c;${Buffer.from(buffer).toString('base64')}\u0007`);
		tm.keys('q');
	});

	it('set-clipboard off: no sequence, the toast says why and the text is in clipboard.txt', {timeout: 60_000}, async () => {
		const raw = path.join(home, 'off.raw');
		const tm = await consoleIn('off', raw);
		tm.keys('y');
		const s = await tm.waitForScreen('the refusal', (x) => x.includes('not copied, agent'));
		expect(s.replace(/\s+/g, ' ')).toMatch(/saved to \S+clipboard\.txt: tmux has set-c/);
		const file = path.join(home, 'state-off', 'hive-console', 'clipboard.txt');
		expect(existsSync(file)).toBe(true);
		expect(readFileSync(file, 'utf8')).toMatch(/^[a-z]+-[a-z]+-\d+ [0-9a-f-]{36}\n$/);
		expect(readFileSync(raw, 'latin1')).not.toContain('\u001b]52;');
		tm.keys('q');
	});
});
