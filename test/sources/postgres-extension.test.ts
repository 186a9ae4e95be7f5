// pg_stat_statements unavailable in the ways an operator meets it: installed but not preloaded (55000), and
// readable only by others (42501). The snapshot still stands, with a one-line hint saying how to fix it.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {spawnSync} from 'node:child_process';
import {chownSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {freePort, startPostgres, type PostgresService} from '../harness/services.js';
import {sql} from './postgres-helpers.js';
import {createPostgresSource} from '../../source/sources/postgres-source.js';
import type {Source} from '../../source/sources/source.js';
import type {PostgresSnapshot} from '../../source/contract/snapshot.js';

const sources: Array<Source<PostgresSnapshot>> = [];
const poll = (url: string) => {
	const s = createPostgresSource({url});
	sources.push(s);
	return s.poll(AbortSignal.timeout(20_000));
};

/** A server WITHOUT shared_preload_libraries (the harness always preloads), run through pg_ctl. */
async function startUnpreloadedPostgres(): Promise<{url: string; stop(): void}> {
	const bin = '/usr/lib/postgresql/15/bin';
	const dir = mkdtempSync(path.join(os.tmpdir(), 'hive-test-pgplain-'));
	const asRoot = process.getuid?.() === 0;
	if (asRoot) {
		const uid = Number(spawnSync('id', ['-u', 'postgres'], {encoding: 'utf8'}).stdout.trim());
		const gid = Number(spawnSync('id', ['-g', 'postgres'], {encoding: 'utf8'}).stdout.trim());
		chownSync(dir, uid, gid);
	}
	const run = (cmd: string, args: string[]) => {
		const r = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], {encoding: 'utf8'}) : spawnSync(cmd, args, {encoding: 'utf8'});
		if (r.status !== 0) throw new Error(`${path.basename(cmd)} failed: ${r.stderr}`);
	};
	const data = path.join(dir, 'data');
	run(path.join(bin, 'initdb'), ['-D', data, '--auth=trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
	const port = await freePort();
	run(path.join(bin, 'pg_ctl'), ['-D', data, '-w', '-l', path.join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
	return {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		stop: () => {
			run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

let plain: {url: string; stop(): void} | null = null;
let server: PostgresService | null = null;

beforeAll(async () => {
	[plain, server] = await Promise.all([startUnpreloadedPostgres(), startPostgres()]);
});

afterAll(async () => {
	for (const s of sources) await s.close();
	plain?.stop();
	await server?.cleanup();
});

describe('postgres source: pg_stat_statements unavailable', () => {
	it('installed but not preloaded (55000): says to preload it and restart', async () => {
		await sql(plain!.url, 'create extension pg_stat_statements');
		const snap = await poll(plain!.url);
		expect(snap.statements).toBeNull();
		expect(snap.extensionHint).toBe(
			"pg_stat_statements is not preloaded: add shared_preload_libraries = 'pg_stat_statements' to postgresql.conf and restart PostgreSQL, then CREATE EXTENSION pg_stat_statements",
		);
		expect(snap.serverVersion).toBeTruthy();
	});

	it('neither preloaded nor installed: gives both steps', async () => {
		await sql(plain!.url, 'create database bare');
		const snap = await poll(plain!.url.replace(/\/postgres$/, '/bare'));
		expect(snap.statements).toBeNull();
		expect(snap.extensionHint).toMatch(/^pg_stat_statements is not enabled: add shared_preload_libraries = 'pg_stat_statements' to postgresql\.conf, restart PostgreSQL, then run CREATE EXTENSION pg_stat_statements; in database "bare"$/);
	});

	it('missing, seen by a user who may not read shared_preload_libraries: says to install it and what it needs', async () => {
		const url = await server!.createDatabase();
		await sql(url, 'create role reader login');
		const snap = await poll(url.replace('postgres://postgres@', 'postgres://reader@'));
		expect(snap.statements).toBeNull();
		expect(snap.extensionHint).toMatch(/^pg_stat_statements is not installed in database "[^"]+": run CREATE EXTENSION pg_stat_statements; there \(it also needs shared_preload_libraries/);
		await sql(url, 'drop role reader').catch(() => undefined);
	});

	it('no permission to read it (42501): names the grant', async () => {
		const url = await server!.createDatabase();
		await sql(url, 'create extension pg_stat_statements', 'revoke all on pg_stat_statements from public', 'create role watcher login');
		const snap = await poll(url.replace('postgres://postgres@', 'postgres://watcher@'));
		expect(snap.statements).toBeNull();
		expect(snap.extensionHint).toBe('pg_stat_statements: permission denied for "watcher"; GRANT pg_read_all_stats TO "watcher" or connect as its owner');
		await sql(url, 'drop owned by watcher', 'drop role watcher').catch(() => undefined);
	});
});
