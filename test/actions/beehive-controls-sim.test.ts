// The beehive server's own controls end to end: through the gate, over the real HTTP client to the
// simulator (which answers with the shipped server's reply shapes) on a real Redis and PostgreSQL, with the
// effect checked in the hive's own task queue and agents list. Also the runbook profile's stuck list joined
// with the hive's PostgreSQL tasks table, so a stuck task has a title, an agent and an age.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import path from 'node:path';
import type {ActionSession} from '../../source/actions/session.js';
import {startSimulator, type RunningSimulator} from '../../source/simulator/index.js';
import {createHiveSource} from '../../source/sources/hive-http.js';
import {drive, openSession, prepareAndStart, simState, startServices, type Services} from './helpers.js';

let services: Services;
beforeAll(async () => {
	services = await startServices();
});
afterAll(async () => {
	await services?.cleanup();
});

async function startSimWithDb(scenario: string, agents = 8): Promise<{sim: RunningSimulator; databaseUrl: string}> {
	await services.client.flushall();
	const databaseUrl = await services.pg.createDatabase();
	const sim = await startSimulator({port: 0, scenario, agents, speed: 0, seed: 11, redisUrl: services.redis.url, databaseUrl, onWarning: () => undefined});
	return {sim, databaseUrl};
}

interface QueueTask {
	id: string;
	title: string;
	status: string;
	assigned_agent_id: string | null;
	retry_count: number;
	max_retries: number;
}

async function queue(url: string): Promise<QueueTask[]> {
	const res = await fetch(`${url}/api/dashboard/tasks/queue?limit=500`);
	return ((await res.json()) as {tasks: QueueTask[]}).tasks;
}

