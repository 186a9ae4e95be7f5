// The runbook's recovery scenarios (and its weekly optimisation) as guided step sequences. A step is an
// action (prepared and confirmed through the gate like any other), a wait (countdown, skippable) or a
// check (read and judge; some watch until they pass). The state is a pure reducer the console and tests
// both drive; PlaybookRunner performs the effects and writes the state into a small zustand store.
import {createStore, type StoreApi} from 'zustand/vanilla';
import type {RunbookScenario} from '../model/types.js';
import type {HiveSnapshot} from '../store/types.js';
import {describeError} from '../util/redact.js';
import {sleep, type ConfirmationAnswer, type ConfirmationToken, type Gate, type PreparedAction, type PrepareResult, type RunHandle} from './gate.js';
import type {ActionRun} from './history.js';
import {readStreamFacts, streamTarget} from './defs/redis.js';
import {taskTarget} from './defs/tasks.js';
import {problemReason} from './defs/common.js';
import {getAction} from './registry.js';
import type {ActionEnv, ActionTarget} from './types.js';

export type PlaybookId = RunbookScenario | 'weekly-optimisation';

export interface CheckResult {
	ok: boolean;
	message: string;
	details?: string[];
}

export interface StepContext {
	env: ActionEnv;
	signal: AbortSignal;
	/** The hive as read when the step started (null if it could not be read). */
	hive: HiveSnapshot | null;
}

export type StepDef =
	| {
			kind: 'action';
			id: string;
			title: string;
			actionId: string;
			inputs?: Record<string, unknown>;
			/** Targets chosen for this step; null skips the step with `skipReason`. Default: the action's own. */
			targets?(ctx: StepContext): Promise<{targets: ActionTarget[]} | {skip: string}>;
	  }
	| {kind: 'wait'; id: string; title: string; seconds: number}
	| {
			kind: 'check';
			id: string;
			title: string;
			check(ctx: StepContext): Promise<CheckResult>;
			/** Re-check until it passes or this many seconds pass (skippable like a wait). */
			watchSeconds?: number;
	  };

export interface Playbook {
	id: PlaybookId;
	title: string;
	/** When the console should offer it (the model's scenario). */
	when: string;
	steps: StepDef[];
	/** Critical playbooks show the configured escalation contacts. */
	critical: boolean;
}

export type StepStatus = 'todo' | 'running' | 'done' | 'failed' | 'skipped';

export interface StepState {
	id: string;
	kind: StepDef['kind'];
	title: string;
	status: StepStatus;
	message: string;
	details: string[];
	/** The action run behind an action step. */
	runId: string | null;
	/** Countdown end for a wait or a watch (epoch ms). */
	until: number | null;
}

export interface PlaybookState {
	playbookId: PlaybookId;
	title: string;
	/** Index of the step to run next (or running); steps.length when finished. */
	current: number;
	steps: StepState[];
	finished: boolean;
	aborted: boolean;
}

export type PlaybookEvent =
	| {type: 'step-started'; until?: number | null; message?: string}
	| {type: 'step-progress'; message: string}
	| {type: 'step-finished'; status: 'done' | 'failed' | 'skipped'; message: string; details?: string[]; runId?: string | null}
	| {type: 'abort'};

export function initialPlaybookState(playbook: Playbook): PlaybookState {
	return {
		playbookId: playbook.id,
		title: playbook.title,
		current: 0,
		steps: playbook.steps.map((s) => ({id: s.id, kind: s.kind, title: s.title, status: 'todo', message: '', details: [], runId: null, until: null})),
		finished: false,
		aborted: false,
	};
}

/** Pure: a failed step stays current (retry it or skip it); done and skipped move on. */
export function playbookReducer(state: PlaybookState, event: PlaybookEvent): PlaybookState {
	if (state.finished) return state;
	const i = state.current;
	const patchStep = (patch: Partial<StepState>) => state.steps.map((s, k) => (k === i ? {...s, ...patch} : s));
	switch (event.type) {
		case 'abort':
			return {...state, finished: true, aborted: true};
		case 'step-started':
			return {...state, steps: patchStep({status: 'running', until: event.until ?? null, message: event.message ?? '', details: []})};
		case 'step-progress':
			return {...state, steps: patchStep({message: event.message})};
		case 'step-finished': {
			const steps = patchStep({status: event.status, message: event.message, details: event.details ?? [], until: null, ...(event.runId === undefined ? {} : {runId: event.runId})});
			if (event.status === 'failed') return {...state, steps};
			const current = i + 1;
			return {...state, steps, current, finished: current >= steps.length};
		}
	}
}

