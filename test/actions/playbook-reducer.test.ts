// The playbooks on their own: their steps per API profile, the state machine (steps move on when done or
// skipped, a failed step stays current, an abort ends the run), the honest ending (RECOVERED only when every
// verification passed; skipped steps listed with their reason; what still fails, what next, whom to call),
// the scenario verdict through the model's own assess(), and time spans on the hive's clock.
import {describe, expect, it} from 'vitest';
import {
	concludePlaybook,
	countdownLeft,
	getPlaybook,
	HiveSpan,
	initialPlaybookState,
	playbookReducer,
	playbooks,
	scenarioFailures,
	type PlaybookState,
} from '../../source/actions/playbooks.js';
import {getAction} from '../../source/actions/registry.js';
import {DEFAULT_THRESHOLDS} from '../../source/model/thresholds.js';
import {agent, AT, snapshot, task} from '../model/fixtures.js';

const shape = (id: string, profile: 'runbook' | 'beehive') => getPlaybook(id, profile)!.steps.map((s) => (s.kind === 'action' ? s.actionId : s.kind === 'wait' ? `wait ${s.seconds}` : s.kind));

const escalation = {contacts: [{level: 'L1', name: 'DevOps on-call', via: 'PagerDuty'}], channels: [{name: '#incident-response', purpose: 'incidents', via: 'Slack'}]};

describe('playbook definitions', () => {
	it("the runbook profile follows the runbook's steps", () => {
		expect(playbooks('runbook').map((p) => p.id)).toEqual(['coordination-critical', 'communication-failure', 'task-distribution', 'weekly-optimisation']);
		expect(shape('coordination-critical', 'runbook')).toEqual(['check', 'emergency-stop', 'wait 30', 'restart-orchestrator', 'delete-stream', 'check', 'check']);
		expect(shape('communication-failure', 'runbook')).toEqual(['check', 'refresh-redis-pools', 'restart-problem-agents', 'wait 60', 'check']);
		expect(shape('task-distribution', 'runbook')).toEqual(['check', 'cancel-task', 'rebalance', 'wait 30', 'check']);
	});

	it("the beehive profile uses the shipped server's own controls", () => {
		expect(shape('coordination-critical', 'beehive')).toEqual(['check', 'emergency-stop', 'wait 30', 'coordination-reset-hard', 'retry-task', 'check', 'check']);
		expect(shape('communication-failure', 'beehive')).toEqual(['check', 'coordination-reset-hard', 'wait 60', 'restart-problem-agents', 'check']);
		expect(shape('task-distribution', 'beehive')).toEqual(['check', 'reassign-task', 'restart-orchestrator', 'wait 30', 'check']);
	});

	it('name only registry actions, and end with a verification that must hold on two polls in a row', () => {
		for (const profile of ['runbook', 'beehive'] as const) {
			for (const p of playbooks(profile)) {
				for (const s of p.steps) if (s.kind === 'action') expect(getAction(s.actionId), `${profile}/${p.id}/${s.actionId}`).toBeDefined();
				if (p.maintenance) continue;
				const last = p.steps[p.steps.length - 1]!;
				expect(last.kind === 'check' && last.verify && last.consecutive, `${profile}/${p.id}`).toBe(2);
			}
		}
	});
});

function runAll(state: PlaybookState, statuses: Array<'done' | 'skipped' | 'failed'>, failures: Record<number, Array<{metric: string; value: string; threshold: string}>> = {}): PlaybookState {
	let s = state;
	statuses.forEach((status, i) => {
		s = playbookReducer(s, {type: 'step-started'});
		s = playbookReducer(s, {type: 'step-finished', status, message: `${status} ${i}`, ...(failures[i] ? {failures: failures[i]} : {})});
	});
	return s;
}

