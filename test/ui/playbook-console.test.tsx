// The playbook in the console, from the banner's `!` to the ending, on a simulator at --speed 60: once
// started with Enter it moves on by itself (checks and waits run, each action step opens its confirmation),
// so a scenario takes two keys besides the confirmations. The ending is in words: RECOVERED or NOT RECOVERED.
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import path from 'node:path';
import {startSimulator, type RunningSimulator} from '../../source/simulator/index.js';
import {startServices, type Services} from '../actions/helpers.js';
import {mountActions, type MountedActions} from './action-console-harness.js';
import {KEYS, tick} from './render-console.js';

let services: Services;
let sim: RunningSimulator | null = null;
let mounted: MountedActions | null = null;

beforeAll(async () => {
	services = await startServices();
});
afterAll(async () => {
	await services?.cleanup();
});
afterEach(async () => {
	await mounted?.close();
	mounted = null;
	await sim?.close();
	sim = null;
});

async function mount(scenario: string): Promise<MountedActions> {
	await services.client.flushall();
	sim = await startSimulator({port: 0, scenario, agents: 8, speed: 60, seed: 7, profile: 'runbook', redisUrl: services.redis.url, databaseUrl: await services.pg.createDatabase(), onWarning: () => undefined});
	mounted = await mountActions({hiveUrl: sim.url, redisUrl: services.redis.url, profile: 'runbook', auditLog: path.join(services.dir, `pb-${scenario}.jsonl`)});
	return mounted;
}

describe('the playbook view', () => {
	it('Scenario 2: ! and Enter, then only the confirmations, to RECOVERED', async () => {
		const m = await mount('communication-failure');
		await m.refresh();
		await m.waitFor('Scenario 2: agent communication failures');
		let keys = 0;
		await m.r.press('!');
		keys++;
		await m.waitFor('step 1 of 5');
		expect(m.frame()).toContain('Enter starts');
		await m.r.press(KEYS.enter);
		keys++;
		// Refresh Redis pools is low: y confirms.
		await m.waitFor('Confirm: Refresh Redis connection pools', 20_000);
		await m.r.press('y');
		// Restart problem agents is high: move to Confirm and press Enter.
		await m.waitFor('Confirm: Restart problem agents', 20_000);
		await m.r.press(KEYS.tab, KEYS.enter);
		const frame = await m.waitFor(/RECOVERED|NOT RECOVERED/, 60_000);
		expect(frame, frame).toContain('RECOVERED');
		expect(frame).not.toContain('NOT RECOVERED');
		expect(frame).not.toContain('FINISHED');
		expect(keys).toBeLessThanOrEqual(5);
		await m.r.press(KEYS.enter);
		await tick(50);
		expect(m.controller.state.playbook).toBeNull();
	}, 90_000);

	it('a cancelled confirmation holds its step; s skips it, and the ending says NOT RECOVERED with the skipped step', async () => {
		const m = await mount('communication-failure');
		await m.refresh();
		await m.waitFor('Scenario 2: agent communication failures');
		await m.r.press('!', KEYS.enter);
		await m.waitFor('Confirm: Refresh Redis connection pools', 20_000);
		await m.r.press(KEYS.escape);
		await m.waitFor('step 2 of 5');
		await tick(300);
		expect(m.frame()).not.toContain('Confirm: Refresh');
		// Skip the pool refresh and decline the restarts too: nothing fixes the hive, so it cannot recover.
		await m.r.press('s');
		await m.waitFor('Confirm: Restart problem agents', 20_000);
		await m.r.press(KEYS.escape);
		await m.waitFor('step 3 of 5');
		await m.r.press('s');
		const frame = await m.waitFor('NOT RECOVERED', 60_000);
		expect(frame).toContain('SKIPPED Refresh Redis connection pools: skipped by the operator');
		expect(frame).toContain('still failing: stale heartbeats');
	}, 90_000);
});
