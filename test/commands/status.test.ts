// `hive-console status` against the spawned simulator, a real redis-server and a real PostgreSQL:
// both route profiles, every hive failure the issue lists, Redis and PostgreSQL going away and coming back,
// pg_stat_statements missing and at VERSION '1.7'; exit codes, JSON shape, and no secret in any output.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startPostgres, startRedis, startSimulator, freePort, type PostgresService, type RedisService, type SimulatorService} from '../harness/services.js';
import {cleanEnv, runCli, simControl, sql, TERMINAL_CONTROL} from './helpers.js';

let redis: RedisService;
let postgres: PostgresService;
let sim: SimulatorService;
let database: string;
let control: ReturnType<typeof simControl>;

beforeAll(async () => {
	[redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
	database = await postgres.createDatabase('hive_status');
	sim = await startSimulator({redis: redis.url, database});
	control = simControl(sim.url);
	// Let the simulator's bridges write streams and statements once.
	await control.advance(30);
	await new Promise((r) => setTimeout(r, 1500));
});

afterAll(async () => {
	await sim?.stop();
	await redis?.cleanup();
	await postgres?.cleanup();
});

async function statusJson(args: string[] = [], env = cleanEnv()) {
	const r = await runCli(['status', '--json', '--hive', sim.url, '--redis', redis.url, '--database', database, ...args], env);
	expect(r.killed).toBe(false);
	// Exits on its own once the connections are closed, whatever was down.
	expect(r.forcedExit, r.stderr).toBe(false);
	let report: any;
	try {
		report = JSON.parse(r.stdout);
	} catch {
		throw new Error(`status --json printed no JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
	}
	return {...r, report};
}

describe('status on a healthy hive', () => {
	it.each(['beehive', 'runbook'])('reads every source with the %s profile and exits 0', async (profile) => {
		const {code, report} = await statusJson(['--api-profile', profile]);
		expect(report.schema).toBe(1);
		expect(report.profile).toBe(profile);
		expect(report.overall).toBe('healthy');
		expect(code).toBe(0);
		for (const name of ['successRate', 'responseTime', 'queueLength', 'activeAgents']) {
			expect(report.metrics[name]).toEqual({value: expect.any(Number), state: expect.stringMatching(/^(ok|degraded)$/), reason: expect.any(String)});
		}
		expect(report.agents.length).toBe(8);
		expect(report.agents[0]).toEqual({id: expect.any(String), name: expect.any(String), status: expect.any(String), heartbeatAgeSeconds: expect.any(Number), staleHeartbeat: false});
		expect(report.staleHeartbeats).toBe(0);
		expect(report.tasks).toEqual({queueLength: expect.any(Number), longRunning: expect.any(Number), stuck: []});
		expect(report.sources).toEqual({hive: {state: expect.stringMatching(/^(ok|slow)$/), error: null}, redis: {state: expect.stringMatching(/^(ok|slow)$/), error: null}, postgres: {state: expect.stringMatching(/^(ok|slow)$/), error: null}});
		expect(report.streams.length).toBeGreaterThan(0);
		const stream = report.streams.find((s: any) => s.groups.length > 0);
		expect(stream.groups[0]).toEqual({name: expect.any(String), consumers: expect.any(Number), pending: expect.any(Number), lag: expect.toSatisfy((v: unknown) => v === null || typeof v === 'number')});
		expect(report.slowQueries.length).toBeGreaterThan(0);
		expect(report.slowQueries[0]).toEqual({query: expect.any(String), calls: expect.any(Number), meanMs: expect.any(Number), rows: expect.any(Number), hitPercent: expect.toSatisfy((v: unknown) => v === null || typeof v === 'number')});
		if (profile === 'beehive') expect(Object.keys(report.components)).toContain('database');
	});

	it('prints an aligned text summary for people, without colour when piped', async () => {
		const r = await runCli(['status', '--hive', sim.url, '--redis', redis.url, '--database', database], cleanEnv());
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/^overall\s+HEALTHY$/m);
		expect(r.stdout).toMatch(/^success rate\s+[\d.]+ %\s+ok\s+success rate [\d.]+ % ≥ 95 % target$/m);
		expect(r.stdout).toMatch(/^sources\s+hive ok · redis ok · postgres ok$/m);
		expect(r.stdout).toMatch(/^streams\s+\d+ streams/m);
		expect(r.stdout).toMatch(/^slow queries\s+1\. [\d.]+ ms mean/m);
		expect(r.stdout).not.toMatch(TERMINAL_CONTROL);
	});
});

describe('status detects the route profile (--api-profile auto, the default)', () => {
	it('the simulator serving both route families is read as beehive', async () => {
		const {code, report} = await statusJson();
		expect(code).toBe(0);
		expect(report.profile).toBe('beehive');
	});

	it('a hive serving only the runbook routes is read as runbook, every part still read', async () => {
		const hive = await startSimulator({args: ['--profile', 'runbook']});
		try {
			const r = await runCli(['status', '--json', '--hive', hive.url], cleanEnv());
			const report = JSON.parse(r.stdout);
			expect(report.profile).toBe('runbook');
			expect(r.code).toBe(0);
			expect(report.overall).toBe('healthy');
			expect(report.partialErrors).toEqual([]);
			expect(report.agents.length).toBe(8);
			expect(report.metrics.activeAgents.state).toBe('ok');
			const text = await runCli(['status', '--hive', hive.url], cleanEnv());
			expect(text.stdout.split('\n')[0]).toMatch(/ · runbook · /);
		} finally {
			await hive.stop();
		}
	});
});

describe('status when the hive misbehaves', () => {
	it('hive down: exit 3, names the address and what to do', async () => {
		const port = await freePort();
		const r = await runCli(['status', '--json', '--hive', `http://127.0.0.1:${port}`], cleanEnv());
		expect(r.code).toBe(3);
		const report = JSON.parse(r.stdout);
		expect(report.overall).toBe('unknown');
		expect(report.sources.hive.state).toBe('down');
		expect(report.sources.hive.error).toContain('connection refused');
		expect(report.sources.redis).toEqual({state: 'disabled', error: expect.stringContaining('REDIS_URL')});
		const text = await runCli(['status', '--hive', `http://127.0.0.1:${port}`], cleanEnv());
		expect(text.code).toBe(3);
		expect(text.stdout).toMatch(/^overall\s+UNKNOWN · hive down$/m);
		expect(text.stdout).toContain(`connection refused; is the hive running at http://127.0.0.1:${port}?`);
	});

	it.each(
		(['beehive', 'runbook'] as const).flatMap((profile) =>
			[
				['status-500', 'HTTP 500'],
				['malformed-prometheus', 'malformed Prometheus text'],
				['error-metric', 'the hive reported leanvibe_'],
				['hang', 'no answer within'],
			].map(([mode, message]) => [profile, mode!, message!] as const),
		),
	)('%s profile, the metrics text %s: exit 3 (unreadable), the endpoint named, the rest still read', async (profile, mode, message) => {
		// The coordination figures come from the full metrics text (one request a poll carries them all).
		await control.fault('/api/dashboard/metrics', mode, 1000, mode === 'hang' ? 60_000 : undefined);
		try {
			const {code, report} = await statusJson(['--interval', '2', '--api-profile', profile]);
			expect(code).toBe(3);
			expect(report.overall).toBe('unknown');
			expect(report.metrics.successRate.state).toBe('unknown');
			expect(report.partialErrors.join('\n')).toContain('GET /api/dashboard/metrics:');
			expect(report.partialErrors.join('\n')).toContain(message);
			expect(report.metrics.activeAgents.state).toBe('ok');
			expect(report.agents.length).toBe(8);
		} finally {
			await control.clearFaults();
		}
	});

	it.each([
		['beehive', '/api/dashboard/agents/status'],
		['runbook', '/api/v1/agents/status'],
	])('%s profile, malformed JSON from the agents list: exit 3, the endpoint named, metrics still read', async (profile, path) => {
		await control.fault(path, 'malformed-json');
		try {
			const {code, report} = await statusJson(['--api-profile', profile]);
			expect(code).toBe(3);
			expect(report.partialErrors.join('\n')).toContain(`GET ${path}: malformed JSON`);
			expect(report.metrics.successRate.state).toMatch(/^(ok|degraded)$/);
		} finally {
			await control.clearFaults();
		}
	});

	it('hive answering 500 everywhere (runbook profile): exit 3, says so', async () => {
		for (const p of ['/health', '/api/dashboard/metrics', '/api/dashboard/metrics/coordination', '/api/dashboard/metrics/agents', '/api/v1/agents/status', '/api/v1/tasks/stuck']) {
			await control.fault(p, 'status-500');
		}
		try {
			const {code, report} = await statusJson(['--api-profile', 'runbook']);
			expect(code).toBe(3);
			expect(report.sources.hive.state).toBe('down');
			expect(report.sources.hive.error).toMatch(/hive GET \S+: hive error HTTP 500/);
		} finally {
			await control.clearFaults();
		}
	});

	it('the whole hive hanging past the deadline: exit 3 without hanging itself', async () => {
		for (const p of ['/health', '/api/dashboard/metrics', '/api/dashboard/metrics/coordination', '/api/dashboard/metrics/agents', '/api/dashboard/agents/status', '/api/dashboard/agents/heartbeat', '/api/dashboard/tasks/queue']) {
			await control.fault(p, 'hang', 1000, 60_000);
		}
		try {
			const r = await runCli(['status', '--json', '--hive', sim.url, '--api-profile', 'beehive', '--interval', '2'], cleanEnv(), {timeoutMs: 20_000});
			expect(r.killed).toBe(false);
			expect(r.code).toBe(3);
			expect(JSON.parse(r.stdout).sources.hive.state).toBe('down');
		} finally {
			await control.clearFaults();
		}
	});

	it('a scenario the runbook covers shows up with its exit code (coordination-critical → 2)', async () => {
		const other = await startSimulator({scenario: 'coordination-critical'});
		try {
			const r = await runCli(['status', '--json', '--hive', other.url], cleanEnv());
			expect(r.code).toBe(2);
			const report = JSON.parse(r.stdout);
			expect(report.overall).toBe('critical');
			expect(report.scenarios.map((s: any) => s.scenario)).toContain('coordination-critical');
			expect(report.metrics.successRate.reason).toMatch(/^success rate [\d.]+ % < 70 % critical$/);
		} finally {
			await other.stop();
		}
	});
});

