// Runs a playbook's steps: prepares and runs action steps through the gate (the caller confirms them),
// waits and watches on the hive's clock, and writes each change through the pure reducer into a small
// zustand store that the console's view and `hive-console playbook` both read.
import {createStore, type StoreApi} from 'zustand/vanilla';
import {DEFAULT_THRESHOLDS} from '../../model/thresholds.js';
import type {Thresholds} from '../../model/types.js';
import type {HiveSnapshot} from '../../contract/snapshot.js';
import {describeError} from '../../util/redact.js';
import {sleep, type ConfirmationAnswer, type ConfirmationToken, type Gate, type PreparedAction, type PrepareResult, type RunHandle} from '../gate.js';
import type {ActionRun} from '../history.js';
import {getAction} from '../registry.js';
import type {ActionTarget} from '../types.js';
import {initialPlaybookState, playbookReducer} from './state.js';
import type {CheckResult, EscalationPath, Playbook, PlaybookEvent, PlaybookState, StepContext, StepDef, StepState} from './types.js';
import {HiveSpan} from './verdict.js';

export interface PlaybookRunnerOptions {
	gate: Gate;
	/** Longest pause between two polls of a watching check (wall ms). */
	watchPollMs?: number;
	/** Longest pause between two reads of the hive's clock during a wait (wall ms). */
	waitPollMs?: number;
	/** The config's thresholds (default: the runbook's table). */
	thresholds?: Thresholds;
	/** The config's escalation path, shown with an ending that is not a recovery. */
	escalation?: EscalationPath | null;
}

export type ActionStepPreparation =
	| {kind: 'prepared'; prepared: PreparedAction}
	/** The step does not apply (no corrupted stream, nothing blocked, action unavailable here): skip it with this reason. */
	| {kind: 'not-applicable'; reason: string}
	| {kind: 'refused'; reason: string};

export class PlaybookRunner {
	readonly store: StoreApi<PlaybookState>;
	private skipper = new AbortController();
	private readonly aborter = new AbortController();
	private busy = false;
	private actionHandle: RunHandle | null = null;
	/** The last snapshot a step read, and when: the hive's clock for waits and watches. */
	private lastRead: HiveSnapshot | null = null;

	constructor(
		readonly playbook: Playbook,
		private readonly options: PlaybookRunnerOptions,
	) {
		this.store = createStore<PlaybookState>(() => initialPlaybookState(playbook, {escalation: options.escalation ?? null}));
	}

	get gate(): Gate {
		return this.options.gate;
	}

	get state(): PlaybookState {
		return this.store.getState();
	}

	/** A wait, a watch or an action is in progress. */
	get running(): boolean {
		return this.busy || this.actionHandle !== null;
	}

	currentStep(): StepDef | null {
		return this.state.finished ? null : (this.playbook.steps[this.state.current] ?? null);
	}

	private dispatch(event: PlaybookEvent): void {
		this.store.setState(playbookReducer(this.store.getState(), event));
	}

	private context(): StepContext {
		const signal = AbortSignal.any([this.aborter.signal, AbortSignal.timeout(30_000)]);
		return {
			env: this.options.gate.env,
			signal,
			thresholds: this.options.thresholds ?? DEFAULT_THRESHOLDS,
			read: async () => {
				const snap = await this.options.gate.env.readHive(signal);
				this.lastRead = snap;
				return snap;
			},
		};
	}

	/** For an action step: choose the targets and prepare it through the gate, for the confirmation. */
	async prepareAction(targetsOverride?: ActionTarget[]): Promise<ActionStepPreparation> {
		const step = this.currentStep();
		if (!step || step.kind !== 'action') return {kind: 'refused', reason: 'the current step is not an action'};
		const gate = this.options.gate;
		const action = getAction(step.actionId);
		if (!action) return {kind: 'refused', reason: `${step.actionId} is not an action this console knows (yet); the step cannot run`};
		// Read-only and availability come first: a read-only console says so before looking for targets.
		const avail = await gate.availability(action);
		if (!avail.available) {
			return gate.readOnly.on && action.mutates ? {kind: 'refused', reason: avail.reason} : {kind: 'not-applicable', reason: `not offered here: ${avail.reason}`};
		}
		let targets = targetsOverride;
		if (!targets && step.targets) {
			try {
				const chosen = await step.targets(this.context());
				if ('skip' in chosen) return {kind: 'not-applicable', reason: chosen.skip};
				targets = chosen.targets;
			} catch (error) {
				return {kind: 'refused', reason: `could not choose targets: ${describeError(error)}`};
			}
		}
		const result: PrepareResult = await gate.prepare(step.actionId, targets, step.inputs ?? {});
		if (!result.ok) return {kind: 'refused', reason: result.reason};
		return {kind: 'prepared', prepared: result.prepared};
	}