// ------------------------------------------------------------------------------------------ checks

async function readHive(ctx: StepContext): Promise<HiveSnapshot> {
	if (ctx.hive) return ctx.hive;
	return ctx.env.readHive(ctx.signal);
}

const fmt = (v: number | null | undefined, unit = '') => (v === null || v === undefined ? 'unknown' : `${Math.round(v * 10) / 10}${unit}`);

async function successRateCheck(ctx: StepContext): Promise<CheckResult> {
	const hive = await readHive(ctx);
	const rate = hive.coordination?.successRate ?? null;
	return {ok: true, message: `coordination success rate ${fmt(rate, ' %')}, ${fmt(hive.activeAgents)} active agents, queue ${fmt(hive.coordination?.queueLength)}`};
}

/** The runbook's "verify core services": database and Redis components of /health. */
async function coreServicesCheck(ctx: StepContext): Promise<CheckResult> {
	const hive = await ctx.env.readHive(ctx.signal);
	const components = hive.health?.components ?? [];
	const wanted = ['database', 'redis'];
	const details = wanted.map((name) => {
		const c = components.find((x) => x.name === name);
		return `${name}: ${c ? c.status : 'not reported'}${c?.error ? ` (${c.error})` : ''}`;
	});
	const ok = wanted.every((name) => components.find((x) => x.name === name)?.status === 'healthy');
	return {ok, message: ok ? 'database and Redis are healthy' : `not healthy: ${details.join('; ')}`, details};
}

function recoveryWatch(baseline: {rate: number | null; agents: number | null}) {
	return async (ctx: StepContext): Promise<CheckResult> => {
		const hive = await ctx.env.readHive(ctx.signal);
		const rate = hive.coordination?.successRate ?? null;
		const active = hive.activeAgents ?? (hive.agents ? hive.agents.filter((a) => a.status === 'active' || a.status === 'busy').length : null);
		if (baseline.rate === null) baseline.rate = rate;
		if (baseline.agents === null) baseline.agents = active;
		const message = `success rate ${fmt(baseline.rate, ' %')} → ${fmt(rate, ' %')}, active agents ${fmt(baseline.agents)} → ${fmt(active)}`;
		const ok = rate !== null && rate >= 70 && (active ?? 0) >= 1;
		return {ok, message: ok ? `recovered: ${message}` : `recovering: ${message}`};
	};
}

async function communicationCheck(ctx: StepContext): Promise<CheckResult> {
	const hive = await readHive(ctx);
	const problems = (hive.agents ?? []).filter((a) => problemReason(a, hive.at) !== null);
	const details: string[] = problems.slice(0, 10).map((a) => `${a.name}: ${problemReason(a, hive.at)}`);
	let clients = 'Redis clients unknown (no Redis configured)';
	if (ctx.env.redis) {
		try {
			const info = String(await ctx.env.redis.call('INFO', 'clients'));
			const connected = /connected_clients:(\d+)/.exec(info)?.[1];
			const blocked = /blocked_clients:(\d+)/.exec(info)?.[1];
			clients = `Redis clients: ${connected ?? '?'} connected, ${blocked ?? '?'} blocked`;
		} catch (error) {
			clients = `Redis clients unreadable: ${describeError(error)}`;
		}
	}
	return {ok: true, message: `${hive.agentMetrics?.staleHeartbeats ?? 'unknown'} stale heartbeats (Prometheus), ${problems.length} problem agents; ${clients}`, details};
}

