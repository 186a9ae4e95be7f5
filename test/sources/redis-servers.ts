// Redis servers the shared harness does not start: with a password, with TLS (a throwaway CA made with
// openssl), and a 3-master cluster on loopback. Same style as test/harness/services.ts.
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {freePort, waitFor} from '../harness/services.js';

export interface CustomRedis {
	port: number;
	dir: string;
	stop(): Promise<void>;
}

function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		child.once('exit', () => resolve());
		child.kill('SIGKILL');
	});
}

/** redis-server with extra arguments; `cliArgs` are what redis-cli needs to PING it (auth, TLS). */
export async function startCustomRedis(extraArgs: (port: number, dir: string) => Promise<string[]> | string[], cliArgs: (port: number, dir: string) => string[] = (p) => ['-p', String(p)]): Promise<CustomRedis> {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'hive-test-redisx-'));
	const port = await freePort();
	const child = spawn('redis-server', ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', path.join(dir, 'redis.log'), ...(await extraArgs(port, dir))], {stdio: 'ignore'});
	await waitFor('redis-server (custom)', async () => {
		const r = spawnSync('redis-cli', [...cliArgs(port, dir), '--no-auth-warning', 'PING'], {encoding: 'utf8'});
		return r.stdout.trim() === 'PONG' ? true : undefined;
	});
	return {
		port,
		dir,
		stop: async () => {
			await stop(child);
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

/** A CA and a server certificate for 127.0.0.1 in `dir`. */
export function makeCertificates(dir: string): {ca: string; cert: string; key: string; caPem: string} {
	const run = (args: string[]) => {
		const r = spawnSync('openssl', args, {cwd: dir, encoding: 'utf8'});
		if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
	};
	run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=hive-test-ca']);
	run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
	const ext = path.join(dir, 'ext.cnf');
	spawnSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1\\n' > ${JSON.stringify(ext)}`]);
	run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', ext]);
	return {ca: path.join(dir, 'ca.crt'), cert: path.join(dir, 'server.crt'), key: path.join(dir, 'server.key'), caPem: readFileSync(path.join(dir, 'ca.crt'), 'utf8')};
}

export interface RedisClusterService {
	ports: number[];
	url: string;
	stop(): Promise<void>;
}

/** Three masters, no replicas, slots spread by redis-cli --cluster create. */
export async function startRedisCluster(): Promise<RedisClusterService> {
	const nodes: CustomRedis[] = [];
	for (let i = 0; i < 3; i++) {
		nodes.push(
			await startCustomRedis(async (port) => [
				'--port', String(port),
				'--cluster-enabled', 'yes',
				'--cluster-config-file', `nodes-${port}.conf`,
				// Redis 7 lets the bus port be chosen, so port + 10000 need not be free.
				'--cluster-port', String(await freePort()),
				'--cluster-node-timeout', '2000',
			]),
		);
	}
	const ports = nodes.map((n) => n.port);
	const create = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], {encoding: 'utf8'});
	if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
	await waitFor('redis cluster state ok', async () => {
		for (const p of ports) {
			const r = spawnSync('redis-cli', ['-p', String(p), 'CLUSTER', 'INFO'], {encoding: 'utf8'});
			if (!/cluster_state:ok/.test(r.stdout)) return undefined;
		}
		return true;
	});
	return {
		ports,
		url: `redis://127.0.0.1:${ports[0]}`,
		stop: async () => {
			for (const n of nodes) await n.stop();
		},
	};
}