	/** Runs a prepared action step through the gate with the confirmation the operator gave. */
	async runAction(prepared: PreparedAction, token: ConfirmationToken | null): Promise<ActionRun> {
		const gate = this.options.gate;
		this.dispatch({type: 'step-started', message: `running ${prepared.action.title}`});
		const handle = gate.start(prepared, token);
		this.actionHandle = handle;
		this.store.setState((s) => ({steps: s.steps.map((st, k) => (k === s.current ? {...st, runId: handle.runId} : st))}));
		const run = await handle.done.finally(() => {
			this.actionHandle = null;
		});
		// Unconfirmed (sent, effect not seen in time) moves on: the verification judges the effect.
		const status = run.status === 'confirmed' || run.status === 'unconfirmed' ? 'done' : run.status === 'skipped' ? 'skipped' : 'failed';
		this.dispatch({type: 'step-finished', status, message: `${run.status}: ${run.message}`, details: run.notes, runId: run.runId});
		return run;
	}

	/** Marks the current action step failed without running it (refused before sending). */
	failStep(reason: string): void {
		if (this.busy) return;
		this.dispatch({type: 'step-finished', status: 'failed', message: reason});
	}

	private async read(signal: AbortSignal): Promise<HiveSnapshot | null> {
		try {
			const snap = await this.options.gate.env.readHive(AbortSignal.any([signal, AbortSignal.timeout(15_000)]));
			this.lastRead = snap;
			return snap;
		} catch {
			// Unreadable: the wall clock carries the wait on its own.
			return null;
		}
	}

	private async runWait(step: Extract<StepDef, {kind: 'wait'}>, stop: AbortSignal): Promise<void> {
		const start = Date.now();
		const span = new HiveSpan(step.seconds, start);
		this.dispatch({type: 'step-started', until: start + step.seconds * 1000, countdown: span.countdown(start), message: `waiting ${step.seconds} s on the hive's clock`});
		let first = true;
		while (!stop.aborted) {
			const snap = await this.read(stop);
			const now = Date.now();
			span.observe(snap, now);
			if (span.done(now)) break;
			const rate = span.rate(now);
			const left = Math.ceil(span.remainingSeconds(now));
			this.dispatch({type: 'step-progress', countdown: span.countdown(now), message: `${left} s left on the hive's clock${rate >= 1.5 ? ` (it runs ${Math.round(rate)}x wall speed)` : ''}${snap ? '' : ' (hive unreadable: counting wall time)'}`});
			// Before the rate is known, look again soon: a simulator at --speed 60 ends a 30 s wait in 0.5 s.
			await sleep(Math.max(10, Math.min(span.wallMsLeft(now), first ? 200 : (this.options.waitPollMs ?? 1000))), stop);
			first = false;
		}
		const waited = Math.round(span.elapsedSeconds(Date.now()));
		if (this.skipper.signal.aborted && !this.aborter.signal.aborted) {
			this.dispatch({type: 'step-finished', status: 'skipped', message: `wait skipped by the operator after ${waited} of ${step.seconds} s`});
		} else this.dispatch({type: 'step-finished', status: 'done', message: `waited ${step.seconds} s on the hive's clock`});
	}

	private async runCheck(step: Extract<StepDef, {kind: 'check'}>, stop: AbortSignal): Promise<void> {
		const need = Math.max(1, step.consecutive ?? 1);
		const start = Date.now();
		const span = step.watchSeconds ? new HiveSpan(step.watchSeconds, start) : null;
		this.dispatch({type: 'step-started', until: span ? start + span.seconds * 1000 : null, countdown: span?.countdown(start) ?? null, message: 'checking'});
		let held = 0;
		let result: CheckResult;
		let grace = true;
		for (;;) {
			this.lastRead = null;
			try {
				result = await step.check(this.context());
			} catch (error) {
				const message = `could not read the hive: ${describeError(error)}`;
				result = {ok: false, message, failures: [{metric: 'hive', value: 'unreadable', threshold: 'readable'}]};
			}
			const now = Date.now();
			span?.observe(this.lastRead, now);
			held = result.ok ? held + 1 : 0;
			if (held >= need || stop.aborted) break;
			// A passing poll just before the watch ends still gets its confirming poll.
			if (!span && !result.ok) break;
			if (span?.done(now)) {
				if (!(result.ok && grace)) break;
				grace = false;
			}
			this.dispatch({
				type: 'step-progress',
				message: result.ok ? `${result.message} (${held} of ${need} polls in a row)` : result.message,
				countdown: span?.countdown(now) ?? null,
				failures: result.failures ?? [],
				details: result.details ?? [],
			});
			await sleep(Math.max(10, Math.min(this.options.watchPollMs ?? 5000, span && result.ok === false ? Math.max(50, span.wallMsLeft(now)) : Infinity)), stop);
		}
		const passed = held >= need;
		// A watch the operator skipped is recorded as such, not as a pass.
		const status = passed ? 'done' : this.skipper.signal.aborted && !this.aborter.signal.aborted ? 'skipped' : 'failed';
		const message = passed ? (need > 1 ? `${result.message} (held on ${held} polls in a row)` : result.message) : status === 'skipped' ? `skipped by the operator: ${result.message}` : span ? `not within ${span.seconds} s: ${result.message}` : result.message;
		this.dispatch({type: 'step-finished', status, message, details: result.details ?? [], failures: passed ? [] : (result.failures ?? [])});
	}

