// Each runbook scenario's playbook, driven headless through the same gate, clears that scenario in the
// simulator. The simulated clock is moved with /_sim/advance and waits are ended with the playbook's own
// skip, so nothing waits in real time and no global timer is faked.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import path from 'node:path';
import {getPlaybook, PlaybookRunner, runPlaybookHeadless, type PlaybookState} from '../../source/actions/playbooks.js';
import {readAuditLog} from '../../source/actions/audit-log.js';
import type {ActionSession} from '../../source/actions/session.js';
import type {RunningSimulator} from '../../source/simulator/index.js';
import {actions} from '../../source/actions/registry.js';
import {advance, openSession, simState, startServices, startSim, type Services} from './helpers.js';

let services: Services;
beforeAll(async () => {
	services = await startServices();
});
afterAll(async () => {
	await services?.cleanup();
});

/**
 * Runs a playbook to its end, confirming every step as the severity asks (typed name for critical ones),
 * while a ticker moves the simulated clock: small steps during actions, big ones while a check watches
 * the hive recover.
 */
async function play(sim: RunningSimulator, session: ActionSession, id: string): Promise<{state: PlaybookState; runner: PlaybookRunner}> {
	const runner = new PlaybookRunner(getPlaybook(id)!, {gate: session.gate, watchPollMs: 50});
	let done = false;
	const ticker = (async () => {
		while (!done) {
			await new Promise((r) => setTimeout(r, 100));
			const step = runner.currentStep();
			if (!step || done) continue;
			if (step.kind === 'wait') runner.skipWait();
			else if (step.kind === 'action') {
				runner.skipWait();
				await advance(sim.url, 5);
			} else if (runner.state.steps[runner.state.current]?.status === 'running') await advance(sim.url, 1800);
		}
	})();
	try {
		const state = await runPlaybookHeadless(runner, {
			answer: (prepared) => {
				const need = prepared.confirmation;
				return need.kind === 'typed' ? {kind: 'typed', text: need.expected!} : need.kind === 'confirm' ? {kind: 'confirm'} : {kind: 'yes'};
			},
		});
		return {state, runner};
	} finally {
		done = true;
		await ticker;
	}
}

function summary(state: PlaybookState): string[] {
	return state.steps.map((s) => `${s.id}:${s.status}`);
}

describe('scenario 1: coordination success rate below 70 %', () => {
	let sim: RunningSimulator;
	let session: ActionSession;
	let audit: string;
	beforeAll(async () => {
		sim = await startSim(services, 'coordination-critical', 9);
		audit = path.join(services.dir, 'playbook1.jsonl');
		session = await openSession(sim.url, 'runbook', services, audit);
	});
	afterAll(async () => {
		await session?.close();
		await sim?.close();
	});

	it('stops, waits, restarts, checks core services and watches the success rate recover', async () => {
		const before = await simState(sim.url);
		expect(before.metrics.successRate).toBeLessThan(70);
		// A corrupted coordination stream, as the runbook describes it.
		await services.client.xadd('agent_messages:coordination', '*', 'type', 'garbage', 'payload', '{');
		const {state} = await play(sim, session, 'coordination-critical');
		expect(summary(state), JSON.stringify(state.steps.map((s) => s.message))).toEqual([
			'assess:done',
			'stop:done',
			'graceful:skipped',
			'restart:done',
			'clear-stream:done',
			'core:done',
			'recovery:done',
		]);
		expect(state.steps[2]!.message).toMatch(/^wait skipped by the operator/);
		expect(await services.client.exists('agent_messages:coordination')).toBe(0);
		const after = await simState(sim.url);
		expect(after.faults.coordination).toBe(false);
		expect(after.halted).toBe(false);
		expect(after.metrics.successRate).toBeGreaterThanOrEqual(70);
		const phases = (await readAuditLog(audit)).entries.map((e) => `${e.action}:${e.phase}`);
		expect(phases).toEqual(expect.arrayContaining(['emergency-stop:intent', 'emergency-stop:effect', 'restart-orchestrator:intent', 'delete-stream:intent']));
	});
});

