// Every action end to end: through the gate, over the real HTTP client to the simulator (both route
// profiles) and to a real Redis, with the effect verified in the simulator's world (GET /_sim/state) or in
// Redis itself, and the audit log holding intent and outcome.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import path from 'node:path';
import {readAuditLog} from '../../source/actions/audit-log.js';
import {actions} from '../../source/actions/registry.js';
import type {ActionSession} from '../../source/actions/session.js';
import type {RunningSimulator} from '../../source/simulator/index.js';
import {advance, drive, openSession, prepareAndStart, setFault, simState, startServices, startSim, type Services} from './helpers.js';
import {resolveConfig} from '../../source/config/index.js';
import {openActionSession} from '../../source/actions/session.js';
import {prepareRecommendation} from '../../source/actions/advice.js';
import {DEFAULT_THRESHOLDS, recommendationsFor} from '../../source/model/index.js';

let services: Services;
beforeAll(async () => {
	services = await startServices();
});
afterAll(async () => {
	await services?.cleanup();
});

async function auditPhases(file: string, action: string): Promise<string[]> {
	const {entries} = await readAuditLog(file);
	return entries.filter((e) => e.action === action).map((e) => `${e.phase}:${e.result}`);
}

describe('runbook profile, healthy hive', () => {
	let sim: RunningSimulator;
	let session: ActionSession;
	let audit: string;
	beforeAll(async () => {
		sim = await startSim(services);
		audit = path.join(services.dir, 'runbook-healthy.jsonl');
		session = await openSession(sim.url, 'runbook', services, audit);
	});
	afterAll(async () => {
		await session?.close();
		await sim?.close();
	});

	it('detects nothing wrong with the profile it was given', () => {
		expect(session.env.profile).toBe('runbook');
	});

	it('set-heartbeat-interval and set-coordination-timeout change the hive configuration', async () => {
		const a = await drive(sim.url, await prepareAndStart(session, 'set-heartbeat-interval', {inputs: {interval: '45'}}));
		expect(a.status).toBe('confirmed');
		expect(a.requests).toEqual(['PUT /api/v1/config/heartbeat-interval {"interval":45}']);
		const b = await drive(sim.url, await prepareAndStart(session, 'set-coordination-timeout', {inputs: {timeout: 90}}));
		expect(b.status).toBe('confirmed');
		const state = await simState(sim.url);
		expect(state.config).toMatchObject({heartbeat_interval: 45, coordination_timeout: 90});
		expect(await auditPhases(audit, 'set-heartbeat-interval')).toEqual(['intent:sending', 'reply:sent', 'effect:confirmed']);
	});

	it('scale-up adds the agents once even when started twice at once', async () => {
		const before = (await simState(sim.url)).agents.length;
		const first = await prepareAndStart(session, 'scale-up', {inputs: {count: 2}});
		const second = await prepareAndStart(session, 'scale-up', {inputs: {count: 2}});
		const [r1, r2] = await Promise.all([drive(sim.url, first), drive(sim.url, second)]);
		expect([r1.status, r2.status]).toEqual(['confirmed', 'busy']);
		expect(r1.confirmedBy).toBe('effect');
		expect((await simState(sim.url)).agents.length).toBe(before + 2);
		expect(await auditPhases(audit, 'scale-up')).toEqual(['intent:sending', 'reply:sent', 'effect:confirmed']);
	});

	it('rebalance, refresh-redis-pools, cleanup-tasks and update-performance-metrics are accepted by the hive', async () => {
		for (const [id, inputs] of [['rebalance', {}], ['refresh-redis-pools', {}], ['cleanup-tasks', {days: 7}], ['update-performance-metrics', {}]] as const) {
			const run = await drive(sim.url, await prepareAndStart(session, id, {inputs}));
			expect(run.status, `${id}: ${run.message}`).toBe('confirmed');
			expect(run.replies[0]!.httpStatus).toBe(200);
		}
		const cleanup = session.gate.history.getState().runs.find((r) => r.actionId === 'cleanup-tasks')!;
		expect(cleanup.requests).toEqual(['DELETE /api/v1/tasks/cleanup?days=7']);
		expect((cleanup.replies[0]!.body as {removed: number}).removed).toBeGreaterThanOrEqual(0);
	});

	it('the four analyses return their reports for the detail view', async () => {
		for (const id of ['distribution-analysis', 'latency-analysis', 'performance-analysis', 'weekly-analysis']) {
			const prep = await session.gate.prepare(id);
			if (!prep.ok) throw new Error(prep.reason);
			const run = await session.gate.run(prep.prepared, null);
			expect(run.status, id).toBe('confirmed');
			expect(run.replies[0]!.body, id).toBeTypeOf('object');
		}
		const weekly = session.gate.history.getState().runs.find((r) => r.actionId === 'weekly-analysis')!;
		expect(weekly.replies[0]!.body).toHaveProperty('daily');
	});

	it('restart-agent puts the agent through maintenance and confirms when it heartbeats again', async () => {
		const state = await simState(sim.url);
		const idle = state.agents.find((a: any) => a.status === 'active' && a.active_tasks === 0) ?? state.agents.find((a: any) => a.active_tasks === 0);
		expect(idle).toBeDefined();
		const handle = await prepareAndStart(session, 'restart-agent', {targets: [{kind: 'agent', id: idle.id, name: idle.name}]});
		const run = await drive(sim.url, handle, 3);
		expect(run.status, run.message).toBe('confirmed');
		expect(run.requests).toEqual([`POST /api/v1/agents/${idle.id}/restart`]);
		const after = (await simState(sim.url)).agents.find((a: any) => a.id === idle.id);
		expect(['active', 'busy']).toContain(after.status);
	});

	it('delete-stream removes an agent stream from Redis; memory-purge runs on this jemalloc server', async () => {
		const keys = (await services.client.keys('agent_messages:*')).filter((k) => k !== 'agent_messages:broadcast');
		expect(keys.length).toBeGreaterThan(0);
		const key = keys[0]!;
		const prep = await session.gate.prepare('delete-stream', [{kind: 'stream', id: key, name: key}]);
		if (!prep.ok) throw new Error(prep.reason);
		expect(prep.prepared.plan.irreversible).toMatch(/messages?, \d+ consumer groups?/);
		const token = session.gate.confirm(prep.prepared, {kind: 'typed', text: key});
		if (!token.ok) throw new Error(token.reason);
		const run = await session.gate.run(prep.prepared, token.token);
		expect(run.status).toBe('confirmed');
		expect(await services.client.exists(key)).toBe(0);
		const purge = await drive(sim.url, await prepareAndStart(session, 'memory-purge'));
		expect(purge.status).toBe('confirmed');
	});

	it('emergency-stop stops every agent and blocks running work; restart-orchestrator brings them back', async () => {
		const stop = await drive(sim.url, await prepareAndStart(session, 'emergency-stop'));
		expect(stop.status, stop.message).toBe('confirmed');
		expect(stop.requests).toEqual(['POST /api/v1/agents/emergency-stop']);
		let state = await simState(sim.url);
		expect(state.halted).toBe(true);
		expect(state.agents.every((a: any) => a.status === 'inactive')).toBe(true);
		const restart = await drive(sim.url, await prepareAndStart(session, 'restart-orchestrator'));
		expect(restart.status, restart.message).toBe('confirmed');
		state = await simState(sim.url);
		expect(state.halted).toBe(false);
		expect(state.agents.some((a: any) => a.status === 'active' || a.status === 'busy')).toBe(true);
		expect(await auditPhases(audit, 'emergency-stop')).toEqual(['intent:sending', 'reply:sent', 'effect:confirmed']);
	});
});

