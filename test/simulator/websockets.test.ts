// The dashboard WebSockets of the shipped server, served by the simulator (docs/hive-server-routes.md):
// a real `ws` client against the real `simulate` binary connects, gets the initial state, pings, sees a
// scenario switch and an action pushed within a second, and meets the server's limits.
import WebSocket from 'ws';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {schemas, wsErrorSchema, wsEventSchema, wsPongSchema, wsUpdateSchema} from '../../source/contract/server-routes.js';
import {startSimulator, type SimulatorService} from '../harness/services.js';
import {Client, until} from './helpers.js';

let sim: SimulatorService;
let c: Client;

beforeAll(async () => {
	sim = await startSimulator({agents: 6, speed: 0, profile: 'beehive', args: ['--seed', '9']});
	c = new Client(sim.url);
});
afterAll(async () => {
	await sim?.stop();
});

/** A client that keeps every frame it receives and can wait for the next one that matches. */
class Probe {
	readonly frames: any[] = [];
	private waiters: Array<{match: (m: any) => boolean; resolve: (m: any) => void}> = [];
	constructor(readonly socket: WebSocket) {
		socket.on('message', (data) => {
			const message = JSON.parse(String(data));
			this.frames.push(message);
			this.waiters = this.waiters.filter((w) => (w.match(message) ? (w.resolve(message), false) : true));
		});
	}

	static async open(path: string, headers: Record<string, string> = {}): Promise<Probe> {
		const socket = new WebSocket(sim.url.replace(/^http/, 'ws') + path, {headers});
		const probe = new Probe(socket);
		await new Promise<void>((resolve, reject) => {
			socket.once('open', () => resolve());
			socket.once('error', reject);
		});
		return probe;
	}

	/** The first frame (already received or still to come) that matches, within `ms`. */
	next(match: (m: any) => boolean, ms = 1000, since = 0): Promise<any> {
		const seen = this.frames.slice(since).find(match);
		if (seen) return Promise.resolve(seen);
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`no matching frame within ${ms} ms; got ${JSON.stringify(this.frames.slice(since).map((f) => f.type))}`)), ms);
			this.waiters.push({match, resolve: (m) => (clearTimeout(timer), resolve(m))});
		});
	}

	send(value: unknown): void {
		this.socket.send(typeof value === 'string' ? value : JSON.stringify(value));
	}

	close(): void {
		this.socket.close();
	}
}

const ENDPOINTS = {
	agents: ['agents', 'system'],
	coordination: ['coordination', 'alerts', 'system'],
	tasks: ['tasks', 'agents'],
	system: ['system', 'alerts'],
	dashboard: ['agents', 'coordination', 'tasks', 'system'],
} as const;

describe('connecting', () => {
	for (const [name, subscriptions] of Object.entries(ENDPOINTS)) {
		it(`/ws/${name}: connection_established with its subscriptions, then the current state`, async () => {
			const probe = await Probe.open(`/api/dashboard/ws/${name}?connection_id=test-${name}`);
			try {
				const first = await probe.next(() => true);
				expect(schemas.connectionEstablished.parse(first)).toMatchObject({connection_id: `test-${name}`});
				expect([...first.subscriptions].sort()).toEqual([...subscriptions].sort());
				expect(probe.frames[0]).toBe(first);
				const expected = {agents: 'agent_update', coordination: 'coordination_update', tasks: 'task_update', system: 'system_update'} as const;
				for (const group of subscriptions) {
					if (group === 'alerts') continue;
					const update = await probe.next((m) => m.type === expected[group]);
					expect(wsUpdateSchema.parse(update).subscription).toBe(group);
				}
				const agents = probe.frames.find((m) => m.type === 'agent_update');
				if (agents) expect(agents.data.active_count).toBe(6);
			} finally {
				probe.close();
			}
		});
	}

	it('the dashboard endpoint takes its subscriptions from the query', async () => {
		const probe = await Probe.open('/api/dashboard/ws/dashboard?subscriptions=tasks,%20alerts');
		try {
			const first = await probe.next(() => true);
			expect([...first.subscriptions].sort()).toEqual(['alerts', 'tasks']);
			await probe.next((m) => m.type === 'task_update');
			expect(probe.frames.some((m) => m.type === 'agent_update')).toBe(false);
		} finally {
			probe.close();
		}
	});

	it('refuses other paths and, with auth on, clients without the bearer token (403 before the handshake)', async () => {
		const status = (path: string, headers: Record<string, string> = {}) =>
			new Promise<number>((resolve) => {
				const socket = new WebSocket(sim.url.replace(/^http/, 'ws') + path, {headers});
				socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
				socket.once('open', () => (socket.close(), resolve(101)));
				socket.once('error', () => resolve(-1));
			});
		expect(await status('/api/dashboard/ws/nothing')).toBe(403);
		expect(await status('/api/dashboard/metrics')).toBe(403);
		await c.post('/_sim/auth', {token: 'sekret'});
		try {
			expect(await status('/api/dashboard/ws/agents')).toBe(403);
			expect(await status('/api/dashboard/ws/agents', {authorization: 'Bearer sekret'})).toBe(101);
		} finally {
			await c.post('/_sim/auth', {token: null});
		}
	});
});