async function heartbeatsCurrent(ctx: StepContext): Promise<CheckResult> {
	const hive = await ctx.env.readHive(ctx.signal);
	const problems = (hive.agents ?? []).filter((a) => problemReason(a, hive.at) !== null);
	const stale = hive.agentMetrics?.staleHeartbeats ?? null;
	const ok = hive.agents !== null && problems.length === 0 && (stale === null || stale === 0);
	return {
		ok,
		message: ok ? 'every heartbeat is current' : `${problems.length} problem agents, ${fmt(stale)} stale heartbeats`,
		details: problems.slice(0, 10).map((a) => `${a.name}: ${problemReason(a, hive.at)}`),
	};
}

async function queueCheck(ctx: StepContext): Promise<CheckResult> {
	const hive = await readHive(ctx);
	return {ok: true, message: `queue length ${fmt(hive.coordination?.queueLength ?? hive.tasks?.queueLength)}, ${fmt(hive.coordination?.longRunning ?? hive.tasks?.longRunning)} long-running, ${hive.tasks?.stuck.length ?? 0} stuck`};
}

async function queueRecovered(ctx: StepContext): Promise<CheckResult> {
	const hive = await ctx.env.readHive(ctx.signal);
	const queue = hive.coordination?.queueLength ?? hive.tasks?.queueLength ?? null;
	const longRunning = hive.coordination?.longRunning ?? hive.tasks?.longRunning ?? null;
	const ok = queue !== null && queue <= 100 && (longRunning ?? 0) === 0;
	return {ok, message: `queue length ${fmt(queue)}${ok ? ' (at most 100)' : ''}, ${fmt(longRunning)} long-running`};
}

// ------------------------------------------------------------------------------------------ playbooks

/** The runbook deletes agent_messages:coordination when it is "corrupted"; it is usually absent, which is fine. */
export const CORRUPTED_STREAM_CANDIDATE = 'agent_messages:coordination';

export function playbooks(): Playbook[] {
	return [
		{
			id: 'coordination-critical',
			title: 'Scenario 1: coordination success rate below 70 %',
			when: 'success rate < 70 %',
			critical: true,
			steps: [
				{kind: 'check', id: 'assess', title: 'Read the success rate and agents', check: successRateCheck},
				{kind: 'action', id: 'stop', title: 'Emergency stop of all agents', actionId: 'emergency-stop'},
				{kind: 'wait', id: 'graceful', title: 'Wait for graceful shutdown', seconds: 30},
				{kind: 'action', id: 'restart', title: 'Restart the orchestrator', actionId: 'restart-orchestrator'},
				{
					kind: 'action',
					id: 'clear-stream',
					title: 'Clear a corrupted stream, if one is identified',
					actionId: 'delete-stream',
					targets: async (ctx) => {
						if (!ctx.env.redis) return {skip: 'no Redis configured: no stream to inspect'};
						const facts = await readStreamFacts(ctx.env.redis, CORRUPTED_STREAM_CANDIDATE);
						if (!facts.exists) return {skip: `${CORRUPTED_STREAM_CANDIDATE} does not exist (normal): no corrupted stream identified`};
						return {targets: [streamTarget(CORRUPTED_STREAM_CANDIDATE)]};
					},
				},
				{kind: 'check', id: 'core', title: 'Verify database and Redis health', check: coreServicesCheck},
				{kind: 'check', id: 'recovery', title: 'Watch the success rate recover and agents register', check: recoveryWatch({rate: null, agents: null}), watchSeconds: 600},
			],
		},
		{
			id: 'communication-failure',
			title: 'Scenario 2: agent communication failures',
			when: 'stale heartbeats, agents in error, or a growing stream backlog',
			critical: false,
			steps: [
				{kind: 'check', id: 'assess', title: 'Stale heartbeats and Redis clients', check: communicationCheck},
				{kind: 'action', id: 'pools', title: 'Refresh Redis connection pools', actionId: 'refresh-redis-pools'},
				{kind: 'action', id: 'restart', title: 'Restart the problem agents in sequence', actionId: 'restart-problem-agents'},
				{kind: 'wait', id: 'settle', title: 'Let heartbeats come in', seconds: 60},
				{kind: 'check', id: 'verify', title: 'Verify heartbeats are current', check: heartbeatsCurrent, watchSeconds: 120},
			],
		},
		{
			id: 'task-distribution',
			title: 'Scenario 3: task distribution failures',
			when: 'queue above 100, long-running or stuck tasks, uneven assignment',
			critical: false,
			steps: [
				{kind: 'check', id: 'assess', title: 'Queue length and long-running tasks', check: queueCheck},
				{
					kind: 'action',
					id: 'cancel',
					title: 'Cancel the stuck tasks',
					actionId: 'cancel-task',
					targets: async (ctx) => {
						const hive = await readHive(ctx);
						const stuck = hive.tasks?.stuck ?? [];
						if (stuck.length === 0) return {skip: 'no stuck task listed'};
						return {targets: stuck.map(taskTarget)};
					},
				},
				{kind: 'action', id: 'rebalance', title: 'Rebalance task distribution', actionId: 'rebalance'},
				{kind: 'wait', id: 'settle', title: 'Let the redistribution settle', seconds: 30},
				{kind: 'check', id: 'verify', title: 'Verify the queue', check: queueRecovered, watchSeconds: 120},
			],
		},
		{
			id: 'weekly-optimisation',
			title: 'Weekly coordination optimisation',
			when: 'weekly maintenance',
			critical: false,
			steps: [
				{kind: 'action', id: 'analysis', title: 'Analyse coordination patterns', actionId: 'weekly-analysis'},
				{kind: 'action', id: 'cleanup', title: 'Clean up completed tasks older than 7 days', actionId: 'cleanup-tasks', inputs: {days: 7}},
				{
					kind: 'action',
					id: 'purge',
					title: 'Optimise Redis memory (MEMORY PURGE, jemalloc only)',
					actionId: 'memory-purge',
				},
				{kind: 'action', id: 'metrics', title: 'Update agent performance metrics', actionId: 'update-performance-metrics'},
			],
		},
	];
}

