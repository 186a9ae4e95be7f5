// Helpers for the command tests: run the real binary (asynchronously, so the test can change the world
// meanwhile), drive the simulator's control API, and put a runbook-only front before the simulator.
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

/**
 * The shipped hive as the runbook describes it: the simulator serves both route families at once, so
 * auto-detection always finds beehive there. This front answers FastAPI's 404 for every /api/dashboard
 * JSON route (the metrics pages stay) and passes everything else through to the real simulator.
 */
export async function runbookOnlyHive(simUrl: string): Promise<{url: string; close(): Promise<void>}> {
	const {createServer} = await import('node:http');
	const server = createServer((req, res) => {
		const path = req.url ?? '/';
		if (path.startsWith('/api/dashboard/') && !path.startsWith('/api/dashboard/metrics')) {
			res.writeHead(404, {'content-type': 'application/json'});
			res.end('{"detail":"Not Found"}');
			return;
		}
		fetch(`${simUrl}${path}`, {method: req.method, headers: {authorization: req.headers.authorization ?? ''}}).then(
			async (upstream) => {
				res.writeHead(upstream.status, {'content-type': upstream.headers.get('content-type') ?? 'text/plain'});
				res.end(Buffer.from(await upstream.arrayBuffer()));
			},
			() => {
				res.writeHead(502);
				res.end();
			},
		);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as {port: number}).port;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

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

/**
 * A hive whose agent names (agents list, heartbeats) and /health component names and details are hostile:
 * the simulator cannot be told such names, so this front rewrites its real answers on the way through.
 */
export async function hostileHive(simUrl: string): Promise<{url: string; close(): Promise<void>}> {
	const {createServer} = await import('node:http');
	const name = (i: number) => HOSTILE_NAMES[i % HOSTILE_NAMES.length]!;
	const rewrite = (path: string, body: any): any => {
		if (Array.isArray(body?.agents)) body.agents.forEach((a: any, i: number) => (a.name = name(i)));
		if (path === '/health' && body?.components) {
			body.components = Object.fromEntries(Object.entries(body.components).map(([, c]: [string, any], i) => [name(i + 1), {...c, status: name(i), details: name(i)}]));
		}
		return body;
	};
	const server = createServer((req, res) => {
		const path = req.url ?? '/';
		fetch(`${simUrl}${path}`, {method: req.method}).then(
			async (upstream) => {
				const type = upstream.headers.get('content-type') ?? 'text/plain';
				let text = await upstream.text();
				if (type.includes('json') && upstream.ok) text = JSON.stringify(rewrite(path.split('?')[0]!, JSON.parse(text)));
				res.writeHead(upstream.status, {'content-type': type});
				res.end(text);
			},
			() => {
				res.writeHead(502);
				res.end();
			},
		);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as {port: number}).port;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