describe('status when Redis or PostgreSQL misbehave', () => {
	it('Redis down, then back: the hive verdict stands, the Redis state follows', async () => {
		await redis.stop();
		try {
			const {code, report} = await statusJson();
			expect(code).toBe(0);
			expect(report.sources.redis.state).toBe('down');
			expect(report.sources.redis.error).toContain(`127.0.0.1:${redis.port}`);
			expect(report.streams).toEqual([]);
		} finally {
			await redis.start();
		}
		const {report} = await statusJson();
		expect(report.sources.redis).toEqual({state: expect.stringMatching(/^(ok|slow)$/), error: null});
	});

	it('PostgreSQL down, then back', async () => {
		await postgres.stop();
		try {
			const {code, report} = await statusJson();
			expect(code).toBe(0);
			expect(report.sources.postgres.state).toBe('down');
			expect(report.sources.postgres.error).toMatch(/postgres/i);
			expect(report.slowQueries).toEqual([]);
		} finally {
			await postgres.start();
		}
		const {report} = await statusJson();
		expect(report.sources.postgres).toEqual({state: expect.stringMatching(/^(ok|slow)$/), error: null});
	});

	it('pg_stat_statements missing: says how to enable it, exit code unaffected', async () => {
		const bare = await postgres.createDatabase('hive_bare');
		const r = await runCli(['status', '--json', '--hive', sim.url, '--database', bare], cleanEnv());
		expect(r.code).toBe(0);
		const report = JSON.parse(r.stdout);
		expect(report.slowQueries).toEqual([]);
		expect(report.slowQueriesNote).toMatch(/CREATE EXTENSION pg_stat_statements/);
		const text = await runCli(['status', '--hive', sim.url, '--database', bare], cleanEnv());
		expect(text.stdout).toMatch(/^slow queries\s+pg_stat_statements is preloaded but not installed in database "hive_bare": run CREATE EXTENSION pg_stat_statements/m);
	});

	it("pg_stat_statements VERSION '1.7' (old column names) still gives the slow queries", async () => {
		const old = await postgres.createDatabase('hive_pgss17');
		await sql(old, "CREATE EXTENSION pg_stat_statements VERSION '1.7'");
		await sql(old, 'SELECT count(*) FROM generate_series(1, 20000)');
		const r = await runCli(['status', '--json', '--hive', sim.url, '--database', old], cleanEnv());
		const report = JSON.parse(r.stdout);
		expect(report.sources.postgres.state).toMatch(/^(ok|slow)$/);
		expect(report.slowQueriesNote).toBeNull();
		expect(report.slowQueries.length).toBeGreaterThan(0);
	});
});