export function getPlaybook(id: string): Playbook | undefined {
	return playbooks().find((p) => p.id === id);
}

// ------------------------------------------------------------------------------------------ runner

export interface PlaybookRunnerOptions {
	gate: Gate;
	/** How often a watching check re-reads (ms). */
	watchPollMs?: number;
}

export type ActionStepPreparation =
	| {kind: 'prepared'; prepared: PreparedAction}
	/** The step does not apply (no corrupted stream, action unavailable here): skip it with this reason. */
	| {kind: 'not-applicable'; reason: string}
	| {kind: 'refused'; reason: string};

export class PlaybookRunner {
	readonly store: StoreApi<PlaybookState>;
	private skipper = new AbortController();
	private readonly aborter = new AbortController();
	private busy = false;
	private actionHandle: RunHandle | null = null;

	constructor(
		readonly playbook: Playbook,
		private readonly options: PlaybookRunnerOptions,
	) {
		this.store = createStore<PlaybookState>(() => initialPlaybookState(playbook));
	}

	get gate(): Gate {
		return this.options.gate;
	}

	get state(): PlaybookState {
		return this.store.getState();
	}

	currentStep(): StepDef | null {
		return this.state.finished ? null : (this.playbook.steps[this.state.current] ?? null);
	}

	private dispatch(event: PlaybookEvent): void {
		this.store.setState(playbookReducer(this.store.getState(), event));
	}

	private context(): StepContext {
		return {env: this.options.gate.env, signal: AbortSignal.any([this.aborter.signal, AbortSignal.timeout(30_000)]), hive: null};
	}

