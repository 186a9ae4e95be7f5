// Throwaway redis-server and PostgreSQL for `hive-console demo`: temporary directories, free loopback
// ports, pg_stat_statements preloaded, everything stopped and removed on close. Nothing here ever touches
// an existing server: the demo uses these or none. As root, PostgreSQL runs as the `postgres` user
// (initdb refuses root), and it is stopped through its postmaster pid because runuser does not pass on
// signals.
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {chownSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {findBinary, postgresBinDirs} from '../util/binaries.js';

// Last resort when the process exits before close() finished (a grace timeout after SIGHUP): stop the
// servers synchronously so none outlives the demo. Each entry removes itself once closed normally.
const emergencyStops = new Set<() => void>();
let exitHookInstalled = false;
function onExitStop(stop: () => void): () => void {
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		process.on('exit', () => {
			for (const s of emergencyStops) s();
		});
	}
	emergencyStops.add(stop);
	return () => emergencyStops.delete(stop);
}

export interface DemoService {
	url: string;
	close(): Promise<void>;
}

export interface DemoServices {
	redis: DemoService | null;
	postgres: DemoService | null;
	/** Why a service was not started, for the panes' "not configured" line. */
	notes: string[];
	close(): Promise<void>;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number, child: ChildProcess): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
		if (await probe().catch(() => false)) return;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`${what} did not start within ${timeoutMs / 1000} s`);
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 3000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		child.kill(signal);
	});
}

/**
 * True once a Redis on 127.0.0.1:`port` answers PING. Asked while redis-server is still starting, so a
 * refused connection is the expected answer: the client needs its own 'error' listener, or ioredis prints
 * "[ioredis] Unhandled error event: … ECONNREFUSED" over the demo's start-up (connect()'s rejection
 * already says it failed).
 */
export async function redisAnswers(port: number): Promise<boolean> {
	const {default: Redis} = await import('ioredis');
	const client = new Redis({port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false});
	client.on('error', () => undefined);
	try {
		await client.connect();
		return (await client.ping()) === 'PONG';
	} catch {
		return false;
	} finally {
		client.disconnect();
	}
}

async function startRedis(binary: string): Promise<DemoService> {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'hive-demo-redis-'));
	const port = await freePort();
	const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', path.join(dir, 'redis.log')], {stdio: 'ignore'});
	try {
		await waitUntil('redis-server', () => redisAnswers(port), 10_000, child);
	} catch (error) {
		await stopChild(child, 'SIGKILL');
		rmSync(dir, {recursive: true, force: true});
		throw error;
	}
	const forget = onExitStop(() => {
		child.kill('SIGTERM');
		rmSync(dir, {recursive: true, force: true});
	});
	return {
		url: `redis://127.0.0.1:${port}`,
		close: async () => {
			await stopChild(child);
			rmSync(dir, {recursive: true, force: true});
			forget();
		},
	};
}

