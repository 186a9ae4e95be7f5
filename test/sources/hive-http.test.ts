// The hive source against the real simulator (spawned binary, HTTP on loopback), both profiles, and every
// failure the simulator can inject. Each test clears faults and auth first, so order does not matter.
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {createHiveSource, type HiveSource, type HiveSourceOptions} from '../../source/sources/hive-http.js';
import {SourceError} from '../../source/sources/source.js';
import type {HiveSnapshot} from '../../source/contract/snapshot.js';
import {startSimulator, type SimulatorService} from '../harness/services.js';

const TOKEN = 's3cret-7c2f9e41b8';
let sim: SimulatorService;
const sources: HiveSource[] = [];

async function simCall(method: string, path: string, body?: unknown): Promise<unknown> {
	const res = await fetch(`${sim.url}${path}`, {
		method,
		headers: body === undefined ? {} : {'content-type': 'application/json'},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	if (!res.ok) throw new Error(`simulator ${method} ${path}: HTTP ${res.status} ${text}`);
	return text ? JSON.parse(text) : null;
}

const fault = (path: string, mode: string, extra: Record<string, unknown> = {}) => simCall('POST', '/_sim/fault', {path, mode, ...extra});

function open(options: Partial<HiveSourceOptions> = {}): HiveSource {
	const source = createHiveSource({baseUrl: sim.url, profile: 'auto', timeoutMs: 5000, ...options});
	sources.push(source);
	return source;
}

const poll = (source: HiveSource) => source.poll(new AbortController().signal);

async function pollError(source: HiveSource): Promise<SourceError> {
	try {
		await poll(source);
	} catch (error) {
		expect(error).toBeInstanceOf(SourceError);
		return error as SourceError;
	}
	throw new Error('poll succeeded');
}

function expectComplete(snapshot: HiveSnapshot) {
	expect(snapshot.partialErrors).toEqual([]);
	expect(snapshot.coordination?.successRate).toEqual(expect.any(Number));
	expect(snapshot.coordination?.queueLength).toEqual(expect.any(Number));
	expect(snapshot.agentMetrics?.byStatus).toBeTruthy();
	expect(snapshot.health?.status).toEqual(expect.any(String));
	expect(snapshot.agents?.length).toBeGreaterThan(0);
	expect(snapshot.tasks).not.toBeNull();
}

beforeAll(async () => {
	sim = await startSimulator({agents: 12});
});

afterAll(async () => {
	await sim?.stop();
});

beforeEach(async () => {
	await simCall('DELETE', '/_sim/fault');
	await simCall('POST', '/_sim/auth', {token: null});
});

afterEach(async () => {
	await Promise.all(sources.splice(0).map((s) => s.close()));
});

describe('profiles', () => {
	it('auto-detects the beehive profile once and reads everything', async () => {
		const source = open();
		expect(source.profile()).toBeNull();
		const snapshot = await poll(source);
		expect(snapshot.profile).toBe('beehive');
		expect(snapshot.profileSource).toBe('auto');
		expect(source.profile()).toBe('beehive');
		expectComplete(snapshot);
		// The agents list and the Prometheus count agree on who is active: exact label matching, so
		// "inactive" is not counted as "active".
		const activeInList = snapshot.agents!.filter((a) => a.status === 'active').length;
		expect(snapshot.agentMetrics!.byStatus.active ?? 0).toBe(activeInList);
		expect(snapshot.agents!.some((a) => a.lastHeartbeat !== null)).toBe(true);
		expect(Object.keys(snapshot.tasks!.byStatus).length).toBeGreaterThan(0);
		expect((await poll(source)).profile).toBe('beehive');
	});

	it('reads the runbook profile when forced, with stuck tasks from /api/v1/tasks/stuck', async () => {
		await simCall('POST', '/_sim/scenario', {name: 'task-distribution'});
		await simCall('POST', '/_sim/advance', {seconds: 2 * 3600});
		try {
			const source = open({profile: 'runbook'});
			expect(source.profile()).toBe('runbook');
			const snapshot = await poll(source);
			expect(snapshot.profile).toBe('runbook');
			expect(snapshot.profileSource).toBe('configured');
			expectComplete(snapshot);
			expect(snapshot.tasks!.items).toEqual([]);
			expect(snapshot.tasks!.stuck.length).toBeGreaterThan(0);
			for (const task of snapshot.tasks!.stuck) expect(task.id).toEqual(expect.any(String));
		} finally {
			await simCall('POST', '/_sim/scenario', {name: 'healthy'});
		}
	});

	it('finds tasks in progress for more than an hour in the beehive queue, with age and agent', async () => {
		await simCall('POST', '/_sim/scenario', {name: 'task-distribution'});
		await simCall('POST', '/_sim/advance', {seconds: 2 * 3600});
		try {
			const snapshot = await poll(open({profile: 'beehive'}));
			expect(snapshot.profileSource).toBe('configured');
			expectComplete(snapshot);
			expect(snapshot.tasks!.items.length).toBeGreaterThan(0);
			expect(snapshot.tasks!.stuck.length).toBeGreaterThan(0);
			for (const task of snapshot.tasks!.stuck) {
				expect(task.status).toBe('in_progress');
				expect(task.ageSeconds).toBeGreaterThan(3600);
				expect(task.agentId ?? task.agentName).toBeTruthy();
			}
		} finally {
			await simCall('POST', '/_sim/scenario', {name: 'healthy'});
		}
	});
});

describe('one endpoint failing leaves the rest standing', () => {
	it('HTTP 500 on /health', async () => {
		await fault('/health', 'status-500');
		const snapshot = await poll(open());
		expect(snapshot.health).toBeNull();
		expect(snapshot.partialErrors).toEqual([expect.stringMatching(/^GET \/health: hive error HTTP 500.*check the hive's logs/)]);
		expect(snapshot.coordination?.successRate).toEqual(expect.any(Number));
		expect(snapshot.agents?.length).toBeGreaterThan(0);
	});

	it('a hang past the deadline returns soon after the deadline and says so', async () => {
		await fault('/api/dashboard/metrics', 'hang');
		const source = open({timeoutMs: 1000});
		await poll(source); // the probe and keep-alive connections are warm after this
		const started = Date.now();
		const snapshot = await poll(source);
		const elapsed = Date.now() - started;
		// The endpoint never answers: ending at all proves the deadline; the bound is generous on purpose,
		// since a loaded 2-core machine can be seconds late.
		expect(elapsed).toBeLessThan(15_000);
		expect(snapshot.coordination).toBeNull();
		// The second poll in a row that fails on this read: it then sits out the next poll.
		expect(snapshot.partialErrors).toEqual([expect.stringMatching(/^GET \/api\/dashboard\/metrics: no answer within 1 s/)]);
		expect(snapshot.routeBackoff).toEqual([expect.objectContaining({endpoint: 'GET /api/dashboard/metrics', reason: 'failing', failures: 2, nextAskInPolls: 2})]);
		expect(snapshot.agents?.length).toBeGreaterThan(0);
	});

	it('the poller aborting stops a hanging call at once', async () => {
		await fault('/health', 'hang');
		const source = open({timeoutMs: 30_000});
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 300);
		const snapshot = await source.poll(controller.signal);
		expect(snapshot.health).toBeNull();
		expect(snapshot.partialErrors).toEqual([expect.stringMatching(/^GET \/health: cancelled/)]);
	});

	it('malformed JSON', async () => {
		await fault('/health', 'malformed-json');
		const snapshot = await poll(open());
		expect(snapshot.health).toBeNull();
		expect(snapshot.partialErrors).toEqual([expect.stringMatching(/^GET \/health: malformed JSON: ".+"; is http:\/\/127\.0\.0\.1:\d+ a hive\?$/)]);
		expect(snapshot.coordination).not.toBeNull();
	});

	it('malformed Prometheus text names the line', async () => {
		await fault('/api/dashboard/metrics', 'malformed-prometheus');
		const snapshot = await poll(open());
		expect(snapshot.agentMetrics).toBeNull();
		expect(snapshot.coordination).toBeNull();
		expect(snapshot.partialErrors).toEqual([expect.stringMatching(/^GET \/api\/dashboard\/metrics: malformed Prometheus text at line \d+: .+: ".*"$/)]);
		expect(snapshot.agents?.length).toBeGreaterThan(0);
	});

	it('the full text\'s 200 error metric is an error, not data: one line, the metrics gone, the rest standing', async () => {
		await fault('/api/dashboard/metrics', 'error-metric');
		const snapshot = await poll(open());
		expect(snapshot.coordination).toBeNull();
		expect(snapshot.agentMetrics).toBeNull();
		expect(snapshot.partialErrors).toEqual(['GET /api/dashboard/metrics: the hive reported leanvibe_metrics_generation_errors (it could not compute these metrics; check its database and logs)']);
		expect(snapshot.health).not.toBeNull();
		expect(snapshot.agents?.length).toBeGreaterThan(0);
		expect(snapshot.tasks?.items.length).toBeGreaterThanOrEqual(0);
	});

	it('the coordination and agent figures come from the full text, as the routes of their own give them', async () => {
		const snapshot = await poll(open({profile: 'beehive'}));
		const own = async (path: string) => (await fetch(`${sim.url}${path}`)).text();
		const coordination = await own('/api/dashboard/metrics/coordination');
		const agents = await own('/api/dashboard/metrics/agents');
		const value = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
		// The simulator's clock stands still between requests, so both reads see the same world.
		expect(snapshot.coordination!.queueLength).toBe(value(coordination, 'leanvibe_task_queue_length'));
		expect(snapshot.coordination!.longRunning).toBe(value(coordination, 'leanvibe_tasks_long_running'));
		expect(snapshot.agentMetrics!.staleHeartbeats).toBe(value(agents, 'leanvibe_agents_stale_heartbeats'));
		const byStatus = Object.fromEntries([...agents.matchAll(/^leanvibe_agents_total\{status="(\w+)"\} (\S+)$/gm)].map((m) => [m[1], Number(m[2])]));
		expect(Object.keys(byStatus).length).toBeGreaterThan(0);
		expect(snapshot.agentMetrics!.byStatus).toEqual(byStatus);
	});

	it('a field of the wrong type names endpoint and field', async () => {
		await fault('/api/v1/agents/status', 'wrong-type');
		const snapshot = await poll(open({profile: 'runbook'}));
		expect(snapshot.agents).toBeNull();
		expect(snapshot.partialErrors).toEqual(['GET /api/v1/agents/status: agents: expected array, got object']);
		expect(snapshot.coordination?.successRate).toEqual(expect.any(Number));
		expect(snapshot.health).not.toBeNull();
	});

	it('a broken agents list is one line and the rest stands (heartbeats come from the list, not a second read)', async () => {
		await fault('/api/dashboard/agents/status', 'wrong-type');
		const snapshot = await poll(open({profile: 'beehive'}));
		expect(snapshot.partialErrors).toEqual(['GET /api/dashboard/agents/status: agents: expected array, got object']);
		expect(snapshot.agents).toBeNull();
		expect(snapshot.coordination?.successRate).toEqual(expect.any(Number));
		expect(snapshot.agentMetrics?.staleHeartbeats).toEqual(expect.any(Number));
	});

	it('a JSON read answered with HTTP 200 {error} reports the hive\'s message', async () => {
		await fault('/api/dashboard/tasks/queue', 'error-metric');
		const snapshot = await poll(open({profile: 'beehive'}));
		expect(snapshot.partialErrors).toEqual(['GET /api/dashboard/tasks/queue: the hive answered with an error: Internal error while collecting data']);
		expect(snapshot.tasks).not.toBeNull();
	});

	it('a metric value of the wrong type is malformed Prometheus text', async () => {
		await fault('/api/dashboard/metrics', 'wrong-type');
		const snapshot = await poll(open());
		expect(snapshot.coordination).toBeNull();
		expect(snapshot.partialErrors).toEqual([expect.stringMatching(/^GET \/api\/dashboard\/metrics: malformed Prometheus text at line \d+: value ""\S+"" is not a number/)]);
	});

	it('a fault with a count passes, and the next poll is whole again', async () => {
		await fault('/health', 'status-500', {count: 1});
		const source = open();
		expect((await poll(source)).partialErrors).toHaveLength(1);
		expectComplete(await poll(source));
	});

	it('a slow answer within the deadline is still read', async () => {
		await fault('/health', 'slow', {delayMs: 400});
		expectComplete(await poll(open({timeoutMs: 5000})));
	});

	it('a body over the size cap is cut off and reported', async () => {
		const snapshot = await poll(open({maxBodyBytes: 2048}));
		expect(snapshot.partialErrors.some((e) => /response larger than the 2 KiB cap; stopped reading/.test(e))).toBe(true);
	});
});

describe('authorisation', () => {
	it('without a token: unauthorised, saying what to set', async () => {
		await simCall('POST', '/_sim/auth', {token: TOKEN});
		const error = await pollError(open());
		expect(error.kind).toBe('unauthorised');
		expect(error.message).toMatch(/^hive GET \S+: unauthorised \(HTTP 401\); check HIVE_TOKEN or --token-file/);
	});

	it('with the token: reads everything', async () => {
		await simCall('POST', '/_sim/auth', {token: TOKEN});
		expectComplete(await poll(open({token: TOKEN})));
	});

	it('with a wrong token: unauthorised, and neither token nor URL password appears anywhere', async () => {
		await simCall('POST', '/_sim/auth', {token: TOKEN});
		const wrong = 'wrong-token-5d4c3b2a';
		const url = new URL(sim.url);
		url.username = 'ops';
		url.password = 'pw-1a2b3c4d';
		const source = open({baseUrl: url.toString(), token: wrong});
		const error = await pollError(source);
		expect(error.kind).toBe('unauthorised');
		const everything = `${error.message}|${String(error.cause)}|${source.client.displayUrl}`;
		for (const secret of [wrong, TOKEN, 'pw-1a2b3c4d']) expect(everything).not.toContain(secret);
	});

	it('no secret leaks through partial errors of a working, authorised poll', async () => {
		await simCall('POST', '/_sim/auth', {token: TOKEN});
		await fault('/health', 'malformed-json');
		await fault('/api/dashboard/metrics', 'malformed-prometheus');
		const snapshot = await poll(open({token: TOKEN}));
		expect(snapshot.partialErrors).toHaveLength(2);
		expect(JSON.stringify(snapshot)).not.toContain(TOKEN);
	});
});

describe('the generic request path for actions', () => {
	it('sends any route and returns status and body without throwing on 4xx', async () => {
		const source = open({profile: 'beehive'});
		const reply = await source.client.request({method: 'POST', path: '/api/dashboard/agents/{id}/restart?force=false'}, {params: {id: 'no-such-agent/../x'}});
		expect(reply.endpoint).toBe('POST /api/dashboard/agents/no-such-agent%2F..%2Fx/restart');
		expect(reply.status).toBeGreaterThanOrEqual(400);
		expect(reply.json).toBeTruthy();
	});
});
