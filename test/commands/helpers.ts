// Helpers for the command tests: run the real binary (asynchronously, so the test can change the world
// meanwhile), drive the simulator's control API, and the hostile strings a hive can send.
import {spawn} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {binPath} from '../harness/services.js';

export interface CliResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	/** True when the test had to kill it: the command hung. */
	killed: boolean;
	/** True when the command's exit guard had to end it: something outlived close() (a leaked timer or socket). */
	forcedExit: boolean;
}

/** A clean environment: an empty XDG home, no hive settings leaking in from the machine. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const home = mkdtempSync(path.join(os.tmpdir(), 'hive-cmd-test-'));
	const env: NodeJS.ProcessEnv = {PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_STATE_HOME: path.join(home, 'state'), LANG: 'C.UTF-8'};
	return {...env, ...extra};
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, options: {timeoutMs?: number; onStdout?: (text: string, child: ReturnType<typeof spawn>) => void} = {}): Promise<CliResult> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [binPath, ...args], {env, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		let killed = false;
		child.stdout!.on('data', (d: Buffer) => {
			stdout += d.toString();
			options.onStdout?.(stdout, child);
		});
		child.stderr!.on('data', (d: Buffer) => {
			stderr += d.toString();
		});
		const timer = setTimeout(() => {
			killed = true;
			child.kill('SIGKILL');
		}, options.timeoutMs ?? 30_000);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({code, signal, stdout, stderr, killed, forcedExit: stderr.includes('still open') && stderr.includes('exited anyway')});
		});
	});
}

export function simControl(baseUrl: string) {
	const call = async (method: string, p: string, body?: unknown) => {
		const res = await fetch(`${baseUrl}${p}`, {
			method,
			headers: body === undefined ? {} : {'content-type': 'application/json'},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`simulator ${method} ${p}: ${res.status} ${text}`);
		return text ? JSON.parse(text) : null;
	};
	return {
		scenario: (name: string, backdate = true) => call('POST', '/_sim/scenario', {name, backdate}),
		fault: (p: string, mode: string, count = 1000, delayMs?: number) => call('POST', '/_sim/fault', {path: p, mode, count, ...(delayMs === undefined ? {} : {delayMs})}),
		clearFaults: () => call('DELETE', '/_sim/fault'),
		advance: (seconds: number) => call('POST', '/_sim/advance', {seconds}),
		auth: (token: string | null) => call('POST', '/_sim/auth', {token}),
		state: () => call('GET', '/_sim/state'),
	};
}

export {sql} from '../sources/postgres-helpers.js';

/** Every ESC, CSI (C1) or other control a terminal could act on, except newline and tab. */
// eslint-disable-next-line no-control-regex
export const TERMINAL_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

/** Names a hostile or broken hive could send: screen clears, OSC 8 links, C1 CSI, bidi overrides, CR/BS, huge. */
export const HOSTILE_NAMES = [
	'clear\u001B[2Jscreen',
	'\u001B]8;;https://evil.example/\u0007click-me\u001B]8;;\u0007',
	'c1\u009B31mred',
	'\u202Eevil-rtl\u2066isolate',
	'cr\roverwrite\bback\u0007bell\nnewline',
	'n'.repeat(10_000),
];

/** Every bidi control the sanitiser drops. */
export const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