	/** Runs a wait or check step to its end (a wait counts down; skipWait() ends it early). */
	async runCurrent(): Promise<StepState> {
		const step = this.currentStep();
		if (!step) throw new Error('the playbook has finished');
		if (step.kind === 'action') throw new Error('an action step is run with prepareAction() and runAction()');
		if (this.busy) return this.state.steps[this.state.current]!;
		this.busy = true;
		this.skipper = new AbortController();
		const index = this.state.current;
		const stop = AbortSignal.any([this.skipper.signal, this.aborter.signal]);
		try {
			if (step.kind === 'wait') await this.runWait(step, stop);
			else await this.runCheck(step, stop);
		} finally {
			this.busy = false;
		}
		return this.state.steps[index]!;
	}

	/** Ends the current wait or watch now, or the pause between two targets of a running action step. */
	skipWait(): void {
		if (this.actionHandle) this.actionHandle.skipWait();
		else this.skipper.abort();
	}

	/** Moves past the current step without running it (declined, not applicable). */
	skipStep(reason: string): void {
		if (this.busy || this.actionHandle) return;
		this.dispatch({type: 'step-finished', status: 'skipped', message: reason});
	}

	/** Ends the run where it stands: the ending lists what was not done. */
	end(reason: string): void {
		this.dispatch({type: 'end', reason});
	}

	/** Ends the playbook; a running sequential action stops before its next target. */
	abort(reason?: string): void {
		this.actionHandle?.stop();
		this.aborter.abort();
		this.skipper.abort();
		this.dispatch({type: 'abort', ...(reason ? {reason} : {})});
	}
}

export interface HeadlessHooks {
	/** The confirmation for a prepared action step; null declines it. */
	answer(prepared: PreparedAction): Promise<ConfirmationAnswer | null> | ConfirmationAnswer | null;
	/** Called when a step is about to run. */
	onStart?(step: StepDef, index: number, state: PlaybookState): void;
	/** Called after each step with the state (the step's result is in it). */
	onStep?(state: PlaybookState): void;
	onWait?(runner: PlaybookRunner, step: StepDef): void;
	/** End the run at a failed step instead of moving on (default true). */
	stopOnFailure?: boolean;
	/** End the run when a step is declined (default false: the step is skipped, and the ending says so). */
	stopOnDecline?: boolean;
}

/**
 * Drives a playbook without a UI (`hive-console playbook`, `optimize`, tests): each action step is prepared
 * and confirmed by `answer` (null declines it); waits and checks run to their end. Returns the final
 * state, which always has an outcome.
 */
export async function runPlaybookHeadless(runner: PlaybookRunner, hooks: HeadlessHooks): Promise<PlaybookState> {
	const stopOnFailure = hooks.stopOnFailure ?? true;
	while (!runner.state.finished) {
		const index = runner.state.current;
		const step = runner.currentStep()!;
		hooks.onStart?.(step, index, runner.state);
		if (step.kind === 'action') {
			const prep = await runner.prepareAction();
			if (prep.kind === 'not-applicable') runner.skipStep(prep.reason);
			else if (prep.kind === 'refused') runner.failStep(prep.reason);
			else {
				const answer = await hooks.answer(prep.prepared);
				if (runner.state.finished) break;
				if (answer === null) {
					runner.skipStep('declined by the operator; nothing sent');
					if (hooks.stopOnDecline) {
						hooks.onStep?.(runner.state);
						runner.end(`"${step.title}" was declined; nothing sent`);
						break;
					}
				} else {
					const confirmed = runner.gate.confirm(prep.prepared, answer);
					if (!confirmed.ok) runner.failStep(confirmed.reason);
					else await runner.runAction(prep.prepared, confirmed.token);
				}
			}
		} else {
			const running = runner.runCurrent();
			hooks.onWait?.(runner, step);
			await running;
		}
		if (runner.state.finished && runner.state.aborted) break;
		hooks.onStep?.(runner.state);
		const last = runner.state.steps[runner.state.current];
		if (!runner.state.finished && last?.status === 'failed') {
			if (stopOnFailure) {
				// A failed verification speaks through what it found; any other step through its message.
				runner.end(last.verify ? '' : `stopped at step ${runner.state.current + 1}, "${last.title}": ${last.message}`);
				break;
			}
			runner.skipStep(`moved on after failure: ${last.message}`);
		}
	}
	return runner.state;
}
