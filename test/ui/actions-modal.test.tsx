// The recovery actions in the console, against a real simulator and a real Redis: the confirmation modal
// (Cancel first, Esc sends nothing, typed names, inputs validated as typed), single sending on a double
// press, read-only mode over the whole registry, and the audit log's intent and outcome for what was sent.
import {isAvailable, profileRoutes, type ProfileRouteName} from '../../source/contract/routes.js';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import path from 'node:path';
import {actions} from '../../source/actions/index.js';
import type {RunningSimulator} from '../../source/simulator/index.js';
import {advance, simState, startServices, startSim, type Services} from '../actions/helpers.js';
import {mountActions, type MountedActions} from './action-console-harness.js';
import {KEYS, tick} from './render-console.js';

let services: Services;
let sim: RunningSimulator;
let mounted: MountedActions | null = null;
let n = 0;

beforeAll(async () => {
	services = await startServices();
}, 60_000);
afterAll(async () => {
	await services?.cleanup();
});
afterEach(async () => {
	await mounted?.close();
	mounted = null;
	await sim?.close();
});

async function mount(options: {readOnly?: boolean; scenario?: string} = {}): Promise<MountedActions> {
	sim = await startSim(services, options.scenario ?? 'healthy');
	mounted = await mountActions({hiveUrl: sim.url, redisUrl: services.redis.url, profile: 'runbook', auditLog: path.join(services.dir, `ui-${++n}.jsonl`), readOnly: options.readOnly});
	return mounted;
}

/** Waits for a run of `actionId` to finish, moving the simulated clock on (it is frozen in these tests). */
async function finished(m: MountedActions, actionId: string) {
	for (let i = 0; i < 200; i++) {
		const run = m.gate.history.getState().runs.find((r) => r.actionId === actionId && r.finishedAt !== null);
		if (run) return run;
		await advance(sim.url, 5);
		await tick(50);
	}
	throw new Error(`${actionId} did not finish`);
}

