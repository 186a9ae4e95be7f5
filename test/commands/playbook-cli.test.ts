// `hive-console playbook` as a script runs it: the real binary (fresh build: `node scripts/build.mjs`)
// against the simulator at --speed 60 on real Redis and PostgreSQL, on both API profiles. Exit 0 only for a
// verified recovery, and a `status --json` right after must agree: every metric of the scenario in its
// target. A refused step (read-only, or one the hive refuses) leaves the hive unchanged and says why.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync} from 'node:fs';
import path from 'node:path';
import {binPath} from '../harness/services.js';
import {startSimulator, type RunningSimulator} from '../../source/simulator/index.js';
import {setFault, simState, startServices, type Services} from '../actions/helpers.js';

let services: Services;
let home: string;

beforeAll(async () => {
	services = await startServices();
	home = path.join(services.dir, 'home');
	mkdirSync(home, {recursive: true});
});
afterAll(async () => {
	await services?.cleanup();
});

type Profile = 'runbook' | 'beehive';

/** A simulator serving one profile, its clock at 60x wall speed, on fresh Redis data and a fresh database. */
async function startSim(scenario: string, profile: Profile, agents = 8): Promise<RunningSimulator> {
	await services.client.flushall();
	return startSimulator({
		port: 0,
		scenario,
		agents,
		speed: 60,
		seed: 7,
		profile,
		redisUrl: services.redis.url,
		databaseUrl: await services.pg.createDatabase(),
		onWarning: () => undefined,
	});
}

function env(): NodeJS.ProcessEnv {
	return {PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: path.join(home, 'state'), XDG_CONFIG_HOME: path.join(home, 'config')};
}

/** Runs the binary asynchronously: the simulator lives in this process and must keep answering. */
function cli(args: string[]): Promise<{status: number | null; stdout: string; stderr: string}> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [binPath, ...args], {env: env(), stdio: ['pipe', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		child.stdin.end('');
		const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
		child.on('exit', (status) => {
			clearTimeout(timer);
			resolve({status, stdout, stderr});
		});
	});
}

const connect = (sim: RunningSimulator, profile: Profile) => ['--hive', sim.url, '--api-profile', profile, '--redis', services.redis.url];

