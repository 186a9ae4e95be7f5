// The commands as a script or an operator uses them: the real binary (fresh build: `node scripts/build.mjs`)
// against the simulator, real Redis and PostgreSQL. Exit codes, refusals, dry run, the audit log, and a
// crash mid-action that still leaves the intent on disk.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {binPath, waitFor} from '../harness/services.js';
import {actions} from '../../source/actions/registry.js';
import type {RunningSimulator} from '../../source/simulator/index.js';
import {setFault, simState, startServices, startSim, type Services} from './helpers.js';

let services: Services;
let sim: RunningSimulator;
let home: string;

beforeAll(async () => {
	services = await startServices();
	sim = await startSim(services, 'healthy', 6);
	home = path.join(services.dir, 'home');
	mkdirSync(home, {recursive: true});
});
afterAll(async () => {
	await sim?.close();
	await services?.cleanup();
});

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	// A clean environment: no HIVE_URL/REDIS_URL from the machine, state and config in a temp home.
	return {PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: path.join(home, 'state'), XDG_CONFIG_HOME: path.join(home, 'config'), ...extra};
}

/** Runs the binary asynchronously: the simulator lives in this process and must keep answering. */
function cli(args: string[], options: {env?: NodeJS.ProcessEnv; input?: string} = {}): Promise<{status: number | null; stdout: string; stderr: string}> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [binPath, ...args], {env: options.env ?? env(), stdio: ['pipe', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		child.stdin.end(options.input ?? '');
		const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
		child.on('exit', (status) => {
			clearTimeout(timer);
			resolve({status, stdout, stderr});
		});
	});
}

const runbook = () => ['--hive', sim.url, '--api-profile', 'runbook', '--redis', services.redis.url];