async function startPostgres(initdb: string, postgres: string): Promise<DemoService> {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'hive-demo-pg-'));
	const dataDir = path.join(dir, 'data');
	const asRoot = process.getuid?.() === 0;
	const runAs = (cmd: string, args: string[]) => (asRoot ? {cmd: 'runuser', args: ['-u', 'postgres', '--', cmd, ...args]} : {cmd, args});
	const cleanupDir = () => rmSync(dir, {recursive: true, force: true});
	if (asRoot) {
		const uid = Number(spawnSync('id', ['-u', 'postgres'], {encoding: 'utf8'}).stdout.trim());
		const gid = Number(spawnSync('id', ['-g', 'postgres'], {encoding: 'utf8'}).stdout.trim());
		if (!Number.isInteger(uid) || !Number.isInteger(gid)) {
			cleanupDir();
			throw new Error('running as root and there is no `postgres` user to run PostgreSQL as');
		}
		chownSync(dir, uid, gid);
	}
	const init = runAs(initdb, ['-D', dataDir, '--auth=trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
	const r = spawnSync(init.cmd, init.args, {encoding: 'utf8'});
	if (r.status !== 0) {
		cleanupDir();
		throw new Error(`initdb failed: ${(r.stderr || r.stdout || '').trim().split('\n').pop()}`);
	}
	const port = await freePort();
	const run = runAs(postgres, [
		'-D', dataDir, '-p', String(port), '-k', dir,
		'-c', 'listen_addresses=127.0.0.1',
		'-c', 'shared_preload_libraries=pg_stat_statements',
		'-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
	]);
	const child = spawn(run.cmd, run.args, {stdio: 'ignore'});
	const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
	const signalPostmaster = () => {
		// runuser does not forward signals: stop the postmaster itself (fast shutdown), then its wrapper.
		try {
			const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
			if (pid > 0) process.kill(pid, 'SIGINT');
		} catch {
			// Not started or already gone.
		}
	};
	const forget = onExitStop(() => {
		signalPostmaster();
		child.kill('SIGINT');
	});
	const stop = async () => {
		signalPostmaster();
		await stopChild(child, 'SIGINT', 5000);
		cleanupDir();
		forget();
	};
	try {
		await waitUntil('postgres', async () => {
			const client = new pg.Client({connectionString: adminUrl, connectionTimeoutMillis: 1000});
			client.on('error', () => undefined);
			try {
				await client.connect();
				await client.query('select 1');
				return true;
			} finally {
				await client.end().catch(() => undefined);
			}
		}, 30_000, child);
		const admin = new pg.Client({connectionString: adminUrl});
		admin.on('error', () => undefined);
		await admin.connect();
		await admin.query('CREATE DATABASE leanvibe_agent_hive');
		await admin.end();
		const hive = new pg.Client({connectionString: `postgres://postgres@127.0.0.1:${port}/leanvibe_agent_hive`});
		hive.on('error', () => undefined);
		await hive.connect();
		await hive.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
		await hive.end();
	} catch (error) {
		await stop();
		throw error;
	}
	return {url: `postgres://postgres@127.0.0.1:${port}/leanvibe_agent_hive`, close: stop};
}

/** The notes as the console's per-pane hints ("redis: …" → redis). */
export function hintsFromNotes(notes: string[]): Partial<Record<'redis' | 'postgres', string>> {
	const hints: Partial<Record<'redis' | 'postgres', string>> = {};
	for (const note of notes) {
		const [, source, text] = /^(redis|postgres): (.*)$/s.exec(note) ?? [];
		if (source && text) hints[source as 'redis' | 'postgres'] = text;
	}
	return hints;
}

/** Where to look for the servers: PATH, and Debian's PostgreSQL directory (tests point both elsewhere). */
export interface BinaryLookup {
	path?: string;
	postgresLib?: string;
}

/** Starts what is installed, in parallel; a service that fails to start is a note, not an error. */
export async function startDemoServices(lookup: BinaryLookup = {}): Promise<DemoServices> {
	const notes: string[] = [];
	const redisBinary = findBinary('redis-server', [], lookup.path);
	const pgDirs = postgresBinDirs(lookup.postgresLib);
	const initdb = findBinary('initdb', pgDirs, lookup.path);
	const postgresBinary = findBinary('postgres', pgDirs, lookup.path);
	if (!redisBinary) notes.push('redis: redis-server is not installed (e.g. apt-get install redis-server); the demo runs without Redis');
	if (!initdb || !postgresBinary) notes.push('postgres: PostgreSQL is not installed (e.g. apt-get install postgresql); the demo runs without slow queries');
	const [redis, postgres] = await Promise.all([
		redisBinary ? startRedis(redisBinary).catch((e: unknown) => (notes.push(`redis: could not start a throwaway redis-server: ${(e as Error).message}`), null)) : null,
		initdb && postgresBinary ? startPostgres(initdb, postgresBinary).catch((e: unknown) => (notes.push(`postgres: could not start a throwaway PostgreSQL: ${(e as Error).message}`), null)) : null,
	]);
	let closing: Promise<void> | null = null;
	return {
		redis,
		postgres,
		notes,
		close() {
			closing ??= Promise.allSettled([redis?.close(), postgres?.close()]).then(() => undefined);
			return closing;
		},
	};
}
