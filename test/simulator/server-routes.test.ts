// The shipped server's dashboard routes (source/contract/server-routes.ts) against the real `simulate` binary
// with real Redis and PostgreSQL, in the beehive profile and in `both`: every route in the table is
// requested and its reply validated against the table's schema, and the table and docs/hive-server-routes.md
// list exactly the same routes, each with the same served / shape-checked mark.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {routeKey, serverRoutes, type Probe, type ServerRoute} from '../../source/contract/server-routes.js';
import {repoRoot, startPostgres, startRedis, startSimulator, type PostgresService, type RedisService, type SimulatorService} from '../harness/services.js';
import {Client, parseProm} from './helpers.js';

const profiles = ['beehive', 'both'] as const;
let redisService: RedisService;
let pgService: PostgresService;
const sims: Partial<Record<(typeof profiles)[number], SimulatorService>> = {};

beforeAll(async () => {
	[redisService, pgService] = await Promise.all([startRedis(), startPostgres()]);
	for (const [i, profile] of profiles.entries()) {
		const database = await pgService.createDatabase();
		// Separate Redis databases, so the two simulators' streams never meet.
		sims[profile] = await startSimulator({profile, redis: `${redisService.url}/${i + 1}`, database, agents: 8, speed: 0, args: ['--seed', String(21 + i)]});
	}
}, 120_000);

afterAll(async () => {
	for (const sim of Object.values(sims)) await sim?.stop();
	await redisService?.cleanup();
	await pgService?.cleanup();
});

/** Values for the path parameters: a real agent, a failed task (made for the retry) and a live task. */
async function pathParams(c: Client): Promise<Record<string, string>> {
	const agents = (await c.get('/api/dashboard/agents/status?include_inactive=true')).body.agents as Array<{id: string}>;
	const failed = (await c.get('/api/dashboard/coordination/failures?include_resolved=true&limit=1')).body.detailed_failures[0].task_id as string;
	const live = (await c.post('/_sim/tasks', {title: 'contract reassign target'})).body.task.id as string;
	return {agent_id: agents[0]!.id, task_id: live, retry_task_id: failed, connection_id: 'no-such-connection'};
}

function fill(route: ServerRoute, params: Record<string, string>): string {
	const p = route.path.endsWith('/retry') ? {...params, task_id: params.retry_task_id!} : params;
	return route.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(p[name]!));
}

async function check(base: string, route: ServerRoute, probe: Probe, params: Record<string, string>): Promise<void> {
	const where = `${route.method} ${route.path}${probe.query ? `?${probe.query}` : ''}`;
	const url = `${base}${fill(route, params)}${probe.query ? `?${probe.query}` : ''}`;
	if (route.method === 'WS') {
		const first = await new Promise<unknown>((resolve, reject) => {
			const socket = new WebSocket(url.replace(/^http/, 'ws'));
			const timer = setTimeout(() => reject(new Error(`${where}: no first message`)), 5000);
			socket.once('message', (data) => {
				clearTimeout(timer);
				socket.close();
				resolve(JSON.parse(String(data)));
			});
			socket.once('error', reject);
		});
		const result = (probe.reply as Exclude<Probe['reply'], {prometheus: string[]}>).safeParse(first);
		expect(result.success, `${where}: ${JSON.stringify(result.error?.issues.slice(0, 3))}`).toBe(true);
		return;
	}
	const res = await fetch(url, {method: route.method});
	expect(res.status, where).toBe(probe.status);
	if ('prometheus' in probe.reply) {
		expect(res.headers.get('content-type'), where).toMatch(/^text\/plain; version=0\.0\.4/);
		const prom = parseProm(await res.text());
		for (const family of probe.reply.prometheus) {
			expect(prom.help.has(family), `${where}: # HELP ${family}`).toBe(true);
			expect(prom.types.has(family), `${where}: # TYPE ${family}`).toBe(true);
		}
		return;
	}
	const body = await res.json();
	const result = probe.reply.safeParse(body);
	expect(result.success, `${where}: ${JSON.stringify(result.error?.issues.slice(0, 3))}`).toBe(true);
}