describe('the confirmation modal', () => {
	it('opens with focus on Cancel, names the target and the exact request; Esc closes it and sends nothing', async () => {
		const m = await mount();
		await m.r.press('E');
		const frame = await m.waitFor('Confirm: Emergency stop');
		expect(frame).toContain('› Cancel ‹');
		expect(frame).toContain('POST /api/v1/agents/emergency-stop');
		expect(frame).toContain('ui-test (hive ui-test)');
		expect(frame).toContain('Cannot be undone');
		await m.r.press(KEYS.escape);
		await m.waitFor((await import('./action-text.js')).notModal);
		expect(m.gate.history.getState().runs).toEqual([]);
		expect(await m.audit()).toEqual([]);
		expect((await simState(sim.url)).halted).toBe(false);
	}, 60_000);

	it('a critical action refuses a wrong typed name; the right one sends once, with intent and outcome in the audit log', async () => {
		const m = await mount();
		await m.r.press('E');
		await m.waitFor('Confirm: Emergency stop');
		m.r.stdin.write('ui-tst');
		await m.r.press(KEYS.enter);
		const rejected = await m.waitFor('does not match');
		expect(rejected).toContain('Confirm: Emergency stop');
		expect(m.gate.history.getState().runs).toEqual([]);
		expect((await simState(sim.url)).halted).toBe(false);
		m.r.stdin.write('ui-test');
		await m.r.press(KEYS.enter);
		const run = await finished(m, 'emergency-stop');
		expect(run.status, run.message).toBe('confirmed');
		expect((await simState(sim.url)).halted).toBe(true);
		expect(await m.audit()).toEqual(['emergency-stop:intent:sending', 'emergency-stop:reply:sent', 'emergency-stop:effect:confirmed']);
		await m.waitFor('CONFIRMED');
	}, 60_000);

	it('Enter on a low-risk confirmation with Cancel focused closes it: nothing is sent, nothing is written to the audit log', async () => {
		const m = await mount();
		const low = actions.find((a) => a.severity === 'low' && a.mutates && a.inputFields.length === 0 && m.controller.state.availability?.get(a.id)?.available);
		expect(low, 'a low-risk action this hive offers').toBeDefined();
		await m.r.press(low!.key);
		const frame = await m.waitFor(`Confirm: ${low!.title}`);
		expect(frame).toContain('› Cancel ‹');
		await m.r.press(KEYS.enter);
		await m.waitFor((await import('./action-text.js')).notModal);
		await tick(200);
		expect(m.gate.history.getState().runs).toEqual([]);
		expect(await m.audit()).toEqual([]);
	}, 60_000);

	it('a double Enter on Confirm sends the restart once', async () => {
		const m = await mount();
		await m.r.press('2', 'R');
		await m.waitFor('Confirm: Restart agent');
		// Enter on Cancel would cancel a high action: move to Confirm, then two Enters in one chunk.
		await m.r.press(KEYS.tab);
		expect(m.frame()).toContain('› Confirm ‹');
		m.r.stdin.write('\r\r');
		const run = await finished(m, 'restart-agent');
		// The first agent may hold a task: the hive then refuses with 200 {error}, which is a failure too.
		expect(['confirmed', 'failed']).toContain(run.status);
		await tick(200);
		expect(m.gate.history.getState().runs.filter((r) => r.actionId === 'restart-agent')).toHaveLength(1);
		expect((await m.audit()).filter((e) => e === 'restart-agent:intent:sending')).toHaveLength(1);
	}, 60_000);

	it('Tab and Enter typed fast (one chunk, as over SSH) move to Confirm and press it: the action runs', async () => {
		const m = await mount();
		await m.r.press('2', 'R');
		await m.waitFor('Confirm: Restart agent');
		m.r.stdin.write('\t\r');
		const run = await finished(m, 'restart-agent');
		expect(['confirmed', 'failed']).toContain(run.status);
		expect((await m.audit()).filter((e) => e === 'restart-agent:intent:sending')).toHaveLength(1);
	}, 60_000);

	it('validates inputs as they are typed and sends the body they make', async () => {
		const m = await mount();
		await m.r.press('h');
		let frame = await m.waitFor('Confirm: Set heartbeat interval');
		expect(frame).toContain('PUT /api/v1/config/heartbeat-interval {"interval":30}');
		await m.r.press('9', '9', '9');
		frame = await m.waitFor('✗ set-heartbeat-interval: input interval');
		await m.r.press(KEYS.backspace, KEYS.backspace, KEYS.backspace, '4', '5');
		frame = await m.waitFor('{"interval":45}');
		expect(frame).not.toContain('✗');
		await m.r.press(KEYS.tab, KEYS.tab);
		expect(m.frame()).toContain('› Confirm ‹');
		await m.r.press(KEYS.enter);
		const run = await finished(m, 'set-heartbeat-interval');
		expect(run.status, run.message).toBe('confirmed');
		expect((await simState(sim.url)).config.heartbeat_interval).toBe(45);
		expect(await m.audit()).toEqual(['set-heartbeat-interval:intent:sending', 'set-heartbeat-interval:reply:sent', 'set-heartbeat-interval:effect:confirmed']);
	}, 60_000);
});

describe('read-only mode', () => {
	it('blocks every action in the registry that changes anything: its key says why and nothing is sent', async () => {
		const m = await mount({readOnly: true});
		expect(m.frame()).toContain('READ-ONLY (--read-only)');
		for (const action of actions) {
			await m.r.press(action.key);
			if (action.mutates) {
				const frame = await m.waitFor(`${action.title}: not available`);
				expect(frame, action.id).toContain('read-only mode (--read-only)');
				expect(frame).toContain('Nothing was sent.');
			} else if (!isAvailable(profileRoutes.runbook[(action.uses as ProfileRouteName[])[0]!])) {
				// An analysis this (runbook) profile does not offer says so, and sends nothing.
				const frame = await m.waitFor(`${action.title}: not available`);
				expect(frame, action.id).toContain('runbook profile');
			} else {
				// The analyses read only (GETs); read-only mode lets them show their result.
				await m.waitFor(action.title);
				const run = await finished(m, action.id);
				expect(run.requests.every((r) => r.startsWith('GET ')), action.id).toBe(true);
			}
			await m.r.press(KEYS.escape);
			await m.waitFor((await import('./action-text.js')).notModal);
		}
		expect(await m.audit()).toEqual([]);
		expect(m.gate.history.getState().runs.every((r) => !actions.find((a) => a.id === r.actionId)!.mutates)).toBe(true);
		await m.r.press('?');
		const help = await m.waitFor('Keys');
		expect(help).toContain('Emergency stop [off: read-only mode');
	}, 120_000);
});
