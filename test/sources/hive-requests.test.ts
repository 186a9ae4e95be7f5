// How many requests a poll sends, and to which routes, counted by a recording proxy in front of the real
// simulator: each fact is asked for once a poll (four requests in either profile), the profile probe is
// the beehive agents list itself, and a read that is missing or keeps failing is not asked every poll.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {createHiveSource, MAX_SITTING_OUT, pollsToSitOut, type HiveSource, type HiveSourceOptions} from '../../source/sources/hive-http.js';
import {startSimulator, type SimulatorService} from '../harness/services.js';

interface Recorder {
	url: string;
	/** Requests since the last take(), as "GET /path?query". */
	take(): string[];
	/** Paths (without query) the proxy answers 404 for, as a hive without that route would. */
	missing: Set<string>;
	close(): Promise<void>;
}

async function recorder(upstream: string): Promise<Recorder> {
	const target = new URL(upstream);
	let seen: string[] = [];
	const missing = new Set<string>();
	const server = http.createServer((req, res) => {
		seen.push(`${req.method} ${req.url}`);
		if (missing.has((req.url ?? '').split('?')[0]!)) {
			res.writeHead(404, {'content-type': 'application/json'});
			res.end('{"detail":"Not Found"}');
			return;
		}
		const forward = http.request({host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers}, (up) => {
			res.writeHead(up.statusCode ?? 502, up.headers);
			up.pipe(res);
		});
		forward.on('error', () => res.destroy());
		req.pipe(forward);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		take: () => {
			const out = seen;
			seen = [];
			return out;
		},
		missing,
		close: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

let both: SimulatorService;
let runbookOnly: SimulatorService;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
	[both, runbookOnly] = await Promise.all([startSimulator({agents: 5}), startSimulator({agents: 5, profile: 'runbook'})]);
});

afterEach(async () => {
	await Promise.allSettled(cleanups.splice(0).map((c) => c()));
	await fetch(`${both.url}/_sim/fault`, {method: 'DELETE'});
});

afterAll(async () => {
	await Promise.allSettled([both?.stop(), runbookOnly?.stop()]);
});

async function watched(sim: SimulatorService, options: Partial<HiveSourceOptions> = {}): Promise<{source: HiveSource; rec: Recorder}> {
	const rec = await recorder(sim.url);
	const source = createHiveSource({baseUrl: rec.url, profile: 'auto', timeoutMs: 5000, ...options});
	cleanups.push(() => source.close(), () => rec.close());
	return {source, rec};
}

const poll = (source: HiveSource) => source.poll(new AbortController().signal);

describe('requests per poll', () => {
	it('beehive, auto-detected: four requests from the first poll on, the agents list doubling as the probe', async () => {
		const {source, rec} = await watched(both);
		const first = await poll(source);
		expect(first.profile).toBe('beehive');
		expect(first.partialErrors).toEqual([]);
		expect(rec.take().sort()).toEqual([
			'GET /api/dashboard/agents/status?include_inactive=true',
			'GET /api/dashboard/metrics',
			'GET /api/dashboard/tasks/queue?limit=500',
			'GET /health',
		]);
		for (let i = 0; i < 3; i++) {
			const snapshot = await poll(source);
			expect(snapshot.coordination?.successRate).toEqual(expect.any(Number));
			expect(snapshot.agentMetrics?.byStatus).toBeTruthy();
			expect(snapshot.agents!.some((a) => a.lastHeartbeat !== null)).toBe(true);
			expect(rec.take()).toHaveLength(4);
		}
	});

	it('runbook: four a poll; auto detection costs one probe on the first poll only', async () => {
		const {source, rec} = await watched(runbookOnly);
		const first = await poll(source);
		expect(first.profile).toBe('runbook');
		expect(first.partialErrors).toEqual([]);
		expect(rec.take().sort()).toEqual([
			'GET /api/dashboard/agents/status?include_inactive=true',
			'GET /api/dashboard/metrics',
			'GET /api/v1/agents/status',
			'GET /api/v1/tasks/stuck',
			'GET /health',
		]);
		await poll(source);
		expect(rec.take().sort()).toEqual(['GET /api/dashboard/metrics', 'GET /api/v1/agents/status', 'GET /api/v1/tasks/stuck', 'GET /health']);
	});

	it('a configured profile sends no probe', async () => {
		const {source, rec} = await watched(both, {profile: 'beehive'});
		await poll(source);
		expect(rec.take()).toHaveLength(4);
	});
});

describe('per-route backoff', () => {
	it('the schedule: a missing route sits out 1, 2, 4 … polls up to the cap; a failing one is forgiven once, then every other poll', () => {
		expect([1, 2, 3, 4, 5, 6, 10].map((n) => pollsToSitOut(n, true))).toEqual([1, 2, 4, 8, 16, MAX_SITTING_OUT, MAX_SITTING_OUT]);
		expect([1, 2, 3, 9].map((n) => pollsToSitOut(n, false))).toEqual([0, 1, 1, 1]);
	});

	it('a missing route (404) is asked at polls 1, 3, 6 and 11, its last error kept and its next ask stated', async () => {
		const {source, rec} = await watched(both, {profile: 'beehive'});
		rec.missing.add('/api/dashboard/tasks/queue');
		const askedAt: number[] = [];
		const snapshots = [];
		for (let n = 1; n <= 11; n++) {
			const snapshot = await poll(source);
			snapshots.push(snapshot);
			if (rec.take().some((r) => r.startsWith('GET /api/dashboard/tasks/queue'))) askedAt.push(n);
			// Whether asked or not, the read is reported failing every poll, so the model's view is unchanged.
			expect(snapshot.partialErrors).toEqual([expect.stringMatching(/^GET \/api\/dashboard\/tasks\/queue: not found \(HTTP 404\)/)]);
			expect(snapshot.agents?.length).toBeGreaterThan(0);
		}
		expect(askedAt).toEqual([1, 3, 6, 11]);
		expect(snapshots[0]!.routeBackoff).toEqual([
			expect.objectContaining({endpoint: 'GET /api/dashboard/tasks/queue', reason: 'missing', failures: 1, nextAskInPolls: 2, since: snapshots[0]!.at}),
		]);
		expect(snapshots[1]!.partialErrors[0]).toMatch(/\(not asked this poll: missing or refused, asked again next poll\)$/);
		expect(snapshots[2]!.routeBackoff![0]).toMatchObject({failures: 2, nextAskInPolls: 3});
		// Back as soon as it is asked and answers.
		rec.missing.clear();
		let polls = 0;
		for (;;) {
			polls++;
			const snapshot = await poll(source);
			if (snapshot.partialErrors.length === 0) {
				expect(snapshot.routeBackoff).toBeUndefined();
				expect(snapshot.tasks?.items).toEqual(expect.any(Array));
				break;
			}
			expect(polls).toBeLessThanOrEqual(MAX_SITTING_OUT + 1);
		}
	});

	it('a failing route (HTTP 500) is asked every other poll after its second failure, and is back within two polls of recovering', async () => {
		const {source, rec} = await watched(both, {profile: 'beehive'});
		await fetch(`${both.url}/_sim/fault`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({path: '/health', mode: 'status-500'})});
		const asked: boolean[] = [];
		for (let n = 1; n <= 6; n++) {
			const snapshot = await poll(source);
			asked.push(rec.take().includes('GET /health'));
			expect(snapshot.health).toBeNull();
			expect(snapshot.partialErrors).toEqual([expect.stringMatching(/^GET \/health: hive error HTTP 500/)]);
		}
		expect(asked).toEqual([true, true, false, true, false, true]);
		await fetch(`${both.url}/_sim/fault`, {method: 'DELETE'});
		// Poll 6 asked, so poll 7 sits out and poll 8 reads it again.
		expect((await poll(source)).health).toBeNull();
		const back = await poll(source);
		expect(back.health).not.toBeNull();
		expect(back.partialErrors).toEqual([]);
		expect(back.routeBackoff).toBeUndefined();
	});

	it('a hive that fails whole is asked for everything on the next poll (the poller paces that, not the routes)', async () => {
		const {source, rec} = await watched(both, {profile: 'beehive'});
		await poll(source);
		rec.take();
		for (const p of ['/health', '/api/dashboard/metrics', '/api/dashboard/agents/status', '/api/dashboard/tasks/queue']) {
			await fetch(`${both.url}/_sim/fault`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({path: p, mode: 'status-500'})});
		}
		await expect(poll(source)).rejects.toThrow(/HTTP 500/);
		await expect(poll(source)).rejects.toThrow(/HTTP 500/);
		rec.take();
		await fetch(`${both.url}/_sim/fault`, {method: 'DELETE'});
		const snapshot = await poll(source);
		expect(snapshot.partialErrors).toEqual([]);
		expect(rec.take()).toHaveLength(4);
	});
});
