// The playbook state machine on its own: steps move on when done or skipped, a failed step stays current
// until it is retried or skipped, and an abort ends the run.
import {describe, expect, it} from 'vitest';
import {getPlaybook, initialPlaybookState, playbookReducer, playbooks} from '../../source/actions/playbooks.js';
import {getAction} from '../../source/actions/registry.js';

describe('playbooks', () => {
	it('are the runbook scenarios in its order, each action step naming a registry action', () => {
		expect(playbooks().map((p) => p.id)).toEqual(['coordination-critical', 'communication-failure', 'task-distribution', 'weekly-optimisation']);
		expect(getPlaybook('coordination-critical')!.steps.map((s) => (s.kind === 'action' ? s.actionId : s.kind))).toEqual([
			'check',
			'emergency-stop',
			'wait',
			'restart-orchestrator',
			'delete-stream',
			'check',
			'check',
		]);
		const wait = getPlaybook('coordination-critical')!.steps[2]!;
		expect(wait.kind === 'wait' && wait.seconds).toBe(30);
		expect(getPlaybook('communication-failure')!.steps.map((s) => (s.kind === 'action' ? s.actionId : s.kind))).toEqual(['check', 'refresh-redis-pools', 'restart-problem-agents', 'wait', 'check']);
		expect(getPlaybook('task-distribution')!.steps.map((s) => (s.kind === 'action' ? s.actionId : s.kind))).toEqual(['check', 'cancel-task', 'rebalance', 'wait', 'check']);
		for (const p of playbooks()) for (const s of p.steps) if (s.kind === 'action') expect(getAction(s.actionId), s.actionId).toBeDefined();
	});

	it('moves on after done or skipped, holds a failed step, and stops on abort', () => {
		const playbook = getPlaybook('task-distribution')!;
		let s = initialPlaybookState(playbook);
		expect(s.current).toBe(0);
		s = playbookReducer(s, {type: 'step-started'});
		expect(s.steps[0]!.status).toBe('running');
		s = playbookReducer(s, {type: 'step-finished', status: 'done', message: 'queue 140'});
		expect(s.current).toBe(1);
		s = playbookReducer(s, {type: 'step-finished', status: 'failed', message: 'refused: HTTP 500'});
		expect(s.current).toBe(1);
		expect(s.steps[1]).toMatchObject({status: 'failed', message: 'refused: HTTP 500'});
		s = playbookReducer(s, {type: 'step-finished', status: 'skipped', message: 'operator skipped'});
		expect(s.current).toBe(2);
		s = playbookReducer(s, {type: 'abort'});
		expect(s).toMatchObject({finished: true, aborted: true});
		expect(playbookReducer(s, {type: 'step-finished', status: 'done', message: 'x'})).toBe(s);
	});

	it('finishes after the last step', () => {
		const playbook = getPlaybook('weekly-optimisation')!;
		let s = initialPlaybookState(playbook);
		for (let i = 0; i < playbook.steps.length; i++) s = playbookReducer(s, {type: 'step-finished', status: 'done', message: ''});
		expect(s).toMatchObject({finished: true, aborted: false, current: playbook.steps.length});
	});
});
