// The shipped server's auto-heal and read-outs end to end: through the gate, over the real HTTP client to
// the simulator (beehive profile, the server's reply shapes) on a real Redis and PostgreSQL. Auto-heal's
// confirmation carries the hive's own dry-run plan, a real run resets the stuck tasks, read-only refuses
// it but still runs the analyses, and the runbook profile offers none of them, saying why.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import path from 'node:path';
import type {ActionSession} from '../../source/actions/session.js';
import {getAction} from '../../source/actions/registry.js';
import type {RunningSimulator} from '../../source/simulator/index.js';
import {drive, openSession, prepareAndStart, startServices, startSim, type Services} from './helpers.js';

let services: Services;
beforeAll(async () => {
	services = await startServices();
});
afterAll(async () => {
	await services?.cleanup();
});

interface QueueTask {
	id: string;
	status: string;
	started_at: string | null;
	assigned_agent_id: string | null;
}

async function inProgress(url: string): Promise<QueueTask[]> {
	const res = await fetch(`${url}/api/dashboard/tasks/queue?status_filter=in_progress&limit=500`);
	return ((await res.json()) as {tasks: QueueTask[]}).tasks.filter((t) => t.status === 'in_progress');
}

async function dryRunPlan(url: string, type: string): Promise<{analysis: {stuck_tasks: number}; actions: unknown[]}> {
	const res = await fetch(`${url}/api/dashboard/recovery/auto-heal?recovery_type=${type}&dry_run=true`, {method: 'POST'});
	return (await res.json()) as {analysis: {stuck_tasks: number}; actions: unknown[]};
}

