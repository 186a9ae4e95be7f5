// The PostgreSQL source against a real server with pg_stat_statements preloaded: the current extension and
// VERSION '1.7' (old column names), the extension missing, a long-running statement, and the server going
// away and coming back.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import pg from 'pg';
import {startPostgres, waitFor, type PostgresService} from '../harness/services.js';
import {sql} from './postgres-helpers.js';
import {createPostgresSource} from '../../source/sources/postgres-source.js';
import {SourceError, type Source} from '../../source/sources/source.js';
import type {PostgresSnapshot} from '../../source/contract/snapshot.js';

let server: PostgresService;
const cleanups: Array<() => Promise<unknown>> = [];
const poll = (s: Source<PostgresSnapshot>) => s.poll(AbortSignal.timeout(20_000));

function source(url: string, options: {longRunningSeconds?: number} = {}) {
	const s = createPostgresSource({url, ...options});
	cleanups.push(() => s.close());
	return s;
}

/** A database with some work in pg_stat_statements: a slow statement and a busy cheap one. */
async function databaseWithWork(extension: string): Promise<string> {
	const url = await server.createDatabase();
	await sql(
		url,
		extension,
		'create table tasks (id serial primary key, title text)',
		"insert into tasks (title) select 'task ' || g from generate_series(1, 2000) g",
		...Array.from({length: 3}, () => 'select pg_sleep(0.3)'), // long enough that no setup statement (CREATE EXTENSION on a busy machine took over 50 ms) outranks it
		...Array.from({length: 20}, () => 'select count(*) from tasks'),
	);
	return url;
}

beforeAll(async () => {
	server = await startPostgres();
});

afterAll(async () => {
	for (const c of cleanups) await c().catch(() => undefined);
	await server?.cleanup();
});

describe('postgres source: pg_stat_statements', () => {
	it('reads the top 5 by mean and by total time with the current extension', async () => {
		const url = await databaseWithWork('create extension pg_stat_statements');
		const snap = await poll(source(url));
		expect(snap.extensionHint).toBeNull();
		expect(snap.serverVersion).toMatch(/^\d+/);
		const statements = snap.statements!;
		const [major, minor] = statements.version.split('.').map(Number);
		expect(major! > 1 || minor! >= 8).toBe(true);
		expect(statements.byMean.length).toBeGreaterThan(0);
		expect(statements.byMean.length).toBeLessThanOrEqual(5);
		const slowest = statements.byMean[0]!;
		expect(slowest.query).toMatch(/pg_sleep/);
		expect(slowest.calls).toBe(3);
		expect(slowest.meanMs).toBeGreaterThanOrEqual(290);
		const count = statements.byTotal.concat(statements.byMean).find((q) => /count\(\*\) from tasks/.test(q.query));
		expect(count?.calls).toBe(20);
		expect(count?.rows).toBe(20);
		// Every read after the first was served from shared buffers.
		expect(count?.hitPercent).toBeGreaterThan(50);
		expect(statements.byTotal.map((q) => q.totalMs)).toEqual([...statements.byTotal.map((q) => q.totalMs)].sort((a, b) => b - a));
		// The console's own catalog queries never show up as the hive's slow queries.
		expect([...statements.byMean, ...statements.byTotal].some((q) => /hive-console/.test(q.query))).toBe(false);
	});

	it("works with VERSION '1.7' and its old total_time/mean_time columns", async () => {
		const url = await databaseWithWork("create extension pg_stat_statements version '1.7'");
		const snap = await poll(source(url));
		expect(snap.statements?.version).toBe('1.7');
		expect(snap.statements!.byMean[0]!.query).toMatch(/pg_sleep/);
		expect(snap.statements!.byMean[0]!.meanMs).toBeGreaterThanOrEqual(290);
	});

	it('without the extension, the snapshot stands with a one-line hint that says how to enable it', async () => {
		const url = await server.createDatabase();
		const snap = await poll(source(url));
		expect(snap.statements).toBeNull();
		// The harness preloads the library, so only CREATE EXTENSION is missing.
		expect(snap.extensionHint).toMatch(/^pg_stat_statements is preloaded but not installed in database "[^"]+": run CREATE EXTENSION pg_stat_statements/);
		expect(snap.extensionHint).not.toMatch(/\n/);
		expect(snap.longRunning).toEqual([]);
	});
});

describe('postgres source: activity and failures', () => {
	it('lists a statement running longer than the threshold, not its own queries', async () => {
		const url = await server.createDatabase();
		const sleeper = new pg.Client({connectionString: url, application_name: 'agent-worker'});
		await sleeper.connect();
		sleeper.on('error', () => undefined);
		const sleeping = sleeper.query('select pg_sleep(60)').catch(() => undefined);
		const s = source(url, {longRunningSeconds: 1});
		try {
			const found = await waitFor('long-running statement', async () => {
				const snap = await poll(s);
				return snap.longRunning.length > 0 ? snap.longRunning : undefined;
			});
			expect(found).toHaveLength(1);
			expect(found[0]).toMatchObject({applicationName: 'agent-worker', state: 'active', query: 'select pg_sleep(60)'});
			expect(found[0]!.durationSeconds).toBeGreaterThanOrEqual(1);
			expect(found[0]!.waitEvent).toMatch(/PgSleep/);
		} finally {
			await sql(url, "select pg_cancel_backend(pid) from pg_stat_activity where application_name = 'agent-worker'");
			await sleeping;
			await sleeper.end();
		}
	});

	it('a malformed URL is a misconfiguration reported by poll()', async () => {
		await expect(poll(source('mysql://root@localhost/db'))).rejects.toMatchObject({kind: 'misconfigured', message: expect.stringMatching(/unsupported URL scheme "mysql"/)});
	});

	it('a missing database is a misconfiguration that names it', async () => {
		const url = server.url.replace(/\/postgres$/, '/no_such_db');
		await expect(poll(source(url))).rejects.toMatchObject({kind: 'misconfigured', message: expect.stringMatching(/database "no_such_db" does not exist/)});
	});

	it('reports PostgreSQL down without the password, then the same pool recovers', async () => {
		const base = await server.createDatabase();
		const url = base.replace('postgres://postgres@', 'postgres://postgres:Secret-Pw-987@');
		const s = source(url);
		expect((await poll(s)).serverVersion).toBeTruthy();

		await server.stop();
		const error = await poll(s).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SourceError);
		expect(error).toMatchObject({source: 'postgres', kind: 'down'});
		expect((error as Error).message).toMatch(/^postgres .*127\.0\.0\.1:\d+\//);
		expect((error as Error).message).not.toContain('Secret-Pw-987');

		await server.start();
		const snap = await waitFor('postgres source recovery', () => poll(s).catch(() => undefined), 30_000);
		expect(snap.serverVersion).toBeTruthy();
	});
});