describe('messages', () => {
	it('answers ping with pong, (un)subscribe with the sorted list, and bad input with the server errors', async () => {
		const probe = await Probe.open('/api/dashboard/ws/agents');
		try {
			await probe.next((m) => m.type === 'connection_established');
			let mark = probe.frames.length;
			probe.send({type: 'ping'});
			wsPongSchema.parse(await probe.next((m) => m.type === 'pong', 1000, mark));
			mark = probe.frames.length;
			probe.send({type: 'subscribe', subscriptions: ['tasks', 'bogus']});
			expect(wsErrorSchema.parse(await probe.next((m) => m.type === 'error', 1000, mark)).message).toBe('Invalid subscription(s): bogus');
			expect((await probe.next((m) => m.type === 'subscription_updated', 1000, mark)).subscriptions).toEqual(['agents', 'system', 'tasks']);
			mark = probe.frames.length;
			probe.send({type: 'unsubscribe', subscriptions: ['system']});
			expect((await probe.next((m) => m.type === 'subscription_updated', 1000, mark)).subscriptions).toEqual(['agents', 'tasks']);
			mark = probe.frames.length;
			probe.send('not json');
			expect((await probe.next((m) => m.type === 'error', 1000, mark)).message).toBe('Invalid JSON message format');
			mark = probe.frames.length;
			probe.send({type: 'dance'});
			expect((await probe.next((m) => m.type === 'error', 1000, mark)).message).toBe('Unknown message type: dance');
			mark = probe.frames.length;
			probe.send({type: 'request_data', data_type: 'coordination_metrics'});
			const data = await probe.next((m) => m.type === 'data_response', 1000, mark);
			expect(data.data.success_rate).toBeGreaterThan(90);
			mark = probe.frames.length;
			probe.send({type: 'request_data', data_type: 'weather'});
			expect(await probe.next((m) => m.type === 'data_error', 1000, mark)).toMatchObject({data_type: 'weather', error: 'Unknown data type: weather'});
		} finally {
			probe.close();
		}
	});

	it('rate-limits a flood: 40 at once pass, then one "Rate limit exceeded"', async () => {
		const probe = await Probe.open('/api/dashboard/ws/system');
		try {
			await probe.next((m) => m.type === 'connection_established');
			const mark = probe.frames.length;
			for (let i = 0; i < 60; i++) probe.send({type: 'ping'});
			await probe.next((m) => m.type === 'error' && m.message === 'Rate limit exceeded', 2000, mark);
			await new Promise((r) => setTimeout(r, 200));
			const after = probe.frames.slice(mark);
			expect(after.filter((m) => m.type === 'pong').length).toBeGreaterThanOrEqual(40);
			expect(after.filter((m) => m.type === 'pong').length).toBeLessThan(60);
			expect(after.filter((m) => m.type === 'error').length).toBe(1);
		} finally {
			probe.close();
		}
	});
});

