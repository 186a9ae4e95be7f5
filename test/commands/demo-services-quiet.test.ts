// Nothing of ioredis' own reaches the terminal when Redis is not there (yet): a client that meets a refused
// connection without an 'error' listener prints "[ioredis] Unhandled error event: … ECONNREFUSED" with a
// stack trace, which the demo did over its start-up whenever redis-server was slower than the first probe.
import {mkdtempSync, rmSync, symlinkSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {redisAnswers, startDemoServices} from '../../source/commands/demo-services.js';
import {createStandalone, loadIoredis, waitReady} from '../../source/sources/redis-connection.js';
import {freePort} from '../harness/services.js';
import {findBinary} from '../../source/util/binaries.js';

let written: string[];

beforeEach(() => {
	written = [];
	const keep = (...args: unknown[]) => void written.push(args.map(String).join(' '));
	vi.spyOn(console, 'error').mockImplementation(keep);
	vi.spyOn(console, 'warn').mockImplementation(keep);
	vi.spyOn(console, 'log').mockImplementation(keep);
	const write = process.stderr.write.bind(process.stderr);
	vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
		written.push(String(chunk));
		return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
	}) as typeof process.stderr.write);
});
afterEach(() => vi.restoreAllMocks());

/** Lets ioredis deliver whatever it still has queued for a client that is closing (no time is measured). */
async function settle(): Promise<void> {
	for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

describe('Redis clients against a closed port', () => {
	it("the demo's readiness probe answers false and prints nothing", async () => {
		const port = await freePort();
		expect(await redisAnswers(port)).toBe(false);
		await settle();
		expect(written).toEqual([]);
	});

	it("the sources' client fails its wait with ECONNREFUSED and prints nothing", async () => {
		const port = await freePort();
		const errors: unknown[] = [];
		await loadIoredis();
		const client = createStandalone(
			{host: '127.0.0.1', port, username: undefined, password: undefined, db: 0, tls: false, display: `redis 127.0.0.1:${port}`},
			{commandTimeoutMs: 1000, connectTimeoutMs: 1000},
			(e) => errors.push(e),
		);
		await expect(waitReady(client, 5000, new AbortController().signal)).rejects.toThrow(/ECONNREFUSED/);
		client.disconnect();
		await settle();
		expect(errors.length).toBeGreaterThan(0);
		expect(written).toEqual([]);
	});
});

describe.runIf(findBinary('redis-server', []) !== null)('the demo starting redis-server', () => {
	it('prints nothing of ioredis while the server comes up', async () => {
		// Only redis-server on the lookup path: PostgreSQL is not what this is about.
		const bin = mkdtempSync(path.join(os.tmpdir(), 'hive-demo-bin-'));
		symlinkSync(findBinary('redis-server', [])!, path.join(bin, 'redis-server'));
		const services = await startDemoServices({path: bin, postgresLib: bin});
		expect(services.postgres).toBeNull();
		try {
			expect(services.redis?.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
			expect(await redisAnswers(Number(new URL(services.redis!.url).port))).toBe(true);
		} finally {
			await services.close();
			rmSync(bin, {recursive: true, force: true});
		}
		await settle();
		expect(written.filter((line) => line.includes('ioredis'))).toEqual([]);
	});
});
