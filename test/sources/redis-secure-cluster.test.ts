// Redis with a password, over TLS, and as a 3-master cluster: the source connects to each, and a wrong
// password is reported as unauthorised without the password ever appearing.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Cluster, Redis} from 'ioredis';
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {createRedisSource, type RedisSource} from '../../source/sources/redis-source.js';
import {SourceError} from '../../source/sources/source.js';
import {makeCertificates, startCustomRedis, startRedisCluster, type CustomRedis, type RedisClusterService} from './redis-servers.js';

const PASSWORD = 'Very-S3cret-Pass';
const sources: RedisSource[] = [];
const servers: Array<{stop(): Promise<void>}> = [];
const poll = (s: RedisSource) => s.poll(AbortSignal.timeout(20_000));
const make = (options: Parameters<typeof createRedisSource>[0]) => {
	const s = createRedisSource({connectTimeoutMs: 1500, ...options});
	sources.push(s);
	return s;
};

afterAll(async () => {
	for (const s of sources) await s.close();
	for (const s of servers) await s.stop();
});

describe('redis source: password', () => {
	let server: CustomRedis;
	beforeAll(async () => {
		server = await startCustomRedis((port) => ['--port', String(port), '--requirepass', PASSWORD], (port) => ['-p', String(port), '-a', PASSWORD]);
		servers.push(server);
		const admin = new Redis({port: server.port, host: '127.0.0.1', password: PASSWORD});
		await admin.xadd('agent_messages:secured', '*', 'a', '1');
		admin.disconnect();
	});

	it('reads with the password from the URL', async () => {
		const snap = await poll(make({url: `redis://:${PASSWORD}@127.0.0.1:${server.port}`}));
		expect(snap.streams.map((s) => s.key)).toEqual(['agent_messages:secured']);
	});

	it('a wrong password is unauthorised and neither password shows in the message', async () => {
		const wrong = 'Wrong-Pass-12345';
		const error = await poll(make({url: `redis://:${wrong}@127.0.0.1:${server.port}`})).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SourceError);
		expect(error).toMatchObject({kind: 'unauthorised'});
		const message = (error as Error).message;
		expect(message).toMatch(/password was rejected/);
		expect(message).not.toContain(wrong);
		expect(message).not.toContain(PASSWORD);
	});

	it('no password against a protected server says how to give one', async () => {
		await expect(poll(make({url: `redis://127.0.0.1:${server.port}`}))).rejects.toMatchObject({
			kind: 'unauthorised',
			message: expect.stringMatching(/requires a password.*redis:\/\/:PASSWORD@host:port/),
		});
	});
});

describe('redis source: TLS (rediss://)', () => {
	let server: CustomRedis;
	let certDir: string;
	let caPem: string;
	beforeAll(async () => {
		certDir = mkdtempSync(path.join(os.tmpdir(), 'hive-test-certs-'));
		const certs = makeCertificates(certDir);
		caPem = certs.caPem;
		server = await startCustomRedis(
			(port) => ['--port', '0', '--tls-port', String(port), '--tls-cert-file', certs.cert, '--tls-key-file', certs.key, '--tls-ca-cert-file', certs.ca, '--tls-auth-clients', 'no', '--requirepass', PASSWORD],
			(port) => ['-p', String(port), '--tls', '--cacert', certs.ca, '-a', PASSWORD],
		);
		servers.push(server, {stop: async () => rmSync(certDir, {recursive: true, force: true})});
	});

	it('reads over TLS with the CA given and a password in the URL', async () => {
		const snap = await poll(make({url: `rediss://:${PASSWORD}@127.0.0.1:${server.port}`, tls: {ca: caPem}}));
		expect(snap.streams).toEqual([]);
		expect(snap.serverVersion).toBeTruthy();
	});

	it('an untrusted certificate is a misconfiguration named as TLS', async () => {
		const error = await poll(make({url: `rediss://:${PASSWORD}@127.0.0.1:${server.port}`})).catch((e: unknown) => e);
		expect(error).toMatchObject({kind: 'misconfigured', message: expect.stringMatching(/TLS handshake failed/)});
		expect((error as Error).message).not.toContain(PASSWORD);
	});

	it('plain redis:// against a TLS port fails without hanging and without the password', async () => {
		const error = await poll(make({url: `redis://:${PASSWORD}@127.0.0.1:${server.port}`})).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SourceError);
		expect((error as Error).message).not.toContain(PASSWORD);
	});
});

describe('redis source: cluster', () => {
	let cluster: RedisClusterService;
	beforeAll(async () => {
		cluster = await startRedisCluster();
		servers.push(cluster);
		const writer = new Cluster([{host: '127.0.0.1', port: cluster.ports[0]!}]);
		for (let i = 0; i < 30; i++) {
			await writer.xadd(`agent_messages:agent-${i}`, '*', 'n', '1');
			await writer.xgroup('CREATE', `agent_messages:agent-${i}`, `group_agent-${i}`, '0');
		}
		await writer.xadd('dead_letter_queue', '*', 'n', '1');
		await writer.quit();
	});

	it('detects the cluster from one node URL and scans every master', async () => {
		const s = make({url: cluster.url, extraKeys: ['dead_letter_queue', 'retry_queue']});
		const snap = await poll(s);
		expect(snap.cluster).toBe(true);
		expect(s.isCluster()).toBe(true);
		expect(s.nodes()).toHaveLength(3);
		expect(snap.streams).toHaveLength(31);
		expect(snap.streams[0]!.key).toBe('dead_letter_queue');
		expect(snap.streams.filter((x) => x.key.startsWith('agent_messages:')).every((x) => x.groups[0]?.lag === 1)).toBe(true);
		// Clients and memory are summed over the masters.
		expect(snap.clients.connected).toBeGreaterThanOrEqual(3);
	});
});