	/** For an action step: choose the targets and prepare it through the gate, for the confirmation modal. */
	async prepareAction(targetsOverride?: ActionTarget[]): Promise<ActionStepPreparation> {
		const step = this.currentStep();
		if (!step || step.kind !== 'action') return {kind: 'refused', reason: 'the current step is not an action'};
		const gate = this.options.gate;
		const action = getAction(step.actionId);
		if (!action) return {kind: 'refused', reason: `unknown action ${step.actionId}`};
		// Read-only and availability come first: a read-only console says so before looking for targets.
		const avail = await gate.availability(action);
		if (!avail.available) {
			return gate.readOnly.on && action.mutates ? {kind: 'refused', reason: avail.reason} : {kind: 'not-applicable', reason: avail.reason};
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
		const status = run.status === 'confirmed' || run.status === 'unconfirmed' ? 'done' : run.status === 'skipped' ? 'skipped' : 'failed';
		this.dispatch({type: 'step-finished', status, message: `${run.status}: ${run.message}`, details: run.notes, runId: run.runId});
		return run;
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
		try {
			if (step.kind === 'wait') {
				const until = Date.now() + step.seconds * 1000;
				this.dispatch({type: 'step-started', until, message: `waiting ${step.seconds} s`});
				await sleep(step.seconds * 1000, AbortSignal.any([this.skipper.signal, this.aborter.signal]));
				this.dispatch({type: 'step-finished', status: 'done', message: this.skipper.signal.aborted ? 'wait skipped' : `waited ${step.seconds} s`});
			} else {
				const until = step.watchSeconds ? Date.now() + step.watchSeconds * 1000 : null;
				this.dispatch({type: 'step-started', until, message: 'checking'});
				let result: CheckResult;
				for (;;) {
					try {
						result = await step.check(this.context());
					} catch (error) {
						result = {ok: false, message: `could not read: ${describeError(error)}`};
					}
					if (result.ok || until === null || Date.now() >= until || this.skipper.signal.aborted || this.aborter.signal.aborted) break;
					this.dispatch({type: 'step-progress', message: result.message});
					await sleep(this.options.watchPollMs ?? 5000, AbortSignal.any([this.skipper.signal, this.aborter.signal]));
				}
				// A watch the operator skipped is recorded as such, not as a pass.
				const status = result.ok ? 'done' : this.skipper.signal.aborted ? 'skipped' : 'failed';
				this.dispatch({type: 'step-finished', status, message: result.message, details: result.details ?? []});
			}
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
		if (this.busy) return;
		this.dispatch({type: 'step-finished', status: 'skipped', message: reason});
	}

	/** Ends the playbook; a running sequential action stops before its next target. */
	abort(): void {
		this.actionHandle?.stop();
		this.aborter.abort();
		this.skipper.abort();
		this.dispatch({type: 'abort'});
	}
}

/**
 * Drives a playbook without a UI (tests, `hive-console optimize`): each action step is prepared, shown
 * through `onStep`, and confirmed by `answer` (null declines the step); waits go through `onWait`, which
 * may call runner.skipWait().
 */
export async function runPlaybookHeadless(
	runner: PlaybookRunner,
	hooks: {
		answer(prepared: PreparedAction): Promise<ConfirmationAnswer | null> | ConfirmationAnswer | null;
		onStep?(state: PlaybookState): void;
		onWait?(runner: PlaybookRunner, step: StepDef): void;
		/** Stop at a failed step instead of moving on (default true). */
		stopOnFailure?: boolean;
	},
): Promise<PlaybookState> {
	const stopOnFailure = hooks.stopOnFailure ?? true;
	while (!runner.state.finished) {
		const step = runner.currentStep()!;
		if (step.kind === 'action') {
			const prep = await runner.prepareAction();
			if (prep.kind === 'not-applicable') runner.skipStep(prep.reason);
			else if (prep.kind === 'refused') {
				runner.store.setState((s) => playbookReducer(s, {type: 'step-finished', status: 'failed', message: prep.reason}));
			} else {
				const answer = await hooks.answer(prep.prepared);
				if (answer === null) runner.skipStep('declined');
				else {
					const confirmed = runner.gate.confirm(prep.prepared, answer);
					if (!confirmed.ok) runner.store.setState((s) => playbookReducer(s, {type: 'step-finished', status: 'failed', message: confirmed.reason}));
					else await runner.runAction(prep.prepared, confirmed.token);
				}
			}
		} else {
			const running = runner.runCurrent();
			hooks.onWait?.(runner, step);
			await running;
		}
		hooks.onStep?.(runner.state);
		const last = runner.state.steps[runner.state.current];
		if (last?.status === 'failed') {
			if (stopOnFailure) break;
			runner.skipStep(`moved on after failure: ${last.message}`);
		}
	}
	return runner.state;
}
