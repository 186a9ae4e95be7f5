// Redis, PostgreSQL and the log command's faults, and Alertmanager's for `check`: the harness's real
// redis-server and PostgreSQL stopped and started again, a database without pg_stat_statements, a log
// command that dies, is killed, or floods one endless line.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import http from 'node:http';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {createLogSource} from '../../source/sources/logs-source.js';
import {isPreviousRunLine, previousRunOf} from '../../source/contract/snapshot.js';
import {MAX_MATCHED_LINE} from '../../source/sources/logs-patterns.js';
import type {HiveApp} from '../../source/app/index.js';
import {startAlertmanager, startPostgres, startRedis, startSimulator, waitFor, type AlertmanagerService, type PostgresService, type RedisService, type SimulatorService} from '../harness/services.js';
import {cleanEnv, runCli, sql} from '../commands/helpers.js';
import {dataLayer, figures, INTERVAL_MS, printFigures, runFault} from './helpers.js';

let redis: RedisService;
let pg: PostgresService;
let am: AlertmanagerService;
let sim: SimulatorService;
let dir: string;
const apps: HiveApp[] = [];

beforeAll(async () => {
	[redis, pg, am, sim] = await Promise.all([startRedis(), startPostgres(), startAlertmanager(), startSimulator({agents: 6})]);
	dir = mkdtempSync(path.join(os.tmpdir(), 'hive-faults-logs-'));
}, 60_000);

afterAll(async () => {
	await Promise.allSettled(apps.map((a) => a.close()));
	await Promise.allSettled([redis?.cleanup(), pg?.cleanup(), am?.cleanup(), sim?.stop()]);
	rmSync(dir, {recursive: true, force: true});
	printFigures('stores-logs');
});

async function app(flags: {redis?: string; database?: string}, logs?: string): Promise<HiveApp> {
	const a = await dataLayer({hive: sim.url, ...flags}, logs ? [{source: createLogSource({spec: logs})}] : []);
	apps.push(a);
	return a;
}

