// Profile detection's decision table. The simulator serves both route families at once, so a server
// with only the runbook routes cannot be had from it: a minimal FastAPI-like HTTP server stands in, one
// answer per test, over real HTTP.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {createHiveClient, type HiveClient} from '../../source/sources/hive-client.js';
import {createProfileResolver} from '../../source/sources/hive-profile.js';

let server: http.Server | null = null;
let client: HiveClient | null = null;
let probes = 0;

async function hiveAnswering(status: number): Promise<string> {
	probes = 0;
	server = http.createServer((req, res) => {
		if (req.url?.startsWith('/api/dashboard/agents/status')) probes++;
		res.writeHead(status, {'content-type': 'application/json'});
		res.end(JSON.stringify(status === 200 ? {agents: []} : {detail: status === 404 ? 'Not Found' : 'boom'}));
	});
	await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
	return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

afterEach(async () => {
	await client?.close();
	client = null;
	server?.closeAllConnections();
	await new Promise((resolve) => server?.close(resolve));
	server = null;
});

describe('profile detection', () => {
	it.each([
		[404, 'runbook'],
		[405, 'runbook'],
		[200, 'beehive'],
		// The route exists even when the database behind it is down.
		[500, 'beehive'],
	] as const)('HTTP %i from the probe means %s, probed once', async (status, profile) => {
		client = createHiveClient({baseUrl: await hiveAnswering(status), timeoutMs: 2000});
		const resolver = createProfileResolver(client, 'auto');
		expect(await resolver.resolve()).toBe(profile);
		expect(await resolver.resolve()).toBe(profile);
		expect(resolver.current()).toBe(profile);
		expect(resolver.source()).toBe('auto');
		expect(probes).toBe(1);
	});

	it('401 is unauthorised, not a profile, and is asked again next time', async () => {
		client = createHiveClient({baseUrl: await hiveAnswering(401), timeoutMs: 2000});
		const resolver = createProfileResolver(client, 'auto');
		await expect(resolver.resolve()).rejects.toMatchObject({kind: 'unauthorised', message: expect.stringContaining('check HIVE_TOKEN or --token-file')});
		await expect(resolver.resolve()).rejects.toThrow();
		expect(resolver.current()).toBeNull();
		expect(probes).toBe(2);
	});

	it('a configured profile never probes', async () => {
		client = createHiveClient({baseUrl: await hiveAnswering(404), timeoutMs: 2000});
		const resolver = createProfileResolver(client, 'beehive');
		expect(await resolver.resolve()).toBe('beehive');
		expect(resolver.source()).toBe('configured');
		expect(probes).toBe(0);
	});
});
