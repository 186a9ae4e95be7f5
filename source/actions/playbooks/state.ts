// The playbook state machine, pure: steps move on when done or skipped, a failed step stays current
// until it is retried or skipped (or the run is ended there), and the last step, an end or an abort
// computes the ending. RECOVERED needs every verification step passed and no step left failed or undone;
// a skipped step is listed with its reason, never counted as a success.
import type {EscalationPath, Playbook, PlaybookEnding, PlaybookEvent, PlaybookState, StepState} from './types.js';

export function initialPlaybookState(playbook: Playbook, options: {escalation?: EscalationPath | null} = {}): PlaybookState {
	const escalation = options.escalation && (options.escalation.contacts.length > 0 || options.escalation.channels.length > 0) ? options.escalation : null;
	return {
		playbookId: playbook.id,
		profile: playbook.profile,
		title: playbook.title,
		current: 0,
		steps: playbook.steps.map((s) => ({
			id: s.id,
			kind: s.kind,
			title: s.title,
			actionId: s.kind === 'action' ? s.actionId : null,
			verify: s.kind === 'check' && s.verify === true,
			status: 'todo',
			message: '',
			details: [],
			failures: [],
			runId: null,
			until: null,
			countdown: null,
		})),
		finished: false,
		aborted: false,
		outcome: null,
		ending: null,
		next: playbook.next,
		maintenance: playbook.maintenance === true,
		escalation,
	};
}

function actionHint(step: StepState): string {
	return step.actionId ? ` (key in the console, or \`hive-console action ${step.actionId}\`)` : '';
}

/** The ending of a run that stops here: pure, from the steps as they stand. */
export function concludePlaybook(state: PlaybookState, how: {aborted?: boolean; reason?: string} = {}): PlaybookEnding {
	const skipped = state.steps.filter((s) => s.status === 'skipped').map((s) => ({step: s.id, title: s.title, reason: s.message || 'skipped'}));
	// A failed verification is reported by what it found (failing), not again as a failed step.
	const failed = state.steps
		.filter((s) => ((s.status === 'failed' && !(s.verify && s.failures.length > 0)) || s.status === 'running' || s.status === 'todo'))
		.map((s) => ({step: s.id, title: s.title, message: s.status === 'failed' ? s.message : s.status === 'running' ? 'interrupted' : 'not run'}));
	const verifying = state.steps.filter((s) => s.verify);
	const verified = verifying.length > 0 && verifying.every((s) => s.status === 'done');
	const failing = verifying.flatMap((s) => (s.status === 'done' ? [] : s.failures));
	if (!verified && failing.length === 0 && verifying.length > 0) {
		const unverified = verifying.filter((s) => s.status !== 'done');
		for (const s of unverified) failing.push({metric: s.title, value: s.status === 'todo' ? 'not run' : s.status === 'skipped' ? `skipped (${s.message || 'by the operator'})` : s.message || s.status, threshold: 'must pass'});
	}

	let outcome: PlaybookEnding['outcome'];
	if (how.aborted) outcome = 'aborted';
	else if (state.maintenance) outcome = failed.length === 0 ? 'completed' : 'not-recovered';
	else outcome = verified && failed.length === 0 ? 'recovered' : 'not-recovered';

	const next: string[] = [];
	if (outcome !== 'recovered' && outcome !== 'completed') {
		for (const s of state.steps) {
			if (s.status === 'failed' && s.verify) next.push(`check again later ("${s.title}"): \`hive-console status\` shows the metrics as they settle`);
			else if (s.status === 'failed') next.push(`retry "${s.title}"${actionHint(s)}: it failed: ${s.message}`);
			else if (s.status === 'skipped' && s.kind === 'action') next.push(`run the skipped step "${s.title}"${actionHint(s)} if its reason no longer holds (${s.message || 'skipped'})`);
		}
		const firstUndone = state.steps.find((s) => s.status === 'todo' || s.status === 'running');
		if (firstUndone) next.push(`continue from step ${state.steps.indexOf(firstUndone) + 1}, "${firstUndone.title}"${actionHint(firstUndone)}`);
		next.push(...state.next);
	}

	const words = {recovered: 'RECOVERED', 'not-recovered': 'NOT RECOVERED', aborted: 'ABORTED', completed: 'COMPLETED'}[outcome];
	let summary: string;
	if (outcome === 'recovered') {
		const held = verifying[verifying.length - 1];
		summary = `${words}: ${held?.message || 'the verification held'}`;
	} else if (outcome === 'completed') summary = `${words}: every step done${skipped.length ? ` (${skipped.length} skipped)` : ''}`;
	else {
		const found = failing.length > 0 ? failing.map((f) => `${f.metric} ${f.value} (${f.threshold})`).join('; ') : null;
		const stopped = failed.find((f) => f.message !== 'not run');
		const why = how.aborted
			? how.reason || 'aborted by the operator'
			: [how.reason ?? (stopped ? `step "${stopped.title}": ${stopped.message}` : null), found].filter(Boolean).join('; still failing: ') || 'the verification did not hold';
		summary = `${words}: ${why}`;
	}
	return {
		outcome,
		summary,
		failing,
		skipped,
		failed,
		next,
		escalation: outcome === 'recovered' || outcome === 'completed' ? null : state.escalation,
	};
}

function finish(state: PlaybookState, how: {aborted?: boolean; reason?: string} = {}): PlaybookState {
	const ending = concludePlaybook(state, how);
	return {...state, finished: true, aborted: how.aborted === true, outcome: ending.outcome, ending};
}

/** Pure: a failed step stays current (retry it or skip it); done and skipped move on. */
export function playbookReducer(state: PlaybookState, event: PlaybookEvent): PlaybookState {
	if (state.finished) return state;
	const i = state.current;
	const patchStep = (patch: Partial<StepState>) => state.steps.map((s, k) => (k === i ? {...s, ...patch} : s));
	switch (event.type) {
		case 'abort':
			return finish(state, {aborted: true, ...(event.reason ? {reason: event.reason} : {})});
		case 'end':
			return finish(state, event.reason ? {reason: event.reason} : {});
		case 'step-started':
			return {
				...state,
				steps: patchStep({status: 'running', until: event.until ?? null, countdown: event.countdown ?? null, message: event.message ?? '', details: [], failures: []}),
			};
		case 'step-progress':
			return {
				...state,
				steps: patchStep({
					message: event.message,
					...(event.countdown === undefined ? {} : {countdown: event.countdown}),
					...(event.failures === undefined ? {} : {failures: event.failures}),
					...(event.details === undefined ? {} : {details: event.details}),
				}),
			};
		case 'step-finished': {
			const steps = patchStep({
				status: event.status,
				message: event.message,
				details: event.details ?? [],
				failures: event.failures ?? [],
				until: null,
				countdown: null,
				...(event.runId === undefined ? {} : {runId: event.runId}),
			});
			if (event.status === 'failed') return {...state, steps};
			const current = i + 1;
			const next = {...state, steps, current};
			return current >= steps.length ? finish(next) : next;
		}
	}
}
