// The Redis source against a real redis-server: streams and groups built with XADD/XGROUP/XREADGROUP/XACK so
// pending counts, lag and idle times are Redis's own, not ours.
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {Redis} from 'ioredis';
import {startRedis, type RedisService} from '../harness/services.js';
import {createRedisSource, type RedisSource} from '../../source/sources/redis-source.js';
import {SourceError} from '../../source/sources/source.js';
import type {RedisSnapshot} from '../../source/contract/snapshot.js';

let redis: RedisService;
let admin: Redis;
const sources: RedisSource[] = [];

function source(options: Partial<Parameters<typeof createRedisSource>[0]> = {}): RedisSource {
	const s = createRedisSource({url: redis.url, ...options});
	sources.push(s);
	return s;
}

const poll = (s: RedisSource) => s.poll(AbortSignal.timeout(20_000));
const stream = (snap: RedisSnapshot, key: string) => snap.streams.find((s) => s.key === key);

beforeAll(async () => {
	redis = await startRedis();
	admin = new Redis(redis.url, {lazyConnect: true});
	admin.on('error', () => undefined); // the test's own client sees Redis being killed too
	await admin.connect();
});

afterAll(async () => {
	for (const s of sources) await s.close();
	admin?.disconnect();
	await redis?.cleanup();
});

beforeEach(async () => {
	await admin.flushall();
});

describe('redis source: streams', () => {
	it('reads groups, consumers, pending and lag as Redis reports them', async () => {
		const key = 'agent_messages:agent-1';
		for (let i = 0; i < 5; i++) await admin.xadd(key, '*', 'message_id', `m${i}`, 'type', 'task');
		await admin.xgroup('CREATE', key, 'group_agent-1', '0');
		// agent-1 reads 3 messages and acknowledges 1: 2 pending, 2 never delivered (lag 2).
		const read = (await admin.xreadgroup('GROUP', 'group_agent-1', 'agent-1', 'COUNT', 3, 'STREAMS', key, '>')) as Array<[string, Array<[string, string[]]>]>;
		await admin.xack(key, 'group_agent-1', read[0]![1][0]![0]);
		await new Promise((r) => setTimeout(r, 30));

		const snap = await poll(source());
		const info = stream(snap, key)!;
		expect(info.length).toBe(5);
		expect(info.firstEntryId).toMatch(/^\d+-\d+$/);
		expect(info.groups).toHaveLength(1);
		const group = info.groups[0]!;
		expect(group).toMatchObject({name: 'group_agent-1', consumers: 1, pending: 2, lag: 2});
		expect(group.consumerDetails).toEqual([expect.objectContaining({name: 'agent-1', pending: 2})]);
		expect(group.oldestPendingIdleMs).toBeGreaterThanOrEqual(0);
		expect(snap.truncated).toBe(false);
		expect(snap.serverVersion).toMatch(/^\d+\.\d+/);
		expect(snap.clients.connected).toBeGreaterThanOrEqual(2);
		expect(snap.clients.maxClients).toBeGreaterThan(0);
		expect(snap.memory.usedBytes).toBeGreaterThan(0);
		expect(snap.memory.allocator).toBeTruthy();
	});

	it('reports nothing pending as 0 with no oldest idle time, not as an error', async () => {
		const key = 'agent_messages:idle';
		await admin.xadd(key, '*', 'type', 'x');
		await admin.xgroup('CREATE', key, 'group_idle', '0');
		const group = stream(await poll(source()), key)!.groups[0]!;
		expect(group.pending).toBe(0);
		expect(group.oldestPendingIdleMs).toBeNull();
		expect(group.lag).toBe(1);
	});

	it('shows lag as unknown (null) after XDEL and for a `$` group that has seen new entries, never 0', async () => {
		const key = 'agent_messages:agent-2';
		const ids: string[] = [];
		for (let i = 0; i < 3; i++) ids.push((await admin.xadd(key, '*', 'n', String(i)))!);
		await admin.xgroup('CREATE', key, 'from_start', '0');
		await admin.xgroup('CREATE', key, 'from_now', '$');
		await admin.xadd(key, '*', 'n', '3');
		let info = stream(await poll(source()), key)!;
		expect(info.groups.find((g) => g.name === 'from_start')!.lag).toBe(4);
		expect(info.groups.find((g) => g.name === 'from_now')!.lag).toBeNull();

		// Deleting an entry the group has not read yet makes its lag uncomputable.
		await admin.xdel(key, ids[1]!);
		info = stream(await poll(source()), key)!;
		expect(info.groups.find((g) => g.name === 'from_start')!.lag).toBeNull();
	});

	it('finds only streams: agent_messages:* by SCAN plus configured extra keys, skipping other types and absent keys', async () => {
		await admin.xadd('agent_messages:broadcast', '*', 'a', '1');
		await admin.set('agent_messages:not-a-stream', 'x');
		await admin.xadd('dead_letter_queue', '*', 'a', '1');
		await admin.xadd('unrelated_stream', '*', 'a', '1');
		const snap = await poll(source({extraKeys: ['dead_letter_queue', 'retry_queue']}));
		expect(snap.streams.map((s) => s.key)).toEqual(['dead_letter_queue', 'agent_messages:broadcast']);
		// agent_messages:coordination is usually absent: that is normal, not an error.
		expect(stream(snap, 'agent_messages:coordination')).toBeUndefined();
	});

	it('caps the streams read per poll and says it truncated', async () => {
		const pipeline = admin.pipeline();
		for (let i = 0; i < 1000; i++) {
			pipeline.xadd(`agent_messages:a${i}`, '*', 'n', '1');
			pipeline.xgroup('CREATE', `agent_messages:a${i}`, `group_a${i}`, '0');
		}
		await pipeline.exec();

		const all = await poll(source({timeBudgetMs: 60_000}));
		expect(all.streams).toHaveLength(1000);
		expect(all.truncated).toBe(false);
		expect(new Set(all.streams.map((s) => s.key)).size).toBe(1000);
		expect(all.streams.every((s) => s.groups.length === 1 && s.groups[0]!.lag === 1)).toBe(true);

		const capped = await poll(source({maxStreams: 100, timeBudgetMs: 60_000}));
		expect(capped.streams).toHaveLength(100);
		expect(capped.truncated).toBe(true);
		expect(capped.truncatedReason).toMatch(/stream cap/);

		// A zero time budget reads nothing past the first check and says so.
		const rushed = await poll(source({timeBudgetMs: 0}));
		expect(rushed.truncated).toBe(true);
		expect(rushed.truncatedReason).toMatch(/time budget/);
		expect(rushed.streams.length).toBeLessThan(1000);
	});
});