function lines(stdout: string): any[] {
	return stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** The scenario's metrics as `status --json` judges them: the list of those not in their target. */
function notInTarget(scenario: string, status: any): string[] {
	const bad: string[] = [];
	const m = status.metrics;
	const want = (name: string, ok: boolean, detail: unknown) => {
		if (!ok) bad.push(`${name}: ${JSON.stringify(detail)}`);
	};
	if (scenario === 'coordination-critical') {
		want('successRate', m.successRate.state === 'ok', m.successRate);
		want('activeAgents', m.activeAgents.state === 'ok', m.activeAgents);
		want('queueLength not critical', m.queueLength.state !== 'critical' && m.queueLength.state !== 'unknown', m.queueLength);
	} else if (scenario === 'communication-failure') {
		want('staleHeartbeats', status.staleHeartbeats === 0, status.staleHeartbeats);
		want('agents in error', !status.agents.some((a: any) => a.status === 'error'), status.agents.filter((a: any) => a.status === 'error').map((a: any) => a.name));
		want('responseTime', m.responseTime.state === 'ok', m.responseTime);
	} else {
		want('queueLength', m.queueLength.state === 'ok', m.queueLength);
		want('longRunning', status.tasks.longRunning === 0, status.tasks.longRunning);
	}
	want('scenario not detected', !status.scenarios.some((s: any) => s.scenario === scenario), status.scenarios);
	return bad;
}

const SCENARIOS = ['coordination-critical', 'communication-failure', 'task-distribution'] as const;

describe.each(['runbook', 'beehive'] as const)('playbook on the %s profile', (profile) => {
	it.each(SCENARIOS)('%s: --yes recovers it, exits 0, and status --json agrees', {timeout: 90_000}, async (scenario) => {
		const sim = await startSim(scenario, profile);
		try {
			const before = await cli(['status', '--json', ...connect(sim, profile)]);
			expect(JSON.parse(before.stdout).scenarios.map((s: any) => s.scenario), before.stderr).toContain(scenario);
			const audit = path.join(services.dir, `${profile}-${scenario}.jsonl`);
			const r = await cli(['playbook', scenario, '--yes', '--json', '--audit-log', audit, ...connect(sim, profile)]);
			const out = lines(r.stdout);
			const final = out[out.length - 1];
			const story = out.map((l) => (l.final ? `${l.outcome}: ${l.summary}` : `${l.index}. ${l.title}: ${l.status}: ${l.message}`)).join('\n');
			const status = JSON.parse((await cli(['status', '--json', ...connect(sim, profile)])).stdout);
			expect({exit: r.status, outcome: final.outcome}, `${story}\n${r.stderr.slice(-2000)}`).toEqual({exit: 0, outcome: 'recovered'});
			expect(notInTarget(scenario, status), story).toEqual([]);
			// One JSON line per step, with the exact requests of the action steps, then the outcome.
			expect(out.filter((l) => !l.final).map((l) => l.index)).toEqual(out.filter((l) => !l.final).map((_, i) => i + 1));
			for (const step of out.filter((l) => l.kind === 'action' && l.status === 'done')) expect(step.requests.length, step.title).toBeGreaterThan(0);
			expect(final).toMatchObject({final: true, playbook: scenario, profile, outcome: 'recovered', failing: []});
		} finally {
			await sim.close();
		}
	});

	it('a step the hive refuses ends NOT RECOVERED with exit 1, says why, and the hive is unchanged', {timeout: 60_000}, async () => {
		const sim = await startSim('coordination-critical', profile);
		try {
			const stopPath = profile === 'runbook' ? '/api/v1/agents/emergency-stop' : '/api/dashboard/system/emergency-override';
			await setFault(sim.url, {path: stopPath, mode: 'status-500', count: 1});
			const r = await cli(['playbook', 'coordination-critical', '--yes', ...connect(sim, profile)]);
			expect(r.status, r.stdout + r.stderr).toBe(1);
			expect(r.stdout).toMatch(/Emergency stop.*: FAILED: failed: .*500/);
			expect(r.stdout).toContain('NOT RECOVERED: stopped at step 2');
			expect(r.stdout).toMatch(/Next:\n {2}- retry "Emergency stop/);
			expect((await simState(sim.url)).halted).toBe(false);
		} finally {
			await sim.close();
		}
	});
});

describe('playbook refusals and usage', () => {
	let sim: RunningSimulator;
	beforeAll(async () => {
		sim = await startSim('coordination-critical', 'runbook');
	});
	afterAll(async () => {
		await sim?.close();
	});

	it('read-only refuses with 77 before sending anything', async () => {
		const audit = path.join(services.dir, 'ro.jsonl');
		for (const scenario of SCENARIOS) {
			const r = await cli(['playbook', scenario, '--yes', '--read-only', '--audit-log', audit, ...connect(sim, 'runbook')]);
			expect(r.status, r.stderr).toBe(77);
			expect(r.stderr).toContain('read-only mode (--read-only)');
			expect(r.stderr).toContain('Nothing was sent.');
		}
		expect(existsSync(audit)).toBe(false);
		expect((await simState(sim.url)).halted).toBe(false);
	});

	it('an unknown scenario, or no terminal without --yes, is a usage error (64) and sends nothing', async () => {
		const unknown = await cli(['playbook', 'scenario-9', ...connect(sim, 'runbook')]);
		expect(unknown.status).toBe(64);
		expect(unknown.stderr).toContain('unknown scenario "scenario-9"');
		const noTty = await cli(['playbook', 'coordination-critical', ...connect(sim, 'runbook')]);
		expect(noTty.status).toBe(64);
		expect(noTty.stderr).toContain('pass --yes');
		expect((await simState(sim.url)).halted).toBe(false);
	});

	it('--dry-run shows every step and its exact request, and sends nothing', async () => {
		const audit = path.join(services.dir, 'dry.jsonl');
		const r = await cli(['playbook', '1', '--dry-run', '--json', '--audit-log', audit, ...connect(sim, 'runbook')]);
		expect(r.status, r.stderr).toBe(0);
		const out = lines(r.stdout);
		expect(out.map((l) => l.step ?? 'final')).toEqual(['assess', 'stop', 'graceful', 'restart', 'clear-stream', 'core', 'recovery', 'final']);
		expect(out.find((l) => l.step === 'stop').requests).toEqual(['POST /api/v1/agents/emergency-stop']);
		expect(out.find((l) => l.step === 'restart').requests).toEqual(['POST /api/v1/agents/restart-orchestrator']);
		expect(out[out.length - 1]).toMatchObject({outcome: 'dry-run', refused: 0});
		expect(existsSync(audit)).toBe(false);
		expect((await simState(sim.url)).halted).toBe(false);
	});

	it("list prints the connected profile's playbooks with their steps", async () => {
		const text = await cli(['playbook', 'list', ...connect(sim, 'runbook')]);
		expect(text.status).toBe(0);
		expect(text.stdout).toContain('Profile: runbook');
		expect(text.stdout).toMatch(/action Refresh Redis connection pools \[refresh-redis-pools, low\]/);
		const json = JSON.parse((await cli(['playbook', 'list', '--json', '--hive', sim.url, '--api-profile', 'beehive'])).stdout);
		expect(json.profile).toBe('beehive');
		expect(json.playbooks.find((p: any) => p.id === 'communication-failure').steps.map((s: any) => s.action ?? s.kind)).toEqual([
			'check',
			'coordination-reset-hard',
			'wait',
			'restart-problem-agents',
			'check',
		]);
	});
});