describe('runbook profile, task distribution failure', () => {
	let sim: RunningSimulator;
	let session: ActionSession;
	beforeAll(async () => {
		sim = await startSim(services, 'task-distribution');
		session = await openSession(sim.url, 'runbook', services, path.join(services.dir, 'tasks.jsonl'));
	});
	afterAll(async () => {
		await session?.close();
		await sim?.close();
	});

	it('cancel-task cancels several marked stuck tasks at once; the hive no longer lists them', async () => {
		const stuck: string[] = (await simState(sim.url)).tasks.long_running_ids;
		expect(stuck.length).toBeGreaterThanOrEqual(2);
		const marked = stuck.slice(0, 2);
		const run = await drive(sim.url, await prepareAndStart(session, 'cancel-task', {targets: marked.map((id) => ({kind: 'task', id, name: id, reason: 'stuck'}))}));
		expect(run.status, run.message).toBe('confirmed');
		expect(run.requests).toEqual(marked.map((id) => `POST /api/v1/tasks/${id}/cancel`));
		const after: string[] = (await simState(sim.url)).tasks.long_running_ids;
		for (const id of marked) expect(after).not.toContain(id);
	});

	it('cancel-task sends nothing for a task that is no longer stuck', async () => {
		const [id] = (await simState(sim.url)).tasks.long_running_ids as string[];
		const prep = await session.gate.prepare('cancel-task', [{kind: 'task', id: id!, name: id!, reason: 'stuck'}]);
		if (!prep.ok) throw new Error(prep.reason);
		const token = session.gate.confirm(prep.prepared, {kind: 'confirm'});
		if (!token.ok) throw new Error(token.reason);
		// Someone else cancels it between the modal opening and the confirmation.
		await fetch(`${sim.url}/api/v1/tasks/${id}/cancel`, {method: 'POST'}).then((r) => r.text());
		const run = await session.gate.run(prep.prepared, token.token);
		expect(run.status).toBe('skipped');
		expect(run.replies).toEqual([]);
		expect(run.message).toContain('no longer listed as stuck');
	});

	it('rebalance lifts the skewed assignment', async () => {
		expect((await simState(sim.url)).faults.distribution).toBe(true);
		const run = await drive(sim.url, await prepareAndStart(session, 'rebalance'));
		expect(run.status).toBe('confirmed');
		expect((await simState(sim.url)).faults.distribution).toBe(false);
	});
});