describe('beehive profile: the shipped server\'s controls', () => {
	let sim: RunningSimulator;
	let session: ActionSession;
	beforeAll(async () => {
		({sim} = await startSimWithDb('healthy', 8));
		session = await openSession(sim.url, 'beehive', services, path.join(services.dir, 'beehive-controls.jsonl'));
		// Let work get assigned and started.
		await fetch(`${sim.url}/_sim/advance`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({seconds: 600})}).then((r) => r.text());
	});
	afterAll(async () => {
		await session?.close();
		await sim?.close();
	});

	it('restart-agent on an agent with work in progress sends force=true, names its tasks, and they go back to pending', async () => {
		const tasks = await queue(sim.url);
		const running = tasks.find((t) => t.status === 'in_progress' && t.assigned_agent_id);
		expect(running, 'a task in progress').toBeDefined();
		const agentId = running!.assigned_agent_id!;
		const agent = (await simState(sim.url)).agents.find((a: any) => a.id === agentId);
		const prep = await session.gate.prepare('restart-agent', [{kind: 'agent', id: agentId, name: agent.name}]);
		if (!prep.ok) throw new Error(prep.reason);
		expect(prep.prepared.plan.requests.map((r) => r.display)).toEqual([`POST /api/dashboard/agents/${agentId}/restart?force=true`]);
		expect(prep.prepared.plan.notes.join('\n')).toContain(`"${running!.title}" (in_progress for`);
		const token = session.gate.confirm(prep.prepared, {kind: 'confirm'});
		if (!token.ok) throw new Error(token.reason);
		const run = await drive(sim.url, session.gate.start(prep.prepared, token.token), 3);
		expect(run.status, run.message).toBe('confirmed');
		const after = (await queue(sim.url)).find((t) => t.id === running!.id);
		expect(after?.assigned_agent_id === agentId && after.status === 'in_progress').toBe(false);
	});

	it('reassign-task moves a task to the agent the hive picks and says which', async () => {
		const tasks = await queue(sim.url);
		const candidate = tasks.find((t) => (t.status === 'assigned' || t.status === 'in_progress') && t.assigned_agent_id);
		expect(candidate, 'an assigned task').toBeDefined();
		const handle = await prepareAndStart(session, 'reassign-task', {targets: [{kind: 'task', id: candidate!.id, name: candidate!.title}]});
		const run = await drive(sim.url, handle, 1);
		expect(run.requests).toEqual([`POST /api/dashboard/tasks/${candidate!.id}/reassign?auto_select=true&reason=hive-console`]);
		const reassignment = (run.replies[0]!.body as {reassignment: {new_agent_id: string; new_agent_name: string}}).reassignment;
		if (reassignment.new_agent_id === candidate!.assigned_agent_id) {
			// The hive may pick the same agent when it has the fewest tasks: never shown as moved.
			expect(run.status).toBe('unconfirmed');
			expect(run.message).toContain('back on the same agent');
		} else {
			expect(run.status, run.message).toBe('confirmed');
			expect(run.message).toContain(`now on ${reassignment.new_agent_name}`);
		}
	});

	it('emergency-stop blocks running work (agents keep running); retry-task puts blocked tasks back to pending', async () => {
		const stop = await drive(sim.url, await prepareAndStart(session, 'emergency-stop'));
		expect(stop.status, stop.message).toBe('confirmed');
		expect(stop.message).toMatch(/Stopped \d+ active tasks/);
		const blocked = (await queue(sim.url)).filter((t) => t.status === 'blocked');
		expect(blocked.length).toBeGreaterThanOrEqual(2);
		expect((await simState(sim.url)).agents.some((a: any) => a.status === 'active' || a.status === 'busy')).toBe(true);
		const marked = blocked.slice(0, 2);
		const prep = await session.gate.prepare('retry-task', marked.map((t) => ({kind: 'task' as const, id: t.id, name: t.title})), {reset_retry_count: '0'});
		if (!prep.ok) throw new Error(prep.reason);
		expect(prep.prepared.plan.notes.join('\n')).toContain(`"${marked[0]!.title}" (blocked`);
		const token = session.gate.confirm(prep.prepared, {kind: 'confirm'});
		if (!token.ok) throw new Error(token.reason);
		const run = await drive(sim.url, session.gate.start(prep.prepared, token.token), 1);
		expect(run.status, run.message).toBe('confirmed');
		expect(run.message).toContain('pending again');
		for (const t of marked) expect((await queue(sim.url)).find((q) => q.id === t.id)?.status).not.toBe('blocked');
	});

	it('clear-task-queue cancels the pending tasks; a retry of one of them is refused by the hive with its 400 message', async () => {
		const pending = (await queue(sim.url)).filter((t) => t.status === 'pending');
		expect(pending.length).toBeGreaterThan(0);
		const prep = await session.gate.prepare('clear-task-queue');
		if (!prep.ok) throw new Error(prep.reason);
		expect(prep.prepared.confirmation.kind).toBe('typed');
		const token = session.gate.confirm(prep.prepared, {kind: 'typed', text: prep.prepared.confirmation.expected!});
		if (!token.ok) throw new Error(token.reason);
		const run = await drive(sim.url, session.gate.start(prep.prepared, token.token), 1);
		expect(run.status, run.message).toBe('confirmed');
		expect((await queue(sim.url)).filter((t) => pending.some((p) => p.id === t.id && t.status === 'pending'))).toEqual([]);
		const retry = await drive(sim.url, await prepareAndStart(session, 'retry-task', {targets: [{kind: 'task', id: pending[0]!.id, name: pending[0]!.title}]}), 1);
		expect(retry.status).toBe('failed');
		expect(retry.replies[0]!.httpStatus).toBe(400);
		expect(retry.message).toMatch(/^refused \(HTTP 400\): .*cancelled/);
	});

	it('force-agent-restart returns its tasks to pending and puts the agent in maintenance', async () => {
		await fetch(`${sim.url}/api/dashboard/coordination/reset?reset_type=soft&confirm=true`, {method: 'POST'}).then((r) => r.text());
		await fetch(`${sim.url}/_sim/advance`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({seconds: 300})}).then((r) => r.text());
		const agents = (await simState(sim.url)).agents as any[];
		const target = agents.find((a) => a.active_tasks > 0) ?? agents.find((a) => a.status === 'active');
		const prep = await session.gate.prepare('force-agent-restart', [{kind: 'agent', id: target.id, name: target.name}]);
		if (!prep.ok) throw new Error(prep.reason);
		expect(prep.prepared.plan.requests[0]!.display).toBe(`POST /api/dashboard/system/emergency-override?action=force_agent_restart&confirm_emergency=true&target_agent_id=${target.id}&reason=hive-console`);
		const token = session.gate.confirm(prep.prepared, {kind: 'confirm'});
		if (!token.ok) throw new Error(token.reason);
		const run = await (session.gate.start(prep.prepared, token.token)).done;
		expect(run.status, run.message).toBe('confirmed');
		expect(run.message).toContain(`${target.name} is`);
		expect((await queue(sim.url)).filter((t) => t.assigned_agent_id === target.id && (t.status === 'assigned' || t.status === 'in_progress'))).toEqual([]);
	});

	it('restart-all-agents confirms only when every agent it put in maintenance has re-registered', async () => {
		const run = await drive(sim.url, await prepareAndStart(session, 'restart-all-agents', {answer: {kind: 'flag-yes'}}), 5);
		expect(run.status, run.message).toBe('confirmed');
		expect(run.message).toMatch(/re-registered with a fresh heartbeat/);
	});

	it('coordination-reset-hard and -full wait for the agents to come back; full says what it cleared', async () => {
		const hard = await drive(sim.url, await prepareAndStart(session, 'coordination-reset-hard'), 5);
		expect(hard.requests).toEqual(['POST /api/dashboard/coordination/reset?reset_type=hard&confirm=true']);
		expect(hard.status, hard.message).toBe('confirmed');
		expect(hard.message).toMatch(/Reset \d+ agents to maintenance mode/);
		const full = await drive(sim.url, await prepareAndStart(session, 'coordination-reset-full'), 5);
		expect(full.status, full.message).toBe('confirmed');
		expect(full.message).toContain('agent_messages');
	});
});