describe('hive-console action', () => {
	it('read-only refuses every action that changes the hive with exit 77, and sends nothing', async () => {
		const before = await simState(sim.url);
		for (const action of actions.filter((a) => a.mutates)) {
			const target = action.targetKind === 'agent' && action.id === 'restart-agent' ? [before.agents[0].id] : action.targetKind === 'task' ? ['t-1'] : action.targetKind === 'stream' ? ['agent_messages:x'] : [];
			const r = await cli(['action', action.id, ...target, ...runbook(), '--read-only', '--yes']);
			expect(r.status, `${action.id}: ${r.stderr}`).toBe(77);
			expect(r.stderr).toContain('read-only');
		}
		const after = await simState(sim.url);
		expect(after.agents.length).toBe(before.agents.length);
		expect(after.halted).toBe(false);
	});

	it("a context's readOnly: true refuses too, naming the context", async () => {
		const configDir = path.join(home, 'config', 'hive-console');
		mkdirSync(configDir, {recursive: true});
		const file = path.join(configDir, 'ro.json');
		writeFileSync(file, JSON.stringify({contexts: {prod: {hive: sim.url, readOnly: true}}, currentContext: 'prod'}));
		const r = await cli(['action', 'emergency-stop', '--config', file, '--yes']);
		expect(r.status).toBe(77);
		expect(r.stderr).toContain('context "prod" has readOnly: true');
		const opt = await cli(['optimize', '--config', file, '--yes']);
		expect(opt.status).toBe(77);
	});

	it('without a terminal and without --yes it refuses clearly and sends nothing', async () => {
		const before = (await simState(sim.url)).agents.length;
		const r = await cli(['action', 'scale-up', ...runbook(), '--set', 'count=2']);
		expect(r.status).toBe(64);
		expect(r.stderr).toContain('pass --yes');
		expect(r.stderr).toContain('POST /api/v1/agents/scale-up {"count":2}');
		expect((await simState(sim.url)).agents.length).toBe(before);
	});

	it('--dry-run shows the exact request and sends nothing', async () => {
		const before = (await simState(sim.url)).agents.length;
		const r = await cli(['action', 'scale-up', ...runbook(), '--set', 'count=3', '--yes', '--dry-run']);
		expect(r.status).toBe(0);
		expect(r.stderr).toContain('POST /api/v1/agents/scale-up {"count":3}');
		expect(r.stderr).toContain('Dry run: nothing sent.');
		expect((await simState(sim.url)).agents.length).toBe(before);
	});

	it('--yes runs it once and --json reports the outcome', async () => {
		const before = (await simState(sim.url)).agents.length;
		const r = await cli(['action', 'scale-up', ...runbook(), '--set', 'count=2', '--yes', '--json']);
		expect(r.status, r.stderr).toBe(0);
		const json = JSON.parse(r.stdout);
		expect(json).toMatchObject({schema: 1, action: 'scale-up', status: 'confirmed', requests: ['POST /api/v1/agents/scale-up {"count":2}']});
		expect((await simState(sim.url)).agents.length).toBe(before + 2);
	});

	it('rejects a bad input with exit 64 naming the field and range', async () => {
		const r = await cli(['action', 'cleanup-tasks', ...runbook(), '--set', 'days=0', '--yes']);
		expect(r.status).toBe(64);
		expect(r.stderr).toMatch(/days.*1–365 days/);
	});

	it('a refusal the hive sends as HTTP 200 {error} exits 1 with its message', async () => {
		const state = await simState(sim.url);
		const busy = state.agents.find((a: any) => a.active_tasks > 0);
		expect(busy).toBeDefined();
		// The runbook path has no force flag: the hive refuses an agent with work in progress.
		const r = await cli(['action', 'restart-agent', busy.name, '--hive', sim.url, '--api-profile', 'runbook', '--yes']);
		expect(r.status).toBe(1);
		expect(r.stderr).toContain('restart-agent: failed: refused: Agent');
		expect(r.stderr).toContain('active task');
	});

	it('on beehive, restart-agent of an agent with work in progress sends force=true and names the work', async () => {
		const state = await simState(sim.url);
		const busy = state.agents.find((a: any) => a.active_tasks > 0);
		expect(busy).toBeDefined();
		const r = await cli(['action', 'restart-agent', busy.name, '--hive', sim.url, '--api-profile', 'beehive', '--dry-run']);
		expect(r.status).toBe(0);
		expect(r.stderr).toContain(`POST /api/dashboard/agents/${busy.id}/restart?force=`);
		expect(r.stderr).toMatch(/in progress: force=true|no task in progress: force=false/);
	});

	it('action list --json gives availability for the detected profile', async () => {
		const r = await cli(['action', 'list', '--hive', sim.url, '--json']);
		expect(r.status).toBe(0);
		const json = JSON.parse(r.stdout);
		expect(json.profile).toBe('beehive');
		expect(json.actions.map((a: any) => a.id)).toEqual(actions.map((a) => a.id));
		const cancel = json.actions.find((a: any) => a.id === 'cancel-task');
		expect(cancel.available).toBe(false);
		expect(cancel.reason).toContain('reassign');
		expect(json.actions.find((a: any) => a.id === 'emergency-stop')).toMatchObject({available: true, severity: 'critical', key: 'E'});
	});

	it('a crash mid-action leaves the intent in the audit log', async () => {
		const audit = path.join(services.dir, 'crash.jsonl');
		await setFault(sim.url, {path: '/api/v1/coordination/rebalance', mode: 'hang', count: 1});
		const child = spawn(process.execPath, [binPath, 'action', 'rebalance', ...runbook(), '--yes', '--audit-log', audit], {env: env(), stdio: 'ignore'});
		await waitFor('the intent line', async () => (existsSync(audit) && readFileSync(audit, 'utf8').includes('"phase":"intent"') ? true : undefined));
		child.kill('SIGKILL');
		await new Promise((r) => child.once('exit', r));
		const lines = readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatchObject({phase: 'intent', result: 'sending', action: 'rebalance', requests: ['POST /api/v1/coordination/rebalance'], confirmation: '--yes'});
		// `audit` lists it for people and for scripts.
		const text = await cli(['audit', '--audit-log', audit, '--since', '1h']);
		expect(text.status).toBe(0);
		expect(text.stdout).toMatch(/rebalance\s+intent\s+sending/);
		const json = await cli(['audit', '--audit-log', audit, '--json']);
		expect(JSON.parse(json.stdout.trim())).toMatchObject({action: 'rebalance', phase: 'intent'});
		const bad = await cli(['audit', '--audit-log', audit, '--since', 'yesterday']);
		expect(bad.status).toBe(64);
	});
});

