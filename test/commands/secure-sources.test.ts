// The headless commands against sources that need credentials: a Redis with a password over TLS, a Redis
// Cluster, a PostgreSQL user with a scram password, a hive behind a bearer token and an Alertmanager URL
// with a password. Whatever works or fails, no secret appears on stdout, stderr, in the check log or in
// the check's state file.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Cluster, Redis} from 'ioredis';
import {mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {freePort, startPostgres, startSimulator, type PostgresService, type SimulatorService} from '../harness/services.js';
import {makeCertificates, startCustomRedis, startRedisCluster, type CustomRedis, type RedisClusterService} from '../sources/redis-servers.js';
import {cleanEnv, runCli, simControl, sql, type CliResult} from './helpers.js';

const REDIS_PASSWORD = 'Redis-Pw-5b8e1f0c';
const PG_PASSWORD = 'Pg-Pw-a77c3e92';
const HIVE_TOKEN = 'Hive-Tok-4d1b9a6e2f';
const AM_PASSWORD = 'Am-Pw-0e9d8c7b';
const SECRETS = [REDIS_PASSWORD, PG_PASSWORD, HIVE_TOKEN, AM_PASSWORD];

let tlsRedis: CustomRedis;
let cluster: RedisClusterService;
let postgres: PostgresService;
let sim: SimulatorService;
let certDir: string;
let caFile: string;
let database: string;

beforeAll(async () => {
	certDir = mkdtempSync(path.join(os.tmpdir(), 'hive-test-certs-'));
	const certs = makeCertificates(certDir);
	caFile = certs.ca;
	[tlsRedis, cluster, postgres, sim] = await Promise.all([
		startCustomRedis(
			(port) => ['--port', '0', '--tls-port', String(port), '--tls-cert-file', certs.cert, '--tls-key-file', certs.key, '--tls-ca-cert-file', certs.ca, '--tls-auth-clients', 'no', '--requirepass', REDIS_PASSWORD],
			(port) => ['-p', String(port), '--tls', '--cacert', certs.ca, '-a', REDIS_PASSWORD],
		),
		startRedisCluster(),
		startPostgres(),
		startSimulator(),
	]);
	const admin = new Redis({host: '127.0.0.1', port: tlsRedis.port, password: REDIS_PASSWORD, tls: {ca: certs.caPem}});
	await admin.xadd('agent_messages:secured', '*', 'type', 'task_assignment');
	await admin.xgroup('CREATE', 'agent_messages:secured', 'group_secured', '0');
	admin.disconnect();
	const writer = new Cluster([{host: '127.0.0.1', port: cluster.ports[0]!}]);
	for (let i = 0; i < 12; i++) await writer.xadd(`agent_messages:agent-${i}`, '*', 'n', '1');
	await writer.quit();

	// A reader that must give its password (scram), as on a real deployment; the harness trusts everyone else.
	database = await postgres.createDatabase('hive_secure');
	await sql(postgres.url, `create role hive_reader login password '${PG_PASSWORD}'`, 'grant pg_read_all_stats to hive_reader');
	await sql(database, 'create extension pg_stat_statements', 'select count(*) from generate_series(1, 5000)');
	const dataDir = ((await sql(postgres.url, 'show data_directory')) as Array<{data_directory: string}>)[0]!.data_directory;
	const hba = path.join(dataDir, 'pg_hba.conf');
	writeFileSync(hba, `host all hive_reader 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, 'utf8')}`);
	await sql(postgres.url, 'select pg_reload_conf()');
	await simControl(sim.url).auth(HIVE_TOKEN);
});

afterAll(async () => {
	await sim?.stop();
	await postgres?.cleanup();
	await tlsRedis?.stop();
	await cluster?.stop();
	if (certDir) rmSync(certDir, {recursive: true, force: true});
});

const pgUrl = (password: string) => `postgres://hive_reader:${password}@127.0.0.1:${postgres.port}/hive_secure`;
const tlsUrl = (password: string) => `rediss://:${password}@127.0.0.1:${tlsRedis.port}`;

/** Everything a run left for a person or a script to read: output, the check log, the check state. */
function everything(env: NodeJS.ProcessEnv, results: CliResult[]): string {
	const files: string[] = [];
	const walk = (dir: string) => {
		let entries: string[] = [];
		try {
			entries = readdirSync(dir);
		} catch {
			return;
		}
		for (const entry of entries) {
			const full = path.join(dir, entry);
			try {
				files.push(readFileSync(full, 'utf8'));
			} catch {
				walk(full);
			}
		}
	};
	walk(env.HOME!);
	return [...results.flatMap((r) => [r.stdout, r.stderr]), ...files].join('\n');
}

function expectNoSecret(text: string): void {
	for (const secret of SECRETS) expect(text, `a secret was printed`).not.toContain(secret);
}

describe('status through TLS, a cluster and passwords', () => {
	it('reads a password-protected Redis over TLS (CA from NODE_EXTRA_CA_CERTS) and PostgreSQL with a scram password', async () => {
		const env = cleanEnv({HIVE_TOKEN, NODE_EXTRA_CA_CERTS: caFile});
		const r = await runCli(['status', '--json', '--hive', sim.url, '--redis', tlsUrl(REDIS_PASSWORD), '--database', pgUrl(PG_PASSWORD)], env);
		const report = JSON.parse(r.stdout);
		expect(report.sources.hive.state).toMatch(/^(ok|slow)$/);
		expect(report.sources.redis).toEqual({state: expect.stringMatching(/^(ok|slow)$/), error: null});
		expect(report.sources.postgres).toEqual({state: expect.stringMatching(/^(ok|slow)$/), error: null});
		expect(report.streams).toEqual([{key: 'agent_messages:secured', length: 1, groups: [{name: 'group_secured', consumers: 0, pending: 0, lag: 1}]}]);
		expect(report.slowQueries.length).toBeGreaterThan(0);
		expect(r.forcedExit).toBe(false);
		expectNoSecret(everything(env, [r]));
	});

	it('an untrusted Redis certificate is named as a TLS problem', async () => {
		const env = cleanEnv();
		const r = await runCli(['status', '--json', '--hive', sim.url, '--redis', tlsUrl(REDIS_PASSWORD)], env);
		const report = JSON.parse(r.stdout);
		expect(report.sources.redis.state).toBe('misconfigured');
		expect(report.sources.redis.error).toMatch(/TLS handshake failed/);
		expectNoSecret(everything(env, [r]));
	});

	it('scans every master of a Redis Cluster given one node', async () => {
		const r = await runCli(['status', '--json', '--hive', sim.url, '--redis', cluster.url], cleanEnv({HIVE_TOKEN}));
		const report = JSON.parse(r.stdout);
		expect(report.sources.redis).toEqual({state: expect.stringMatching(/^(ok|slow)$/), error: null});
		expect(report.streams.map((s: {key: string}) => s.key).sort()).toEqual(Array.from({length: 12}, (_, i) => `agent_messages:agent-${i}`).sort());
		expect(r.forcedExit).toBe(false);
	});
});

describe('no command prints a secret, whatever fails', () => {
	it('status, watch and check with every credential right, wrong, or pointing at nothing', async () => {
		const env = cleanEnv({HIVE_TOKEN, NODE_EXTRA_CA_CERTS: caFile, ALERTMANAGER_URL: `http://alert:${AM_PASSWORD}@127.0.0.1:${await freePort()}`});
		const wrongEnv = {...env, HIVE_TOKEN: `${HIVE_TOKEN}-wrong`};
		const closed = await freePort();
		const settings: Array<{env: NodeJS.ProcessEnv; redis: string; database: string}> = [
			{env, redis: tlsUrl(REDIS_PASSWORD), database: pgUrl(PG_PASSWORD)},
			{env: wrongEnv, redis: tlsUrl(`${REDIS_PASSWORD}-wrong`), database: pgUrl(`${PG_PASSWORD}-wrong`)},
			{env, redis: `rediss://:${REDIS_PASSWORD}@127.0.0.1:${closed}`, database: `postgres://hive_reader:${PG_PASSWORD}@127.0.0.1:${closed}/hive_secure`},
		];
		const results: CliResult[] = [];
		for (const s of settings) {
			const flags = ['--hive', sim.url, '--redis', s.redis, '--database', s.database];
			results.push(
				await runCli(['status', '--json', ...flags], s.env),
				await runCli(['status', ...flags], s.env),
				await runCli(['watch', '--interval', '1', '--count', '2', ...flags], s.env),
				await runCli(['check', ...flags], s.env),
			);
		}
		for (const r of results) expect(r.killed).toBe(false);
		// The failures were real and were reported.
		const wrong = JSON.parse(results[4]!.stdout);
		expect(wrong.sources.hive.state).toBe('unauthorised');
		expect(wrong.sources.redis.state).toBe('unauthorised');
		expect(wrong.sources.postgres).toEqual({state: 'unauthorised', error: expect.stringContaining('password authentication failed for user "hive_reader"')});
		const down = JSON.parse(results[8]!.stdout);
		expect(down.sources.redis.state).toBe('down');
		expect(down.sources.postgres.state).toBe('down');
		expect(readFileSync(path.join(env.XDG_STATE_HOME!, 'hive-console', 'coordination-health.log'), 'utf8')).toMatch(/ERROR: Alertmanager POST http:\/\/\*\*\*:\*\*\*@127\.0\.0\.1:\d+\/api\/v2\/alerts: connection refused/);
		expectNoSecret(everything(env, results));
	});
});
