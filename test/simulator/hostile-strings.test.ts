// Agent names, roles and task titles the console must survive (escape sequences, bidi overrides, C1
// controls, 10,000 characters, quotes and newlines), injected with /_sim/agents and /_sim/tasks, come back
// byte for byte from every endpoint that carries them. The Prometheus label is written unescaped, as the
// hive does (docs/hive-contract.md §2): a quote or a newline in a name breaks the exposition text exactly as it would
// on a real hive, and the console has to cope with that too.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startSimulator, type SimulatorService} from '../harness/services.js';
import {Client} from './helpers.js';

let sim: SimulatorService;
let c: Client;

beforeAll(async () => {
	sim = await startSimulator({agents: 3, speed: 0, args: ['--seed', '13']});
	c = new Client(sim.url);
});
afterAll(async () => {
	await sim?.stop();
});

const HOSTILE: Record<string, string> = {
	escapes: '\x1b[31mred\x1b[0m\x1b]0;pwned title\x07\x1b[2J\x1b[H\x1bP+q\x1b\\',
	bidi: 'admin\u202Egnp.exe\u2066isolated\u2069\u200F\u061C',
	controls: 'cr\rback\bbell\x07del\x7Fc1\u009B31m\u0085tab\t',
	long: ('名前🐝' + 'x'.repeat(97)).repeat(100),
	breaksExposition: 'quote" name\nleanvibe_agents_stale_heartbeats 99',
};

async function rawBody(path: string): Promise<Buffer> {
	return Buffer.from(await (await c.raw('GET', path)).arrayBuffer());
}

describe('hostile agent names and roles', () => {
	const ids: Record<string, string> = {};

	beforeAll(async () => {
		for (const [key, name] of Object.entries(HOSTILE)) {
			const r = await c.post('/_sim/agents', {name, role: `role ${name}`, type: key === 'long' ? name : 'custom'});
			expect(r.status).toBe(200);
			ids[key] = r.body.agent.id;
		}
	});

	it('the long name is really 10,000 characters (code points, some wide, one astral)', () => {
		expect([...HOSTILE.long!].length).toBe(10_000);
	});

	for (const key of Object.keys(HOSTILE)) {
		it(`${key}: the JSON endpoints return the name and role exactly as sent`, async () => {
			const name = HOSTILE[key]!;
			for (const path of ['/api/v1/agents/status', '/api/dashboard/agents/status?include_inactive=true']) {
				const agent = (await c.get(path)).body.agents.find((a: any) => a.id === ids[key]);
				expect(agent.name, path).toBe(name);
				expect(agent.role, path).toBe(`role ${name}`);
			}
			expect((await c.get('/api/dashboard/agents/heartbeat')).body.agents.find((a: any) => a.agent_id === ids[key]).name).toBe(name);
			expect((await c.get('/api/v1/tasks/distribution-analysis')).body.agents.find((a: any) => a.agent_id === ids[key]).name).toBe(name);
			expect((await c.get('/api/v1/agents/latency-analysis')).body.agents.find((a: any) => a.agent_id === ids[key]).name).toBe(name);
		});

		it(`${key}: the Prometheus label carries the name's bytes unescaped`, async () => {
			const text = await rawBody('/api/dashboard/metrics/agents');
			const label = Buffer.from(`leanvibe_agent_health_score{agent_id="${ids[key]}",agent_name="${HOSTILE[key]}"} 100\n`, 'utf8');
			const other = Buffer.from(`leanvibe_agent_health_score{agent_name="${HOSTILE[key]}",agent_id="${ids[key]}"} 100\n`, 'utf8');
			expect(text.indexOf(label) >= 0 || text.indexOf(other) >= 0).toBe(true);
		});
	}

	it('a quote and a newline in a name break the exposition text, as on the real hive', async () => {
		const text = (await rawBody('/api/dashboard/metrics/agents')).toString('utf8');
		const forged = text.split('\n').filter((line) => line.startsWith('leanvibe_agents_stale_heartbeats '));
		// The real gauge, plus the line forged by the name (which ends in the rest of the sample).
		expect(forged).toContain('leanvibe_agents_stale_heartbeats 0');
		expect(forged.some((line) => line.startsWith('leanvibe_agents_stale_heartbeats 99"'))).toBe(true);
	});

	it('refuses what the hive could never have stored (U+0000, unpaired surrogates) with 422', async () => {
		const nul = await c.post('/_sim/agents', {name: 'a\u0000b'});
		expect(nul.status).toBe(422);
		expect(nul.body.detail[0]).toMatchObject({loc: ['body', 'name'], msg: expect.stringContaining('U+0000')});
		const lone = await c.raw('POST', '/_sim/agents', '{"name": "a\\ud800b"}', {'content-type': 'application/json'});
		expect(lone.status).toBe(422);
		expect((await c.post('/_sim/agents', {name: ''})).status).toBe(422);
		expect((await c.post('/_sim/agents', {})).body.detail[0]).toMatchObject({type: 'missing', loc: ['body', 'name']});
		expect((await c.post('/_sim/agents', {name: 'x', status: 'dancing'})).status).toBe(422);
	});
});

describe('hostile task titles', () => {
	it('a queued task and a running one carry the title exactly, also as the agent current_task', async () => {
		const agent = (await c.post('/_sim/agents', {name: 'plain-worker'})).body.agent;
		for (const [key, title] of Object.entries(HOSTILE)) {
			const queued = await c.post('/_sim/tasks', {title, priority: 'critical'});
			expect(queued.body.task).toMatchObject({title, status: 'pending', priority: 'critical'});
			const queue = (await c.get('/api/dashboard/tasks/queue?priority_filter=critical&limit=500')).body.tasks;
			expect(queue.find((t: any) => t.id === queued.body.task.id).title, key).toBe(title);
		}
		const running = await c.post('/_sim/tasks', {title: HOSTILE.escapes, agent_id: agent.id});
		expect(running.body.task).toMatchObject({status: 'in_progress', assigned_agent_id: agent.id, assigned_agent_name: 'plain-worker'});
		const listed = (await c.get('/api/v1/agents/status')).body.agents.find((a: any) => a.id === agent.id);
		expect(listed.current_task).toBe(HOSTILE.escapes);
		expect((await c.post('/_sim/tasks', {title: 'x', agent_id: 'nope'})).status).toBe(404);
		expect((await c.post('/_sim/tasks', {title: 'x', status: 'in_progress'})).status).toBe(422);
	});
});
