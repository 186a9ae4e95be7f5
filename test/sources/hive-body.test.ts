// How the hive client puts a body together: with a declared length it is copied into one buffer as it
// arrives; without one (chunked) the chunks are joined at the end. Either way a UTF-8 character split
// between two network writes comes out whole, and the size cap holds.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createHiveClient} from '../../source/sources/hive-client.js';

// 3,000 agents' worth of names with two- and three-byte characters, then split inside a character.
const body = JSON.stringify({agents: Array.from({length: 3000}, (_, i) => ({name: `agent-é漢-${i}`, status: 'active'}))});
const bytes = Buffer.from(body, 'utf8');
const cut = bytes.indexOf(Buffer.from('漢', 'utf8')) + 1;

let server: http.Server;
let base: string;

beforeAll(async () => {
	server = http.createServer((req, res) => {
		const declared = req.url === '/declared';
		res.writeHead(200, declared ? {'content-type': 'application/json', 'content-length': bytes.length} : {'content-type': 'application/json'});
		// Three writes with pauses, so they arrive as separate chunks, the first ending mid-character.
		res.write(bytes.subarray(0, cut));
		setTimeout(() => {
			res.write(bytes.subarray(cut, cut + 70_000));
			setTimeout(() => res.end(bytes.subarray(cut + 70_000)), 20);
		}, 20);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
});

describe('hive client: bodies', () => {
	it.each(['/declared', '/chunked'])('%s: the body arrives whole, characters split between writes included', async (path) => {
		const client = createHiveClient({baseUrl: base, timeoutMs: 5000});
		const {json} = await client.getJson({method: 'GET', path});
		expect(json).toEqual(JSON.parse(body));
		await client.close();
	});

	it.each(['/declared', '/chunked'])('%s: a body over the cap is refused, naming the endpoint', async (path) => {
		const client = createHiveClient({baseUrl: base, timeoutMs: 5000, maxBodyBytes: 10_000});
		await expect(client.getJson({method: 'GET', path})).rejects.toThrow(new RegExp(`^GET ${path}: .*10`));
		await client.close();
	});
});