describe('beehive profile: soft reset of a hive with tasks stuck for hours', () => {
	let sim: RunningSimulator;
	let session: ActionSession;
	beforeAll(async () => {
		({sim} = await startSimWithDb('task-distribution', 8));
		session = await openSession(sim.url, 'beehive', services, path.join(services.dir, 'beehive-soft.jsonl'));
	});
	afterAll(async () => {
		await session?.close();
		await sim?.close();
	});

	it('restart-orchestrator names the tasks it moves and confirms from "Reset N stuck tasks to pending"', async () => {
		const prep = await session.gate.prepare('restart-orchestrator');
		if (!prep.ok) throw new Error(prep.reason);
		expect(prep.prepared.plan.notes[0]).toMatch(/^".+" \(in_progress on .+ for [23] h/);
		const token = session.gate.confirm(prep.prepared, {kind: 'typed', text: prep.prepared.confirmation.expected!});
		if (!token.ok) throw new Error(token.reason);
		const run = await drive(sim.url, session.gate.start(prep.prepared, token.token), 1);
		expect(run.status, run.message).toBe('confirmed');
		expect(run.message).toMatch(/^the hive said "Reset [1-9]\d* stuck tasks to pending/);
	});
});

describe('runbook profile: stuck ids joined with the hive database', () => {
	let sim: RunningSimulator;
	let databaseUrl: string;
	beforeAll(async () => {
		({sim, databaseUrl} = await startSimWithDb('task-distribution', 6));
	});
	afterAll(async () => {
		await sim?.close();
	});

	it('without a database a stuck task is an id; with it, a title, an agent and an age', async () => {
		const bare = createHiveSource({baseUrl: sim.url, profile: 'runbook', timeoutMs: 5000});
		const joined = createHiveSource({baseUrl: sim.url, profile: 'runbook', timeoutMs: 5000, databaseUrl});
		try {
			const plain = await bare.poll(AbortSignal.timeout(5000));
			expect(plain.tasks!.stuck.length).toBeGreaterThan(0);
			expect(plain.tasks!.stuck.every((s) => s.title === null)).toBe(true);
			// The simulator mirrors its world into PostgreSQL about once a second.
			let stuck = (await joined.poll(AbortSignal.timeout(5000))).tasks!.stuck;
			for (let i = 0; i < 50 && stuck.some((s) => s.title === null); i++) {
				await new Promise((r) => setTimeout(r, 200));
				stuck = (await joined.poll(AbortSignal.timeout(5000))).tasks!.stuck;
			}
			const state = await simState(sim.url);
			for (const s of stuck) {
				expect(s.title, s.id).toBeTruthy();
				expect(s.status).toBe('in_progress');
				expect(state.agents.some((a: any) => a.name === s.agentName), `agent of ${s.id}`).toBe(true);
				expect(s.ageSeconds!).toBeGreaterThan(3600);
			}
		} finally {
			await Promise.all([bare.close(), joined.close()]);
		}
	});
});