describe('the state machine', () => {
	it('moves on after done or skipped, holds a failed step, and an abort ends it ABORTED', () => {
		const playbook = getPlaybook('task-distribution')!;
		let s = initialPlaybookState(playbook);
		expect(s).toMatchObject({current: 0, outcome: null, ending: null});
		s = playbookReducer(s, {type: 'step-started'});
		expect(s.steps[0]!.status).toBe('running');
		s = playbookReducer(s, {type: 'step-finished', status: 'done', message: 'queue 140'});
		expect(s.current).toBe(1);
		s = playbookReducer(s, {type: 'step-finished', status: 'failed', message: 'refused: HTTP 500'});
		expect(s.current).toBe(1);
		expect(s.steps[1]).toMatchObject({status: 'failed', message: 'refused: HTTP 500'});
		s = playbookReducer(s, {type: 'step-finished', status: 'skipped', message: 'operator skipped'});
		expect(s.current).toBe(2);
		s = playbookReducer(s, {type: 'abort', reason: 'interrupted (Ctrl-C)'});
		expect(s).toMatchObject({finished: true, aborted: true, outcome: 'aborted'});
		expect(s.ending!.summary).toBe('ABORTED: interrupted (Ctrl-C)');
		expect(playbookReducer(s, {type: 'step-finished', status: 'done', message: 'x'})).toBe(s);
	});

	it('progress events carry the countdown and what still fails', () => {
		let s = initialPlaybookState(getPlaybook('task-distribution')!);
		s = playbookReducer(s, {type: 'step-started', countdown: {seconds: 30, at: 1000, rate: 60}});
		s = playbookReducer(s, {type: 'step-progress', message: 'x', countdown: {seconds: 12, at: 2000, rate: 60}, failures: [{metric: 'm', value: 'v', threshold: 't'}]});
		expect(s.steps[0]).toMatchObject({countdown: {seconds: 12}, failures: [{metric: 'm'}]});
		expect(countdownLeft(s.steps[0]!.countdown!, 2100)).toBe(6);
	});
});

describe('the ending', () => {
	it('is RECOVERED when every step is done and the verification held', () => {
		const s = runAll(initialPlaybookState(getPlaybook('task-distribution')!, {escalation}), ['done', 'done', 'done', 'done', 'done']);
		expect(s.outcome).toBe('recovered');
		expect(s.ending).toMatchObject({outcome: 'recovered', failing: [], skipped: [], next: [], escalation: null});
		expect(s.ending!.summary).toBe('RECOVERED: done 4');
	});

	it('lists a skipped step with its reason even when the verification held', () => {
		const s = runAll(initialPlaybookState(getPlaybook('coordination-critical')!), ['done', 'done', 'done', 'done', 'skipped', 'done', 'done']);
		expect(s.outcome).toBe('recovered');
		expect(s.ending!.skipped).toEqual([{step: 'clear-stream', title: 'Clear a corrupted stream, if one is identified', reason: 'skipped 4'}]);
	});

	it('is NOT RECOVERED when the verification fails: what fails, what next, whom to call', () => {
		let s = initialPlaybookState(getPlaybook('communication-failure', 'beehive')!, {escalation});
		const failing = [{metric: 'stale heartbeats', value: '2', threshold: '0 (heartbeat ≤ 300 s)'}];
		s = runAll(s, ['done', 'done', 'done', 'skipped', 'failed'], {4: failing});
		expect(s.finished).toBe(false);
		s = playbookReducer(s, {type: 'end', reason: ''});
		expect(s.outcome).toBe('not-recovered');
		expect(s.ending!.failing).toEqual(failing);
		expect(s.ending!.summary).toBe('NOT RECOVERED: stale heartbeats 2 (0 (heartbeat ≤ 300 s))');
		expect(s.ending!.skipped.map((x) => x.step)).toEqual(['restart']);
		expect(s.ending!.next[0]).toContain('run the skipped step "Restart the agents still stale or in error"');
		expect(s.ending!.next[0]).toContain('hive-console action restart-problem-agents');
		expect(s.ending!.next.at(-1)).toContain('escalate');
		expect(s.ending!.escalation).toEqual(escalation);
	});

	it('a skipped verification is never a recovery', () => {
		const s = runAll(initialPlaybookState(getPlaybook('task-distribution')!), ['done', 'done', 'done', 'done', 'skipped']);
		expect(s.outcome).toBe('not-recovered');
		expect(s.ending!.failing[0]).toMatchObject({metric: 'Verify the queue and the distribution', threshold: 'must pass'});
	});

	it('a run ended at a failed action step says where, and what was not run', () => {
		let s = runAll(initialPlaybookState(getPlaybook('coordination-critical')!), ['done', 'failed']);
		s = playbookReducer(s, {type: 'end', reason: 'stopped at step 2, "Emergency stop of all agents": failed: HTTP 500'});
		expect(s.ending!.summary).toMatch(/^NOT RECOVERED: stopped at step 2/);
		expect(s.ending!.failed.map((f) => `${f.step}:${f.message}`)).toEqual(['stop:failed 1', 'graceful:not run', 'restart:not run', 'clear-stream:not run', 'core:not run', 'recovery:not run']);
		expect(s.ending!.next[0]).toBe('retry "Emergency stop of all agents" (key in the console, or `hive-console action emergency-stop`): it failed: failed 1');
		expect(s.ending!.escalation).toBeNull();
	});

	it('the weekly optimisation has nothing to verify: COMPLETED', () => {
		const s = runAll(initialPlaybookState(getPlaybook('weekly-optimisation')!), ['done', 'done', 'skipped', 'done']);
		expect(s.outcome).toBe('completed');
		expect(concludePlaybook(s).summary).toBe('COMPLETED: every step done (1 skipped)');
	});
});