describe('every route of the shipped server, as the table says', () => {
	for (const profile of profiles) {
		it(`--profile ${profile}: each route answers with the server's status and body shape`, async () => {
			const sim = sims[profile]!;
			const c = new Client(sim.url);
			// A hive with something to report: failures, stuck work and stale agents.
			await c.scenario('task-distribution');
			const params = await pathParams(c);
			for (const route of serverRoutes) for (const probe of route.probes) await check(sim.url, route, probe, params);
			await c.scenario('communication-failure');
			for (const route of serverRoutes.filter((r) => r.method === 'GET')) for (const probe of route.probes) await check(sim.url, route, probe, params);
		}, 120_000);
	}

	it('a renamed field fails the schema (the table is strict)', async () => {
		const c = new Client(sims.beehive!.url);
		const route = serverRoutes.find((r) => r.path.endsWith('/coordination/success-rate'))!;
		const schema = route.probes[0]!.reply as Exclude<Probe['reply'], {prometheus: string[]}>;
		const body = (await c.get(route.path)).body;
		expect(schema.safeParse(body).success).toBe(true);
		const {current_metrics: metrics, ...rest} = body;
		expect(schema.safeParse({...rest, metrics}).success).toBe(false);
		expect(schema.safeParse({...body, current_metrics: {...metrics, success_rate: undefined, rate: metrics.success_rate}}).success).toBe(false);
	});
});

describe('diagnostics and auto-heal read and change the simulated world as the server code does', () => {
	it('task-distribution: the score counts the wedged tasks; a dry run only plans; a real run resets them', async () => {
		const c = new Client(sims.beehive!.url);
		await c.scenario('task-distribution');
		const before = (await c.get('/api/dashboard/coordination/diagnostics')).body.diagnostics;
		const wedged = before.coordination.long_running_tasks;
		expect(wedged).toBeGreaterThan(0);
		const expected =
			100 -
			Math.min(20, before.coordination.stale_unassigned_tasks * 2) -
			Math.min(15, wedged * 3) -
			Math.min(25, before.coordination.agents_with_stale_heartbeats * 5) -
			Math.min(30, before.database.orphaned_tasks * 5) -
			(before.redis.connectivity === 'healthy' ? 0 : 40);
		expect(before.overall_health.score).toBe(Math.max(0, expected));
		const plan = (await c.post('/api/dashboard/recovery/auto-heal?recovery_type=conservative')).body;
		expect(plan).toMatchObject({dry_run: true, total_actions: 0, analysis: {stuck_tasks: wedged}});
		expect(plan.actions).toEqual([{type: 'reset_stuck_tasks', description: `Reset ${wedged} stuck tasks to pending`, impact: 'low', execute: false}]);
		expect((await c.get('/api/dashboard/coordination/diagnostics')).body.diagnostics.coordination.long_running_tasks).toBe(wedged);
		const done = (await c.post('/api/dashboard/recovery/auto-heal?recovery_type=conservative&dry_run=false')).body;
		expect(done).toMatchObject({dry_run: false, total_actions: 1});
		expect((await c.get('/api/dashboard/coordination/diagnostics')).body.diagnostics.coordination.long_running_tasks).toBe(0);
		await c.scenario('healthy');
	});
});

describe('docs/hive-server-routes.md', () => {
	const doc = readFileSync(path.join(repoRoot, 'docs/hive-server-routes.md'), 'utf8');
	// Rows of the route table: `| `METHOD /path` | ... | served or shape-checked |`.
	const rows = new Map<string, string>();
	for (const line of doc.split('\n')) {
		if (!line.startsWith('| `')) continue;
		const end = line.indexOf('`', 3);
		rows.set(line.slice(3, end), line);
	}

	it('lists every route of the table and no other', () => {
		expect([...rows.keys()].sort()).toEqual(serverRoutes.map(routeKey).sort());
	});

	it('marks each route as the table does, with the server file it comes from', () => {
		for (const route of serverRoutes) {
			const row = rows.get(routeKey(route))!;
			expect(row, routeKey(route)).toContain(route.source);
			const cells = row.split('|').map((cell) => cell.trim());
			expect(cells[cells.length - 2], routeKey(route)).toBe(route.check);
		}
	});
});
