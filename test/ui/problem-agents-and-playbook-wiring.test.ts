// The console's actions judge agents as its panes do: on the hive's clock (a simulator at --speed 60 runs
// ahead of ours) and with the context's stale-heartbeat threshold, both for the agent a key press picks and
// for the restart-problem-agents choice and re-check; and the console's playbooks get the context's
// thresholds and escalation contacts.
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {getAction, type ActionEnv} from '../../source/actions/index.js';
import type {HiveApp} from '../../source/app/index.js';
import {DEFAULT_THRESHOLDS} from '../../source/model/thresholds.js';
import type {Thresholds} from '../../source/model/types.js';
import type {HiveSnapshot} from '../../source/contract/snapshot.js';
import {consoleActionSources} from '../../source/app/index.js';
import {ActionController} from '../../source/ui/actions/controller.js';
import {agent, fixtureStore, hiveSnapshot, NOW} from './fixtures.js';

const THRESHOLDS: Thresholds = {...structuredClone(DEFAULT_THRESHOLDS), staleHeartbeatSeconds: 60};

/**
 * The hive's clock runs 10 minutes ahead of ours (a fast simulator). On the hive's clock agent-01 last
 * beat 90 s ago (stale at a 60 s threshold, not at the default 300 s) and agent-02 30 s ago (fine). On the
 * console's clock both heartbeats are far in the past (the fixtures' day): judged by it, both would be stale.
 */
function skewedHive(): HiveSnapshot {
	const at = NOW - 3000;
	const hiveNow = at + 600_000;
	return hiveSnapshot({at, hiveNow}, [agent(1, {lastHeartbeat: hiveNow - 90_000}), agent(2, {lastHeartbeat: hiveNow - 30_000})]);
}

function fakeEnv(hive: HiveSnapshot, staleHeartbeatSeconds?: number): ActionEnv {
	return {
		profile: 'runbook',
		contextName: 'test',
		send: async () => {
			throw new Error('nothing is sent in these tests');
		},
		readHive: async () => hive,
		redis: null,
		redisAllocator: async () => null,
		...(staleHeartbeatSeconds === undefined ? {} : {staleHeartbeatSeconds}),
	};
}

let controllers: ActionController[] = [];
afterEach(() => {
	for (const c of controllers) c.dispose();
	controllers = [];
});

describe('problem agents on the hive clock with the configured threshold', () => {
	it('the agent a key press picks carries the reason the agents pane shows', () => {
		const hive = skewedHive();
		const controller = new ActionController({gate: new Promise(() => undefined), assessment: () => null, thresholds: () => THRESHOLDS, hive: () => hive});
		controllers.push(controller);
		const restart = getAction('restart-agent')!;
		const [one, two] = hive.agents!;
		expect(controller.targetsFor(restart, {pane: 'agents', row: one})).toEqual({targets: [{kind: 'agent', id: one!.id, name: 'agent-01', reason: 'heartbeat 90 s old'}]});
		// Healthy on the hive's clock: picked as asked, with no reason for the pre-check to find gone.
		expect(controller.targetsFor(restart, {pane: 'agents', row: two})).toEqual({targets: [{kind: 'agent', id: two!.id, name: 'agent-02'}]});
	});

	it('restart-problem-agents chooses on the read\'s hive clock and the env\'s threshold, and re-checks the same way', async () => {
		const hive = skewedHive();
		const action = getAction('restart-problem-agents')!;
		const signal = AbortSignal.timeout(5000);
		const chosen = await action.defaultTargets!(fakeEnv(hive, 60), signal);
		expect(chosen.map((t) => [t.name, t.reason])).toEqual([['agent-01', 'heartbeat 90 s old']]);
		// The default threshold (300 s) leaves both alone: no agent is chosen from a clock that is not the hive's.
		expect(await action.defaultTargets!(fakeEnv(hive), signal)).toEqual([]);

		const [one, two] = hive.agents!;
		const targets = [
			{kind: 'agent' as const, id: one!.id, name: 'agent-01', reason: 'heartbeat 90 s old'},
			{kind: 'agent' as const, id: two!.id, name: 'agent-02', reason: 'heartbeat 400 s old'},
		];
		const check = await action.preCheck!({env: fakeEnv(hive, 60), signal, targets, inputs: {}});
		expect(check.proceed).toBe(true);
		if (!check.proceed) return;
		expect(check.targets.map((t) => t.name)).toEqual(['agent-01']);
		expect(check.notes?.join(' ')).toContain('agent-02 has recovered');
	});

	it('the console passes the context\'s threshold to the actions\' env', async () => {
		const {app} = fakeApp();
		const controller = new ActionController(consoleActionSources(app, {contextName: 'wiring', readOnly: {on: false, reason: ''}}));
		controllers.push(controller);
		await controller.refreshAvailability();
		expect(controller.currentGate!.env.staleHeartbeatSeconds).toBe(60);
	});
});

/** A HiveApp with what the console's actions use of it: a hive that answers the store's snapshot, the config, the store. */
function fakeApp() {
	const recent = Date.now() - 1000;
	const hive = hiveSnapshot({coordination: {successRate: 50, avgCompletionTimeMinutes: 12, agentUtilization: 60, queueLength: 4, longRunning: 0, completedPerHour: 30, failedPerHour: 1}});
	const store = fixtureStore({hive, status: {hive: {lastSuccessAt: recent, lastAttemptAt: recent}}});
	store.setState({thresholds: THRESHOLDS});
	const escalation = {contacts: [{level: 'L1', name: 'DevOps on-call', via: 'PagerDuty'}], channels: [{name: '#incident-response', purpose: 'coordination'}]};
	const config = {auditLogPath: path.join(mkdtempSync(path.join(os.tmpdir(), 'hive-ui-wiring-')), 'audit.jsonl'), escalation, thresholds: THRESHOLDS};
	const source = {resolveProfile: async () => 'runbook' as const, poll: async () => hive, client: {request: async () => ({status: 200, json: {}, text: ''})}};
	return {app: {hive: source, redis: null, config, store} as unknown as HiveApp, escalation};
}

describe('the console\'s playbooks', () => {
	it('judge with the context\'s thresholds and carry its escalation contacts', async () => {
		const {app, escalation} = fakeApp();
		const controller = new ActionController(consoleActionSources(app, {contextName: 'wiring', readOnly: {on: false, reason: ''}}));
		controllers.push(controller);
		await controller.refreshAvailability();
		expect(controller.bannerScenario()?.scenario).toBe('coordination-critical');
		controller.openPlaybook();
		const runner = controller.state.playbook!;
		expect(runner).not.toBeNull();
		expect(runner.state.escalation).toEqual(escalation);
		// The runner's verification reads them from its options (the model's assess() with these thresholds).
		expect((runner as unknown as {options: {thresholds?: Thresholds}}).options.thresholds).toBe(THRESHOLDS);
	});
});