describe('beehive profile: auto-heal', () => {
	let sim: RunningSimulator;
	let session: ActionSession;
	beforeAll(async () => {
		sim = await startSim(services, 'task-distribution', 8);
		session = await openSession(sim.url, 'beehive', services, path.join(services.dir, 'monitoring.jsonl'));
	});
	afterAll(async () => {
		await session?.close();
		await sim?.close();
	});

	it('plans with the hive\'s dry run (nothing changes), shows that plan, and needs an explicit Confirm for smart and conservative', async () => {
		const before = await dryRunPlan(sim.url, 'conservative');
		expect(before.analysis.stuck_tasks).toBeGreaterThan(0);
		const prep = await session.gate.prepare('auto-heal', undefined, {recovery_type: '1'});
		if (!prep.ok) throw new Error(prep.reason);
		const {plan, confirmation} = prep.prepared;
		expect(confirmation.kind).toBe('confirm');
		expect(plan.requests.map((r) => r.display)).toEqual(['POST /api/dashboard/recovery/auto-heal?recovery_type=conservative&dry_run=false']);
		expect(plan.notes[0]).toBe(`would: Reset ${before.analysis.stuck_tasks} stuck tasks to pending (impact low)`);
		expect(plan.notes.join('\n')).toMatch(/tasks back to pending \(\d+\): ".+" \(in_progress on .+ for \d+ h/);
		expect(plan.summary).toContain("the hive's own dry run");
		// Planning twice changed nothing: the hive still has the same stuck tasks.
		expect((await dryRunPlan(sim.url, 'conservative')).analysis.stuck_tasks).toBe(before.analysis.stuck_tasks);
		// The command line's names work too, and the severity follows the declaration.
		const named = await session.gate.prepare('auto-heal', undefined, {recovery_type: 'smart'});
		expect(named.ok && named.prepared.plan.requests[0]!.display).toContain('recovery_type=smart&dry_run=false');
		const aggressive = await session.gate.prepare('auto-heal-aggressive');
		if (!aggressive.ok) throw new Error(aggressive.reason);
		expect(aggressive.prepared.confirmation.kind).toBe('typed');
		expect(aggressive.prepared.plan.irreversible).toMatch(/agent_messages:\* stream is deleted .*\(\d+ streams? now\)/);
		expect(aggressive.prepared.plan.notes).toContain('would: Clear Redis message streams (impact high)');
		const wrong = await session.gate.prepare('auto-heal', undefined, {recovery_type: '2'});
		expect(wrong.ok).toBe(false);
	});

	it('a real run resets the stuck tasks to pending and is confirmed from the reply and the queue', async () => {
		const stuckBefore = (await inProgress(sim.url)).filter((t) => t.started_at !== null);
		const planned = await dryRunPlan(sim.url, 'conservative');
		expect(planned.analysis.stuck_tasks).toBeGreaterThan(0);
		const run = await drive(sim.url, await prepareAndStart(session, 'auto-heal', {inputs: {recovery_type: '1'}, answer: {kind: 'confirm'}}), 1);
		expect(run.status, run.message).toBe('confirmed');
		expect(run.message).toContain(`the hive performed: Reset ${planned.analysis.stuck_tasks} stuck tasks to pending`);
		expect((await dryRunPlan(sim.url, 'conservative')).analysis.stuck_tasks).toBe(0);
		const still = new Set((await inProgress(sim.url)).map((t) => `${t.id}:${t.assigned_agent_id}`));
		expect(stuckBefore.filter((t) => still.has(`${t.id}:${t.assigned_agent_id}`)).length).toBeLessThan(stuckBefore.length);
	});

	it('with nothing left to heal, the pre-check sends nothing', async () => {
		const prep = await session.gate.prepare('auto-heal', undefined, {recovery_type: '1'});
		if (!prep.ok) throw new Error(prep.reason);
		expect(prep.prepared.plan.summary).toContain('it plans nothing');
		const token = session.gate.confirm(prep.prepared, {kind: 'confirm'});
		if (!token.ok) throw new Error(token.reason);
		const run = await session.gate.run(prep.prepared, token.token);
		expect(run.status).toBe('skipped');
		expect(run.message).toContain('now plans nothing');
		expect(run.sentAt).toBeNull();
	});

	it('the analyses read the server\'s shapes', async () => {
		for (const id of ['coordination-diagnostics', 'coordination-failures', 'weekly-analysis', 'distribution-analysis']) {
			const run = await (await prepareAndStart(session, id)).done;
			expect(run.status, `${id}: ${run.message}`).toBe('confirmed');
			expect(run.replies[0]!.body).toBeTypeOf('object');
		}
	});
});

describe('read-only and the runbook profile', () => {
	let sim: RunningSimulator;
	let readOnly: ActionSession;
	let runbook: ActionSession;
	beforeAll(async () => {
		sim = await startSim(services, 'task-distribution', 6);
		readOnly = await openSession(sim.url, 'beehive', services, path.join(services.dir, 'monitoring-ro.jsonl'), true);
		runbook = await openSession(sim.url, 'runbook', services, path.join(services.dir, 'monitoring-rb.jsonl'));
	});
	afterAll(async () => {
		await readOnly?.close();
		await runbook?.close();
		await sim?.close();
	});

	it('read-only refuses auto-heal (before any dry run) and still runs the analyses', async () => {
		for (const id of ['auto-heal', 'auto-heal-aggressive']) {
			const prep = await readOnly.gate.prepare(id);
			expect(prep.ok).toBe(false);
			expect(!prep.ok && prep.reason).toContain('read-only mode');
		}
		for (const id of ['coordination-diagnostics', 'coordination-failures']) {
			const prep = await readOnly.gate.prepare(id);
			if (!prep.ok) throw new Error(prep.reason);
			const run = await readOnly.gate.run(prep.prepared, null);
			expect(run.status, run.message).toBe('confirmed');
		}
	});

	it('the runbook profile shows the new actions unavailable with the reason', async () => {
		const reasons: Record<string, string> = {};
		for (const id of ['auto-heal', 'auto-heal-aggressive', 'coordination-diagnostics', 'coordination-failures']) {
			const availability = await runbook.gate.availability(getAction(id)!);
			expect(availability.available, id).toBe(false);
			if (!availability.available) reasons[id] = availability.reason;
		}
		expect(reasons['auto-heal']).toContain('the runbook profile has no auto-heal');
		expect(reasons['coordination-diagnostics']).toContain('the runbook profile has no coordination diagnostics');
		expect(reasons['coordination-failures']).toContain('the runbook profile has no failure analysis');
	});
});