describe('pushed when the world changes', () => {
	it('a scenario switch via POST /_sim/scenario reaches every endpoint within a second, with fresh state', async () => {
		const probes = await Promise.all(Object.keys(ENDPOINTS).map((name) => Probe.open(`/api/dashboard/ws/${name}`)));
		try {
			for (const probe of probes) await probe.next((m) => m.type === 'connection_established');
			const marks = probes.map((p) => p.frames.length);
			await c.scenario('task-distribution');
			for (const [i, probe] of probes.entries()) {
				const event = await probe.next((m) => m.type === 'system_event' && m.data.event_type === 'scenario_changed', 1000, marks[i]);
				expect(wsEventSchema.parse(event).data).toMatchObject({scenario: 'task-distribution', backdate: true});
			}
			// The tasks endpoint sees the queue the scenario built, right after the event.
			const tasks = await probes[2]!.next((m) => m.type === 'task_update' && m.data.queue_length > 100, 1000, marks[2]);
			expect(tasks.subscription).toBe('tasks');
		} finally {
			for (const probe of probes) probe.close();
			await c.scenario('healthy');
		}
	});

	it('a coordination reset and an agent restart are pushed as the server broadcasts them', async () => {
		const probe = await Probe.open('/api/dashboard/ws/coordination');
		try {
			await probe.next((m) => m.type === 'connection_established');
			let mark = probe.frames.length;
			expect((await c.post('/api/dashboard/coordination/reset?reset_type=hard&confirm=true')).status).toBe(200);
			const reset = await probe.next((m) => m.type === 'coordination_reset', 1000, mark);
			expect(reset.data).toMatchObject({reset_type: 'hard'});
			expect(reset.data.actions[0]).toMatch(/^Reset \d+ stuck tasks to pending$/);
			await c.advance(120);
			const agent = (await c.get('/api/dashboard/agents/status')).body.agents[0];
			mark = probe.frames.length;
			await c.post(`/api/dashboard/agents/${agent.id}/restart?force=true`);
			expect((await probe.next((m) => m.type === 'agent_restart', 1000, mark)).data).toMatchObject({agent_id: agent.id, agent_name: agent.name, force: true});
			mark = probe.frames.length;
			await c.post('/api/dashboard/websocket/broadcast?subscription=coordination&message_type=operator_note', {text: 'hello'});
			expect((await probe.next((m) => m.type === 'operator_note', 1000, mark)).data).toEqual({text: 'hello'});
		} finally {
			probe.close();
		}
	});

	it('counts its connections in /websocket/stats and the Prometheus gauges, and lets an admin disconnect one', async () => {
		const probe = await Probe.open('/api/dashboard/ws/tasks?connection_id=admin-target');
		try {
			await probe.next((m) => m.type === 'connection_established');
			// A socket the previous test closed may still be counted for a moment: wait until it is gone.
			const stats = await until('only this connection counted', async () => {
				const s = (await c.get('/api/dashboard/websocket/stats')).body.websocket_stats;
				return s.total_connections === 1 ? s : null;
			});
			expect(stats.total_connections).toBe(1);
			expect(stats.subscription_counts).toMatchObject({tasks: 1, agents: 1, system: 0});
			const text = await (await fetch(`${sim.url}/api/dashboard/metrics/system`)).text();
			expect(text).toContain('leanvibe_websocket_connections_total 1\n');
			expect(text).toContain('leanvibe_websocket_subscriptions{subscription="tasks"} 1\n');
			const closed = new Promise<number>((resolve) => probe.socket.once('close', (code) => resolve(code)));
			const reply = await c.post('/api/dashboard/websocket/disconnect/admin-target?reason=maintenance');
			expect(reply.body).toMatchObject({success: true, connection_id: 'admin-target', reason: 'maintenance'});
			expect(await closed).toBe(1000);
			expect(probe.frames.some((m) => m.type === 'disconnect_notice' && m.reason === 'maintenance')).toBe(true);
			expect((await c.get('/api/dashboard/websocket/stats')).body.websocket_stats.total_connections).toBe(0);
		} finally {
			probe.close();
		}
	});
});
