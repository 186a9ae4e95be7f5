// A hostile or clumsy client never crashes the simulator and never makes it hold sockets or timers:
// huge bodies are refused with 413 unread, bad bytes get FastAPI's 400/422, odd paths and huge request
// lines get an HTTP answer, a slowloris client is cut off, and hung requests are let go when the client
// leaves. Every request here uses its own connection (no keep-alive pool), so the server's own count of
// open connections can be checked against zero.
import http from 'node:http';
import net from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startSimulator, type SimulatorService} from '../harness/services.js';
import {until} from './helpers.js';

let sim: SimulatorService;
let port: number;

beforeAll(async () => {
	sim = await startSimulator({agents: 4, speed: 0, args: ['--seed', '8']});
	port = Number(new URL(sim.url).port);
});
afterAll(async () => {
	await sim?.stop();
});

interface Plain {
	status: number;
	text: string;
}

/** One request on its own connection (Connection: close). */
function plain(method: string, path: string, body?: Buffer | string, headers: Record<string, string | number> = {}): Promise<Plain> {
	return new Promise((resolve, reject) => {
		const req = http.request({host: '127.0.0.1', port, method, path, agent: false, headers}, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve({status: res.statusCode!, text: Buffer.concat(chunks).toString()}));
		});
		req.on('error', reject);
		req.end(body);
	});
}

/** Writes raw bytes on a fresh socket and collects whatever comes back until the server closes it. */
function rawExchange(bytes: string): Promise<string> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
		let got = '';
		socket.on('data', (d) => (got += d.toString()));
		// A server that answers before reading everything resets the connection: what came first still counts.
		socket.on('close', () => resolve(got));
		socket.on('error', () => undefined);
	});
}

const serverStats = async () => JSON.parse((await plain('GET', '/_sim/state')).text).http as {open_connections: number; hanging_requests: number; pending_timers: number};
/** Only the state request itself is open. */
const idle = async () => {
	const s = await serverStats();
	return s.open_connections === 1 && s.hanging_requests === 0 && s.pending_timers === 0 ? s : null;
};

describe('request bodies', () => {
	it('refuses a declared 100 MB body with 413 without reading it, and keeps serving', async () => {
		const reply = await new Promise<number>((resolve, reject) => {
			const req = http.request({host: '127.0.0.1', port, method: 'POST', path: '/api/v1/agents/scale-up', agent: false, headers: {'content-type': 'application/json', 'content-length': 100 * 1024 * 1024}}, (res) => {
				res.resume();
				resolve(res.statusCode!);
				req.destroy();
			});
			req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
			req.write(Buffer.alloc(64 * 1024, 0x20));
		});
		expect(reply).toBe(413);
		expect((await plain('GET', '/health')).status).toBe(200);
		expect((await serverStats()).open_connections).toBeGreaterThanOrEqual(1);
	});

	it('refuses a chunked body that grows past 1 MB with 413 and does not run the action', async () => {
		const before = JSON.parse((await plain('GET', '/_sim/state')).text).agents.length;
		const status = await new Promise<number>((resolve, reject) => {
			const req = http.request({host: '127.0.0.1', port, method: 'POST', path: '/api/v1/agents/scale-up', agent: false, headers: {'content-type': 'application/json'}}, (res) => {
				res.resume();
				resolve(res.statusCode!);
				req.destroy();
			});
			req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
			req.write('{"count": 1, "pad": "');
			const chunk = 'x'.repeat(256 * 1024);
			for (let i = 0; i < 8; i++) req.write(chunk);
		});
		expect(status).toBe(413);
		expect(JSON.parse((await plain('GET', '/_sim/state')).text).agents.length).toBe(before);
	});

	it('answers a body that is not UTF-8 as FastAPI does (400), and bad JSON with 422', async () => {
		const bad = await plain('POST', '/api/v1/agents/scale-up', Buffer.from([0x7b, 0x22, 0x63, 0xff, 0xfe, 0x22, 0x7d]), {'content-type': 'application/json'});
		expect(bad).toEqual({status: 400, text: JSON.stringify({detail: 'There was an error parsing the body'})});
		const junk = await plain('POST', '/api/v1/agents/scale-up', '{"count": }', {'content-type': 'application/json'});
		expect(junk.status).toBe(422);
		expect(JSON.parse(junk.text).detail[0].type).toBe('json_invalid');
	});
});