describe('the scenario verdict (the model’s assess() with the thresholds in force)', () => {
	const healthy = snapshot({successRate: 97, queueLength: 4, longRunning: 0});

	it('is empty when the metrics are in their target', () => {
		for (const scenario of ['coordination-critical', 'communication-failure', 'task-distribution'] as const) expect(scenarioFailures(scenario, healthy, DEFAULT_THRESHOLDS), scenario).toEqual([]);
	});

	it('Scenario 1: success rate below its target (degraded) is not recovered, and the thresholds in force decide', () => {
		const s = snapshot({successRate: 92});
		expect(scenarioFailures('coordination-critical', s, DEFAULT_THRESHOLDS)).toEqual([{metric: 'success rate', value: '92 % (degraded)', threshold: 'target ≥ 95 %'}]);
		expect(scenarioFailures('coordination-critical', s, {...DEFAULT_THRESHOLDS, successRate: {...DEFAULT_THRESHOLDS.successRate, target: 90}})).toEqual([]);
		const critical = scenarioFailures('coordination-critical', snapshot({successRate: 60}), DEFAULT_THRESHOLDS);
		expect(critical.map((f) => f.metric)).toEqual(['success rate', 'Scenario 1 detection']);
	});

	it('Scenario 2: stale heartbeats, agents in error and slow answers each fail', () => {
		const s = snapshot({agents: [agent({name: 'a1', lastHeartbeat: AT - 400_000}), agent({name: 'a2', status: 'error'}), agent({name: 'a3', averageResponseTime: 40}), agent({name: 'a4'})]});
		const metrics = scenarioFailures('communication-failure', s, DEFAULT_THRESHOLDS).map((f) => f.metric);
		expect(metrics).toEqual(expect.arrayContaining(['stale heartbeats', 'agents in error', 'response time', 'Scenario 2 detection']));
	});

	it('Scenario 3: the queue above its target, long-running tasks and uneven assignment each fail', () => {
		const busy = agent({id: 'busy', name: 'busy'});
		const agents = [busy, agent({name: 'b'}), agent({name: 'c'})];
		const tasks = Array.from({length: 8}, () => task({status: 'in_progress', assignedAgentId: 'busy'}));
		const s = snapshot({queueLength: 30, longRunning: 2, agents, tasks});
		expect(scenarioFailures('task-distribution', s, DEFAULT_THRESHOLDS).map((f) => f.metric)).toEqual(['queue length', 'long-running tasks', 'uneven assignment', 'Scenario 3 detection']);
	});
});

describe('spans on the hive clock', () => {
	it("end when the hive's clock has moved the seconds, even if little wall time passed", () => {
		const span = new HiveSpan(30, 0);
		span.observe({at: 0, hiveNow: 1_000_000}, 0);
		expect(span.done(100)).toBe(false);
		span.observe({at: 250, hiveNow: 1_000_000 + 15_000}, 250);
		expect(span.rate(250)).toBe(60);
		expect(span.remainingSeconds(250)).toBe(15);
		expect(span.wallMsLeft(250)).toBe(250);
		span.observe({at: 500, hiveNow: 1_000_000 + 30_000}, 500);
		expect(span.done(500)).toBe(true);
	});

	it('end on wall time when the hive clock stands still or cannot be read', () => {
		const span = new HiveSpan(30, 0);
		span.observe({at: 0, hiveNow: 5000}, 0);
		span.observe({at: 29_000, hiveNow: 5000}, 29_000);
		expect(span.done(29_000)).toBe(false);
		span.observe(null, 30_000);
		expect(span.done(30_000)).toBe(true);
		expect(span.rate()).toBe(1);
	});
});
