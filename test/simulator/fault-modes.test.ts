// The /_sim/fault modes that imitate what sits between the console and the hive going wrong: a login page
// in the API's place (html), a connection cut mid-body (truncated), bytes that are not text (garbage), and
// a well-formed body of over a megabyte (huge). Each is checked on the wire, as a client would see it.
import http from 'node:http';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startSimulator, type SimulatorService} from '../harness/services.js';
import {Client} from './helpers.js';

let sim: SimulatorService;
let c: Client;

beforeAll(async () => {
	sim = await startSimulator({agents: 6, speed: 0, args: ['--seed', '5']});
	c = new Client(sim.url);
});

afterAll(async () => {
	await sim?.stop();
});

/** A raw GET that reports what arrived, and whether the connection ended before the promised length. */
function rawGet(path: string): Promise<{status: number; type: string; length: number; body: Buffer; cut: boolean}> {
	return new Promise((resolve, reject) => {
		const req = http.get(sim.url + path, (res) => {
			const chunks: Buffer[] = [];
			let cut = false;
			res.on('data', (b: Buffer) => chunks.push(b));
			res.on('aborted', () => (cut = true));
			res.on('error', () => (cut = true));
			res.on('close', () => {
				const body = Buffer.concat(chunks);
				const length = Number(res.headers['content-length']);
				resolve({status: res.statusCode ?? 0, type: String(res.headers['content-type']), length, body, cut: cut || body.length < length});
			});
		});
		req.on('error', reject);
	});
}

describe('fault modes', () => {
	it('html answers 200 with an HTML page where JSON was due, then the route is itself again', async () => {
		await c.post('/_sim/fault', {path: '/api/v1/agents/status', mode: 'html', count: 1});
		const res = await c.raw('GET', '/api/v1/agents/status');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toContain('text/html');
		const text = await res.text();
		expect(text.startsWith('<!DOCTYPE html>')).toBe(true);
		expect(() => JSON.parse(text)).toThrow();
		expect((await c.get('/api/v1/agents/status')).body.agents.length).toBeGreaterThan(0);
	});

	it('truncated promises the whole body and cuts the connection halfway', async () => {
		await c.post('/_sim/fault', {path: '/api/v1/agents/status', mode: 'truncated', count: 1});
		const res = await rawGet('/api/v1/agents/status');
		expect(res.status).toBe(200);
		expect(res.cut).toBe(true);
		expect(res.body.length).toBeGreaterThan(0);
		expect(res.body.length).toBeLessThan(res.length);
		expect(() => JSON.parse(res.body.toString('utf8'))).toThrow();
		expect((await c.get('/api/v1/agents/status')).status).toBe(200);
	});

	it('garbage sends bytes that are neither UTF-8 nor JSON, labelled as JSON', async () => {
		await c.post('/_sim/fault', {path: '/api/v1/agents/status', mode: 'garbage', count: 1});
		const res = await rawGet('/api/v1/agents/status');
		expect(res.status).toBe(200);
		expect(res.type).toContain('application/json');
		expect(res.cut).toBe(false);
		expect(res.body[0]).toBe(0xff);
		expect(() => new TextDecoder('utf-8', {fatal: true}).decode(res.body)).toThrow();
		expect(() => JSON.parse(res.body.toString('latin1'))).toThrow();
	});

	it('huge puts a 1,000,000-digit value in an otherwise well-formed body, JSON and Prometheus', async () => {
		await c.post('/_sim/fault', {path: '/api/v1/agents/status', mode: 'huge', count: 1});
		const json = await rawGet('/api/v1/agents/status');
		expect(json.status).toBe(200);
		expect(json.body.length).toBeGreaterThan(1_000_000);
		const parsed = JSON.parse(json.body.toString('utf8'));
		expect(typeof parsed).toBe('object');
		expect(json.body.toString('utf8')).toContain('9'.repeat(1_000_000));

		await c.post('/_sim/fault', {path: '/api/dashboard/metrics/coordination', mode: 'huge', count: 1});
		const prom = await rawGet('/api/dashboard/metrics/coordination');
		expect(prom.status).toBe(200);
		expect(prom.type).toContain('text/plain');
		const lines = prom.body.toString('utf8').split('\n');
		const hugeLine = lines.find((l) => l.endsWith('9'.repeat(1_000_000)));
		expect(hugeLine).toBeDefined();
		expect(hugeLine!.startsWith('leanvibe_')).toBe(true);
		expect(hugeLine!.split(' ').pop()!.length).toBe(1_000_000);
	});

	it('lists the new modes among the valid ones', async () => {
		const r = await c.post('/_sim/fault', {path: '/health', mode: 'explode'});
		expect(r.status).toBe(422);
		for (const mode of ['html', 'truncated', 'garbage', 'huge']) expect(r.body.detail[0].msg).toContain(mode);
	});
});