describe('request targets', () => {
	it('path traversal and odd targets are just paths that do not exist', async () => {
		expect((await plain('GET', '/../../etc/passwd')).status).toBe(404);
		expect((await plain('GET', '/api/v1/../../etc/passwd')).status).toBe(404);
		expect(JSON.parse((await plain('POST', '/api/v1/agents/..%2F..%2Fetc%2Fpasswd/restart')).text)).toEqual({detail: 'Agent not found'});
		expect((await plain('POST', '/api/v1/agents/%E0%A4%A/restart')).status).toBe(404);
		expect((await plain('GET', '/_sim/../health')).status).toBe(404);
		const absolute = await rawExchange('GET http://elsewhere.example/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
		expect(absolute).toMatch(/^HTTP\/1\.1 200/);
		const junk = await rawExchange('GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
		expect(junk).toMatch(/^HTTP\/1\.1 (404|400)/);
	});

	it('a long query string is read; a request line past the header limit gets 431; the server lives on', async () => {
		const long = await plain('GET', `/api/dashboard/tasks/queue?limit=5&pad=${'a'.repeat(12_000)}`);
		expect(long.status).toBe(200);
		expect(JSON.parse(long.text).tasks.length).toBeLessThanOrEqual(5);
		const huge = await rawExchange(`GET /health?${'q=1&'.repeat(5_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
		expect(huge).toMatch(/^HTTP\/1\.1 431/);
		const garbage = await rawExchange('\x00\x01\x02 not http at all\r\n\r\n');
		expect(garbage).toMatch(/^HTTP\/1\.1 400/);
		expect((await plain('GET', '/health')).status).toBe(200);
	});
});

describe('clients that hold on', () => {
	it('a slowloris client that never finishes its headers is cut off, and others are served meanwhile', async () => {
		const socket = net.connect(port, '127.0.0.1');
		const closed = new Promise<string>((resolve) => {
			let got = '';
			socket.on('data', (d) => (got += d.toString()));
			socket.on('close', () => resolve(got));
			socket.on('error', () => undefined);
		});
		await new Promise((r) => socket.once('connect', r));
		socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
		const trickle = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 1000);
		try {
			expect((await plain('GET', '/health')).status).toBe(200);
			expect((await serverStats()).open_connections).toBe(2);
			expect(await closed).toMatch(/^HTTP\/1\.1 408/);
		} finally {
			clearInterval(trickle);
			socket.destroy();
		}
		await until('nothing left open', idle);
	}, 40_000);

	it('hung and slow requests let go of their sockets and timers when the client aborts', async () => {
		await plain('POST', '/_sim/fault', JSON.stringify({path: '/health', mode: 'hang', count: 25}), {'content-type': 'application/json'});
		const requests: http.ClientRequest[] = [];
		for (let i = 0; i < 25; i++) {
			const req = http.get({host: '127.0.0.1', port, path: '/health', agent: false});
			req.on('error', () => undefined);
			requests.push(req);
		}
		await until('25 requests hanging', async () => ((await serverStats()).hanging_requests === 25 ? true : null));
		await plain('POST', '/_sim/fault', JSON.stringify({path: '/api/dashboard/metrics', mode: 'slow', count: 10, delayMs: 600_000}), {'content-type': 'application/json'});
		for (let i = 0; i < 10; i++) {
			const req = http.get({host: '127.0.0.1', port, path: '/api/dashboard/metrics', agent: false});
			req.on('error', () => undefined);
			requests.push(req);
		}
		await until('10 slow timers', async () => ((await serverStats()).pending_timers === 10 ? true : null));
		expect((await serverStats()).open_connections).toBe(36);
		for (const req of requests) req.destroy();
		const after = await until('connections, hung requests and timers back to nothing', idle);
		expect(after).toEqual({open_connections: 1, hanging_requests: 0, pending_timers: 0});
		expect((await plain('GET', '/health')).status).toBe(200);
	});
});
