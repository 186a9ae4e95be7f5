// tmux on a private socket for the end-to-end tests: run commands, read the screen, send keys, wait for a
// screen that passes a test (with the last screen in the error when it never comes), and a fresh build.
import {spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import path from 'node:path';
import {repoRoot} from '../harness/services.js';

export interface Tmux {
	socket: string;
	tmux(...args: string[]): string;
	screen(): string;
	keys(...keys: string[]): string;
	waitForScreen(what: string, test: (text: string) => boolean, timeoutMs?: number, meanwhile?: () => Promise<void>): Promise<string>;
	kill(): void;
}

export function openTmux(): Tmux {
	const socket = `hive-test-${randomBytes(4).toString('hex')}`;
	const tmux = (...args: string[]): string => {
		const r = spawnSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
		if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
		return r.stdout;
	};
	const screen = () => tmux('capture-pane', '-p', '-t', 'e2e');
	return {
		socket,
		tmux,
		screen,
		keys: (...k) => tmux('send-keys', '-t', 'e2e', ...k),
		async waitForScreen(what, test, timeoutMs = 20_000, meanwhile) {
			const deadline = Date.now() + timeoutMs;
			let last = '';
			while (Date.now() < deadline) {
				last = screen();
				if (test(last)) return last;
				await meanwhile?.();
				await new Promise((r) => setTimeout(r, 100));
			}
			throw new Error(`timed out waiting for ${what}; the screen was:\n${last}`);
		},
		kill: () => void spawnSync('tmux', ['-L', socket, 'kill-server']),
	};
}

/** The e2e tests spawn the binary: build it first. */
export function buildBundle(): void {
	const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build.mjs')], {encoding: 'utf8'});
	if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
}