describe('runbook profile, communication failure', () => {
	let sim: RunningSimulator;
	let session: ActionSession;
	beforeAll(async () => {
		sim = await startSim(services, 'communication-failure', 10);
		session = await openSession(sim.url, 'runbook', services, path.join(services.dir, 'comms.jsonl'));
	});
	afterAll(async () => {
		await session?.close();
		await sim?.close();
	});

	it('restart-problem-agents can be stopped midway: only the agents already sent stay restarted', async () => {
		const prep = await session.gate.prepare('restart-problem-agents');
		if (!prep.ok) throw new Error(prep.reason);
		expect(prep.prepared.targets.length).toBeGreaterThanOrEqual(2);
		const token = session.gate.confirm(prep.prepared, {kind: 'confirm'});
		if (!token.ok) throw new Error(token.reason);
		const handle = session.gate.start(prep.prepared, token.token);
		await new Promise<void>((resolve) => {
			const unsubscribe = session.gate.history.subscribe((s) => {
				const run = s.runs.find((r) => r.runId === handle.runId);
				if (run?.waitingUntil) {
					unsubscribe();
					handle.stop();
					resolve();
				}
			});
		});
		const run = await handle.done;
		expect(run.status).toBe('stopped');
		expect(run.replies.length).toBe(1);
		expect(run.message).toContain(`stopped after 1 of ${prep.prepared.targets.length}`);
	});

	it('after refreshing the pools, restart-problem-agents restarts each problem agent in turn and they heartbeat again', async () => {
		const pools = await drive(sim.url, await prepareAndStart(session, 'refresh-redis-pools'));
		expect(pools.status).toBe('confirmed');
		// Agents holding tasks refuse a restart without force; their tasks time out within the coordination timeout.
		await advance(sim.url, 120);
		const prep = await session.gate.prepare('restart-problem-agents');
		if (!prep.ok) throw new Error(prep.reason);
		const targets = prep.prepared.targets;
		expect(targets.length).toBeGreaterThanOrEqual(1);
		expect(targets.every((t) => t.reason)).toBe(true);
		const token = session.gate.confirm(prep.prepared, {kind: 'confirm'});
		if (!token.ok) throw new Error(token.reason);
		const run = await drive(sim.url, session.gate.start(prep.prepared, token.token), 5);
		expect(run.status, run.message).toBe('confirmed');
		const sent = run.progress.filter((p) => p.state === 'sent').map((p) => p.targetId);
		expect(sent.length).toBeGreaterThanOrEqual(1);
		expect(run.progress.filter((p) => p.state === 'waiting').length).toBe(targets.length - 1);
		const state = await simState(sim.url);
		for (const id of sent) expect(state.agents.find((a: any) => a.id === id).stale).toBe(false);
	});
});

