// `hive-console watch`: plain-text frames through a pipe, no terminal control sequences (NO_COLOR and
// no TTY), --count, and clean ends on SIGTERM, SIGINT and a closed pipe.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {spawnSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {binPath, freePort, startSimulator, type SimulatorService} from '../harness/services.js';
import {BIDI_CONTROL, cleanEnv, HOSTILE_NAMES, runCli, TERMINAL_CONTROL} from './helpers.js';

let sim: SimulatorService;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(async () => {
	await sim?.stop();
});

const FRAME_HEADER = /^── \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ · http:\/\/127\.0\.0\.1:\d+ · beehive · every 1 s ──$/gm;

describe('watch', () => {
	it('prints --count frames with a timestamp header, plain text when piped, and exits with the health code', async () => {
		const r = await runCli(['watch', '--hive', sim.url, '--interval', '1', '--count', '3'], cleanEnv({NO_COLOR: '1'}));
		expect(r.killed).toBe(false);
		expect(r.code).toBe(0);
		expect(r.stdout.match(FRAME_HEADER)?.length).toBe(3);
		expect(r.stdout.match(/^overall\s+HEALTHY$/gm)?.length).toBe(3);
		expect(r.stdout).not.toMatch(TERMINAL_CONTROL);
		// No alternate screen, no cursor movement, no clearing: only appended lines.
		expect(r.stdout).not.toContain('\u001B');
	});

	it('keeps printing frames while the hive is down, with the error and the retry countdown', async () => {
		const port = await freePort();
		const r = await runCli(['watch', '--hive', `http://127.0.0.1:${port}`, '--interval', '1', '--count', '2'], cleanEnv());
		expect(r.code).toBe(3);
		expect(r.stdout.match(/^overall\s+UNKNOWN · hive down( \d+ s)?$/gm)?.length).toBe(2);
		expect(r.stdout).toMatch(/! hive GET .*connection refused.*\(retry in \d+ s\)$/m);
	});

	it.each(['SIGTERM', 'SIGINT'] as const)('ends cleanly on %s after a frame', async (signal) => {
		let sent = false;
		const r = await runCli(['watch', '--hive', sim.url, '--interval', '1'], cleanEnv(), {
			timeoutMs: 20_000,
			onStdout: (text, child) => {
				if (!sent && text.includes('sources')) {
					sent = true;
					child.kill(signal);
				}
			},
		});
		expect(r.killed).toBe(false);
		expect(r.code).toBe(0);
		expect(r.stderr).toBe('');
		expect(r.stdout).toMatch(/^overall\s+HEALTHY$/m);
	});

	it('ends quietly when the reader of its pipe goes away (EPIPE)', () => {
		const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${binPath}" watch --hive ${sim.url} --interval 1 | head -n 2`], {
			encoding: 'utf8',
			timeout: 20_000,
			env: cleanEnv(),
		});
		expect(r.error).toBeUndefined();
		expect(r.status).toBe(0);
		expect(r.stdout.split('\n').filter(Boolean).length).toBe(2);
		expect(r.stderr).toBe('');
	});

	it('rejects a bad --count with exit 64', async () => {
		const r = await runCli(['watch', '--count', '0'], cleanEnv());
		expect(r.code).toBe(64);
		expect(r.stderr).toContain('--count: expected a whole number ≥ 1');
	});
});

/** Runs the binary with a pseudo-terminal as its stdout (util-linux `script`), as a person at a terminal would. */
function onTerminal(args: string[], env: NodeJS.ProcessEnv): {status: number | null; output: string} {
	const argsFile = path.join(env.HOME!, 'args.json');
	writeFileSync(argsFile, JSON.stringify([binPath, ...args]));
	// The arguments travel through a file so no shell quoting is involved.
	const inner = `${JSON.stringify(process.execPath)} -e 'const a=require(${JSON.stringify(argsFile)});const r=require("child_process").spawnSync(process.execPath,a,{stdio:"inherit"});process.exit(r.status ?? 1)'`;
	const r = spawnSync('script', ['-qec', inner, '/dev/null'], {encoding: 'utf8', timeout: 30_000, env: {...env, TERM: 'xterm-256color'}});
	return {status: r.status, output: r.stdout};
}

describe('colour on a terminal', () => {
	it.each([
		['status', []],
		['watch', ['--interval', '1', '--count', '1']],
	] as const)('%s colours states on a terminal, and --no-color or NO_COLOR turns it off', (command, extra) => {
		const args = [command, '--hive', sim.url, ...extra];
		const coloured = onTerminal(args, cleanEnv());
		expect(coloured.status).toBe(0);
		expect(coloured.output).toMatch(/\u001B\[32m/);
		const flag = onTerminal([...args, '--no-color'], cleanEnv());
		expect(flag.status).toBe(0);
		expect(flag.output).toMatch(/^overall\s+HEALTHY\r?$/m);
		expect(flag.output).not.toContain('\u001B[');
		const env = onTerminal(args, cleanEnv({NO_COLOR: '1'}));
		expect(env.output).toMatch(/^overall\s+HEALTHY\r?$/m);
		expect(env.output).not.toContain('\u001B[');
	});

	it('check accepts --no-color (its log lines are always plain)', async () => {
		const r = await runCli(['check', '--hive', sim.url, '--no-color', '--log-file', '/dev/null'], cleanEnv());
		expect(r.code).toBe(0);
	});
});

describe('hostile names from the hive', () => {
	// The simulator's world decides which names the text shows (stale, slowest, stuck); the renderer test
	// (status-text.test.ts) puts a hostile string in every field. Here: the whole path through the binary.
	it('status text, status --json and watch frames carry no terminal control and stay compact; JSON keeps the data', async () => {
		const hive = await startSimulator({agents: 1});
		try {
			const post = (p: string, body: unknown) =>
				fetch(`${hive.url}${p}`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)}).then(async (r) => {
					if (!r.ok) throw new Error(`${p}: ${r.status} ${await r.text()}`);
					return (await r.json()) as {agent?: {id: string}};
				});
			for (const name of HOSTILE_NAMES) {
				const {agent} = await post('/_sim/agents', {name, status: 'active'});
				await post('/_sim/tasks', {title: name, agent_id: agent!.id, status: 'in_progress'});
			}
			const text = await runCli(['status', '--hive', hive.url], cleanEnv());
			const frames = await runCli(['watch', '--hive', hive.url, '--interval', '1', '--count', '2'], cleanEnv());
			for (const r of [text, frames]) {
				expect(r.stdout).toMatch(/^overall\s+\S+$/m);
				expect(r.stdout).not.toMatch(TERMINAL_CONTROL);
				expect(r.stdout).not.toMatch(BIDI_CONTROL);
				expect(Math.max(...r.stdout.split('\n').map((l) => l.length))).toBeLessThan(1000);
			}
			const json = await runCli(['status', '--json', '--hive', hive.url], cleanEnv());
			expect(json.stdout).not.toMatch(TERMINAL_CONTROL);
			expect(json.stdout).not.toMatch(BIDI_CONTROL);
			const report = JSON.parse(json.stdout);
			// Scripts get the names exactly as the hive sent them, escaped rather than changed.
			expect(report.agents.map((a: {name: string}) => a.name)).toEqual(expect.arrayContaining(HOSTILE_NAMES));
		} finally {
			await hive.stop();
		}
	});
});
