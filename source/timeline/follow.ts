// Feeds the recorder from what the operator did: every action run's intent (when the gate starts it) and
// outcome (when it reaches a final status), every playbook's start, step results and ending. The gate's
// history and a playbook runner are zustand stores; each change is compared with what was already
// recorded, so a run or a step is written once however often its store changes.
import type {StoreApi} from 'zustand/vanilla';
import {FINAL_STATUSES, type ActionHistoryState, type ActionRun} from '../actions/history.js';
import type {PlaybookState} from '../actions/playbooks/types.js';
import type {TimelineRecorder} from './recorder.js';

/** Records each run's intent once and its outcome once. Returns the unsubscribe. */
export function followActionHistory(history: StoreApi<ActionHistoryState>, recorder: Pick<TimelineRecorder, 'record'>): () => void {
	const intents = new Set<string>();
	const outcomes = new Set<string>();
	const see = (runs: ActionRun[]) => {
		// History is newest first; the timeline wants the order things happened in.
		for (const run of [...runs].reverse()) {
			// A dry run and a refusal send nothing: they are outcomes without an intent worth a line.
			const sends = !['refused', 'busy', 'dry-run'].includes(run.status);
			if (sends && !intents.has(run.runId)) {
				intents.add(run.runId);
				recorder.record({
					kind: 'action-intent',
					runId: run.runId,
					action: run.actionId,
					targets: run.targets.map((t) => ({kind: t.kind, id: t.id, name: t.name})),
					requests: run.requests,
				});
			}
			if (FINAL_STATUSES.has(run.status) && !outcomes.has(run.runId)) {
				outcomes.add(run.runId);
				recorder.record({
					kind: 'action-outcome',
					runId: run.runId,
					action: run.actionId,
					result: run.status,
					message: run.message,
					durationMs: run.finishedAt !== null ? run.finishedAt - run.startedAt : undefined,
				});
			}
		}
	};
	see(history.getState().runs);
	return history.subscribe((s) => see(s.runs));
}

/** Records a playbook's start, each step that ends, and its ending. Returns the unsubscribe. */
export function followPlaybook(playbook: StoreApi<PlaybookState>, recorder: Pick<TimelineRecorder, 'record'>): () => void {
	const stepsSeen = new Map<string, string>();
	let started = false;
	let ended = false;
	const see = (s: PlaybookState) => {
		if (!started && s.steps.some((step) => step.status !== 'todo')) {
			started = true;
			recorder.record({kind: 'playbook', playbookId: s.playbookId, title: s.title, phase: 'started'});
		}
		for (const step of s.steps) {
			if (step.status !== 'done' && step.status !== 'failed' && step.status !== 'skipped') continue;
			if (stepsSeen.get(step.id) === step.status) continue;
			stepsSeen.set(step.id, step.status);
			recorder.record({kind: 'playbook-step', playbookId: s.playbookId, stepId: step.id, title: step.title, status: step.status, message: step.message, runId: step.runId});
		}
		if (!ended && s.finished) {
			ended = true;
			recorder.record({
				kind: 'playbook',
				playbookId: s.playbookId,
				title: s.title,
				phase: s.aborted ? 'aborted' : 'finished',
				outcome: s.outcome,
				message: s.ending?.summary,
			});
		}
	};
	see(playbook.getState());
	return playbook.subscribe(see);
}