describe('beehive profile', () => {
	let sim: RunningSimulator;
	let session: ActionSession;
	let audit: string;
	beforeAll(async () => {
		sim = await startSim(services);
		audit = path.join(services.dir, 'beehive.jsonl');
		session = await openSession(sim.url, 'beehive', services, audit);
	});
	afterAll(async () => {
		await session?.close();
		await sim?.close();
	});

	it('shows the runbook-only actions as unavailable with the reason and refuses to plan them', async () => {
		const listing = await session.gate.list(actions);
		const unavailable = Object.fromEntries(listing.filter((l) => !l.availability.available).map((l) => [l.action.id, (l.availability as {reason: string}).reason]));
		expect(Object.keys(unavailable).sort()).toEqual(
			['cancel-task', 'cleanup-tasks', 'latency-analysis', 'performance-analysis', 'rebalance', 'refresh-redis-pools', 'scale-up', 'set-coordination-timeout', 'set-heartbeat-interval', 'update-performance-metrics'].sort(),
		);
		expect(unavailable['cancel-task']).toContain('reassign');
		const before = (await simState(sim.url)).agents.length;
		const prep = await session.gate.prepare('scale-up', undefined, {count: 2});
		expect(prep.ok).toBe(false);
		expect((await simState(sim.url)).agents.length).toBe(before);
	});

	it('a restart refused with HTTP 200 {error} shows as failed with the hive message', async () => {
		const agentsNow = (await simState(sim.url)).agents;
		const idle = agentsNow.find((a: any) => (a.status === 'active' || a.status === 'busy') && a.active_tasks === 0);
		expect(idle).toBeDefined();
		const prep = await session.gate.prepare('restart-agent', [{kind: 'agent', id: idle.id, name: idle.name}]);
		if (!prep.ok) throw new Error(prep.reason);
		// Planned while it had no work: force=false, and the modal says the hive refuses if work starts first.
		expect(prep.prepared.plan.requests.map((r) => r.display)).toEqual([`POST /api/dashboard/agents/${idle.id}/restart?force=false`]);
		expect(prep.prepared.plan.notes.join(' ')).toContain('refuses if one starts before the request arrives');
		const queue = (await (await fetch(`${sim.url}/api/dashboard/tasks/queue`)).json()) as {tasks: Array<{id: string; status: string; assigned_agent_id: string | null}>};
		const work = queue.tasks.find((t) => t.assigned_agent_id !== idle.id);
		expect(work).toBeDefined();
		await fetch(`${sim.url}/api/dashboard/tasks/${work!.id}/reassign?auto_select=false&new_agent_id=${idle.id}`, {method: 'POST'}).then((r) => r.text());
		await advance(sim.url, 5);
		const token = session.gate.confirm(prep.prepared, {kind: 'confirm'});
		if (!token.ok) throw new Error(token.reason);
		const run = await session.gate.run(prep.prepared, token.token);
		expect(run.status).toBe('failed');
		expect(run.replies[0]!.httpStatus).toBe(200);
		expect(run.message).toContain('active task');
		expect(await auditPhases(audit, 'restart-agent')).toEqual(['intent:sending', 'reply:failed']);
	});

	it('emergency stop blocks the running work and a soft coordination reset goes to the beehive path', async () => {
		const stop = await drive(sim.url, await prepareAndStart(session, 'emergency-stop'));
		expect(stop.status, stop.message).toBe('confirmed');
		expect(stop.requests).toEqual(['POST /api/dashboard/system/emergency-override?action=stop_all_tasks&confirm_emergency=true']);
		expect((await simState(sim.url)).halted).toBe(true);
		// Nothing has been in progress for 2 h here: the hive resets 0 tasks, which is never shown as confirmed.
		const prep = await session.gate.prepare('restart-orchestrator');
		if (!prep.ok) throw new Error(prep.reason);
		expect(prep.prepared.plan.requests.map((r) => r.display)).toEqual(['POST /api/dashboard/coordination/reset?reset_type=soft&confirm=true']);
		expect(prep.prepared.plan.notes).toEqual(['no task has been in progress for more than 2 h: the hive will reset 0 tasks and change nothing else']);
		// The hive's reply says it reset nothing: the run ends unconfirmed at once, saying so, instead of
		// waiting out the effect timeout for something the reply already ruled out.
		const run = await (await prepareAndStart(session, 'restart-orchestrator')).done;
		expect(run.status).toBe('unconfirmed');
		expect(run.message).toBe('the hive said "Reset 0 stuck tasks to pending": nothing was in progress for more than 2 h, and a soft reset changes nothing else');
	});

	it('the beehive analyses read the dashboard endpoints', async () => {
		for (const id of ['distribution-analysis', 'weekly-analysis']) {
			const prep = await session.gate.prepare(id);
			if (!prep.ok) throw new Error(prep.reason);
			const run = await session.gate.run(prep.prepared, null);
			expect(run.status, `${id}: ${run.message}`).toBe('confirmed');
		}
	});
});

