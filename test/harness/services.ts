// The test harness: real redis-server, PostgreSQL (with pg_stat_statements preloaded), Alertmanager and the
// simulator, each started on loopback on an ephemeral port in its own temporary directory, and stopped
// afterwards. A missing binary fails with the Debian package that provides it.
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync, chownSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import readline from 'node:readline';
import {findBinary, postgresBinDirs} from '../../source/util/binaries.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const binPath = path.join(repoRoot, 'bin/hive-console.js');

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

function tempDir(prefix: string): string {
	return mkdtempSync(path.join(os.tmpdir(), `hive-test-${prefix}-`));
}

function requireBinary(binary: string, debianPackage: string, extraDirs: string[] = []): string {
	const found = findBinary(binary, extraDirs);
	if (!found) {
		throw new Error(`test harness: \`${binary}\` is not installed; install the Debian package ${debianPackage} (apt-get install ${debianPackage})`);
	}
	return found;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	while (Date.now() < deadline) {
		try {
			const value = await probe();
			if (value !== undefined && value !== false) return value;
		} catch (error) {
			lastError = error;
		}
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`test harness: ${what} did not become ready in ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	await new Promise<void>((resolve) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
		}, graceMs);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		child.kill(signal);
	});
}

// ---------------------------------------------------------------- Redis

export interface RedisService {
	url: string;
	port: number;
	/** Kills the server (as if it crashed); `start()` brings it back on the same port, empty. */
	stop(): Promise<void>;
	start(): Promise<void>;
	cleanup(): Promise<void>;
}

export async function startRedis(): Promise<RedisService> {
	const binary = requireBinary('redis-server', 'redis-server');
	const dir = tempDir('redis');
	const port = await freePort();
	let child: ChildProcess | null = null;
	const start = async () => {
		child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', path.join(dir, 'redis.log')], {stdio: 'ignore'});
		await waitFor('redis-server', async () => {
			const r = spawnSync('redis-cli', ['-p', String(port), 'PING'], {encoding: 'utf8'});
			return r.stdout.trim() === 'PONG' ? true : undefined;
		});
	};
	await start();
	return {
		url: `redis://127.0.0.1:${port}`,
		port,
		start,
		stop: async () => {
			if (child) await stopProcess(child, 'SIGKILL');
		},
		cleanup: async () => {
			if (child) await stopProcess(child);
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

// ---------------------------------------------------------------- PostgreSQL

export interface PostgresService {
	/** URL of the `postgres` database; use createDatabase() for an isolated one. */
	url: string;
	port: number;
	createDatabase(name?: string): Promise<string>;
	stop(): Promise<void>;
	start(): Promise<void>;
	cleanup(): Promise<void>;
}

export async function startPostgres(): Promise<PostgresService> {
	const dirs = postgresBinDirs();
	const initdb = requireBinary('initdb', 'postgresql', dirs);
	const postgres = requireBinary('postgres', 'postgresql', dirs);
	const dir = tempDir('pg');
	const dataDir = path.join(dir, 'data');
	// initdb refuses to run as root; run both it and the server as the postgres user then. spawn's
	// uid/gid make the child the postmaster itself (runuser would sit between, and stop() would signal
	// runuser while PostgreSQL kept running).
	const asRoot = process.getuid?.() === 0;
	let owner: {uid: number; gid: number} | undefined;
	if (asRoot) {
		const uid = Number(spawnSync('id', ['-u', 'postgres'], {encoding: 'utf8'}).stdout.trim());
		const gid = Number(spawnSync('id', ['-g', 'postgres'], {encoding: 'utf8'}).stdout.trim());
		if (!Number.isInteger(uid) || !Number.isInteger(gid)) {
			throw new Error('test harness: running as root needs the postgres user (apt-get install postgresql)');
		}
		owner = {uid, gid};
		chownSync(dir, uid, gid);
	}
	const runAs = (cmd: string, args: string[]) => ({cmd, args, options: owner ?? {}});
	const init = runAs(initdb, ['-D', dataDir, '--auth=trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
	const r = spawnSync(init.cmd, init.args, {encoding: 'utf8', cwd: dir, ...init.options});
	if (r.status !== 0) throw new Error(`test harness: initdb failed: ${r.stderr}`);
	const port = await freePort();
	let child: ChildProcess | null = null;
	const start = async () => {
		const run = runAs(postgres, [
			'-D', dataDir, '-p', String(port), '-k', dir,
			'-c', 'listen_addresses=127.0.0.1',
			'-c', 'shared_preload_libraries=pg_stat_statements',
			'-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
			'-c', 'max_connections=200',
		]);
		child = spawn(run.cmd, run.args, {stdio: 'ignore', cwd: dir, ...run.options});
		await waitFor('postgres', async () => {
			const probe = spawnSync('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-Atc', 'select 1'], {encoding: 'utf8'});
			return probe.stdout.trim() === '1' ? true : undefined;
		}, 30_000);
	};
	await start();
	let counter = 0;
	return {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		port,
		start,
		stop: async () => {
			if (child) await stopProcess(child, 'SIGINT');
		},
		createDatabase: async (name?: string) => {
			const db = name ?? `hive_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
			const res = spawnSync('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-c', `CREATE DATABASE "${db}"`], {encoding: 'utf8'});
			if (res.status !== 0) throw new Error(`test harness: CREATE DATABASE failed: ${res.stderr}`);
			return `postgres://postgres@127.0.0.1:${port}/${db}`;
		},
		cleanup: async () => {
			if (child) await stopProcess(child, 'SIGINT');
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

// ---------------------------------------------------------------- Alertmanager

export interface AlertmanagerService {
	url: string;
	stop(): Promise<void>;
	/** Starts it again after stop(), on the same port (the fault suite: Alertmanager down and back). */
	start(): Promise<void>;
	cleanup(): Promise<void>;
}

export async function startAlertmanager(): Promise<AlertmanagerService> {
	const binary = requireBinary('prometheus-alertmanager', 'prometheus-alertmanager', ['/usr/bin']);
	const dir = tempDir('am');
	const config = path.join(dir, 'am.yml');
	writeFileSync(config, 'route:\n  receiver: "null"\n  group_wait: 1s\nreceivers:\n  - name: "null"\n');
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	let child: ChildProcess;
	const start = async () => {
		child = spawn(binary, [
			`--config.file=${config}`,
			`--storage.path=${path.join(dir, 'data')}`,
			`--web.listen-address=127.0.0.1:${port}`,
			'--cluster.listen-address=',
		], {stdio: 'ignore'});
		await waitFor('alertmanager', async () => {
			const res = await fetch(`${url}/-/ready`);
			return res.ok ? true : undefined;
		}, 30_000);
	};
	await start();
	return {
		url,
		stop: () => stopProcess(child),
		start,
		cleanup: async () => {
			await stopProcess(child);
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

// ---------------------------------------------------------------- Simulator

export interface SimulatorService {
	url: string;
	process: ChildProcess;
	/** Everything the simulator wrote to stderr so far (for assertions on its messages). */
	stderr(): string;
	stop(): Promise<void>;
}

export interface SimulatorOptions {
	args?: string[];
	redis?: string;
	database?: string;
	scenario?: string;
	agents?: number;
	speed?: number;
	logFile?: string;
	/** Route families the simulator serves (default both). */
	profile?: 'runbook' | 'beehive' | 'both';
	/** A fixed port (default 0, a free one): the fault suite starts a killed simulator again where it was. */
	port?: number;
	env?: NodeJS.ProcessEnv;
}

/** Spawns the real binary (`bin/hive-console.js simulate --port 0`) and reads its first line for the URL. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorService> {
	const args = ['simulate', '--port', String(options.port ?? 0)];
	if (options.redis) args.push('--redis', options.redis);
	if (options.database) args.push('--database', options.database);
	if (options.scenario) args.push('--scenario', options.scenario);
	if (options.agents !== undefined) args.push('--agents', String(options.agents));
	if (options.speed !== undefined) args.push('--speed', String(options.speed));
	if (options.logFile) args.push('--log-file', options.logFile);
	if (options.profile) args.push('--profile', options.profile);
	args.push(...(options.args ?? []));
	const child = spawn(process.execPath, [binPath, ...args], {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, ...options.env}});
	let errText = '';
	child.stderr!.on('data', (d: Buffer) => {
		errText += d.toString();
	});
	const lines = readline.createInterface({input: child.stdout!});
	const url = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`simulator did not start in 30 s: ${errText}`)), 30_000);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`simulator exited with ${code}: ${errText}`));
		});
		lines.once('line', (line) => {
			clearTimeout(timer);
			const match = /^hive simulator listening on (http:\/\/\S+)$/.exec(line);
			if (match) resolve(match[1]!);
			else reject(new Error(`unexpected first line from simulator: ${line}`));
		});
	});
	child.removeAllListeners('exit');
	return {
		url,
		process: child,
		stderr: () => errText,
		stop: () => stopProcess(child),
	};
}