// Redis and PostgreSQL are one server each, so their outages run one after the other; the rest alongside.
describe.concurrent('store and log faults', () => {
	it('Redis down and back; then PostgreSQL down and back', async () => {
		const database = await pg.createDatabase();
		const a = await app({redis: redis.url, database});
		await runFault({
			app: a,
			source: 'redis',
			fault: 'Redis killed and started again',
			inject: () => redis.stop(),
			end: () => redis.start(),
			error: new RegExp(`^redis \\S+ \\(redis 127\\.0\\.0\\.1:${redis.port}\\): connection refused; is redis-server running there \\(--redis / REDIS_URL\\)\\?$`),
		});
		await runFault({
			app: a,
			source: 'postgres',
			fault: 'PostgreSQL stopped and started again',
			intervalMs: 2 * INTERVAL_MS,
			inject: () => pg.stop(),
			end: () => pg.start(),
			// Usually "connection refused; is PostgreSQL running there (--database / DATABASE_URL)?"; a poll that meets
			// the server mid-shutdown gets the server's own words.
			error: /^postgres \w+ \(127\.0\.0\.1:\d+\/\S+\): \S/,
		});
	});

	it('pg_stat_statements missing: said how to enable it, no error; statements as soon as it is created', async () => {
		const database = await pg.createDatabase();
		await sql(database, 'DROP EXTENSION IF EXISTS pg_stat_statements');
		const a = await app({database});
		const state = () => a.store.getState();
		await waitFor('the postgres poll', async () => (state().snapshots.postgres ? true : undefined), 20_000);
		expect(state().sources.postgres.state).not.toBe('down');
		expect(state().snapshots.postgres!.extensionHint).toMatch(/^pg_stat_statements is (preloaded but )?not installed in database "[^"]+": run CREATE EXTENSION pg_stat_statements; there/);
		await sql(database, 'CREATE EXTENSION pg_stat_statements');
		const ended = Date.now();
		await waitFor('statements', async () => (state().snapshots.postgres && state().snapshots.postgres!.at >= ended && state().snapshots.postgres!.extensionHint === null ? true : undefined), 20_000);
		const backMs = Date.now() - ended;
		figures.push({fault: 'pg_stat_statements missing, then created', backMs, boundMs: 2 * 2 * INTERVAL_MS + 1000});
		expect(backMs).toBeLessThanOrEqual(2 * 2 * INTERVAL_MS + 1000);
	});

	it('a log follower that dies, then one killed by a signal: said with the code or signal and the time; old lines marked; back', async () => {
		const file = path.join(dir, 'api.log');
		writeFileSync(file, '');
		const die = path.join(dir, 'die');
		const a = await app({}, `cmd:echo $$ > ${dir}/pid; tail -n 0 -F ${file} & t=$!; while [ ! -e ${die} ]; do sleep 0.05; done; rm -f ${die}; kill $t; exit 3`);
		const state = () => a.store.getState();
		await waitFor('the follower', async () => (state().snapshots.logs ? true : undefined), 20_000);
		await new Promise((r) => setTimeout(r, 500));
		const {appendFileSync, readFileSync} = await import('node:fs');
		appendFileSync(file, 'agent api-1 error before the death\n');
		await waitFor('its line', async () => (state().snapshots.logs?.lines.length === 1 ? true : undefined), 20_000);
		const {error} = await runFault({
			app: a,
			source: 'logs',
			fault: 'log command exits 3 (restarted at once)',
			inject: async () => writeFileSync(die, ''),
			end: async () => undefined,
			error: /^logs cmd "[^"]+": the command died \(exit code 3\) at \d\d:\d\d:\d\d; restarted, its lines stay marked as the previous run's; if it keeps dying, run it in a shell to see why$/,
		});
		expect(error).toContain('exit code 3');
		const snap = state().snapshots.logs!;
		expect(snap.lines.map(isPreviousRunLine)).toEqual([true]);
		expect(previousRunOf(snap)).toMatchObject({died: true, code: 3});
		// The new run's lines show as they come.
		await new Promise((r) => setTimeout(r, 500));
		appendFileSync(file, 'task 9 failed in the new run\n');
		await waitFor('the new line', async () => (state().snapshots.logs?.lines.length === 2 ? true : undefined), 20_000);
		expect(state().snapshots.logs!.lines.map(isPreviousRunLine)).toEqual([true, false]);

		await runFault({
			app: a,
			source: 'logs',
			fault: 'log command killed by SIGKILL (restarted at once)',
			inject: async () => {
				process.kill(Number(readFileSync(path.join(dir, 'pid'), 'utf8').trim()), 'SIGKILL');
			},
			end: async () => undefined,
			error: /^logs cmd "[^"]+": the command died \(signal SIGKILL\) at \d\d:\d\d:\d\d; restarted/,
		});
	});

	it('a log flood of one endless line: one cut line, the hive and the log source polled on time throughout', async () => {
		const a = await app({}, `cmd:printf 'agent flood error '; yes y | tr -d '\\n'`);
		const state = () => a.store.getState();
		await waitFor('the flood line', async () => (state().snapshots.logs?.lines.length === 1 ? true : undefined), 20_000);
		const from = Date.now();
		await new Promise((r) => setTimeout(r, 4 * INTERVAL_MS));
		for (const name of ['hive', 'logs'] as const) {
			const s = state().sources[name];
			expect(s.state, name).toMatch(/^(ok|slow)$/);
			expect(s.lastSuccessAt!, `${name} polled during the flood`).toBeGreaterThan(from + 2 * INTERVAL_MS);
		}
		const lines = state().snapshots.logs!.lines;
		expect(lines).toHaveLength(1);
		expect(lines[0]!.text.startsWith('agent flood error yyy')).toBe(true);
		expect(MAX_MATCHED_LINE).toBe(8192);
	});

	it('check: Alertmanager down, then answering HTML, then back: NOT delivered in one line and exit 69 until it answers', async () => {
		const critical = await startSimulator({scenario: 'coordination-critical', agents: 6});
		const page = http.createServer((req, res) => {
			req.resume();
			res.writeHead(200, {'content-type': 'text/html'});
			res.end('<html><body>Sign in</body></html>');
		});
		await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
		try {
			const env = cleanEnv();
			await am.stop();
			const down = await runCli(['check', '--hive', critical.url, '--alertmanager', am.url], env);
			expect(down.code).toBe(69);
			const downLines = down.stderr.split('\n').filter((l) => l.includes('ERROR: Alertmanager'));
			expect(downLines).toHaveLength(1);
			expect(downLines[0]).toMatch(/ERROR: Alertmanager POST http:\/\/127\.0\.0\.1:\d+\/api\/v2\/alerts: connection refused; is Alertmanager running there \(--alertmanager \/ ALERTMANAGER_URL\)\?; alert NOT delivered$/);
			const html = await runCli(['check', '--hive', critical.url, '--alertmanager', `http://127.0.0.1:${(page.address() as {port: number}).port}`], env);
			expect(html.code).toBe(69);
			expect(html.stderr.split('\n').filter((l) => l.includes('ERROR: Alertmanager'))).toHaveLength(1);
			expect(html.stderr).toMatch(/HTTP 200 with an HTML page, not Alertmanager's answer; check that --alertmanager/);
			await am.start();
			const back = await runCli(['check', '--hive', critical.url, '--alertmanager', am.url], env);
			expect(back.code).toBe(2);
			expect(back.stderr).not.toMatch(/NOT delivered/);
		} finally {
			page.closeAllConnections();
			await new Promise((resolve) => page.close(resolve));
			await critical.stop();
		}
	});
});

