// `hive-console fleet` over every context of a config file: a healthy simulator with real Redis and
// PostgreSQL, a sick one (coordination-critical), a URL where nothing listens and a hive that accepts the
// connection and never answers. One row each, worst first, the right states, the hung hive neither
// hiding the others' data nor holding the command past its deadline; --once exits with the worst state.
import {mkdirSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startPostgres, startRedis, startSimulator, freePort, type PostgresService, type RedisService, type SimulatorService} from '../harness/services.js';
import {cleanEnv, runCli, TERMINAL_CONTROL} from './helpers.js';

let redis: RedisService;
let postgres: PostgresService;
let healthy: SimulatorService;
let sick: SimulatorService;
let hung: net.Server;
const held: net.Socket[] = [];
let env: NodeJS.ProcessEnv;
let configFile: string;

beforeAll(async () => {
	[redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
	const database = await postgres.createDatabase('hive_fleet');
	[healthy, sick] = await Promise.all([
		startSimulator({redis: redis.url, database, agents: 6}),
		startSimulator({scenario: 'coordination-critical', agents: 6}),
	]);
	hung = net.createServer((socket) => void held.push(socket));
	await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
	const hungUrl = `http://127.0.0.1:${(hung.address() as net.AddressInfo).port}`;
	const deadUrl = `http://127.0.0.1:${await freePort()}`;
	env = cleanEnv();
	configFile = path.join(env.XDG_CONFIG_HOME!, 'hive-console', 'config.json');
	mkdirSync(path.dirname(configFile), {recursive: true});
	writeFileSync(
		configFile,
		JSON.stringify({
			currentContext: 'prod',
			contexts: {
				prod: {hive: healthy.url, redis: redis.url, database, environment: {label: 'PROD', color: 'red'}},
				staging: {hive: sick.url},
				dr: {hive: deadUrl},
				lab: {hive: hungUrl},
			},
		}),
	);
}, 60_000);

afterAll(async () => {
	for (const s of held) s.destroy();
	hung?.close();
	await Promise.all([healthy?.stop(), sick?.stop()]);
	await redis?.cleanup();
	await postgres?.cleanup();
});

describe('hive-console fleet', () => {
	it('--once --json: one row per context, worst first, each in its right state; exit 3 for the worst', async () => {
		const r = await runCli(['fleet', '--once', '--json', '--timeout', '2'], env);
		expect(r.killed).toBe(false);
		expect(r.forcedExit, r.stderr).toBe(false);
		expect(r.code, r.stderr).toBe(3);
		const report = JSON.parse(r.stdout);
		expect(report.schema).toBe(1);
		expect(report.worst).toBe('unknown');
		const byName = Object.fromEntries(report.hives.map((h: {context: string}) => [h.context, h]));
		expect(report.hives.map((h: {context: string}) => h.context)).toEqual(['dr', 'lab', 'staging', 'prod']);
		expect(byName.prod.overall).toBe('healthy');
		expect(byName.prod.environment).toBe('PROD');
		expect(byName.prod.metrics.successRate.value).toBeGreaterThan(90);
		expect(byName.prod.agents).toBe(6);
		expect(byName.staging.overall).toBe('critical');
		expect(byName.staging.scenario).toBe('coordination-critical');
		expect(byName.dr.overall).toBe('unknown');
		expect(byName.dr.error).toMatch(/connection refused/);
		expect(byName.lab.overall).toBe('unknown');
		expect(byName.lab.error).toMatch(/no answer within/);
	});

	it('text: a table with the states and the reasons, no terminal control, the healthy row with its success rate', async () => {
		const r = await runCli(['fleet', '--once', '--timeout', '2'], env);
		expect(r.code).toBe(3);
		const lines = r.stdout.trimEnd().split('\n');
		expect(lines[0]).toMatch(/^hive-console fleet · 4 hives · worst UNKNOWN/);
		expect(lines[1]).toMatch(/^CONTEXT\s+STATE\s+SUCCESS\s+RESPONSE\s+QUEUE\s+ACTIVE\s+AGENTS\s+UPDATED\s+SCENARIO \/ ERROR$/);
		expect(lines[2]).toMatch(/^dr\s+UNKNOWN .*connection refused/);
		expect(lines[3]).toMatch(/^lab\s+UNKNOWN .*no answer within/);
		expect(lines[4]).toMatch(/^staging\s+CRITICAL .*coordination-critical/);
		expect(lines[5]).toMatch(/^prod \[PROD\]\s+HEALTHY\s+\d+(\.\d)? %/);
		expect(r.stdout).not.toMatch(TERMINAL_CONTROL);
	});

	it('repeating: every table has every hive; the hung one stays unknown while the others stay current', async () => {
		const r = await runCli(['fleet', '--interval', '1', '--timeout', '2', '--count', '3'], env, {timeoutMs: 30_000});
		expect(r.killed).toBe(false);
		const tables = r.stdout.trim().split(/\n\n/);
		expect(tables).toHaveLength(3);
		for (const table of tables) {
			expect(table).toMatch(/^prod \[PROD\]\s+HEALTHY .* [01] s ago/m);
			expect(table).toMatch(/^staging\s+CRITICAL .* [01] s ago/m);
			expect(table).toMatch(/^lab\s+UNKNOWN .* never /m);
		}
	});

	it('a config file without contexts is a usage error that says what the fleet reads', async () => {
		const bare = cleanEnv();
		const r = await runCli(['fleet', '--once'], bare);
		expect(r.code).toBe(64);
		expect(r.stderr).toMatch(/defines no contexts; the fleet is every context in it/);
	});
});
