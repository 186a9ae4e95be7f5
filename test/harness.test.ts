// The harness itself: each real service starts on an ephemeral loopback port and answers.
import {describe, expect, it, afterAll} from 'vitest';
import {spawnSync} from 'node:child_process';
import {startRedis, startPostgres, startAlertmanager} from './harness/services.js';

describe('test harness', () => {
	const cleanups: Array<() => Promise<void>> = [];
	afterAll(async () => {
		for (const c of cleanups) await c();
	});

	it('starts redis-server on a free port', async () => {
		const redis = await startRedis();
		cleanups.push(redis.cleanup);
		const r = spawnSync('redis-cli', ['-p', String(redis.port), 'INFO', 'server'], {encoding: 'utf8'});
		expect(r.stdout).toMatch(/redis_version:/);
		expect(redis.port).not.toBe(6379);
	});

	it('starts PostgreSQL with pg_stat_statements preloaded', async () => {
		const pg = await startPostgres();
		cleanups.push(pg.cleanup);
		const url = await pg.createDatabase();
		const r = spawnSync('psql', [url, '-Atc', 'CREATE EXTENSION pg_stat_statements; SELECT count(*) >= 0 FROM pg_stat_statements'], {encoding: 'utf8'});
		expect(r.stderr).toBe('');
		expect(r.stdout.trim().split('\n').pop()).toBe('t');
		// stop() must really take the server down (tests of "Postgres down and coming back" rely on it).
		await pg.stop();
		const down = spawnSync('psql', [url, '-Atc', 'select 1'], {encoding: 'utf8'});
		expect(down.status).not.toBe(0);
		await pg.start();
		const up = spawnSync('psql', [url, '-Atc', 'select 1'], {encoding: 'utf8'});
		expect(up.stdout.trim()).toBe('1');
	});

	it('starts Alertmanager with the v2 API', async () => {
		const am = await startAlertmanager();
		cleanups.push(am.cleanup);
		const res = await fetch(`${am.url}/api/v2/status`);
		expect(res.status).toBe(200);
		const body = (await res.json()) as {versionInfo?: {version?: string}};
		expect(body.versionInfo?.version).toMatch(/^\d+\.\d+/);
	});
});
