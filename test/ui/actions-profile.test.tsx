// The console against `simulate --profile beehive` (the harness spawns the real binary): an action the
// beehive server does not offer is shown disabled with the reason (help, footer, its key), and a restart
// the hive refuses with HTTP 200 {error} shows as failed with the hive's own message.
import {spawnSync} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {repoRoot, startRedis, startSimulator, type RedisService, type SimulatorService} from '../harness/services.js';
import {advance, simState} from '../actions/helpers.js';
import {mountActions, type MountedActions} from './action-console-harness.js';
import {KEYS} from './render-console.js';

let redis: RedisService;
let sim: SimulatorService;
let m: MountedActions;

beforeAll(async () => {
	const built = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build.mjs')], {encoding: 'utf8'});
	if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
	redis = await startRedis();
	sim = await startSimulator({profile: 'beehive', speed: 0, agents: 8, redis: redis.url});
	m = await mountActions({hiveUrl: sim.url, redisUrl: redis.url, profile: 'beehive', auditLog: path.join(mkdtempSync(path.join(os.tmpdir(), 'hive-ui-')), 'audit.jsonl'), focused: 'tasks'});
}, 180_000);
afterAll(async () => {
	await m?.close();
	await sim?.stop();
	await redis?.cleanup();
});

describe('beehive profile', () => {
	it('cancel-task is shown disabled with the reason in the help and the footer, and its key sends nothing', async () => {
		const footer = m.frame().split('\n').at(-1)!;
		expect(footer).toMatch(/x cancel task \(off\)/);
		await m.r.press('?');
		const help = await m.waitFor('Keys');
		expect(help).toMatch(/Cancel task \[off:/);
		await m.r.press(KEYS.escape);
		await m.r.press('x');
		const frame = await m.waitFor('Cancel task: not available');
		expect(frame).toContain('reassign');
		await m.r.press(KEYS.escape);
		expect(m.gate.history.getState().runs).toEqual([]);
	});

	it('a restart the hive refuses with 200 {error} shows as failed with its message', async () => {
		await advance(sim.url, 600);
		const busy = (await simState(sim.url)).agents.find((a: {active_tasks: number}) => a.active_tasks > 0);
		expect(busy).toBeDefined();
		await m.refresh();
		await m.r.press('2', '/');
		m.r.stdin.write(busy.name);
		await m.r.press(KEYS.enter, 'R');
		await m.waitFor('Confirm: Restart agent');
		expect(m.frame()).toContain(`${busy.name} (agent ${busy.id})`);
		await m.r.press(KEYS.tab, KEYS.enter);
		const frame = await m.waitFor('FAILED');
		expect(frame).toContain('active task');
		expect(frame).toContain('refused by the hive 200');
		expect(await m.audit()).toEqual(['restart-agent:intent:sending', 'restart-agent:reply:failed']);
	});
});
