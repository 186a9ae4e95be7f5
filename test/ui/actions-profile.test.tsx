// The console against `simulate --profile beehive` (the harness spawns the real binary): an action the
// beehive server does not offer is shown disabled with the reason (help, footer, its key), and a restart of
// an agent with work in progress sends force=true, names those tasks in the confirmation and is confirmed.
// Against `simulate --profile runbook`, whose restart has no force, the hive refuses that restart with HTTP
// 200 {error}, and the console shows it as failed with the hive's own message.
import {spawnSync} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Agent, Task} from '../../source/contract/types.js';
import {repoRoot, startRedis, startSimulator, type RedisService, type SimulatorService} from '../harness/services.js';
import {advance} from '../actions/helpers.js';
import {mountActions, type MountedActions} from './action-console-harness.js';
import {KEYS} from './render-console.js';

let redis: RedisService;
let sim: SimulatorService;
let runbookSim: SimulatorService;
let m: MountedActions;
let rb: MountedActions;
const auditPath = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'hive-ui-')), 'audit.jsonl');

beforeAll(async () => {
	const built = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build.mjs')], {encoding: 'utf8'});
	if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
	redis = await startRedis();
	// The runbook hive has no Redis of its own: two simulated worlds must not share one.
	[sim, runbookSim] = await Promise.all([startSimulator({profile: 'beehive', speed: 0, agents: 8, redis: redis.url}), startSimulator({profile: 'runbook', speed: 0, agents: 8})]);
	// Wide enough that the confirmation's note naming the tasks in progress is not cut.
	m = await mountActions({hiveUrl: sim.url, redisUrl: redis.url, profile: 'beehive', auditLog: auditPath(), focused: 'tasks', columns: 220});
	rb = await mountActions({hiveUrl: runbookSim.url, profile: 'runbook', auditLog: auditPath()});
}, 180_000);
afterAll(async () => {
	await m?.close();
	await rb?.close();
	await sim?.stop();
	await runbookSim?.stop();
	await redis?.cleanup();
});

/**
 * Puts a task in progress on a working agent of the console's last read (the simulator's /_sim/tasks, so
 * the test does not depend on what the simulated world happens to be doing), reads the hive again, and
 * returns the agent with every task it has in progress now.
 */
async function agentWithWork(mounted: MountedActions, simUrl: string, title: string): Promise<{agent: Agent; running: Task[]}> {
	const before = mounted.app.store.getState().snapshots.hive!;
	// An idle one where the task list tells (beehive), so the confirmation's note names just this task.
	const idle = (a: Agent) => a.currentTask === null && !(before.tasks?.items ?? []).some((t) => t.assignedAgentId === a.id && t.status === 'in_progress');
	const agent = before.agents!.find((a) => a.status === 'active' && idle(a)) ?? before.agents!.find((a) => a.status === 'active' || a.status === 'busy')!;
	const res = await fetch(`${simUrl}/_sim/tasks`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({title, agent_id: agent.id, status: 'in_progress'})});
	expect(res.status, await res.text()).toBe(200);
	await mounted.refresh();
	const hive = mounted.app.store.getState().snapshots.hive!;
	const running = (hive.tasks?.items ?? []).filter((t) => t.assignedAgentId === agent.id && t.status === 'in_progress');
	return {agent: hive.agents!.find((a) => a.id === agent.id)!, running};
}

/** Filters the agents pane to one agent and presses R on it. */
async function restartFromAgentsPane(mounted: MountedActions, agent: Agent): Promise<void> {
	await mounted.r.press('2', '/');
	mounted.r.stdin.write(agent.name);
	await mounted.r.press(KEYS.enter, 'R');
	await mounted.waitFor('Confirm: Restart agent');
	expect(mounted.frame()).toContain(`${agent.name} (agent ${agent.id})`);
}

describe('beehive profile', () => {
	it('cancel-task is shown disabled with the reason in the help and the footer, and its key sends nothing', async () => {
		const footer = m.frame().split('\n').at(-1)!;
		expect(footer).toMatch(/x cancel task \(off\)/);
		await m.r.press('?');
		const help = await m.waitFor('Keys');
		expect(help).toMatch(/Cancel task \[off:/);
		await m.r.press(KEYS.escape);
		await m.r.press('x');
		const frame = await m.waitFor('Cancel task: not available');
		expect(frame).toContain('reassign');
		await m.r.press(KEYS.escape);
		expect(m.gate.history.getState().runs).toEqual([]);
	});

	it('a restart of an agent with work in progress sends force=true, names the tasks and is confirmed', async () => {
		const {agent, running} = await agentWithWork(m, sim.url, 'Migrate billing #77');
		expect(running.map((t) => t.title)).toEqual(['Migrate billing #77']);
		await restartFromAgentsPane(m, agent);
		const modal = m.frame();
		expect(modal).toContain(`POST /api/dashboard/agents/${agent.id}/restart?force=true`);
		expect(modal).toContain(`has ${running.length} task${running.length === 1 ? '' : 's'} in progress: force=true`);
		for (const task of running) expect(modal).toContain(`"${task.title}" (in_progress for`);
		expect(modal).toContain('Its tasks in progress lose their progress and go back to pending (force=true).');
		await m.r.press(KEYS.tab, KEYS.enter);
		// The simulated clock is frozen: move it on while the agent is in maintenance (back after 10 s).
		let run = m.gate.history.getState().runs.find((r) => r.actionId === 'restart-agent');
		for (let i = 0; i < 100 && run?.status !== 'confirmed' && run?.finishedAt == null; i++) {
			await advance(sim.url, 5);
			await new Promise((resolve) => setTimeout(resolve, 100));
			run = m.gate.history.getState().runs.find((r) => r.actionId === 'restart-agent');
		}
		expect(run?.status, run?.message).toBe('confirmed');
		expect(run!.requests).toEqual([`POST /api/dashboard/agents/${agent.id}/restart?force=true`]);
		expect(await m.waitFor('CONFIRMED')).toContain('back to pending');
		expect(await m.audit()).toEqual(['restart-agent:intent:sending', 'restart-agent:reply:sent', 'restart-agent:effect:confirmed']);
		await m.r.press(KEYS.escape);
	});
});

describe('runbook profile', () => {
	it('a restart the hive refuses with 200 {error} shows as failed with its message', async () => {
		await rb.refresh();
		// The runbook profile has no task list, but its agents list names the task in progress (current_task).
		const {agent} = await agentWithWork(rb, runbookSim.url, 'Rotate certificates #8');
		expect(agent.currentTask).toBe('Rotate certificates #8');
		// Its restart has no force: the hive refuses while the agent has work in progress.
		await restartFromAgentsPane(rb, agent);
		expect(rb.frame()).toContain(`POST /api/v1/agents/${agent.id}/restart`);
		expect(rb.frame()).not.toContain('force=');
		await rb.r.press(KEYS.tab, KEYS.enter);
		const frame = await rb.waitFor('FAILED');
		expect(frame).toContain('active task');
		expect(frame).toContain('refused by the hive 200');
		expect(await rb.audit()).toEqual(['restart-agent:intent:sending', 'restart-agent:reply:failed']);
	});
});