describe('redis source: failures', () => {
	it('reports Redis down plainly, then the same source recovers when Redis is back', async () => {
		const s = source({connectTimeoutMs: 1000});
		await admin.xadd('agent_messages:x', '*', 'a', '1');
		expect((await poll(s)).streams).toHaveLength(1);

		await redis.stop();
		const error = await poll(s).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SourceError);
		expect(error).toMatchObject({source: 'redis', kind: 'down'});
		expect((error as Error).message).toMatch(/^redis .*127\.0\.0\.1:\d+.*(connection refused|connection lost|no answer)/);
		expect((error as Error).message).not.toMatch(/\n/);

		await redis.start();
		await admin.connect().catch(() => undefined);
		let snap: RedisSnapshot | null = null;
		for (let i = 0; i < 40 && !snap; i++) {
			snap = await poll(s).catch(() => null);
			if (!snap) await new Promise((r) => setTimeout(r, 250));
		}
		expect(snap).not.toBeNull();
		expect(snap!.streams).toEqual([]); // the harness restarts Redis empty
	});

	it('a Redis that stops answering gives a plain "no answer in time", not a hang', async () => {
		const s = source({commandTimeoutMs: 300});
		await admin.xadd('agent_messages:x', '*', 'a', '1');
		await poll(s);
		await admin.client('PAUSE', 5000, 'ALL');
		try {
			await expect(poll(s)).rejects.toMatchObject({kind: 'down', message: expect.stringMatching(/^redis .*: no answer in time/)});
		} finally {
			await admin.client('UNPAUSE');
		}
		expect((await poll(s)).streams).toHaveLength(1);
	});

	it('names a refused connection before any poll ever succeeded, without hanging', async () => {
		const s = createRedisSource({url: 'redis://127.0.0.1:1', connectTimeoutMs: 500});
		sources.push(s);
		await expect(poll(s)).rejects.toMatchObject({kind: 'down', message: expect.stringMatching(/127\.0\.0\.1:1.*connection refused/)});
	});

	it('reports a malformed URL as misconfigured from poll(), never from the constructor', async () => {
		await expect(poll(source({url: 'http://localhost:6379'}))).rejects.toMatchObject({kind: 'misconfigured', message: expect.stringMatching(/unsupported URL scheme "http"/)});
		await expect(poll(source({url: 'not a url'}))).rejects.toMatchObject({kind: 'misconfigured', message: expect.stringMatching(/URL is not valid/)});
	});
});