describe('status and secrets', () => {
	it('never prints the hive token or a Redis password, whatever fails', async () => {
		const token = 'tok-9f8e7d6c5b4a';
		const password = 'redis-pw-31337xyz';
		await control.auth(token);
		try {
			const env = cleanEnv({HIVE_TOKEN: token});
			const outputs: string[] = [];
			// Authorised hive, a Redis that rejects the password (it has none set), a bad database password.
			const withToken = await runCli(['status', '--json', '--hive', sim.url, '--redis', `redis://:${password}@127.0.0.1:${redis.port}`, '--database', `postgres://postgres:${password}@127.0.0.1:${postgres.port}/nope`], env);
			outputs.push(withToken.stdout, withToken.stderr);
			expect(JSON.parse(withToken.stdout).sources.hive.state).toMatch(/^(ok|slow)$/);
			// Wrong token: unauthorised, exit 3.
			const wrong = await runCli(['status', '--hive', sim.url], cleanEnv({HIVE_TOKEN: `${token}-wrong`}));
			outputs.push(wrong.stdout, wrong.stderr);
			expect(wrong.code).toBe(3);
			expect(wrong.stdout).toMatch(/hive unauthorised/);
			const text = await runCli(['status', '--hive', sim.url, '--redis', `redis://:${password}@127.0.0.1:${redis.port}`], env);
			outputs.push(text.stdout, text.stderr);
			const all = outputs.join('\n');
			expect(all).not.toContain(token);
			expect(all).not.toContain(password);
		} finally {
			await control.auth(null);
		}
	});

	it("reads the context's extra stream keys besides agent_messages:*", async () => {
		const {Redis} = await import('ioredis');
		const writer = new Redis(redis.url);
		await writer.xadd('hive_custom_queue', '*', 'type', 'x');
		writer.disconnect();
		const env = cleanEnv();
		const {mkdirSync, writeFileSync} = await import('node:fs');
		const dir = `${env.XDG_CONFIG_HOME}/hive-console`;
		mkdirSync(dir, {recursive: true});
		writeFileSync(`${dir}/config.json`, JSON.stringify({contexts: {lab: {hive: sim.url, redis: redis.url, streams: ['hive_custom_queue', 'not_there']}}}));
		const r = await runCli(['status', '--json'], env);
		const keys = JSON.parse(r.stdout).streams.map((s: {key: string}) => s.key);
		expect(keys).toContain('hive_custom_queue');
		expect(keys).not.toContain('not_there');
		expect(keys.filter((k: string) => !k.startsWith('agent_messages:'))).toEqual(['hive_custom_queue']);
		writeFileSync(`${dir}/config.json`, JSON.stringify({contexts: {lab: {streams: 'hive_custom_queue'}}}));
		const bad = await runCli(['status'], env);
		expect(bad.code).toBe(64);
		expect(bad.stderr).toContain('contexts.lab.streams: expected a list of stream keys');
	});

	it('a bad config file exits 64 naming file and key', async () => {
		const env = cleanEnv();
		const {mkdirSync, writeFileSync} = await import('node:fs');
		const dir = `${env.XDG_CONFIG_HOME}/hive-console`;
		mkdirSync(dir, {recursive: true});
		writeFileSync(`${dir}/config.json`, JSON.stringify({contexts: {prod: {interval: 0}}}));
		const r = await runCli(['status'], env);
		expect(r.code).toBe(64);
		expect(r.stderr).toContain(`${dir}/config.json:1:33: contexts.prod.interval: expected a number ≥ 1`);
	});
});