describe('hive-console optimize', () => {
	it("runs the runbook's weekly optimisation through the gate", async () => {
		const audit = path.join(services.dir, 'optimize.jsonl');
		const r = await cli(['optimize', ...runbook(), '--yes', '--audit-log', audit]);
		expect(r.status, r.stdout + r.stderr).toBe(0);
		expect(r.stdout).toMatch(/Analyse coordination patterns: done/);
		expect(r.stdout).toMatch(/Clean up completed tasks older than 7 days: done/);
		expect(r.stdout).toMatch(/MEMORY PURGE.*: done/);
		expect(r.stdout).toMatch(/Update agent performance metrics: done/);
		expect(r.stderr).toContain('DELETE /api/v1/tasks/cleanup?days=7');
		const actionsLogged = readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.phase === 'intent').map((e) => e.action);
		expect(actionsLogged).toEqual(['cleanup-tasks', 'memory-purge', 'update-performance-metrics']);
	});

	it('--dry-run shows every request and sends nothing', async () => {
		const audit = path.join(services.dir, 'optimize-dry.jsonl');
		const r = await cli(['optimize', ...runbook(), '--dry-run', '--audit-log', audit]);
		expect(r.status).toBe(0);
		expect(r.stderr).toContain('DELETE /api/v1/tasks/cleanup?days=7');
		expect(r.stderr).toContain('MEMORY PURGE');
		expect(r.stdout).toContain('dry run: nothing sent');
		expect(existsSync(audit)).toBe(false);
	});
});


describe('on a terminal', () => {
	// `script` (util-linux) gives the command a real pseudo-terminal, so it asks as it would an operator.
	function onTty(args: string[], typed: string): Promise<{status: number | null; output: string}> {
		return new Promise((resolve) => {
			const command = [process.execPath, binPath, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
			const child = spawn('script', ['-qec', command, '/dev/null'], {env: env(), stdio: ['pipe', 'pipe', 'pipe']});
			let output = '';
			const onData = (d: Buffer) => {
				output += d.toString();
				if (output.includes('to confirm') && !child.stdin.writableEnded) child.stdin.end(typed + '\n');
			};
			child.stdout.on('data', onData);
			child.stderr.on('data', onData);
			const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
			child.on('exit', (status) => {
				clearTimeout(timer);
				resolve({status, output});
			});
		});
	}

	it('a critical action asks for the typed name: a wrong name sends nothing, the right one runs it', async () => {
		const context = new URL(sim.url).host;
		const wrong = await onTty(['action', 'emergency-stop', ...runbook()], 'production');
		expect(wrong.output).toContain(`Type "${context}" to confirm`);
		expect(wrong.output).toContain(`typed "production" does not match "${context}"; nothing sent`);
		expect(wrong.status).toBe(1);
		expect((await simState(sim.url)).halted).toBe(false);
		const right = await onTty(['action', 'emergency-stop', ...runbook()], context);
		expect(right.status, right.output).toBe(0);
		expect((await simState(sim.url)).halted).toBe(true);
		await fetch(`${sim.url}/api/v1/agents/restart-orchestrator`, {method: 'POST'}).then((r) => r.text());
	});
});

describe('hive-console audit', () => {
	it('prints names from the hive sanitised', async () => {
		const audit = path.join(services.dir, 'hostile.jsonl');
		const entry = {v: 1, time: new Date().toISOString(), runId: 'r1', phase: 'intent', user: 'ops', host: 'box', context: 'prod', action: 'restart-agent', targets: [{kind: 'agent', id: 'a1', name: 'evil\u001b]0;pwned\u0007\u001b[2J\u202Ename'}], inputs: {}, requests: ['POST /api/v1/agents/a1/restart'], result: 'sending'};
		writeFileSync(audit, JSON.stringify(entry) + '\n{"torn line\n');
		const r = await cli(['audit', '--audit-log', audit]);
		expect(r.status).toBe(0);
		expect(r.stdout).toContain('evil');
		expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F\u202E]/);
		expect(r.stderr).toContain('skipped 1 unreadable line');
	});
});