describe('when the hive misbehaves', () => {
	let sim: RunningSimulator;
	beforeAll(async () => {
		sim = await startSim(services);
	});
	afterAll(async () => {
		await sim?.close();
	});

	it('no reply in time is "unconfirmed" (the hive may have acted), and a 500 is "failed" with its message', async () => {
		const audit = path.join(services.dir, 'misbehaving.jsonl');
		const config = await resolveConfig({hive: sim.url, apiProfile: 'runbook', auditLog: audit}, {});
		const session = await openActionSession(config, {readOnly: {on: false, reason: ''}, gate: {requestTimeoutMs: 800, effectPollMs: 50}});
		try {
			await setFault(sim.url, {path: '/api/v1/coordination/rebalance', mode: 'hang', count: 1});
			const hung = await drive(sim.url, await prepareAndStart(session, 'rebalance'));
			expect(hung.status).toBe('unconfirmed');
			expect(hung.message).toContain('may or may not have acted');
			await setFault(sim.url, {path: '/api/v1/redis/refresh-pools', mode: 'status-500', count: 1});
			const broken = await drive(sim.url, await prepareAndStart(session, 'refresh-redis-pools'));
			expect(broken.status).toBe('failed');
			expect(broken.message).toMatch(/HTTP 500/);
			expect((await readAuditLog(audit)).entries.map((e) => `${e.action}:${e.phase}:${e.result}`)).toEqual([
				'rebalance:intent:sending',
				'rebalance:reply:unconfirmed',
				'refresh-redis-pools:intent:sending',
				'refresh-redis-pools:reply:failed',
			]);
		} finally {
			await session.close();
		}
	});

	it('an effect that never shows becomes "unconfirmed" after the timeout, with what was last seen', async () => {
		const audit = path.join(services.dir, 'no-effect.jsonl');
		const config = await resolveConfig({hive: sim.url, apiProfile: 'runbook', auditLog: audit}, {});
		const session = await openActionSession(config, {readOnly: {on: false, reason: ''}, gate: {effectPollMs: 50, effectTimeoutMs: 400}});
		try {
			const idle = (await simState(sim.url)).agents.find((a: any) => a.active_tasks === 0 && a.status === 'active');
			expect(idle).toBeDefined();
			// The simulated clock stands still, so the agent stays in maintenance and never heartbeats again.
			const run = await (await prepareAndStart(session, 'restart-agent', {targets: [{kind: 'agent', id: idle.id, name: idle.name}]})).done;
			expect(run.status).toBe('unconfirmed');
			expect(run.message).toContain(`waiting for ${idle.name} to heartbeat again`);
			expect((await readAuditLog(audit)).entries.map((e) => `${e.phase}:${e.result}`)).toEqual(['intent:sending', 'reply:sent', 'effect:unconfirmed']);
		} finally {
			await session.close();
		}
	});

	it('a recommendation from the model prepares its action with its inputs', async () => {
		const config = await resolveConfig({hive: sim.url, apiProfile: 'runbook', auditLog: path.join(services.dir, 'advice.jsonl')}, {});
		const session = await openActionSession(config, {readOnly: {on: false, reason: ''}});
		try {
			const [timeout, scale] = recommendationsFor(80, DEFAULT_THRESHOLDS);
			const a = await prepareRecommendation(session.gate, timeout!);
			expect(a.ok && a.prepared.plan.requests[0]!.display).toBe('PUT /api/v1/config/coordination-timeout {"timeout":60}');
			const b = await prepareRecommendation(session.gate, scale!);
			expect(b.ok && b.prepared.plan.requests[0]!.display).toBe('POST /api/v1/agents/scale-up {"count":2}');
			const review = await prepareRecommendation(session.gate, recommendationsFor(50, DEFAULT_THRESHOLDS)[0]!);
			expect(review.ok).toBe(false);
		} finally {
			await session.close();
		}
	});
});