describe('scenario 2: agent communication failures', () => {
	let sim: RunningSimulator;
	let session: ActionSession;
	beforeAll(async () => {
		sim = await startSim(services, 'communication-failure', 10);
		session = await openSession(sim.url, 'runbook', services, path.join(services.dir, 'playbook2.jsonl'));
	});
	afterAll(async () => {
		await session?.close();
		await sim?.close();
	});

	it('refreshes the pools, restarts the problem agents one by one and sees every heartbeat current', async () => {
		expect((await simState(sim.url)).agents.some((a: any) => a.stale)).toBe(true);
		const {state} = await play(sim, session, 'communication-failure');
		expect(summary(state), JSON.stringify(state.steps.map((s) => s.message))).toEqual(['assess:done', 'pools:done', 'restart:done', 'settle:skipped', 'verify:done']);
		const after = await simState(sim.url);
		expect(after.faults.communication).toBe(false);
		expect(after.agents.filter((a: any) => a.stale)).toEqual([]);
		const restart = session.gate.history.getState().runs.find((r) => r.actionId === 'restart-problem-agents')!;
		expect(restart.progress.filter((p) => p.state === 'sent').length).toBeGreaterThanOrEqual(1);
	});
});

describe('scenario 3: task distribution failures', () => {
	let sim: RunningSimulator;
	let session: ActionSession;
	beforeAll(async () => {
		sim = await startSim(services, 'task-distribution', 8);
		session = await openSession(sim.url, 'runbook', services, path.join(services.dir, 'playbook3.jsonl'));
	});
	afterAll(async () => {
		await session?.close();
		await sim?.close();
	});

	it('cancels the stuck tasks, rebalances and sees the queue come down', async () => {
		const before = await simState(sim.url);
		expect(before.tasks.long_running_ids.length).toBeGreaterThan(0);
		const {state} = await play(sim, session, 'task-distribution');
		expect(summary(state), JSON.stringify(state.steps.map((s) => s.message))).toEqual(['assess:done', 'cancel:done', 'rebalance:done', 'settle:skipped', 'verify:done']);
		const after = await simState(sim.url);
		expect(after.faults.distribution).toBe(false);
		expect(after.tasks.long_running_ids).toEqual([]);
	});
});

describe('playbooks in read-only mode', () => {
	let sim: RunningSimulator;
	let session: ActionSession;
	beforeAll(async () => {
		sim = await startSim(services, 'coordination-critical', 6);
		session = await openSession(sim.url, 'runbook', services, path.join(services.dir, 'playbook-ro.jsonl'), true);
	});
	afterAll(async () => {
		await session?.close();
		await sim?.close();
	});

	it('refuses every action step of every playbook and sends nothing', async () => {
		for (const id of ['coordination-critical', 'communication-failure', 'task-distribution', 'weekly-optimisation']) {
			const runner = new PlaybookRunner(getPlaybook(id)!, {gate: session.gate, watchPollMs: 50});
			const state = await runPlaybookHeadless(runner, {answer: () => ({kind: 'flag-yes'}), stopOnFailure: false, onWait: (r) => r.skipWait()});
			for (const [i, step] of getPlaybook(id)!.steps.entries()) {
				if (step.kind !== 'action') continue;
				const mutates = actions.find((a) => a.id === step.actionId)!.mutates;
				const message = state.steps[i]!.message;
				if (mutates) expect(message, `${id}/${step.id}`).toContain('read-only');
			}
		}
		const state = await simState(sim.url);
		expect(state.halted).toBe(false);
		expect(session.gate.history.getState().runs.filter((r) => r.sentAt !== null).map((r) => r.actionId)).toEqual(['weekly-analysis']);
		expect((await readAuditLog(path.join(services.dir, 'playbook-ro.jsonl'))).entries.filter((e) => e.action !== 'weekly-analysis')).toEqual([]);
	});
});
