// A crash (uncaught exception) inside the alternate screen: the terminal comes back (main screen, cursor
// on, the shell's earlier text visible, raw mode off so typed text echoes), the stack lands in a file in
// the state directory with secrets redacted, and its path is printed.
import {spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {repoRoot} from '../harness/services.js';

const socket = `hive-test-${randomBytes(4).toString('hex')}`;
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'}).stdout;
const stateDir = mkdtempSync(path.join(os.tmpdir(), 'hive-test-state-'));

afterEach(() => {
	spawnSync('tmux', ['-L', socket, 'kill-server']);
	rmSync(stateDir, {recursive: true, force: true});
});

async function waitFor(test: (s: string) => boolean): Promise<string> {
	const deadline = Date.now() + 20_000;
	let s = '';
	while (Date.now() < deadline) {
		s = tmux('capture-pane', '-p', '-t', 'crash');
		if (test(s)) return s;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`timed out; screen:\n${s}`);
}

it('restores the terminal and logs the stack to a file on an uncaught exception', {timeout: 60_000}, async () => {
	tmux('new-session', '-d', '-s', 'crash', '-x', '100', '-y', '30', 'bash --norc --noprofile');
	tmux('send-keys', '-t', 'crash', `cd ${repoRoot} && clear && echo BEFORE-CRASH-MARKER && npx tsx test/e2e/fixtures/crash-after-open.ts ${stateDir}; echo EXIT=$?`, 'Enter');
	const s = await waitFor((t) => /EXIT=\d+/.test(t));
	expect(s).toContain('BEFORE-CRASH-MARKER');
	expect(s).not.toContain('INSIDE-ALT-SCREEN');
	expect(s).toContain('EXIT=70');
	expect(s).toContain('hive-console crashed: simulated crash');
	expect(s).not.toContain('abcd1234secret');
	const file = /The stack trace is in (\S+?\.log)/.exec(s.replace(/\n/g, ''))?.[1];
	expect(file).toBeDefined();
	const log = readFileSync(path.join(stateDir, path.basename(file!)), 'utf8');
	expect(log).toContain('Error: simulated crash token=***');
	expect(log).toContain('crash-after-open.ts');
	expect(tmux('display-message', '-p', '-t', 'crash', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
	tmux('send-keys', '-t', 'crash', 'echo typed-after-crash', 'Enter');
	await waitFor((t) => t.split('\n').filter((l) => l.includes('typed-after-crash')).length >= 2);
});
